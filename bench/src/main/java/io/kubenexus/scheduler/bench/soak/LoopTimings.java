package io.kubenexus.scheduler.bench.soak;

import io.kubenexus.scheduler.core.ports.BindOutcome;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import java.util.Arrays;

/**
 * The loop's own timings while a window is open: each successful attempt (the decision and the
 * assume, as the loop times it) and each bind round trip (call to result applied). Written by the
 * loop thread only; read after the window is closed and an answer from the loop thread (e.g.
 * {@code bookkeepingSizes()}) has come back, so its writes are visible.
 */
final class LoopTimings implements SchedulerMetrics {
    /**
     * Samples kept per kind, allocated up front: arrays that grew during the run would show in the
     * heap-after-GC slope the soak measures (a doubling at 65,536 samples is half a MiB).
     */
    private static final int MAX_SAMPLES = 2_000_000;

    private volatile boolean open;
    private final long[] attempts = new long[MAX_SAMPLES];
    private int attemptCount;
    private final long[] binds = new long[MAX_SAMPLES];
    private int bindCount;
    private long unschedulable;

    void open() {
        open = true;
    }

    void close() {
        open = false;
    }

    @Override
    public void attempt(String result, long durationNanos) {
        if (!open) {
            return;
        }
        if ("scheduled".equals(result)) {
            if (attemptCount < attempts.length) {
                attempts[attemptCount++] = durationNanos;
            }
        } else {
            unschedulable++;
        }
    }

    @Override
    public void bind(BindOutcome outcome, long durationNanos) {
        if (!open) {
            return;
        }
        if (bindCount < binds.length) {
            binds[bindCount++] = durationNanos;
        }
    }

    @Override
    public void queueSize(String queue, int size) {
    }

    /** Median of the successful attempts in the window, nanoseconds (0 if none). */
    long attemptMedianNanos() {
        return median(attempts, attemptCount);
    }

    long attemptMeanNanos() {
        long sum = 0;
        for (int i = 0; i < attemptCount; i++) {
            sum += attempts[i];
        }
        return attemptCount == 0 ? 0 : sum / attemptCount;
    }

    long bindRoundTripMedianNanos() {
        return median(binds, bindCount);
    }

    int attemptSamples() {
        return attemptCount;
    }

    long unschedulableAttempts() {
        return unschedulable;
    }

    private static long median(long[] values, int count) {
        if (count == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        return sorted[count / 2];
    }
}
