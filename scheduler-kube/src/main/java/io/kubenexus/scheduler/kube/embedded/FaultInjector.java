package io.kubenexus.scheduler.kube.embedded;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Decides, per request, which fault of a {@link FaultPlan} it gets, and counts the faults by kind.
 *
 * <p>A decision is a hash of (seed, target, the request's key, its number among requests with that
 * key), not a draw from one shared random stream: the API serves requests on several threads in an
 * order that varies from run to run, and a shared stream would hand the faults to different
 * requests each time. This way the third bind of pod {@code ns/p} gets the same fault in every run
 * with the seed, whatever else ran in between.
 *
 * <p>Thread-safe.
 */
public final class FaultInjector {
    /** Salts so the decisions of one request for different targets are independent. */
    private static final long SLOW_SALT = 0x5bd1e995L;

    private final FaultPlan plan;
    private final Map<String, AtomicInteger> occurrences = new ConcurrentHashMap<>();
    private final AtomicLongArray counts = new AtomicLongArray(FaultKind.values().length);

    public FaultInjector(FaultPlan plan) {
        this.plan = Objects.requireNonNull(plan, "plan");
    }

    public FaultPlan plan() {
        return plan;
    }

    public boolean active() {
        return plan.active();
    }

    /**
     * The fault of {@code target}'s kinds that this request gets, or null; counted when not null.
     *
     * @param key what identifies equal requests, e.g. {@code "default/p"} for a pod's binds
     */
    public FaultKind decide(FaultKind.Target target, String key) {
        double draw = draw(target.ordinal(), key);
        double cumulative = 0;
        for (FaultKind kind : FaultKind.values()) {
            if (kind.target() != target) {
                continue;
            }
            cumulative += plan.rate(kind);
            if (draw < cumulative) {
                counts.incrementAndGet(kind.ordinal());
                return kind;
            }
        }
        return null;
    }

    /** How much later this request is answered: zero, or up to the plan's slow delay (counted). */
    public Duration slowDelay(String key) {
        double rate = plan.rate(FaultKind.SLOW_RESPONSE);
        if (rate == 0) {
            return Duration.ZERO;
        }
        double draw = draw(SLOW_SALT, key);
        if (draw >= rate) {
            return Duration.ZERO;
        }
        counts.incrementAndGet(FaultKind.SLOW_RESPONSE.ordinal());
        // The draw is uniform below the rate: reuse it for the length, at least 10 ms.
        long millis = Math.max(10, (long) (plan.slowDelay().toMillis() * (draw / rate)));
        return Duration.ofMillis(millis);
    }

    /** A reproducible fraction in [0, 1) for the request with {@code key}, e.g. a watch's lifetime. */
    public double fraction(String key) {
        return draw(0x9e3779b9L, key);
    }

    /** Faults injected so far, every kind (zeros included) in the order of {@link FaultKind}. */
    public Map<FaultKind, Long> counts() {
        EnumMap<FaultKind, Long> snapshot = new EnumMap<>(FaultKind.class);
        for (FaultKind kind : FaultKind.values()) {
            snapshot.put(kind, counts.get(kind.ordinal()));
        }
        return snapshot;
    }

    public long count(FaultKind kind) {
        return counts.get(kind.ordinal());
    }

    public long total() {
        long total = 0;
        for (int i = 0; i < counts.length(); i++) {
            total += counts.get(i);
        }
        return total;
    }

    private double draw(long salt, String key) {
        String counted = salt + "|" + key;
        int n = occurrences.computeIfAbsent(counted, k -> new AtomicInteger()).getAndIncrement();
        long h = mix(plan.seed() ^ mix(salt));
        h = mix(h ^ key.hashCode());
        h = mix(h ^ n);
        return (h >>> 11) * 0x1.0p-53;
    }

    /** SplitMix64's finalizer: a good 64-bit mix. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
