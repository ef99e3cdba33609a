package io.kubenexus.scheduler.core.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The scheduling behaviour a replica runs with. Validated when built: a bad value throws
 * {@link IllegalArgumentException} naming the configuration key, so a bad config fails start-up,
 * never a scheduling cycle.
 *
 * @param schedulerName                pods whose spec.schedulerName equals this are ours
 * @param scoringStrategy              NodeResourcesFit scoring
 * @param resourceWeights              weight per resource name in NodeResourcesFit scoring
 * @param pluginWeights                weight per score plugin name
 * @param percentageOfNodesToScore     1..100; 100 scores every feasible node
 * @param podInitialBackoff            first retry delay after a failed attempt
 * @param podMaxBackoff                cap of the exponential backoff
 * @param podMaxInUnschedulablePods    an unschedulable pod is retried after this even with no
 *                                     helpful cluster event (kube-scheduler: 5 minutes)
 * @param gpuFragmentation             the GPU fragmentation score's workload window and model label
 * @param interPod                     inter-pod affinity's hard-affinity weight and the default spread
 */
public record SchedulerSettings(
        String schedulerName,
        ScoringStrategy scoringStrategy,
        Map<String, Integer> resourceWeights,
        Map<String, Integer> pluginWeights,
        int percentageOfNodesToScore,
        Duration podInitialBackoff,
        Duration podMaxBackoff,
        Duration podMaxInUnschedulablePods,
        GpuFragmentationSettings gpuFragmentation,
        InterPodSettings interPod) {

    public static final String DEFAULT_SCHEDULER_NAME = "kubenexus-scheduler";

    public SchedulerSettings {
        Objects.requireNonNull(scoringStrategy, "scoringStrategy");
        gpuFragmentation = gpuFragmentation == null ? GpuFragmentationSettings.defaults() : gpuFragmentation;
        interPod = interPod == null ? InterPodSettings.defaults() : interPod;
        if (schedulerName == null || schedulerName.isBlank()) {
            throw new IllegalArgumentException("schedulerName: must not be empty");
        }
        resourceWeights = validatedWeights("scoring.resourceWeights", resourceWeights, 1, 100);
        if (resourceWeights.isEmpty()) {
            throw new IllegalArgumentException("scoring.resourceWeights: must name at least one resource");
        }
        pluginWeights = validatedWeights("scoring.pluginWeights", pluginWeights, 0, 100);
        if (percentageOfNodesToScore < 1 || percentageOfNodesToScore > 100) {
            throw new IllegalArgumentException("percentageOfNodesToScore: must be 1..100, was " + percentageOfNodesToScore);
        }
        requirePositive("backoff.initial", podInitialBackoff);
        requirePositive("backoff.max", podMaxBackoff);
        requirePositive("backoff.maxInUnschedulable", podMaxInUnschedulablePods);
        if (podMaxBackoff.compareTo(podInitialBackoff) < 0) {
            throw new IllegalArgumentException("backoff.max: must be at least backoff.initial ("
                    + podInitialBackoff + "), was " + podMaxBackoff);
        }
    }

    /** Settings with the default {@link InterPodSettings}. */
    public SchedulerSettings(String schedulerName, ScoringStrategy scoringStrategy, Map<String, Integer> resourceWeights,
                             Map<String, Integer> pluginWeights, int percentageOfNodesToScore,
                             Duration podInitialBackoff, Duration podMaxBackoff, Duration podMaxInUnschedulablePods,
                             GpuFragmentationSettings gpuFragmentation) {
        this(schedulerName, scoringStrategy, resourceWeights, pluginWeights, percentageOfNodesToScore,
                podInitialBackoff, podMaxBackoff, podMaxInUnschedulablePods, gpuFragmentation, null);
    }

    /**
     * kube-scheduler's defaults, with every feasible node scored, except the NodeResourcesFit
     * strategy: MostAllocated, which packs (with the GpuFragmentation score it leaves fewer GPUs
     * stranded than LeastAllocated on every mix measured in docs/gpu-fragmentation.md).
     */
    public static SchedulerSettings defaults() {
        return new SchedulerSettings(DEFAULT_SCHEDULER_NAME, ScoringStrategy.MOST_ALLOCATED,
                Map.of("cpu", 1, "memory", 1), Map.of(), 100,
                Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(5),
                GpuFragmentationSettings.defaults());
    }

    /** The configured weight of a score plugin, or its default. */
    public int pluginWeight(String plugin, int defaultWeight) {
        return pluginWeights.getOrDefault(plugin, defaultWeight);
    }

    public SchedulerSettings withSchedulerName(String name) {
        return new SchedulerSettings(name, scoringStrategy, resourceWeights, pluginWeights, percentageOfNodesToScore,
                podInitialBackoff, podMaxBackoff, podMaxInUnschedulablePods, gpuFragmentation, interPod);
    }

    public SchedulerSettings withScoring(ScoringStrategy strategy, Map<String, Integer> weights) {
        return new SchedulerSettings(schedulerName, strategy, weights, pluginWeights, percentageOfNodesToScore,
                podInitialBackoff, podMaxBackoff, podMaxInUnschedulablePods, gpuFragmentation, interPod);
    }

    public SchedulerSettings withPercentageOfNodesToScore(int percentage) {
        return new SchedulerSettings(schedulerName, scoringStrategy, resourceWeights, pluginWeights, percentage,
                podInitialBackoff, podMaxBackoff, podMaxInUnschedulablePods, gpuFragmentation, interPod);
    }

    public SchedulerSettings withBackoff(Duration initial, Duration max) {
        return new SchedulerSettings(schedulerName, scoringStrategy, resourceWeights, pluginWeights,
                percentageOfNodesToScore, initial, max, podMaxInUnschedulablePods, gpuFragmentation, interPod);
    }

    public SchedulerSettings withPluginWeights(Map<String, Integer> weights) {
        return new SchedulerSettings(schedulerName, scoringStrategy, resourceWeights, weights, percentageOfNodesToScore,
                podInitialBackoff, podMaxBackoff, podMaxInUnschedulablePods, gpuFragmentation, interPod);
    }

    public SchedulerSettings withGpuFragmentation(GpuFragmentationSettings settings) {
        return new SchedulerSettings(schedulerName, scoringStrategy, resourceWeights, pluginWeights,
                percentageOfNodesToScore, podInitialBackoff, podMaxBackoff, podMaxInUnschedulablePods, settings, interPod);
    }

    public SchedulerSettings withInterPod(InterPodSettings settings) {
        return new SchedulerSettings(schedulerName, scoringStrategy, resourceWeights, pluginWeights,
                percentageOfNodesToScore, podInitialBackoff, podMaxBackoff, podMaxInUnschedulablePods,
                gpuFragmentation, settings);
    }

    private static Map<String, Integer> validatedWeights(String key, Map<String, Integer> weights, int min, int max) {
        if (weights == null) {
            return Map.of();
        }
        Map<String, Integer> copy = new LinkedHashMap<>();
        weights.forEach((name, weight) -> {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException(key + ": names must not be empty");
            }
            if (weight == null || weight < min || weight > max) {
                throw new IllegalArgumentException(key + "." + name + ": must be " + min + ".." + max + ", was " + weight);
            }
            copy.put(name, weight);
        });
        return Map.copyOf(copy);
    }

    private static void requirePositive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + ": must be a positive duration, was " + value);
        }
    }
}
