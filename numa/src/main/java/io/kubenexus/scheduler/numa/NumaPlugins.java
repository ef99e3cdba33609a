package io.kubenexus.scheduler.numa;

import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.plugins.WeightedScorePlugin;

/** Adds the NUMA filter and score to kube-scheduler's default profile. */
public final class NumaPlugins {
    private NumaPlugins() {
    }

    /**
     * The default profile plus, when {@code settings} enable NUMA, the {@link NumaTopology} filter
     * (after the others, so a node short of cpu is reported as such, not as misaligned) and its score
     * at {@code settings.weight()}. Each call builds fresh plugins (they hold scratch arrays).
     */
    public static SchedulingProfile.Factory profiles(NumaSettings settings) {
        return scheduling -> {
            SchedulingProfile base = SchedulingProfile.defaults(scheduling);
            if (!settings.enabled()) {
                return base;
            }
            NumaTopology plugin = new NumaTopology(settings);
            return base.with(plugin, settings.weight() > 0 ? new WeightedScorePlugin(plugin, settings.weight()) : null);
        };
    }
}
