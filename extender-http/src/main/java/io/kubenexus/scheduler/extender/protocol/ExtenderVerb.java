package io.kubenexus.scheduler.extender.protocol;

/**
 * The four calls kube-scheduler makes to an extender, each {@code POST {urlPrefix}/{verb}}; the
 * {@link #path} is the verb to put in the KubeSchedulerConfiguration's {@code filterVerb},
 * {@code prioritizeVerb}, {@code bindVerb} and {@code preemptVerb}.
 */
public enum ExtenderVerb {
    FILTER("filter"),
    PRIORITIZE("prioritize"),
    BIND("bind"),
    PREEMPT("preempt");

    private final String path;

    ExtenderVerb(String path) {
        this.path = path;
    }

    /** The path segment under the prefix, also the verb's value in the scheduler configuration. */
    public String path() {
        return path;
    }
}
