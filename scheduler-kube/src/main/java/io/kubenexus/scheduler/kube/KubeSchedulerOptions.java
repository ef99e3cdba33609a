package io.kubenexus.scheduler.kube;

import io.kubenexus.scheduler.numa.NumaSettings;

import io.kubenexus.scheduler.gang.group.GangSettings;
import io.kubenexus.scheduler.core.config.PreemptionSettings;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.kube.leader.LeaderElectionSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a replica needs beyond the Kubernetes client: scheduling behaviour, leader election,
 * how many bind calls may run at once, how often repeated events are folded into one write, NUMA
 * placement and preemption.
 */
public record KubeSchedulerOptions(SchedulerSettings scheduling, GangSettings gang, LeaderElectionSettings leaderElection,
                                   int bindParallelism, Duration eventAggregationInterval, String identity,
                                   NumaSettings numa, PreemptionSettings preemption) {
    public KubeSchedulerOptions {
        numa = numa == null ? NumaSettings.defaults() : numa;
        preemption = preemption == null ? PreemptionSettings.defaults() : preemption;
        Objects.requireNonNull(scheduling, "scheduling");
        Objects.requireNonNull(gang, "gang");
        Objects.requireNonNull(leaderElection, "leaderElection");
        if (bindParallelism < 1 || bindParallelism > 256) {
            throw new IllegalArgumentException("binding.parallelism: must be 1..256, was " + bindParallelism);
        }
        if (eventAggregationInterval == null || eventAggregationInterval.isNegative() || eventAggregationInterval.isZero()) {
            throw new IllegalArgumentException("events.aggregationInterval: must be positive, was " + eventAggregationInterval);
        }
        identity = identity == null || identity.isBlank() ? "kubenexus-scheduler" : identity;
    }

    /** Defaults for a single replica without leader election (tests, demo). */
    public static KubeSchedulerOptions singleReplica(SchedulerSettings scheduling) {
        return new KubeSchedulerOptions(scheduling, GangSettings.defaults(), LeaderElectionSettings.disabled(), 16,
                Duration.ofSeconds(30), "kubenexus-scheduler", NumaSettings.defaults(), PreemptionSettings.defaults());
    }

    public KubeSchedulerOptions withLeaderElection(LeaderElectionSettings election) {
        return new KubeSchedulerOptions(scheduling, gang, election, bindParallelism, eventAggregationInterval,
                election.enabled() ? election.identity() : identity, numa, preemption);
    }

    public KubeSchedulerOptions withGang(GangSettings settings) {
        return new KubeSchedulerOptions(scheduling, settings, leaderElection, bindParallelism, eventAggregationInterval,
                identity, numa, preemption);
    }

    public KubeSchedulerOptions withNuma(NumaSettings settings) {
        return new KubeSchedulerOptions(scheduling, gang, leaderElection, bindParallelism, eventAggregationInterval,
                identity, settings, preemption);
    }

    public KubeSchedulerOptions withPreemption(PreemptionSettings settings) {
        return new KubeSchedulerOptions(scheduling, gang, leaderElection, bindParallelism, eventAggregationInterval,
                identity, numa, settings);
    }
}
