package io.kubenexus.scheduler.app.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * Durations written the way Go and Kubernetes write them ({@code time.ParseDuration}): a sequence
 * of decimal numbers with a unit each, such as {@code 500ms}, {@code 10s}, {@code 1m30s},
 * {@code 1.5h}. Units: ns, us (or µs), ms, s, m, h. A bare {@code 0} is zero; any other number
 * needs a unit, so {@code 10} is rejected rather than guessed to be seconds or milliseconds.
 * There is no unit for days, as in Go.
 */
public final class GoDuration {
    private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);
    private static final String HINT = " (use e.g. 500ms, 1s, 2m)";

    private GoDuration() {
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException {@code not a duration '<text>' (use e.g. 500ms, 1s, 2m)}, or
     *                                  {@code ... out of range} beyond Go's limit of about 292 years
     */
    public static Duration parse(String text) {
        if (text == null || text.isEmpty()) {
            throw notADuration(text);
        }
        int pos = 0;
        boolean negative = false;
        if (text.charAt(0) == '-' || text.charAt(0) == '+') {
            negative = text.charAt(0) == '-';
            pos++;
        }
        if (text.substring(pos).equals("0")) {
            return Duration.ZERO;
        }
        if (pos == text.length()) {
            throw notADuration(text);
        }
        BigDecimal nanos = BigDecimal.ZERO;
        while (pos < text.length()) {
            int numberStart = pos;
            int digits = 0;
            while (pos < text.length() && isDigit(text.charAt(pos))) {
                pos++;
                digits++;
            }
            if (pos < text.length() && text.charAt(pos) == '.') {
                pos++;
                while (pos < text.length() && isDigit(text.charAt(pos))) {
                    pos++;
                    digits++;
                }
            }
            if (digits == 0) {
                throw notADuration(text);
            }
            BigDecimal number = new BigDecimal(text.substring(numberStart, pos));
            int unitStart = pos;
            while (pos < text.length() && !isDigit(text.charAt(pos)) && text.charAt(pos) != '.') {
                pos++;
            }
            long unitNanos = unitNanos(text.substring(unitStart, pos));
            if (unitNanos == 0) {
                throw notADuration(text);
            }
            nanos = nanos.add(number.multiply(BigDecimal.valueOf(unitNanos)));
        }
        // Go keeps whole nanoseconds; anything finer is dropped, as there.
        BigInteger whole = nanos.setScale(0, RoundingMode.DOWN).toBigIntegerExact();
        if (whole.compareTo(MAX_NANOS) > 0) {
            throw new IllegalArgumentException("not a duration '" + text + "': out of range (at most about 292 years)");
        }
        Duration result = Duration.ofNanos(whole.longValueExact());
        return negative ? result.negated() : result;
    }

    /**
     * Formats {@code duration} in the same notation, shortest form first: {@code 0s}, {@code 500ms},
     * {@code 1.5s}, {@code 1m30s}, {@code 2h}. {@link #parse} reads every result back exactly.
     */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        if (duration.isNegative()) {
            return "-" + format(duration.negated());
        }
        if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
            long nanos = duration.toNanos();
            if (nanos % 1_000_000 == 0) {
                return nanos / 1_000_000 + "ms";
            }
            if (nanos % 1_000 == 0) {
                return nanos / 1_000 + "us";
            }
            return nanos + "ns";
        }
        StringBuilder out = new StringBuilder();
        long hours = duration.toHours();
        int minutes = duration.toMinutesPart();
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (minutes > 0) {
            out.append(minutes).append('m');
        }
        BigDecimal seconds = BigDecimal.valueOf(duration.toSecondsPart())
                .add(BigDecimal.valueOf(duration.toNanosPart(), 9)).stripTrailingZeros();
        if (seconds.signum() > 0) {
            out.append(seconds.toPlainString()).append('s');
        }
        return out.toString();
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "\u00b5s", "\u03bcs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 0L;
        };
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static IllegalArgumentException notADuration(String text) {
        return new IllegalArgumentException("not a duration '" + text + "'" + HINT);
    }
}
