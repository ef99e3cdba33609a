package io.kubenexus.scheduler.sim.report;

import java.util.List;
import java.util.Map;

/**
 * The figures of one policy's replay.
 *
 * @param unallocatedGpus        GPUs of the cluster not allocated at the end of arrivals: in the
 *                               inflating replay, when arrived GPU demand reached the target share
 *                               (100% with {@code --load 1.0}); in the trace replay, at the first
 *                               failure (the cluster's GPUs left when a task first fit nowhere), or
 *                               at the peak of allocation when none failed
 * @param unallocatedGpuShare    {@code unallocatedGpus} over the cluster's GPUs, 0..1
 * @param failedTasks            tasks (pods) never bound: at the end (inflate) or before they left (trace)
 * @param failedByReason         failed tasks by the reason most nodes gave
 * @param firstFailureAtDemand   arrived GPU demand over the cluster's GPUs when the first task fit
 *                               nowhere (inflate), or its time in seconds (trace); null when none failed
 * @param unallocatedGpusAtFirstFailure GPUs free when the first task fit nowhere; null when none failed
 * @param arrivedGpuDemand       whole GPUs the arrived tasks asked for (shared GPUs rounded up)
 * @param samples                allocation as the replay went on (x: arrived demand share, or seconds)
 * @param decisions              scheduling attempts the loop made
 * @param wallSeconds            wall time of this replay
 */
public record PolicyResult(
        String policy,
        Map<String, String> settings,
        long clusterGpus,
        long unallocatedGpus,
        double unallocatedGpuShare,
        int tasks,
        int placedTasks,
        int failedTasks,
        Map<String, Integer> failedByReason,
        Double firstFailureAtDemand,
        Long unallocatedGpusAtFirstFailure,
        long arrivedGpuDemand,
        List<Sample> samples,
        Gangs gangs,
        Numa numa,
        long decisions,
        double wallSeconds) {

    public PolicyResult {
        settings = Map.copyOf(settings);
        failedByReason = Map.copyOf(failedByReason);
        samples = List.copyOf(samples);
    }

    public double decisionsPerSecond() {
        return wallSeconds <= 0 ? 0 : decisions / wallSeconds;
    }

    /**
     * Allocation at one point of the replay, each a share 0..1 of the cluster's total.
     *
     * @param x      arrived GPU demand share (inflate) or seconds from the start (trace)
     * @param failed tasks failed so far
     */
    public record Sample(double x, double gpu, double cpu, double memory, int failed) {
    }

    /**
     * @param gangs    pod groups in the workload
     * @param complete groups with at least min-available members bound
     * @param partial  groups with some but fewer than min-available members bound (must be 0)
     */
    public record Gangs(int gangs, int complete, int partial, long placedWaits, double meanWaitSeconds,
                        double maxWaitSeconds, long timedOut) {
    }

    /**
     * @param pods    pods asking for NUMA alignment (the policy annotation)
     * @param bound   of those, bound
     * @param aligned of those bound, given a NUMA placement (zones chosen as the kubelet will admit)
     */
    public record Numa(int pods, int bound, int aligned) {
    }
}
