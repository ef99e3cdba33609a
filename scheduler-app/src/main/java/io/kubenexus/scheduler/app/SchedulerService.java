package io.kubenexus.scheduler.app;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One running scheduler replica: informers, the scheduling loop, binding, events, leader election
 * and the HTTP endpoints, built from a validated configuration by a {@link ServiceFactory}.
 *
 * <p>Lifecycle, as {@code kubenexus-scheduler run} drives it: {@link #start} once, from the main
 * thread; later {@link #close} once, from the main thread, when the process is asked to stop
 * (SIGTERM). {@code close} is also called when {@code start} threw.
 */
public interface SchedulerService extends AutoCloseable {

    /**
     * Starts every component and returns; the service then runs on its own threads. Throws (any
     * runtime exception, with a message a user can act on) when it cannot start, e.g. the API
     * server is unreachable or RBAC forbids listing pods; the CLI then exits with status 1.
     */
    void start();

    /**
     * Completes, with a message for the operator, when the service has stopped working on its own
     * and the process should exit non-zero (a lost Lease with {@code leaderElection.onLostLease:
     * exit}); {@code run} then closes the service and exits 1. Never completes by default.
     */
    default CompletionStage<String> exitRequested() {
        return new CompletableFuture<>();
    }

    /**
     * Stops scheduling and binding, releases the Lease if this replica holds it (so a standby takes
     * over at once rather than after leaseDuration), stops the informers and the HTTP server, and
     * returns within a few seconds. Idempotent, and safe after a failed or missing {@link #start}.
     * Does not close the KubernetesClient: the caller that created it closes it.
     */
    @Override
    void close();
}
