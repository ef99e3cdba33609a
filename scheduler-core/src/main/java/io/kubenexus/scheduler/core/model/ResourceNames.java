package io.kubenexus.scheduler.core.model;

/** Canonical names of the resources the scheduler counts, as Kubernetes spells them. */
public final class ResourceNames {
    /** CPU, counted in millicores. */
    public static final String CPU = "cpu";
    /** Memory, counted in bytes. */
    public static final String MEMORY = "memory";
    /** Pod slots on a node; every pod requests one. */
    public static final String PODS = "pods";
    /** Local ephemeral storage, counted in bytes. */
    public static final String EPHEMERAL_STORAGE = "ephemeral-storage";
    /** The NVIDIA device plugin's GPU resource. */
    public static final String NVIDIA_GPU = "nvidia.com/gpu";

    private ResourceNames() {
    }
}
