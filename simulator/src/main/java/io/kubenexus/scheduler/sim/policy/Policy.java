package io.kubenexus.scheduler.sim.policy;

import io.kubenexus.scheduler.gang.group.GangSettings;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.config.ScoringStrategy;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.core.plugins.NodeAffinity;
import io.kubenexus.scheduler.core.plugins.NodeResourcesFit;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.plugins.TaintToleration;
import io.kubenexus.scheduler.core.plugins.WeightedScorePlugin;
import io.kubenexus.scheduler.numa.NumaPlugins;
import io.kubenexus.scheduler.numa.NumaSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One way of scheduling that a simulation runs: a name for the report and the configuration the
 * scheduling loop is built with. {@link #DEFAULT} is what the scheduler ships (or what
 * {@code --config} says); the baselines are simple policies to compare it with, run through the
 * same loop and plugins with only the scoring changed.
 *
 * @param extraScore a score plugin the policy adds to the profile (the simulator's own baselines),
 *                   or null
 */
public record Policy(String name, SchedulerSettings settings, GangSettings gang, NumaSettings numa,
                     Function<SchedulerSettings, WeightedScorePlugin> extraScore) {
    public static final String DEFAULT = "default";
    public static final String LEAST_ALLOCATED = "LeastAllocated";
    public static final String MOST_ALLOCATED = "MostAllocated";
    public static final String BEST_FIT_GPU = BestFitGpu.NAME;
    public static final List<String> BASELINES = List.of(LEAST_ALLOCATED, MOST_ALLOCATED, BEST_FIT_GPU);
    /** The baselines weigh these resources alike in NodeResourcesFit. */
    public static final Map<String, Integer> BASELINE_RESOURCE_WEIGHTS =
            Map.of(ResourceNames.CPU, 1, ResourceNames.MEMORY, 1, ResourceNames.NVIDIA_GPU, 1);

    public Policy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(gang, "gang");
        Objects.requireNonNull(numa, "numa");
    }

    public static Policy of(String name, SchedulerSettings settings, GangSettings gang, NumaSettings numa) {
        return new Policy(name, settings, gang, numa, null);
    }

    /** The profile factory the loop and the gang planner use, as {@code run} builds it, plus {@link #extraScore}. */
    public SchedulingProfile.Factory profiles() {
        SchedulingProfile.Factory base = NumaPlugins.profiles(numa);
        if (extraScore == null) {
            return base;
        }
        return scheduling -> base.create(scheduling).with(null, extraScore.apply(scheduling));
    }

    /**
     * A baseline by name, built from {@code base} (its scheduler name, backoff, gang and NUMA
     * settings): only kube-scheduler's score plugins at their default weights (any other plugin of
     * the default profile, such as one our default adds, at 0) and the baseline's scoring.
     */
    public static Policy baseline(String name, Policy base) {
        SchedulerSettings plain = new SchedulerSettings(base.settings.schedulerName(), ScoringStrategy.LEAST_ALLOCATED,
                BASELINE_RESOURCE_WEIGHTS, kubeSchedulerWeights(1), base.settings.percentageOfNodesToScore(),
                base.settings.podInitialBackoff(), base.settings.podMaxBackoff(),
                base.settings.podMaxInUnschedulablePods(), base.settings.gpuFragmentation());
        return switch (name) {
            case LEAST_ALLOCATED -> new Policy(name, plain, base.gang, base.numa, null);
            case MOST_ALLOCATED -> new Policy(name, plain.withScoring(ScoringStrategy.MOST_ALLOCATED,
                    BASELINE_RESOURCE_WEIGHTS), base.gang, base.numa, null);
            case BEST_FIT_GPU -> new Policy(name, withPluginWeights(plain, kubeSchedulerWeights(0)), base.gang,
                    base.numa, settings -> new WeightedScorePlugin(new BestFitGpu(), 1));
            default -> throw new IllegalArgumentException("unknown policy '" + name + "' (known: " + DEFAULT + ", "
                    + String.join(", ", BASELINES) + ")");
        };
    }

    /** The same policy under another name with other scoring; null values keep what it has. */
    public Policy withScoring(String newName, ScoringStrategy strategy, Map<String, Integer> resourceWeights,
                              Map<String, Integer> pluginWeights) {
        Map<String, Integer> plugins = new LinkedHashMap<>(settings.pluginWeights());
        if (pluginWeights != null) {
            plugins.putAll(pluginWeights);
        }
        Map<String, Integer> resources = new LinkedHashMap<>(settings.resourceWeights());
        if (resourceWeights != null) {
            resources.putAll(resourceWeights);
        }
        SchedulerSettings changed = withPluginWeights(settings.withScoring(
                strategy == null ? settings.scoringStrategy() : strategy, resources), plugins);
        return new Policy(newName, changed, gang, numa, extraScore);
    }

    private static SchedulerSettings withPluginWeights(SchedulerSettings s, Map<String, Integer> weights) {
        return s.withPluginWeights(weights);
    }

    /** kube-scheduler's default score weights, NodeResourcesFit at {@code fitWeight}, any other default plugin at 0. */
    private static Map<String, Integer> kubeSchedulerWeights(int fitWeight) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        for (String plugin : SchedulingProfile.DEFAULT_SCORE_PLUGINS) {
            weights.put(plugin, 0);
        }
        weights.put(TaintToleration.NAME, SchedulingProfile.DEFAULT_TAINT_TOLERATION_WEIGHT);
        weights.put(NodeAffinity.NAME, SchedulingProfile.DEFAULT_NODE_AFFINITY_WEIGHT);
        weights.put(NodeResourcesFit.NAME, fitWeight);
        return weights;
    }
}
