package io.kubenexus.scheduler.extender.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Scheduling rate and latency over the last minute, for the cluster page, from the very meters
 * {@code /metrics} exposes ({@link MicrometerSchedulerMetrics}): pods bound per second
 * ({@code kubenexus_binds_total{outcome="bound"}}), attempts per second
 * ({@code kubenexus_schedule_attempts_total}), and quantiles of the attempt latency
 * ({@code kubenexus_scheduling_attempt_duration_seconds}) and of the time from queue to bind
 * ({@code scheduler_pod_scheduling_sli_duration_seconds}), each computed from the change of the
 * histogram's buckets over the window with linear interpolation inside a bucket, as Prometheus'
 * {@code histogram_quantile(q, rate(...[1m]))} does.
 *
 * <p>Sampled when asked (each cluster page tick), at most one sample per second kept, so it costs
 * nothing when nobody looks. Thread-safe.
 */
public final class SchedulingRates {
    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long MIN_SPACING_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final MeterRegistry registry;
    private final LongSupplier nanoTime;
    private final Deque<Sample> samples = new ArrayDeque<>();

    /**
     * The window's rates and latencies; a value is null when the window saw nothing to compute it from.
     *
     * @param windowSeconds         how long the window is (up to a minute; shorter just after start)
     * @param boundPerSecond        pods bound per second
     * @param attemptsPerSecond     scheduling attempts per second, every result
     * @param attemptP50Seconds     median attempt latency
     * @param attemptP99Seconds     99th percentile attempt latency
     * @param queueToBindP99Seconds 99th percentile time from entering the queue to a successful bind
     * @param boundTotal            pods bound since the start
     * @param attemptsTotal         attempts since the start
     */
    public record Rates(double windowSeconds, Double boundPerSecond, Double attemptsPerSecond, Double attemptP50Seconds,
                        Double attemptP99Seconds, Double queueToBindP99Seconds, long boundTotal, long attemptsTotal) {
    }

    /** Cumulative values at one instant. Histograms: bucket upper bound in seconds to cumulative count. */
    private record Sample(long nanos, double bound, double attempts, TreeMap<Double, Double> attemptBuckets,
                          TreeMap<Double, Double> sliBuckets) {
    }

    public SchedulingRates(MeterRegistry registry) {
        this(registry, System::nanoTime);
    }

    /** @param nanoTime a monotonic clock in nanoseconds (tests pass their own) */
    public SchedulingRates(MeterRegistry registry, LongSupplier nanoTime) {
        this.registry = registry;
        this.nanoTime = nanoTime;
        samples.add(sample(nanoTime.getAsLong()));
    }

    /** Takes a sample and answers over the window up to it. */
    public synchronized Rates rates() {
        long now = nanoTime.getAsLong();
        Sample latest = sample(now);
        if (now - samples.peekLast().nanos() >= MIN_SPACING_NANOS) {
            samples.addLast(latest);
        }
        // Keep one sample at or before the window's start, so the window is a full minute once it can be.
        while (samples.size() > 2) {
            var oldestTwo = samples.iterator();
            oldestTwo.next();
            if (now - oldestTwo.next().nanos() < WINDOW_NANOS) {
                break;
            }
            samples.removeFirst();
        }
        Sample first = samples.peekFirst();
        double seconds = (now - first.nanos()) / 1e9;
        if (seconds <= 0) {
            return new Rates(0, null, null, null, null, null, (long) latest.bound(), (long) latest.attempts());
        }
        return new Rates(seconds, (latest.bound() - first.bound()) / seconds,
                (latest.attempts() - first.attempts()) / seconds,
                quantile(0.5, first.attemptBuckets(), latest.attemptBuckets()),
                quantile(0.99, first.attemptBuckets(), latest.attemptBuckets()),
                quantile(0.99, first.sliBuckets(), latest.sliBuckets()),
                (long) latest.bound(), (long) latest.attempts());
    }

    private Sample sample(long nanos) {
        double bound = 0;
        for (Counter counter : registry.find("kubenexus.binds").tag("outcome", "bound").counters()) {
            bound += counter.count();
        }
        double attempts = 0;
        for (Counter counter : registry.find("kubenexus.schedule.attempts").counters()) {
            attempts += counter.count();
        }
        return new Sample(nanos, bound, attempts, buckets("kubenexus.scheduling.attempt.duration"),
                buckets("scheduler.pod.scheduling.sli.duration"));
    }

    /** Every series of the timer summed, bucket by bucket (bounds in seconds), with +Inf as the total count. */
    private TreeMap<Double, Double> buckets(String timerName) {
        TreeMap<Double, Double> out = new TreeMap<>();
        for (Timer timer : registry.find(timerName).timers()) {
            HistogramSnapshot snapshot = timer.takeSnapshot();
            for (CountAtBucket bucket : snapshot.histogramCounts()) {
                out.merge(bucket.bucket(TimeUnit.SECONDS), bucket.count(), Double::sum);
            }
            out.merge(Double.POSITIVE_INFINITY, (double) snapshot.count(), Double::sum);
        }
        return out;
    }

    /**
     * The q-quantile of what fell into the buckets between two cumulative histograms, or null when
     * nothing did. Within a bucket, linear from its lower bound; in the +Inf bucket, the highest finite bound.
     */
    static Double quantile(double q, TreeMap<Double, Double> before, TreeMap<Double, Double> after) {
        double total = after.getOrDefault(Double.POSITIVE_INFINITY, 0.0) - before.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        if (total <= 0) {
            return null;
        }
        double rank = q * total;
        double lower = 0;
        double countBelow = 0;
        for (var bucket : after.entrySet()) {
            double upper = bucket.getKey();
            double cumulative = bucket.getValue() - before.getOrDefault(upper, 0.0);
            if (cumulative >= rank) {
                if (Double.isInfinite(upper)) {
                    return lower;
                }
                double inBucket = cumulative - countBelow;
                return inBucket <= 0 ? upper : lower + (upper - lower) * (rank - countBelow) / inBucket;
            }
            lower = upper;
            countBelow = cumulative;
        }
        return lower;
    }
}
