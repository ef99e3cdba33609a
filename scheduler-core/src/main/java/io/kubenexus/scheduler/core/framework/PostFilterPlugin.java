package io.kubenexus.scheduler.core.framework;

import io.kubenexus.scheduler.core.loop.Decision;
import io.kubenexus.scheduler.core.model.PodInfo;
import java.util.Collection;
import java.util.List;

/**
 * Called when a pod fits nowhere (kube-scheduler's PostFilter), to make room: e.g. preemption, which
 * may nominate a node where evicting victims would let the pod fit. Also judges proposed evictions
 * (the extender's preempt verb): a plugin that keeps groups whole refuses victims that would leave
 * one partial.
 */
public interface PostFilterPlugin extends LifecyclePlugin {
    /** The node nominated for the pod once room is made there, or null when this plugin makes none. */
    default String postFilter(PodInfo pod, Decision.Unschedulable why) {
        return null;
    }

    /**
     * Why the last {@link #postFilter} for {@code pod} made no room (e.g. "not eligible due to
     * preemptionPolicy=Never"), for the FailedScheduling message after "preemption: "; null when it
     * has nothing to say. Read once, right after postFilter returned null.
     */
    default String whyNoRoom(PodInfo pod) {
        return null;
    }

    /**
     * The accounted pods that must go when {@code victim} is evicted, beside it: the rest of its gang
     * (members and the places held for them), so no preemption leaves a gang partial. Empty, the
     * default, for a pod that belongs to nothing.
     */
    default Collection<PodInfo> mustGoWith(PodInfo victim) {
        return List.of();
    }

    /** Whether evicting all of {@code victims} (pods charged to nodes) is allowed. */
    default boolean mayEvict(List<PodInfo> victims) {
        return true;
    }
}
