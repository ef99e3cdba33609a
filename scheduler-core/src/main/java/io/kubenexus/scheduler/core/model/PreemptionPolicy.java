package io.kubenexus.scheduler.core.model;

/** {@code spec.preemptionPolicy}: whether a pod that fits nowhere may evict lower-priority pods. */
public enum PreemptionPolicy {
    PREEMPT_LOWER_PRIORITY("PreemptLowerPriority"),
    NEVER("Never");

    private final String apiName;

    PreemptionPolicy(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    /** The API's default when the field is absent is PreemptLowerPriority. */
    public static PreemptionPolicy fromApiName(String name) {
        if (name == null || name.isEmpty()) {
            return PREEMPT_LOWER_PRIORITY;
        }
        for (PreemptionPolicy policy : values()) {
            if (policy.apiName.equals(name)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("unknown preemption policy \"" + name
                + "\" (PreemptLowerPriority or Never)");
    }
}
