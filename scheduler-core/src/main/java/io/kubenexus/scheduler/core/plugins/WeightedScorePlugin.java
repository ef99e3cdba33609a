package io.kubenexus.scheduler.core.plugins;

import io.kubenexus.scheduler.core.framework.ScorePlugin;
import java.util.Objects;

/**
 * A score plugin and the weight its normalized scores are multiplied by. A disabled plugin is left
 * out of the profile rather than weighted 0, so the loop never runs it.
 */
public record WeightedScorePlugin(ScorePlugin plugin, int weight) {
    public WeightedScorePlugin {
        Objects.requireNonNull(plugin, "plugin");
        if (weight < 1) {
            throw new IllegalArgumentException(
                    "scoring.pluginWeights." + plugin.name() + ": must be at least 1, was " + weight);
        }
    }
}
