package io.kubenexus.scheduler.numa;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * NUMA placement settings.
 *
 * @param enabled     whether the NUMA filter and score run at all (off: topology is ignored, pods with
 *                    a NUMA policy are placed as if they had none)
 * @param zoneScoring within the zones that align, pack pods into the fullest ({@code pack}, leaving
 *                    whole zones free for large pods) or spread them over the emptiest ({@code spread})
 * @param weight      the NUMA score's weight beside the other score plugins; 0 turns scoring off
 *                    (filtering stays)
 */
public record NumaSettings(boolean enabled, ZoneScoring zoneScoring, int weight) {
    /** The score plugin's name, as {@code pluginWeights} in the configuration calls it. */
    public static final String PLUGIN_NAME = "NumaTopology";
    public static final int DEFAULT_WEIGHT = 3;

    public NumaSettings {
        if (zoneScoring == null) {
            throw new IllegalArgumentException("zoneScoring must be set");
        }
        if (weight < 0 || weight > 100) {
            throw new IllegalArgumentException("NUMA score weight must be in 0..100, got " + weight);
        }
    }

    public static NumaSettings defaults() {
        return new NumaSettings(true, ZoneScoring.PACK, DEFAULT_WEIGHT);
    }

    public NumaSettings withZoneScoring(ZoneScoring scoring) {
        return new NumaSettings(enabled, scoring, weight);
    }

    public NumaSettings withWeight(int newWeight) {
        return new NumaSettings(enabled, zoneScoring, newWeight);
    }

    public NumaSettings withEnabled(boolean on) {
        return new NumaSettings(on, zoneScoring, weight);
    }

    /** How pods are placed among the zones that can hold them. */
    public enum ZoneScoring {
        PACK("pack"), SPREAD("spread");

        private final String apiName;

        ZoneScoring(String apiName) {
            this.apiName = apiName;
        }

        public String apiName() {
            return apiName;
        }

        /** @throws IllegalArgumentException naming the value and the accepted ones */
        public static ZoneScoring fromApiName(String name) {
            for (ZoneScoring scoring : values()) {
                if (scoring.apiName.equals(name)) {
                    return scoring;
                }
            }
            throw new IllegalArgumentException("unknown zone scoring '" + name + "', expected one of "
                    + Arrays.stream(values()).map(ZoneScoring::apiName).collect(Collectors.joining(", ")));
        }

        @Override
        public String toString() {
            return apiName;
        }
    }
}
