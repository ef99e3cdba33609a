package io.kubenexus.scheduler.sim.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report as one JSON object, the contract scripts read (docs/simulation.md): {@code policies}
 * maps each policy run to its figures, at least {@code unallocated_gpus}, {@code unallocated_gpu_share},
 * {@code failed_tasks} and {@code first_failure_at_demand}. Keys are snake_case; shares are 0..1.
 */
public final class JsonReport {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonReport() {
    }

    public static String render(SimulationReport report) {
        try {
            return MAPPER.writeValueAsString(tree(report));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the report could not be written as JSON", e);
        }
    }

    static Map<String, Object> tree(SimulationReport report) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cluster", report.cluster());
        out.put("workload", report.workload());
        out.put("replay", report.mode());
        out.put("load", report.load());
        out.put("seed", report.seed());
        out.put("cluster_nodes", report.clusterNodes());
        out.put("cluster_gpus", report.clusterGpus());
        out.put("workload_tasks", report.workloadTasks());
        out.put("shared_gpu_tasks_rounded_up", report.sharedGpuTasks());
        out.put("arrivals", report.arrivals());
        out.put("policies", policies(report.policies()));
        if (report.whatIf() != null) {
            Map<String, Object> whatIf = new LinkedHashMap<>();
            whatIf.put("change", report.whatIf());
            whatIf.put("cluster_nodes", report.whatIfNodes());
            whatIf.put("cluster_gpus", report.whatIfGpus());
            whatIf.put("policies", policies(report.whatIfPolicies()));
            out.put("what_if", whatIf);
        }
        out.put("wall_seconds", round(report.wallSeconds()));
        out.put("machine", report.machine());
        return out;
    }

    private static Map<String, Object> policies(Map<String, PolicyResult> results) {
        Map<String, Object> out = new LinkedHashMap<>();
        results.forEach((name, result) -> out.put(name, policy(result)));
        return out;
    }

    private static Map<String, Object> policy(PolicyResult r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("unallocated_gpus", r.unallocatedGpus());
        out.put("unallocated_gpu_share", round(r.unallocatedGpuShare()));
        out.put("failed_tasks", r.failedTasks());
        out.put("first_failure_at_demand", r.firstFailureAtDemand() == null ? null : round(r.firstFailureAtDemand()));
        out.put("unallocated_gpus_at_first_failure", r.unallocatedGpusAtFirstFailure());
        out.put("cluster_gpus", r.clusterGpus());
        out.put("arrived_gpu_demand", r.arrivedGpuDemand());
        out.put("tasks", r.tasks());
        out.put("placed_tasks", r.placedTasks());
        out.put("failed_by_reason", r.failedByReason());
        Map<String, Object> gangs = new LinkedHashMap<>();
        gangs.put("gangs", r.gangs().gangs());
        gangs.put("complete", r.gangs().complete());
        gangs.put("partial", r.gangs().partial());
        gangs.put("placed_after_waiting", r.gangs().placedWaits());
        gangs.put("mean_wait_seconds", round(r.gangs().meanWaitSeconds()));
        gangs.put("max_wait_seconds", round(r.gangs().maxWaitSeconds()));
        gangs.put("timed_out", r.gangs().timedOut());
        out.put("gangs", gangs);
        Map<String, Object> numa = new LinkedHashMap<>();
        numa.put("pods", r.numa().pods());
        numa.put("bound", r.numa().bound());
        numa.put("aligned", r.numa().aligned());
        out.put("numa", numa);
        out.put("decisions", r.decisions());
        out.put("wall_seconds", round(r.wallSeconds()));
        out.put("decisions_per_second", Math.round(r.decisionsPerSecond()));
        out.put("settings", r.settings());
        List<Object> samples = new ArrayList<>();
        for (PolicyResult.Sample s : r.samples()) {
            samples.add(List.of(round(s.x()), round(s.gpu()), round(s.cpu()), round(s.memory()), s.failed()));
        }
        Map<String, Object> allocation = new LinkedHashMap<>();
        allocation.put("columns", List.of("x", "gpu", "cpu", "memory", "failed_tasks"));
        allocation.put("samples", samples);
        out.put("allocation", allocation);
        return out;
    }

    static double round(double value) {
        return Math.round(value * 1e6) / 1e6;
    }
}
