package io.kubenexus.scheduler.sim.report;

import java.util.Locale;
import java.util.Map;

/** The report as a few lines for a terminal: one row per policy, the what-if's rows below its base. */
public final class TextReport {
    private TextReport() {
    }

    public static String render(SimulationReport report) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "simulate: %s replay of %s on %s%n", report.mode(), report.workload(),
                report.cluster()));
        out.append(String.format(Locale.ROOT, "  %,d nodes, %,d GPUs; %,d tasks in the workload (%,d GPU-sharing "
                        + "tasks rounded up to one GPU); %,d arrivals%s%n", report.clusterNodes(), report.clusterGpus(),
                report.workloadTasks(), report.sharedGpuTasks(), report.arrivals(),
                "inflate".equals(report.mode()) ? String.format(Locale.ROOT, " (load %.2f, seed %d)", report.load(),
                        report.seed()) : ""));
        table(out, report.policies(), report.mode());
        if (report.whatIf() != null) {
            out.append(String.format(Locale.ROOT, "what-if: %s (%,d nodes, %,d GPUs)%n", report.whatIf(),
                    report.whatIfNodes(), report.whatIfGpus()));
            table(out, report.whatIfPolicies(), report.mode());
        }
        out.append(String.format(Locale.ROOT, "  wall time %.2f s on %s%n", report.wallSeconds(), report.machine()));
        return out.toString();
    }

    private static void table(StringBuilder out, Map<String, PolicyResult> policies, String mode) {
        out.append(String.format(Locale.ROOT, "  %-16s %12s %8s %8s %14s %8s %12s%n", "policy", "unalloc GPUs", "share",
                "failed", "first failure", "partial", "decisions/s"));
        for (PolicyResult r : policies.values()) {
            String first = r.firstFailureAtDemand() == null ? "-" : "inflate".equals(mode)
                    ? String.format(Locale.ROOT, "%.1f%%", 100 * r.firstFailureAtDemand())
                    : String.format(Locale.ROOT, "%.0f s", r.firstFailureAtDemand());
            out.append(String.format(Locale.ROOT, "  %-16s %12d %7.2f%% %8d %14s %8d %12.0f%n", r.policy(),
                    r.unallocatedGpus(), 100 * r.unallocatedGpuShare(), r.failedTasks(), first, r.gangs().partial(),
                    r.decisionsPerSecond()));
        }
    }
}
