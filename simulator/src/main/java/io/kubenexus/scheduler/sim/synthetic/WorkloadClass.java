package io.kubenexus.scheduler.sim.synthetic;

/** The kinds of pod {@link WorkloadGenerator} produces, each with its own size range. */
public enum WorkloadClass {
    /** Small web/API pod: 100m-1 cpu, 128Mi-1Gi. */
    WEB("web"),
    /** Small batch pod: 500m-2 cpu, 512Mi-4Gi. */
    BATCH("batch"),
    /** Medium service: 4-8 cpu, 8-32Gi. */
    MEDIUM("service"),
    /** GPU training pod: 1, 2, 4 or 8 GPUs, pinned to the GPU pool and tolerating its taint. */
    GPU_TRAINING("train"),
    /** Deliberately larger than any node (200 cpu), to exercise unschedulable reporting. */
    OVERSIZED("oversized");

    private final String label;

    WorkloadClass(String label) {
        this.label = label;
    }

    /** Lower-case name used in pod names and in the {@code kubenexus.io/workload-class} label. */
    public String label() {
        return label;
    }
}
