package io.kubenexus.scheduler.app;

import java.io.PrintStream;

/**
 * Runs {@code kubenexus-scheduler demo}: the whole scheduler against an embedded API server
 * filled with a synthetic cluster, then a report.
 */
@FunctionalInterface
public interface DemoRunner {

    /**
     * Starts an embedded Kubernetes API, creates {@code options.nodes()} nodes
     * ({@code SyntheticCluster}), {@code options.pods()} pending pods ({@code WorkloadGenerator}) and
     * {@code options.sparkApps()} Spark applications through a simulated operator, all seeded with
     * {@code options.seed()}, runs the scheduler until everything is bound or reported unschedulable
     * or {@code options.timeout()} has passed, audits the result from the API (capacity, pods and
     * gangs that fit but wait, partial gangs, the scheduler's cache), tears everything down and
     * returns the result.
     *
     * <p>Writes human-readable progress lines to {@code progress} and nothing to
     * {@code System.out}: with {@code --json} the CLI promises exactly one JSON object on stdout
     * (progress is then stderr). Pods left pending are results, not failures; throw only when the
     * demo itself cannot run.
     */
    DemoSummary run(DemoOptions options, PrintStream progress);
}
