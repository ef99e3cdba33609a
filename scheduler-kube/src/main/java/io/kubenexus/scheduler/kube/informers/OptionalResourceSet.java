package io.kubenexus.scheduler.kube.informers;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Optional resources started and stopped together, probed and re-checked on one daemon thread
 * (re-checks are minutes apart: one thread serves them all).
 */
public final class OptionalResourceSet implements AutoCloseable {
    private final String threadName;
    private final List<OptionalResourceInformer> informers;
    private ScheduledExecutorService prober;
    private boolean closed;

    /** @param threadName names the prober thread in thread dumps */
    public OptionalResourceSet(String threadName, List<OptionalResourceInformer> informers) {
        this.threadName = Objects.requireNonNull(threadName, "threadName");
        this.informers = List.copyOf(informers);
    }

    /**
     * Starts every informer (see {@link OptionalResourceInformer#start}). The stage completes, never
     * exceptionally, when each has synced, was found absent or timed out.
     */
    public synchronized CompletionStage<Void> start() {
        if (prober != null) {
            throw new IllegalStateException("already started");
        }
        prober = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        CompletableFuture<?>[] outcomes = informers.stream()
                .map(informer -> informer.start(prober).toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(outcomes);
    }

    /** Stops the re-checks and the informers. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (prober != null) {
                prober.shutdownNow();
            }
        }
        informers.forEach(OptionalResourceInformer::close);
    }
}
