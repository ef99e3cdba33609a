package io.kubenexus.scheduler.core.model;

/** Whether a topology spread constraint counts only nodes the pod could use (Honor) or all (Ignore). */
public enum NodeInclusionPolicy {
    HONOR("Honor"),
    IGNORE("Ignore");

    private final String apiName;

    NodeInclusionPolicy(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    /** @throws IllegalArgumentException for a name the API does not define */
    public static NodeInclusionPolicy fromApiName(String name) {
        for (NodeInclusionPolicy policy : values()) {
            if (policy.apiName.equals(name)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("unknown node inclusion policy \"" + name + "\" (Honor or Ignore)");
    }
}
