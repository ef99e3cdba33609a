package io.kubenexus.scheduler.core.model;

/** The effect of a node taint, as in the Kubernetes API. */
public enum TaintEffect {
    NO_SCHEDULE("NoSchedule"),
    PREFER_NO_SCHEDULE("PreferNoSchedule"),
    NO_EXECUTE("NoExecute");

    private final String apiName;

    TaintEffect(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    /** Parses the API spelling; throws IllegalArgumentException naming the bad value. */
    public static TaintEffect fromApiName(String name) {
        for (TaintEffect effect : values()) {
            if (effect.apiName.equals(name)) {
                return effect;
            }
        }
        throw new IllegalArgumentException("unknown taint effect '" + name + "'");
    }

    /** Whether the scheduler must not place an intolerant pod (PreferNoSchedule is only scored). */
    public boolean isHard() {
        return this != PREFER_NO_SCHEDULE;
    }
}
