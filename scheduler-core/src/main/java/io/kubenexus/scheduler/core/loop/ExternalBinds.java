package io.kubenexus.scheduler.core.loop;

import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.framework.PermitPlugin;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.ports.BindOutcome;
import io.kubenexus.scheduler.core.ports.BindResult;
import io.kubenexus.scheduler.core.query.ExtenderBindResult;
import io.kubenexus.scheduler.core.query.ExtenderBindResult.Bound;
import io.kubenexus.scheduler.core.query.ExtenderBindResult.Refused;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.time.Duration;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Binds whose node kube-scheduler chose (the extender's bind verb): checked here (leading, not bound
 * already, the node known), then offered to the {@link PermitPlugin}s, which may hold or refuse them
 * (a gang member waits for its siblings); what no plugin takes is verified on its node and bound at
 * once. The call runs off the loop thread; its answer comes back to it. Used only on the loop thread.
 */
final class ExternalBinds {
    /** A bind sent to the API; {@code onFailure} undoes what came with it. */
    private record Sent(PodInfo pod, String nodeName, CompletableFuture<ExtenderBindResult> answer, Runnable onFailure) {
    }

    private final SchedulingLoop loop;
    private final Map<PodKey, Sent> sent = new HashMap<>();

    ExternalBinds(SchedulingLoop loop) {
        this.loop = loop;
    }

    /** See {@link SchedulingLoop#bindFor}. */
    void bind(PodInfo pod, String nodeName, Duration holdLimit, CompletableFuture<ExtenderBindResult> answer) {
        PodKey key = pod.key();
        if (!loop.isLeader()) {
            answer.complete(new Refused("not the leader: this replica is standing by and binds nothing; retry"));
            return;
        }
        for (PermitPlugin plugin : loop.plugins.permit) {
            plugin.superseded(key);
        }
        if (sent.containsKey(key)) {
            answer.complete(new Refused("a bind of " + key + " is already under way"));
            return;
        }
        PodInfo accounted = loop.state.accountedPod(key);
        if (accounted != null) {
            // Bound already (a retry after a lost answer) or being bound by the loop itself: assuming it
            // again would replace its charge with one a failed bind could then forget.
            boolean boundThere = !loop.state.isAssumed(key) && nodeName.equals(accounted.nodeName());
            answer.complete(boundThere ? new Bound(nodeName) : new Refused(key + " is already "
                    + (loop.state.isAssumed(key) ? "being bound to " : "bound to ") + accounted.nodeName()));
            return;
        }
        if (onlyNode(nodeName) == null) {
            answer.complete(new Refused("node " + nodeName + " is unknown to kubenexus-scheduler"));
            return;
        }
        for (PermitPlugin plugin : loop.plugins.permit) {
            if (plugin.permit(pod, nodeName, holdLimit, answer)) {
                return;
            }
        }
        String refusal = assumeIfFits(pod, nodeName);
        if (refusal != null) {
            answer.complete(new Refused(refusal));
            return;
        }
        send(pod, nodeName, answer, null);
    }

    /** Assumes the pod on the node when it passes the filters there; else says why not. */
    String assumeIfFits(PodInfo pod, String nodeName) {
        BitSet only = onlyNode(nodeName);
        if (only == null) {
            return "node " + nodeName + " is unknown to kubenexus-scheduler";
        }
        ClusterState state = loop.state;
        Decision decision = loop.algorithm.schedule(pod, state, only);
        if (decision instanceof Decision.Unschedulable refused) {
            return refused.message();
        }
        state.assume(pod.withNodeName(nodeName));
        return null;
    }

    /** The pod is assumed on the node; the API call runs off the loop thread and its answer comes back to it. */
    void send(PodInfo pod, String nodeName, CompletableFuture<ExtenderBindResult> answer, Runnable onFailure) {
        Sent entry = new Sent(pod, nodeName, answer, onFailure);
        sent.put(pod.key(), entry);
        try {
            loop.binder.bind(pod, nodeName).whenComplete((result, error) -> {
                BindResult outcome = error != null || result == null
                        ? BindResult.of(BindOutcome.FAILED, String.valueOf(error == null ? "no result" : error.getMessage()))
                        : result;
                loop.post(() -> completed(entry, outcome));
            });
        } catch (RuntimeException e) {
            loop.post(() -> completed(entry, BindResult.of(BindOutcome.FAILED, "binder failed: " + e)));
        }
    }

    private void completed(Sent entry, BindResult result) {
        PodKey key = entry.pod().key();
        if (sent.get(key) == entry) {
            sent.remove(key);
        }
        if (result.outcome() == BindOutcome.BOUND) {
            // The assumption stays until the informer shows the pod bound.
            entry.answer().complete(new Bound(entry.nodeName()));
            return;
        }
        if (loop.state.forget(key)) {
            loop.queue.onClusterEvent(ClusterEventType.ASSIGNED_POD_REMOVED);
        }
        if (entry.onFailure() != null) {
            entry.onFailure().run();
        }
        entry.answer().complete(new Refused("binding " + key + " to " + entry.nodeName() + " failed ("
                + result.outcome() + "): " + result.detail()));
    }

    /** The sizes of its books, for {@link SchedulingLoop#bookkeepingSizes()}. */
    void sizes(Map<String, Integer> out) {
        out.put("extenderSentBinds", sent.size());
    }

    /**
     * After a bind attempt of {@code key} failed with an internal error: an assumption it may have
     * left that no held or sent bind owns is forgotten, so the room is not lost until a restart.
     */
    void abandon(PodKey key) {
        if (!inFlight(key) && loop.state.isAssumed(key)) {
            loop.state.forget(key);
        }
    }

    /** Whether a bind of {@code key} is held by a plugin or under way here. */
    boolean inFlight(PodKey key) {
        if (sent.containsKey(key)) {
            return true;
        }
        for (PermitPlugin plugin : loop.plugins.permit) {
            if (plugin.holds(key)) {
                return true;
            }
        }
        return false;
    }

    /** The pod of a bind a plugin holds, or null. */
    PodInfo heldPod(PodKey key) {
        for (PermitPlugin plugin : loop.plugins.permit) {
            PodInfo held = plugin.heldPod(key);
            if (held != null) {
                return held;
            }
        }
        return null;
    }

    private BitSet onlyNode(String nodeName) {
        int index = nodeName == null ? -1 : loop.state.nodeIndex(nodeName);
        if (index < 0 || !loop.state.liveNodes().get(index)) {
            return null;
        }
        BitSet only = new BitSet();
        only.set(index);
        return only;
    }
}
