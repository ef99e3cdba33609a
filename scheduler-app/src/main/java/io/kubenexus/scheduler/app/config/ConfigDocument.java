package io.kubenexus.scheduler.app.config;

import java.util.Map;

/**
 * The configuration file exactly as written, before validation: what Jackson binds the YAML to.
 * Every component is nullable (a missing key takes its default); durations and the strategy stay
 * strings here so that {@link SchedulerConfig} can reject a bad value with the key's name and a
 * hint instead of a Jackson type error. The component names are the file's keys.
 */
record ConfigDocument(
        String schedulerName,
        Scoring scoring,
        Integer percentageOfNodesToScore,
        Backoff backoff,
        LeaderElection leaderElection,
        Binding binding,
        Events events,
        Gang gang,
        Numa numa,
        Preemption preemption,
        Http http,
        Extender extender,
        Metrics metrics,
        Logging logging,
        InterPodAffinity interPodAffinity,
        TopologySpread topologySpread) {

    record InterPodAffinity(Integer hardPodAffinityWeight) {
    }

    record TopologySpread(String defaultingType, java.util.List<SpreadConstraint> defaultConstraints) {
    }

    record SpreadConstraint(Integer maxSkew, String topologyKey, String whenUnsatisfiable, Integer minDomains,
                            String nodeAffinityPolicy, String nodeTaintsPolicy) {
    }

    record Scoring(String strategy, Map<String, Integer> resourceWeights, Map<String, Integer> pluginWeights,
                   GpuFragmentation gpuFragmentation) {
    }

    record GpuFragmentation(String modelLabel, Integer window, Integer maxShapes) {
    }

    record Backoff(String initial, String max, String maxInUnschedulable) {
    }

    record LeaderElection(Boolean enabled, String namespace, String leaseName, String identity,
                          String leaseDuration, String renewDeadline, String retryPeriod, String onLostLease) {
    }

    record Binding(Integer parallelism) {
    }

    record Events(String aggregationInterval) {
    }

    record Gang(String reservationTtl, Starvation starvation) {
    }

    /** {@code gang.starvation}: waits per priority as Go durations, keyed by the lowest priority they apply to. */
    record Starvation(String after, Map<String, String> afterByPriority) {
    }

    record Numa(Boolean enabled, String zoneScoring, Integer weight) {
    }

    record Preemption(Boolean enabled, String nominationTimeout) {
    }

    record Http(Integer port, String bindAddress, String extenderPrefix, Tls tls, Long maxBodyBytes, Boolean clusterPage) {
    }

    record Tls(String certFile, String keyFile) {
    }

    record Extender(String bindHoldLimit) {
    }

    record Metrics(String nodePoolLabel, Integer maxNodePools) {
    }

    /** {@code level} stays a map of strings so that a bad level is refused with its logger's key. */
    record Logging(String format, Map<String, String> level) {
    }
}
