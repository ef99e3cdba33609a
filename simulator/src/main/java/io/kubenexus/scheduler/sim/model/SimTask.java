package io.kubenexus.scheduler.sim.model;

import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.ResourceNames;
import java.util.List;
import java.util.Objects;

/**
 * One pod of a workload with its place in time.
 *
 * @param pod              the pending pod as the scheduler sees it (its {@code createdAt} is its arrival)
 * @param arrivalSeconds   seconds from the start of the workload when the pod is created
 * @param departureSeconds seconds from the start when the pod is deleted (bound or not), or
 *                         {@link #NEVER}
 * @param sharedGpuRounded the source asked for a fraction of one GPU, rounded up to one whole GPU
 * @param followers        pods created once this one is bound (a Spark driver's executors), in order;
 *                         they arrive at the driver's bind and depart with it
 */
public record SimTask(PodInfo pod, long arrivalSeconds, long departureSeconds, boolean sharedGpuRounded,
                      List<PodInfo> followers) {
    public static final long NEVER = Long.MAX_VALUE;

    public SimTask {
        Objects.requireNonNull(pod, "pod");
        if (arrivalSeconds < 0) {
            throw new IllegalArgumentException(pod.key() + ": arrival must not be negative, was " + arrivalSeconds);
        }
        if (departureSeconds < arrivalSeconds) {
            throw new IllegalArgumentException(pod.key() + ": departure (" + departureSeconds
                    + ") must not be before arrival (" + arrivalSeconds + ")");
        }
        followers = followers == null ? List.of() : List.copyOf(followers);
    }

    public SimTask(PodInfo pod, long arrivalSeconds, long departureSeconds, boolean sharedGpuRounded) {
        this(pod, arrivalSeconds, departureSeconds, sharedGpuRounded, List.of());
    }

    /** Whole GPUs the pod requests (the followers not included). */
    public long gpus() {
        return pod.requests().get(ResourceNames.NVIDIA_GPU);
    }
}
