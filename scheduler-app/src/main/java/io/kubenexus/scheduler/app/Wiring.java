package io.kubenexus.scheduler.app;

/**
 * The real implementations behind the CLI's seams, built by plain constructors.
 *
 * <p>Placeholder: the scheduler-kube integration replaces both bodies. The CLI resolves them only
 * when {@code run} or {@code demo} executes, so {@code --help} and {@code --version} work meanwhile.
 */
public final class Wiring {
    private Wiring() {
    }

    /** Builds the scheduler service of {@code kubenexus-scheduler run}. */
    public static ServiceFactory serviceFactory() {
        throw new IllegalStateException("wired in scheduler-kube integration");
    }

    /** Runs {@code kubenexus-scheduler demo} on an embedded API server. */
    public static DemoRunner demoRunner() {
        throw new IllegalStateException("wired in scheduler-kube integration");
    }
}
