package io.kubenexus.scheduler.core.framework;

import java.time.Instant;
import java.util.Map;

/**
 * Base of the extension points that take part in a pod's life in the loop rather than in one
 * decision ({@link PreEnqueuePlugin}, {@link GroupAttemptPlugin}, {@link ReservePlugin},
 * {@link PermitPlugin}, {@link PostFilterPlugin}, {@link PodEventsPlugin}, {@link GroupInsightPlugin}).
 * One object may implement several, as kube-scheduler's coscheduling plugin does; the loop calls each
 * interface the object implements. Called only on the loop thread, except {@link #attach}.
 */
public interface LifecyclePlugin extends SchedulingPlugin {
    /** Called once, by the loop's constructor: the handle is valid for the loop's life. */
    void attach(LoopHandle loop);

    /**
     * Called on every iteration while the loop leads and its caches have synced, before the next
     * pod is tried: timers (expiries, time-outs) are checked here.
     */
    default void tick(Instant now) {
    }

    /** When {@link #tick} next has something to do, or null: the idle loop wakes up then. */
    default Instant nextWakeUp() {
        return null;
    }

    /**
     * This replica stopped leading: what the plugin held for its term (places, held binds) lapses,
     * and is rebuilt from what the API shows if it leads again.
     */
    default void leadershipLost() {
    }

    /** The sizes of the plugin's books, for soak checks that nothing grows without bound. */
    default void sizes(Map<String, Integer> out) {
    }
}
