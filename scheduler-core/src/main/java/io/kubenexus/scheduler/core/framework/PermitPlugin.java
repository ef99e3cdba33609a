package io.kubenexus.scheduler.core.framework;

import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.query.ExtenderBindResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Decides whether a bind whose node was chosen elsewhere (kube-scheduler's extender bind) goes out
 * now, is held until others are ready, or is refused (kube-scheduler's Permit: allow, wait, reject).
 * Called after the loop's own checks (leading, not bound already, the node known).
 */
public interface PermitPlugin extends LifecyclePlugin {
    /**
     * Returns false to let the loop bind the pod at once when it fits there; true when the plugin
     * took the bind over: it completes {@code answer} itself, now or later (held up to
     * {@code holdLimit}), binding through {@link LoopHandle#sendExternalBind}.
     */
    boolean permit(PodInfo pod, String nodeName, Duration holdLimit, CompletableFuture<ExtenderBindResult> answer);

    /**
     * A newer bind request for the pod came in (before the loop's own checks, which may refuse it):
     * a bind of it held here is answered and dropped, so it never binds where kube-scheduler no
     * longer wants it.
     */
    default void superseded(io.kubenexus.scheduler.core.model.PodKey key) {
    }

    /** Whether a bind of the pod is held here. */
    default boolean holds(io.kubenexus.scheduler.core.model.PodKey key) {
        return false;
    }

    /** The held bind's pod, or null. */
    default PodInfo heldPod(io.kubenexus.scheduler.core.model.PodKey key) {
        return null;
    }
}
