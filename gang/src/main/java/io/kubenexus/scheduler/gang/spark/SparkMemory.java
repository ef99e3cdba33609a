package io.kubenexus.scheduler.gang.spark;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads memory sizes the way Spark reads its configuration ({@code JavaUtils.byteStringAs} with
 * {@code ByteUnit}, Spark 3.x): a whole number, optionally followed by a binary suffix
 * {@code b, k|kb, m|mb, g|gb, t|tb, p|pb} in any case; surrounding whitespace is ignored. A bare
 * number is in the setting's default unit: MiB for {@code spark.executor.memory} and
 * {@code spark.executor.memoryOverhead}, so {@code "1024"} there means 1 GiB. Fractions ("1.5g"),
 * Kubernetes suffixes ("4Gi"), signs and inner spaces are rejected, as Spark rejects them.
 * Converting to a larger unit truncates, as Spark does: {@code "1500k"} read as MiB is 1.
 *
 * <p>Errors are {@link IllegalArgumentException}s quoting the text; the caller adds the field.
 */
public final class SparkMemory {
    /** Bytes in one MiB, the unit Spark sizes executors in. */
    public static final long MIB = 1L << 20;

    /** Spark's byte units; all binary multiples. */
    public enum Unit {
        BYTE(1L), KIB(1L << 10), MIB(1L << 20), GIB(1L << 30), TIB(1L << 40), PIB(1L << 50);

        private final long multiplier;

        Unit(long multiplier) {
            this.multiplier = multiplier;
        }

        /**
         * {@code amount} of this unit in {@code target} units: exact when growing (failing on
         * overflow), truncated when shrinking (Spark's ByteUnit.convertTo).
         */
        long convertTo(long amount, Unit target) {
            if (multiplier > target.multiplier) {
                long ratio = multiplier / target.multiplier;
                if (Long.MAX_VALUE / ratio < amount) {
                    throw new ArithmeticException("overflow");
                }
                return amount * ratio;
            }
            return amount / (target.multiplier / multiplier);
        }
    }

    private static final Pattern WHOLE = Pattern.compile("([0-9]+)([a-z]+)?");
    private static final Pattern FRACTION = Pattern.compile("([0-9]+\\.[0-9]+)([a-z]+)?");
    private static final Map<String, Unit> SUFFIXES = Map.ofEntries(
            Map.entry("b", Unit.BYTE),
            Map.entry("k", Unit.KIB), Map.entry("kb", Unit.KIB),
            Map.entry("m", Unit.MIB), Map.entry("mb", Unit.MIB),
            Map.entry("g", Unit.GIB), Map.entry("gb", Unit.GIB),
            Map.entry("t", Unit.TIB), Map.entry("tb", Unit.TIB),
            Map.entry("p", Unit.PIB), Map.entry("pb", Unit.PIB));
    private static final String SUFFIX_HINT = "b, k, m, g, t or p";

    private SparkMemory() {
    }

    /** {@code text} in {@code unit}s, a bare number being in {@code unit}s (byteStringAs). */
    public static long parse(String text, Unit unit) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(unit, "unit");
        // Spark lower-cases before trimming; Locale.ROOT keeps it independent of the JVM's locale.
        String lower = text.toLowerCase(Locale.ROOT).trim();
        Matcher whole = WHOLE.matcher(lower);
        if (whole.matches()) {
            long amount;
            try {
                amount = Long.parseLong(whole.group(1));
            } catch (NumberFormatException e) {
                throw invalid(text, "the number is too large");
            }
            String suffix = whole.group(2);
            Unit written = unit;
            if (suffix != null) {
                written = SUFFIXES.get(suffix);
                if (written == null) {
                    throw invalid(text, "unknown suffix \"" + suffix + "\" (use " + SUFFIX_HINT + ")");
                }
            }
            try {
                return written.convertTo(amount, unit);
            } catch (ArithmeticException e) {
                throw invalid(text, "it is too large");
            }
        }
        if (FRACTION.matcher(lower).matches()) {
            throw invalid(text, "fractional values are not supported");
        }
        throw invalid(text, "expected a whole number with an optional suffix " + SUFFIX_HINT + " (e.g. 512m, 4g)");
    }

    /** {@code text} in bytes, a bare number being bytes (byteStringAsBytes). */
    public static long bytes(String text) {
        return parse(text, Unit.BYTE);
    }

    /** {@code text} in whole MiB, a bare number being MiB (byteStringAsMb). */
    public static long mebibytes(String text) {
        return parse(text, Unit.MIB);
    }

    /**
     * The bytes Spark uses for a setting read in MiB, such as {@code spark.executor.memory}:
     * {@link #mebibytes} times 1 MiB, so anything below a whole MiB is dropped as Spark drops it.
     */
    public static long mebibytesAsBytes(String text) {
        long mebibytes = mebibytes(text);
        if (mebibytes > Long.MAX_VALUE / MIB) {
            throw invalid(text, "it is too large");
        }
        return mebibytes * MIB;
    }

    private static IllegalArgumentException invalid(String text, String reason) {
        return new IllegalArgumentException("\"" + text + "\" is not a valid Spark memory size: " + reason);
    }
}
