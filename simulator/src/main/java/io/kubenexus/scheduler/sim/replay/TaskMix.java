package io.kubenexus.scheduler.sim.replay;

import java.util.Locale;

/**
 * How the inflating replay reshapes the workload's task mix while it draws, to build the mixes the
 * trace's published variants stand for from one pod list. Null shares leave the mix as the workload
 * has it (and the draw exactly as without a mix).
 *
 * @param multiGpuShare share of drawn tasks that ask for more than one GPU (0..1), or null
 * @param gpuSpecShare  share of drawn GPU tasks without a model constraint that get one (0..1), or
 *                      null: a model drawn in proportion to the cluster's GPUs of that model, among
 *                      the models with a node large enough for the task
 */
public record TaskMix(Double multiGpuShare, Double gpuSpecShare) {
    public static final TaskMix AS_IS = new TaskMix(null, null);

    public TaskMix {
        check("--multi-gpu-share", multiGpuShare);
        check("--gpu-spec-share", gpuSpecShare);
    }

    public boolean isAsIs() {
        return multiGpuShare == null && gpuSpecShare == null;
    }

    /** The mix in one line for the report, empty when as is. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        if (multiGpuShare != null) {
            out.append(String.format(Locale.ROOT, "multi-GPU tasks %.0f%% of tasks", 100 * multiGpuShare));
        }
        if (gpuSpecShare != null) {
            out.append(out.length() > 0 ? ", " : "").append(String.format(Locale.ROOT,
                    "model constraint on %.0f%% of GPU tasks", 100 * gpuSpecShare));
        }
        return out.toString();
    }

    private static void check(String option, Double share) {
        if (share != null && !(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException(option + ": must be 0..1, was " + share);
        }
    }
}
