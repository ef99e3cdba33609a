package io.kubenexus.scheduler.numa;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What a pod asks of NUMA placement with the annotation {@code numa.scheduling.kubenexus.io/policy}.
 * Each applies to the pod's listed resources ({@link NumaRequest#resources()}), counted in the
 * scheduler's own per-zone accounting of the node's free amounts.
 */
public enum NumaPolicy {
    /** Every listed resource from one and the same zone; nodes where no zone holds them all are filtered out. */
    SINGLE_NUMA("single-numa", true),
    /**
     * The fewest zones that can hold the request, as the kubelet's {@code restricted} policy accepts:
     * for each listed resource, the smallest number of zones that could hold it on an empty node;
     * a set of exactly that many zones must hold every listed resource now.
     */
    RESTRICTED("restricted", true),
    /** A preference only: nodes and zones that align score higher; no node is filtered out. */
    BEST_EFFORT("best-effort", false),
    /**
     * Like {@link #SINGLE_NUMA}, in a zone no other aligned pod uses, and no aligned pod we place
     * joins that zone while this pod holds it.
     */
    ISOLATED("isolated", true);

    private final String apiName;
    private final boolean required;

    NumaPolicy(String apiName, boolean required) {
        this.apiName = apiName;
        this.required = required;
    }

    /** The annotation value, e.g. {@code single-numa}. */
    public String apiName() {
        return apiName;
    }

    /** Whether a node that cannot align the pod is filtered out (all but {@link #BEST_EFFORT}). */
    public boolean isRequired() {
        return required;
    }

    /** Whether the listed resources must come from a single zone. */
    public boolean isSingleZone() {
        return this == SINGLE_NUMA || this == ISOLATED;
    }

    /**
     * Parses the annotation value.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static NumaPolicy fromApiName(String name) {
        for (NumaPolicy policy : values()) {
            if (policy.apiName.equals(name)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("unknown NUMA policy '" + name + "', expected one of "
                + Arrays.stream(values()).map(NumaPolicy::apiName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return apiName;
    }
}
