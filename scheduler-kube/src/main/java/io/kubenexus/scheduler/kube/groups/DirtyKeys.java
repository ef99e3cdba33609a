package io.kubenexus.scheduler.kube.groups;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Objects (by key) whose status needs another look, worked off on an executor one drain at a
 * time: marking a key twice before it is worked costs one look, callers on informer threads only
 * mark, and a key's work never runs twice at once. The status writers' queue.
 */
final class DirtyKeys {
    private static final Logger LOG = LoggerFactory.getLogger(DirtyKeys.class);

    private final Executor executor;
    private final Consumer<String> work;
    private final String what;
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile boolean closed;

    /**
     * @param work runs for each key marked, on {@code executor}; an exception is logged with
     *             {@code what} and the key, and the other keys are still worked
     */
    DirtyKeys(Executor executor, Consumer<String> work, String what) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.work = Objects.requireNonNull(work, "work");
        this.what = Objects.requireNonNull(what, "what");
    }

    void mark(String key) {
        if (closed) {
            return;
        }
        dirty.add(key);
        scheduleDrain();
    }

    /** Marks {@code key} again after {@code delay} (a failed write's retry). */
    void markLater(String key, Duration delay) {
        CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS).execute(() -> mark(key));
    }

    /** Later marks and queued work are ignored. */
    void close() {
        closed = true;
    }

    private void scheduleDrain() {
        if (!drainScheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            drainScheduled.set(false); // shutting down
        }
    }

    private void drain() {
        try {
            while (!dirty.isEmpty() && !closed) {
                for (String key : List.copyOf(dirty)) {
                    dirty.remove(key);
                    try {
                        work.accept(key);
                    } catch (RuntimeException e) {
                        LOG.error("{} {} failed", what, key, e);
                    }
                }
            }
        } finally {
            drainScheduled.set(false);
            if (!dirty.isEmpty() && !closed) {
                scheduleDrain(); // marked after our last look
            }
        }
    }
}
