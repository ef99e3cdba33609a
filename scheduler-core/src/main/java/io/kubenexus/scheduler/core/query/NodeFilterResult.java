package io.kubenexus.scheduler.core.query;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The extender's filter answer for one pod over the nodes kube-scheduler named, each list or map in
 * the order of the request.
 *
 * @param feasible               nodes that pass every filter
 * @param failed                 rejected nodes that evicting other pods could make acceptable
 *                               (kube-scheduler's {@code FailedNodes}), with the first rejecting
 *                               filter's reason, e.g. {@code "Insufficient cpu"}; a node unknown to
 *                               this scheduler is here too
 * @param failedAndUnresolvable  rejected nodes no eviction can fix ({@code FailedAndUnresolvableNodes}):
 *                               node name, cordon, taints, node affinity, an unsupported constraint,
 *                               a NUMA topology that can never align
 */
public record NodeFilterResult(List<String> feasible, Map<String, String> failed,
                               Map<String, String> failedAndUnresolvable) {
    /** The reason given for a node name the cluster state does not know. */
    public static final String UNKNOWN_NODE = "node(s) unknown to kubenexus-scheduler";

    public NodeFilterResult {
        feasible = List.copyOf(feasible);
        failed = Collections.unmodifiableMap(new LinkedHashMap<>(failed));
        failedAndUnresolvable = Collections.unmodifiableMap(new LinkedHashMap<>(failedAndUnresolvable));
    }
}
