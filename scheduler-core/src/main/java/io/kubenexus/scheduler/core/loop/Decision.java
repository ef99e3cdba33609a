package io.kubenexus.scheduler.core.loop;

import io.kubenexus.scheduler.core.framework.ClusterEventType;
import java.util.Set;

/** The outcome of one pod's scheduling attempt. */
public sealed interface Decision {

    /** The pod fits on {@code nodeName}; {@code feasibleNodes} passed every filter. */
    record Placed(int nodeIndex, String nodeName, int feasibleNodes, long score) implements Decision {
    }

    /**
     * No node fits. {@code message} is kube-scheduler's FailedScheduling text; {@code helpfulEvents}
     * are the cluster changes that may make it fit (empty when only a change of the pod can).
     */
    record Unschedulable(String message, Set<ClusterEventType> helpfulEvents, boolean unresolvable) implements Decision {
    }
}
