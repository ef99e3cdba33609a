package io.kubenexus.scheduler.core.config;

import io.kubenexus.scheduler.core.model.TopologySpreadConstraint;
import java.util.List;

/**
 * Settings of the InterPodAffinity and PodTopologySpread plugins, validated when built (errors name
 * the configuration key).
 *
 * @param hardPodAffinityWeight weight (0..100) with which existing pods' required affinity terms score
 *                              nodes for the pods they select; kube-scheduler's default is 1
 * @param spreadDefaulting      which spread constraints pods without their own get
 * @param defaultConstraints    the constraints for {@link SpreadDefaulting#LIST}; they have no selector
 *                              (each pod counts the pods of its own controller in its namespace)
 */
public record InterPodSettings(int hardPodAffinityWeight, SpreadDefaulting spreadDefaulting,
                               List<TopologySpreadConstraint> defaultConstraints) {

    /** Where default topology spread constraints come from. */
    public enum SpreadDefaulting {
        /** None: a pod without constraints of its own is not spread. The default here. */
        NONE,
        /** {@link #SYSTEM_CONSTRAINTS}, kube-scheduler's built-in defaults. */
        SYSTEM,
        /** The configured {@code defaultConstraints}. */
        LIST
    }

    public static final String HOSTNAME = "kubernetes.io/hostname";
    public static final String ZONE = "topology.kubernetes.io/zone";

    /** kube-scheduler's system defaults: ScheduleAnyway, hostname maxSkew 3 and zone maxSkew 5. */
    public static final List<TopologySpreadConstraint> SYSTEM_CONSTRAINTS = List.of(
            new TopologySpreadConstraint(3, HOSTNAME, false, null, null, null, null),
            new TopologySpreadConstraint(5, ZONE, false, null, null, null, null));

    public InterPodSettings {
        if (hardPodAffinityWeight < 0 || hardPodAffinityWeight > 100) {
            throw new IllegalArgumentException("interPodAffinity.hardPodAffinityWeight: must be 0..100, was "
                    + hardPodAffinityWeight);
        }
        spreadDefaulting = spreadDefaulting == null ? SpreadDefaulting.NONE : spreadDefaulting;
        defaultConstraints = defaultConstraints == null ? List.of() : List.copyOf(defaultConstraints);
        if (spreadDefaulting != SpreadDefaulting.LIST && !defaultConstraints.isEmpty()) {
            throw new IllegalArgumentException("topologySpread.defaultConstraints: only with defaultingType List, was "
                    + spreadDefaulting);
        }
        for (int i = 0; i < defaultConstraints.size(); i++) {
            validate("topologySpread.defaultConstraints[" + i + "]", defaultConstraints.get(i));
        }
    }

    public static InterPodSettings defaults() {
        return new InterPodSettings(1, SpreadDefaulting.NONE, List.of());
    }

    /** The default constraints in effect (empty for {@link SpreadDefaulting#NONE}). */
    public List<TopologySpreadConstraint> effectiveDefaultConstraints() {
        return switch (spreadDefaulting) {
            case NONE -> List.of();
            case SYSTEM -> SYSTEM_CONSTRAINTS;
            case LIST -> defaultConstraints;
        };
    }

    private static void validate(String key, TopologySpreadConstraint constraint) {
        if (constraint.maxSkew() < 1) {
            throw new IllegalArgumentException(key + ".maxSkew: must be at least 1, was " + constraint.maxSkew());
        }
        if (constraint.topologyKey().isBlank()) {
            throw new IllegalArgumentException(key + ".topologyKey: must not be empty");
        }
        if (constraint.selector() != null) {
            throw new IllegalArgumentException(key + ".labelSelector: default constraints must not have one"
                    + " (each pod counts the pods of its own controller)");
        }
        if (constraint.minDomains() != null) {
            if (!constraint.doNotSchedule()) {
                throw new IllegalArgumentException(key + ".minDomains: only with whenUnsatisfiable DoNotSchedule");
            }
            if (constraint.minDomains() < 1) {
                throw new IllegalArgumentException(key + ".minDomains: must be at least 1, was "
                        + constraint.minDomains());
            }
        }
    }
}
