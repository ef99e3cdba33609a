package io.kubenexus.scheduler.core.plugins;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.framework.FilterPlugin;
import io.kubenexus.scheduler.core.framework.PreFilterPlugin;
import io.kubenexus.scheduler.core.framework.ScorePlugin;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The plugins a scheduling cycle runs, in order: prefilters, then filters (a node is reported only
 * under the first filter that rejects it, so the order shapes the messages users read), then
 * weighted score plugins.
 *
 * <p>Plugins hold scratch state: a profile belongs to one scheduling loop and is used on its thread
 * only. Build one per loop.
 */
public record SchedulingProfile(List<PreFilterPlugin> preFilters, List<FilterPlugin> filters,
                                List<WeightedScorePlugin> scores) {
    public static final int DEFAULT_TAINT_TOLERATION_WEIGHT = 3;
    public static final int DEFAULT_NODE_AFFINITY_WEIGHT = 2;
    public static final int DEFAULT_NODE_RESOURCES_FIT_WEIGHT = 1;
    public static final int DEFAULT_INTER_POD_AFFINITY_WEIGHT = 2;
    public static final int DEFAULT_POD_TOPOLOGY_SPREAD_WEIGHT = 2;
    /** Chosen with the simulator on the Alibaba trace: see docs/gpu-fragmentation.md. */
    public static final int DEFAULT_GPU_FRAGMENTATION_WEIGHT = 30;
    /** Names {@code settings.pluginWeights} may set for {@link #defaults}; for validating configuration. */
    public static final List<String> DEFAULT_SCORE_PLUGINS =
            List.of(TaintToleration.NAME, NodeAffinity.NAME, NodeResourcesFit.NAME, PodTopologySpread.NAME,
                    InterPodAffinity.NAME, GpuFragmentation.NAME);

    public SchedulingProfile {
        preFilters = List.copyOf(preFilters);
        filters = List.copyOf(filters);
        scores = List.copyOf(scores);
    }

    /**
     * kube-scheduler's default plugins in its order (PodTopologySpread and InterPodAffinity filter last,
     * after the node's own fit), with its default score weights unless
     * {@code settings.pluginWeights} overrides them, then {@link GpuFragmentation} (a pre-filter that
     * records the workload, and a score); a weight of 0 leaves the score plugin out (for
     * GpuFragmentation, its pre-filter too).
     */
    public static SchedulingProfile defaults(SchedulerSettings settings) {
        Objects.requireNonNull(settings, "settings");
        TaintToleration taintToleration = new TaintToleration();
        NodeAffinity nodeAffinity = new NodeAffinity();
        NodeResourcesFit resourcesFit = new NodeResourcesFit(settings.scoringStrategy(), settings.resourceWeights());
        PodTopologySpread topologySpread = new PodTopologySpread(settings.interPod());
        InterPodAffinity interPodAffinity = new InterPodAffinity(settings.interPod().hardPodAffinityWeight());

        int fragmentationWeight = settings.pluginWeight(GpuFragmentation.NAME, DEFAULT_GPU_FRAGMENTATION_WEIGHT);
        GpuFragmentation fragmentation = fragmentationWeight > 0 ? new GpuFragmentation(settings.gpuFragmentation()) : null;

        List<PreFilterPlugin> preFilters = fragmentation == null ? List.of(new UnsupportedConstraints())
                : List.of(new UnsupportedConstraints(), fragmentation);
        List<FilterPlugin> filters = List.of(new NodeUnschedulable(), new NodeName(), taintToleration, nodeAffinity,
                new NodePorts(), resourcesFit, topologySpread, interPodAffinity);
        List<WeightedScorePlugin> scores = new ArrayList<>(6);
        addScore(scores, taintToleration, settings.pluginWeight(TaintToleration.NAME, DEFAULT_TAINT_TOLERATION_WEIGHT));
        addScore(scores, nodeAffinity, settings.pluginWeight(NodeAffinity.NAME, DEFAULT_NODE_AFFINITY_WEIGHT));
        addScore(scores, resourcesFit, settings.pluginWeight(NodeResourcesFit.NAME, DEFAULT_NODE_RESOURCES_FIT_WEIGHT));
        addScore(scores, topologySpread,
                settings.pluginWeight(PodTopologySpread.NAME, DEFAULT_POD_TOPOLOGY_SPREAD_WEIGHT));
        addScore(scores, interPodAffinity,
                settings.pluginWeight(InterPodAffinity.NAME, DEFAULT_INTER_POD_AFFINITY_WEIGHT));
        if (fragmentation != null) {
            addScore(scores, fragmentation, fragmentationWeight);
        }
        return new SchedulingProfile(preFilters, filters, scores);
    }

    /**
     * This profile with {@code filter} run after the others (so nodes they reject are reported under
     * them) and {@code score} added when its weight is positive; either may be null.
     */
    public SchedulingProfile with(FilterPlugin filter, WeightedScorePlugin score) {
        List<FilterPlugin> moreFilters = new ArrayList<>(filters);
        if (filter != null) {
            moreFilters.add(filter);
        }
        List<WeightedScorePlugin> moreScores = new ArrayList<>(scores);
        if (score != null && score.weight() > 0) {
            moreScores.add(score);
        }
        return new SchedulingProfile(preFilters, moreFilters, moreScores);
    }

    /**
     * Builds a fresh profile for given settings. Plugins hold scratch state, so the loop and the
     * gang planner each get their own from the same factory.
     */
    @FunctionalInterface
    public interface Factory {
        SchedulingProfile create(SchedulerSettings settings);
    }

    private static void addScore(List<WeightedScorePlugin> scores, ScorePlugin plugin, int weight) {
        if (weight > 0) {
            scores.add(new WeightedScorePlugin(plugin, weight));
        }
    }
}
