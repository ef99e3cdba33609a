package io.kubenexus.scheduler.kube.events;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs tasks on a pool and counts them, so tests can see how many API writes a burst caused. */
final class TrackingExecutor implements Executor {
    private final ExecutorService pool;
    private final AtomicInteger submitted = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();

    TrackingExecutor(ExecutorService pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable command) {
        submitted.incrementAndGet();
        running.incrementAndGet();
        pool.execute(() -> {
            try {
                command.run();
            } finally {
                running.decrementAndGet();
            }
        });
    }

    int submitted() {
        return submitted.get();
    }

    boolean idle() {
        return running.get() == 0;
    }
}
