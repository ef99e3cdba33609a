package io.kubenexus.scheduler.sim.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything one {@code simulate} run found: what was replayed, each policy's figures (in the order
 * they were asked for, {@code default} first), and the what-if run beside its base when one was asked.
 *
 * @param sharedGpuTasks tasks of the workload whose GPU share was rounded up to a whole GPU
 * @param arrivals       pods in the arrival sequence (the drawn tasks, for the inflating replay)
 * @param whatIf         the what-if's description, or null
 * @param whatIfPolicies the what-if run's figures by policy, empty when none
 * @param machine        cores, JVM and OS the wall times were measured on
 */
public record SimulationReport(String cluster, String workload, String mode, double load, long seed, int clusterNodes,
                               long clusterGpus, int workloadTasks, int sharedGpuTasks, int arrivals,
                               Map<String, PolicyResult> policies, String whatIf, int whatIfNodes, long whatIfGpus,
                               Map<String, PolicyResult> whatIfPolicies, double wallSeconds, String machine) {
    public SimulationReport {
        policies = new LinkedHashMap<>(policies);
        whatIfPolicies = whatIfPolicies == null ? Map.of() : new LinkedHashMap<>(whatIfPolicies);
    }

    /** Policies in the order they ran: unmodifiable view. */
    @Override
    public Map<String, PolicyResult> policies() {
        return java.util.Collections.unmodifiableMap(policies);
    }

    @Override
    public Map<String, PolicyResult> whatIfPolicies() {
        return java.util.Collections.unmodifiableMap(whatIfPolicies);
    }
}
