package io.kubenexus.scheduler.numa;

import io.kubenexus.scheduler.core.plugins.SchedulingProfile;

/** Adds the NUMA filter and score to a profile (being written). */
public final class NumaPlugins {
    private NumaPlugins() {
    }

    /** The default profile plus NUMA filtering and scoring as {@code settings} say. */
    public static SchedulingProfile.Factory profiles(NumaSettings settings) {
        return SchedulingProfile::defaults;
    }
}
