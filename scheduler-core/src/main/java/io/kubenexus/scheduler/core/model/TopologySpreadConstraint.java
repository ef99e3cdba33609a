package io.kubenexus.scheduler.core.model;

import java.util.Objects;

/**
 * One {@code topologySpreadConstraints} entry. {@code matchLabelKeys} is already merged into
 * {@code selector} by the translator (key In the pod's value), as kube-scheduler merges it.
 *
 * @param selector            the pods counted; null counts none (the API's "no selector")
 * @param minDomains          the least number of eligible domains, or null; only with DoNotSchedule
 * @param nodeAffinityPolicy  whether nodes the pod's node selector and affinity exclude are counted
 *                            (Honor, the default) or not
 * @param nodeTaintsPolicy    whether nodes with taints the pod does not tolerate are left out (Honor)
 *                            or counted (Ignore, the default)
 */
public record TopologySpreadConstraint(int maxSkew, String topologyKey, boolean doNotSchedule, LabelSelector selector,
                                       Integer minDomains, NodeInclusionPolicy nodeAffinityPolicy,
                                       NodeInclusionPolicy nodeTaintsPolicy) {
    public TopologySpreadConstraint {
        Objects.requireNonNull(topologyKey, "topologyKey");
        nodeAffinityPolicy = nodeAffinityPolicy == null ? NodeInclusionPolicy.HONOR : nodeAffinityPolicy;
        nodeTaintsPolicy = nodeTaintsPolicy == null ? NodeInclusionPolicy.IGNORE : nodeTaintsPolicy;
    }
}
