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

    /**
     * Like {@link #run(DemoOptions, PrintStream)}, but once the audit is done and before anything is
     * torn down, {@code settled} is called with the summary and the scheduler's HTTP base URL: the
     * embedded API and the scheduler keep running until it returns ({@code demo --serve}). Runners
     * without endpoints of their own call it with a null URL.
     */
    default DemoSummary run(DemoOptions options, PrintStream progress, Settled settled) throws InterruptedException {
        DemoSummary summary = run(options, progress);
        settled.settled(summary, null);
        return summary;
    }

    /** Called once the demo's audit is done, with everything still running. */
    @FunctionalInterface
    interface Settled {
        Settled NONE = (summary, url) -> {
        };

        void settled(DemoSummary summary, String schedulerUrl) throws InterruptedException;
    }
}
