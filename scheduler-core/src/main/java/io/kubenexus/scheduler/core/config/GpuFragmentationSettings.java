package io.kubenexus.scheduler.core.config;

/**
 * The GPU fragmentation score's view of the workload (see docs/gpu-fragmentation.md). Validated when
 * built; errors name the configuration key.
 *
 * @param modelLabel node label holding the GPU model (a pod's required node affinity or nodeSelector
 *                   on it is the pod's model constraint)
 * @param window     how many recent pods the expected workload mostly reflects: each pod seen weighs
 *                   {@code 1 - 1/window} of the one after it
 * @param maxShapes  how many distinct pod shapes (GPUs, cpu, memory, models) the workload keeps; the
 *                   least weighty is dropped for a new one. Bounds the cost per node scored.
 */
public record GpuFragmentationSettings(String modelLabel, int window, int maxShapes) {
    public static final String DEFAULT_MODEL_LABEL = "nvidia.com/gpu.product";
    public static final int DEFAULT_WINDOW = 1000;
    public static final int DEFAULT_MAX_SHAPES = 64;

    public GpuFragmentationSettings {
        if (modelLabel == null || modelLabel.isBlank()) {
            throw new IllegalArgumentException("scoring.gpuFragmentation.modelLabel: must not be empty");
        }
        if (window < 1 || window > 1_000_000) {
            throw new IllegalArgumentException("scoring.gpuFragmentation.window: must be 1..1000000, was " + window);
        }
        if (maxShapes < 1 || maxShapes > 1024) {
            throw new IllegalArgumentException("scoring.gpuFragmentation.maxShapes: must be 1..1024, was " + maxShapes);
        }
    }

    public static GpuFragmentationSettings defaults() {
        return new GpuFragmentationSettings(DEFAULT_MODEL_LABEL, DEFAULT_WINDOW, DEFAULT_MAX_SHAPES);
    }
}
