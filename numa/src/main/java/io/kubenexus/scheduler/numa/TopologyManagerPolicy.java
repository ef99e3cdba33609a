package io.kubenexus.scheduler.numa;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The kubelet's {@code --topology-manager-policy}, as published in the NodeResourceTopology
 * attribute {@code topologyManagerPolicy}.
 */
public enum TopologyManagerPolicy {
    /** No alignment; every pod is admitted. */
    NONE("none"),
    /** Aligns when it can, admits every pod. */
    BEST_EFFORT("best-effort"),
    /** Admits only when the merged hint is preferred (minimal zone set agreed by all resources). */
    RESTRICTED("restricted"),
    /** Admits only when every aligned resource fits one and the same NUMA zone. */
    SINGLE_NUMA_NODE("single-numa-node");

    private final String apiName;

    TopologyManagerPolicy(String apiName) {
        this.apiName = apiName;
    }

    /** The name the kubelet flag and the NRT attribute use, e.g. {@code single-numa-node}. */
    public String apiName() {
        return apiName;
    }

    /**
     * Parses the kubelet spelling.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static TopologyManagerPolicy fromApiName(String name) {
        for (TopologyManagerPolicy policy : values()) {
            if (policy.apiName.equals(name)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("unknown topologyManagerPolicy '" + name + "', expected one of "
                + Arrays.stream(values()).map(TopologyManagerPolicy::apiName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return apiName;
    }
}
