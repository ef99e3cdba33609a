package io.kubenexus.scheduler.app;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How {@code run} learns that it should stop. The JVM version waits for SIGTERM or SIGINT (the
 * JVM's shutdown), tests use one that returns at once.
 */
interface ShutdownSignal {

    /** Blocks until the process is asked to stop. */
    void await() throws InterruptedException;

    /**
     * Blocks until the process is asked to stop or {@code serviceEnded} completes (the service
     * gave up on its own). Signals that are never woken early (tests that stop at once) may keep
     * this default, which waits for the stop only.
     */
    default void await(CompletionStage<?> serviceEnded) throws InterruptedException {
        await();
    }

    /** The service is closed; called once, after {@link #await} returned or failed. */
    void stopped();

    /**
     * Waits for the JVM's shutdown. The shutdown hook does not close the service itself: it wakes
     * the main thread, which closes it, and holds the JVM until that is done (at most
     * {@code grace}), so the Lease is released before the process ends.
     */
    static ShutdownSignal jvm(long graceSeconds) {
        CountDownLatch requested = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        return new ShutdownSignal() {
            @Override
            public void await() throws InterruptedException {
                await(new CompletableFuture<>());
            }

            @Override
            public void await(CompletionStage<?> serviceEnded) throws InterruptedException {
                serviceEnded.whenComplete((ignored, error) -> requested.countDown());
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    requested.countDown();
                    try {
                        finished.await(graceSeconds, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "kubenexus-shutdown"));
                requested.await();
            }

            @Override
            public void stopped() {
                finished.countDown();
            }
        };
    }
}
