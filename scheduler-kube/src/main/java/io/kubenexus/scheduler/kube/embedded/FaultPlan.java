package io.kubenexus.scheduler.kube.embedded;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What the embedded API's fault layer injects: a rate per {@link FaultKind} (the share of the
 * requests of its target that get it), the seed of the decisions, and the timings of slow and
 * timed-out answers. {@link #NONE} (every rate 0) is the default: the API then behaves exactly as
 * without a fault layer.
 *
 * <p>Faults apply only to the requests of clients made with
 * {@link EmbeddedKubernetesApi#newClientUnderFaults()} (the scheduler under test), never to the
 * test's or the demo's own clients, which create the workload and audit the result.
 *
 * @param rates          per kind, in [0, 1]; the rates of the kinds of one target (all bind kinds,
 *                       both watch kinds) add up to at most 1; kinds left out are 0
 * @param seed           decisions are a function of (seed, request, its number among equal requests),
 *                       so a run with the same seed and the same requests gets the same faults
 * @param requestTimeout the request timeout of the clients under faults; a timed-out bind is
 *                       answered {@link #TIMEOUT_MARGIN} after it
 * @param slowDelay      the longest delay of a {@link FaultKind#SLOW_RESPONSE}
 * @param retryAfter     the Retry-After of a {@link FaultKind#BIND_THROTTLED} answer (whole seconds)
 * @param watchLifetime  the longest a {@link FaultKind#WATCH_CLOSED} watch stays open
 */
public record FaultPlan(Map<FaultKind, Double> rates, long seed, Duration requestTimeout, Duration slowDelay,
                        Duration retryAfter, Duration watchLifetime) {
    /** How much later than the client's request timeout a timed-out answer comes. */
    public static final Duration TIMEOUT_MARGIN = Duration.ofSeconds(1);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_SLOW_DELAY = Duration.ofMillis(400);
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
    public static final Duration DEFAULT_WATCH_LIFETIME = Duration.ofSeconds(3);

    /** No faults. */
    public static final FaultPlan NONE = new FaultPlan(Map.of(), 0, DEFAULT_REQUEST_TIMEOUT, DEFAULT_SLOW_DELAY,
            DEFAULT_RETRY_AFTER, DEFAULT_WATCH_LIFETIME);

    /**
     * The rates of {@code demo --chaos} (docs/chaos.md): one bind in five fails in one of the five
     * ways, one status or Event write in ten fails, one watch in four is cut short and one in ten
     * answers 410 Gone, one request in twenty is slow.
     */
    public static final Map<FaultKind, Double> DEFAULT_CHAOS_RATES = defaultChaosRates();

    public FaultPlan {
        Objects.requireNonNull(rates, "rates");
        EnumMap<FaultKind, Double> copy = new EnumMap<>(FaultKind.class);
        for (Map.Entry<FaultKind, Double> e : rates.entrySet()) {
            FaultKind kind = Objects.requireNonNull(e.getKey(), "fault kind");
            double rate = Objects.requireNonNull(e.getValue(), kind.optionName());
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException(kind.optionName() + "=" + rate + ": a rate must be in [0, 1]");
            }
            if (rate > 0) {
                copy.put(kind, rate);
            }
        }
        for (FaultKind.Target target : FaultKind.Target.values()) {
            double sum = copy.entrySet().stream().filter(e -> e.getKey().target() == target)
                    .mapToDouble(Map.Entry::getValue).sum();
            if (sum > 1 + 1e-9) {
                throw new IllegalArgumentException("the rates of the " + target.name().toLowerCase(Locale.ROOT)
                        + " faults add up to " + sum + ", more than 1");
            }
        }
        rates = Collections.unmodifiableMap(copy);
        requirePositive("requestTimeout", requestTimeout);
        requirePositive("slowDelay", slowDelay);
        requirePositive("retryAfter", retryAfter);
        requirePositive("watchLifetime", watchLifetime);
        if (slowDelay.compareTo(requestTimeout) >= 0) {
            throw new IllegalArgumentException("slowDelay " + slowDelay + " must be shorter than requestTimeout "
                    + requestTimeout + ": a slow answer is not a timeout");
        }
    }

    /** {@link #DEFAULT_CHAOS_RATES} with {@code seed}. */
    public static FaultPlan chaos(long seed) {
        return NONE.withRates(DEFAULT_CHAOS_RATES).withSeed(seed);
    }

    /**
     * Parses {@code kind=rate,kind=rate} (e.g. {@code bind-error=0.1,watch-gone=0}) over these
     * rates: named kinds get the new rate, others keep theirs.
     *
     * @throws IllegalArgumentException naming the entry that is not {@code kind=rate}, the unknown
     *                                  kind (with the known ones) or the rate out of range
     */
    public FaultPlan withRates(String spec) {
        Objects.requireNonNull(spec, "spec");
        EnumMap<FaultKind, Double> merged = new EnumMap<>(FaultKind.class);
        merged.putAll(rates);
        for (String entry : spec.split(",", -1)) {
            String trimmed = entry.trim();
            int eq = trimmed.indexOf('=');
            if (eq <= 0 || eq == trimmed.length() - 1) {
                throw new IllegalArgumentException("\"" + trimmed + "\": expected kind=rate, e.g. bind-error=0.05");
            }
            FaultKind kind = FaultKind.byOptionName(trimmed.substring(0, eq).trim());
            String value = trimmed.substring(eq + 1).trim();
            double rate;
            try {
                rate = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("\"" + trimmed + "\": the rate \"" + value + "\" is not a number");
            }
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("\"" + trimmed + "\": a rate must be in [0, 1]");
            }
            merged.put(kind, rate);
        }
        return withRates(merged);
    }

    public FaultPlan withRates(Map<FaultKind, Double> newRates) {
        return new FaultPlan(newRates, seed, requestTimeout, slowDelay, retryAfter, watchLifetime);
    }

    public FaultPlan withRate(FaultKind kind, double rate) {
        EnumMap<FaultKind, Double> merged = new EnumMap<>(FaultKind.class);
        merged.putAll(rates);
        merged.put(kind, rate);
        return withRates(merged);
    }

    public FaultPlan withSeed(long newSeed) {
        return new FaultPlan(rates, newSeed, requestTimeout, slowDelay, retryAfter, watchLifetime);
    }

    public FaultPlan withTimings(Duration newRequestTimeout, Duration newSlowDelay, Duration newRetryAfter,
                                 Duration newWatchLifetime) {
        return new FaultPlan(rates, seed, newRequestTimeout, newSlowDelay, newRetryAfter, newWatchLifetime);
    }

    public double rate(FaultKind kind) {
        return rates.getOrDefault(kind, 0.0);
    }

    /** Whether any fault can happen. */
    public boolean active() {
        return !rates.isEmpty();
    }

    /** How late a timed-out answer comes: after the client under faults has given up. */
    public Duration timeoutDelay() {
        return requestTimeout.plus(TIMEOUT_MARGIN);
    }

    /** {@code kind=rate,...} of the non-zero rates, in the order of {@link FaultKind}. */
    public String describeRates() {
        StringBuilder out = new StringBuilder();
        rates.forEach((kind, rate) -> out.append(out.isEmpty() ? "" : ",").append(kind.optionName()).append('=')
                .append(rate));
        return out.isEmpty() ? "none" : out.toString();
    }

    private static Map<FaultKind, Double> defaultChaosRates() {
        EnumMap<FaultKind, Double> rates = new EnumMap<>(FaultKind.class);
        rates.put(FaultKind.BIND_ERROR, 0.05);
        rates.put(FaultKind.BIND_CONFLICT, 0.05);
        rates.put(FaultKind.BIND_THROTTLED, 0.05);
        rates.put(FaultKind.BIND_TIMEOUT_APPLIED, 0.03);
        rates.put(FaultKind.BIND_TIMEOUT_LOST, 0.02);
        rates.put(FaultKind.STATUS_WRITE_ERROR, 0.10);
        rates.put(FaultKind.EVENT_WRITE_ERROR, 0.10);
        rates.put(FaultKind.WATCH_CLOSED, 0.25);
        rates.put(FaultKind.WATCH_GONE, 0.10);
        rates.put(FaultKind.SLOW_RESPONSE, 0.05);
        return Collections.unmodifiableMap(rates);
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": must be positive, was " + value);
        }
    }
}
