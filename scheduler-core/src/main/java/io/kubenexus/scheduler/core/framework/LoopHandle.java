package io.kubenexus.scheduler.core.framework;

import io.kubenexus.scheduler.core.loop.SchedulingAlgorithm;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.ports.EventSink;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.preemption.PreemptionPlan;
import io.kubenexus.scheduler.core.query.ExtenderBindResult;
import io.kubenexus.scheduler.core.queue.QueuedPod;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What a {@link LifecyclePlugin} may see and do in the scheduling loop: the live state, the queue,
 * and the attempt under way. Everything but {@link #post} is for the loop thread only (plugins are
 * called there). The loop stays the single writer: plugins change the state and the queue only
 * through this handle and the {@link ClusterState} it gives, never from another thread.
 */
public interface LoopHandle {
    ClusterState state();

    SchedulingAlgorithm algorithm();

    Clock clock();

    SchedulerMetrics metrics();

    /** The loop's event sink; callers send events only while {@link #leading()}. */
    EventSink events();

    /** Whether this replica leads (and so decides, binds and writes events). */
    boolean leading();

    /** Whether {@code pod} names this scheduler. */
    boolean isOurs(PodInfo pod);

    /** Runs {@code onLoop} on the loop thread, in order with the informer events; any thread. */
    void post(Runnable onLoop);

    // ---------------------------------------------------------------- the queue

    /** Takes a waiting pod out of the queue into the attempt under way (null when it is not waiting). */
    QueuedPod claim(PodKey key);

    /** The pod as the queue holds it (waiting or in flight), or null. */
    PodInfo queuedPod(PodKey key);

    void retryNow(QueuedPod entry);

    void retryAfterBackoff(QueuedPod entry);

    /** Back to the unschedulable pool, waiting for a change as after its last attempt. */
    void unschedulableAgain(QueuedPod entry);

    /** Pods waiting for {@code event} move back to the active queue. */
    void onClusterEvent(ClusterEventType event);

    // ---------------------------------------------------------------- the attempt under way

    /**
     * A sibling {@link #claim claimed} into the attempt: if the attempt fails with an internal error,
     * it backs off with the popped pod.
     */
    void joinAttempt(QueuedPod claimed);

    /**
     * The attempt may assume {@code key} in the state (a member, a placeholder): if it fails with an
     * internal error the assumption is undone, unless a {@link ReservePlugin} keeps it.
     */
    void mayAssume(PodKey key);

    /** {@code count} more placement attempts (for the loop's counters). */
    void countAttempts(int count);

    /**
     * {@code pod} is assumed on {@code nodeName}: the attempt succeeded and the bind goes out (its
     * result comes back to the loop like any other).
     */
    void bind(PodInfo pod, String nodeName, long attemptNanos);

    /**
     * The attempt found no place: the entry waits in the unschedulable pool for one of
     * {@code helpful}, and the pod is told {@code message} (event and condition) while leading.
     */
    void unschedulable(QueuedPod entry, Set<ClusterEventType> helpful, String message, long attemptNanos);

    /**
     * The pod is placed on its own, as a pod with no group would be; {@code alsoHelpful} adds events
     * worth a retry beyond those of its own rejections.
     */
    void scheduleAlone(QueuedPod entry, Set<ClusterEventType> alsoHelpful);

    // ---------------------------------------------------------------- binds decided elsewhere (the extender)

    /**
     * Assumes {@code pod} on {@code nodeName} when it passes every filter there; else says why not
     * (the node unknown included). Nothing is assumed on refusal.
     */
    String assumeIfFits(PodInfo pod, String nodeName);

    /**
     * Sends the bind of an assumed pod whose node kube-scheduler chose and completes {@code answer}
     * with its result; on failure the assumption is forgotten and {@code onFailure} (may be null) runs
     * on the loop thread first.
     */
    void sendExternalBind(PodInfo pod, String nodeName, CompletableFuture<ExtenderBindResult> answer,
                          Runnable onFailure);

    // ---------------------------------------------------------------- preemption

    /**
     * Makes room for {@code preemptors} (one pod, or the pending members of a gang, placed together)
     * by evicting lower-priority pods, whole gangs where a victim belongs to one (see
     * {@link PostFilterPlugin#mustGoWith}); sends the evictions and the nominations and reports them.
     * Empty when no set of victims makes them all fit, or when preemption is not configured. Holding
     * the room for a group until its victims are gone is the caller's.
     */
    default Optional<PreemptionPlan> preemptFor(List<PodInfo> preemptors, String why) {
        return Optional.empty();
    }
}
