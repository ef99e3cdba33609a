package io.kubenexus.scheduler.core.loop;

import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.util.function.Consumer;

import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.ports.BindResult;

/** What other threads tell the scheduling loop; applied in arrival order on the loop thread. */
sealed interface LoopEvent {
    record NodeUpserted(NodeInfo node) implements LoopEvent {
    }

    record NodeRemoved(String name) implements LoopEvent {
    }

    record PodUpserted(PodInfo pod) implements LoopEvent {
    }

    record PodRemoved(PodKey key) implements LoopEvent {
    }

    record PodInvalid(PodInfo pod, String message) implements LoopEvent {
    }

    record BindCompleted(PodInfo pod, String nodeName, BindResult result, long startedNanos) implements LoopEvent {
    }

    /** {@code event} null: nobody waits for this update. */
    record StateUpdate(ClusterEventType event, Consumer<ClusterState> update) implements LoopEvent {
    }

    record CachesSynced() implements LoopEvent {
    }

    record LeadershipChanged(boolean leader) implements LoopEvent {
    }

    /**
     * A question from another thread (extender verbs, explanations), answered by {@code onLoop} on the
     * loop thread between attempts; it completes its own future.
     */
    record Query(Runnable onLoop) implements LoopEvent {
    }

    /** Asks for the sizes of the loop's own books, answered on the loop thread. */
    record Inspect(java.util.concurrent.CompletableFuture<java.util.Map<String, Integer>> answer) implements LoopEvent {
    }
}
