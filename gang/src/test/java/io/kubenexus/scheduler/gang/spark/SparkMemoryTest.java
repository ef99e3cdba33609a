package io.kubenexus.scheduler.gang.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Spark's byte strings, as JavaUtils.byteStringAsBytes / byteStringAsMb read them. */
class SparkMemoryTest {
    private static final long KI = 1L << 10;
    private static final long MI = 1L << 20;
    private static final long GI = 1L << 30;
    private static final long TI = 1L << 40;
    private static final long PI = 1L << 50;

    /** (name, text, bytes as byteStringAsBytes, MiB as byteStringAsMb). */
    static Stream<Arguments> valid() {
        return Stream.of(
                arguments("b", "100b", 100L, 0L),
                arguments("k", "2k", 2 * KI, 0L),
                arguments("kb", "2kb", 2 * KI, 0L),
                arguments("m", "512m", 512 * MI, 512L),
                arguments("mb", "512mb", 512 * MI, 512L),
                arguments("g", "4g", 4 * GI, 4096L),
                arguments("gb", "4gb", 4 * GI, 4096L),
                arguments("t", "1t", TI, 1L << 20),
                arguments("tb", "1tb", TI, 1L << 20),
                arguments("p", "1p", PI, 1L << 30),
                arguments("pb", "1pb", PI, 1L << 30),
                arguments("upper-case suffix G", "4G", 4 * GI, 4096L),
                arguments("upper-case suffix GB", "4GB", 4 * GI, 4096L),
                arguments("mixed-case suffix Gb", "4Gb", 4 * GI, 4096L),
                arguments("upper-case suffix M", "512M", 512 * MI, 512L),
                arguments("bare number: bytes for byteStringAsBytes, MiB for byteStringAsMb", "1024", 1024L, 1024L),
                arguments("bare zero", "0", 0L, 0L),
                arguments("leading zeros", "0004g", 4 * GI, 4096L),
                arguments("surrounding whitespace is trimmed", " \t4g\n", 4 * GI, 4096L),
                arguments("to MiB truncates: 1500k is 1 MiB", "1500k", 1500 * KI, 1L),
                arguments("to MiB truncates: one byte short of 1 MiB is 0", "1048575b", MI - 1, 0L),
                arguments("to MiB truncates: 1 MiB and a byte is 1", "1048577b", MI + 1, 1L),
                arguments("largest p that fits a long in bytes", "8191p", 8191 * PI, 8191L << 30),
                // Spark lower-cases with Locale.ROOT, and the Kelvin sign lower-cases to 'k'.
                arguments("Kelvin sign lower-cases to k as in Spark", "2\u212A", 2 * KI, 0L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void parsesAsSparkDoes(String name, String text, long bytes, long mebibytes) {
        assertThat(SparkMemory.bytes(text)).as("bytes").isEqualTo(bytes);
        assertThat(SparkMemory.mebibytes(text)).as("MiB").isEqualTo(mebibytes);
        assertThat(SparkMemory.mebibytesAsBytes(text)).as("MiB setting in bytes").isEqualTo(mebibytes * MI);
    }

    /** (name, text, the reason after "is not a valid Spark memory size: "). */
    static Stream<Arguments> invalid() {
        String expected = "expected a whole number with an optional suffix b, k, m, g, t or p (e.g. 512m, 4g)";
        return Stream.of(
                arguments("fraction with suffix", "1.5g", "fractional values are not supported"),
                arguments("fraction without suffix", "0.5", "fractional values are not supported"),
                arguments("Kubernetes suffix Gi", "4Gi", "unknown suffix \"gi\" (use b, k, m, g, t or p)"),
                arguments("Kubernetes suffix Mi", "512Mi", "unknown suffix \"mi\" (use b, k, m, g, t or p)"),
                arguments("spelled-out unit", "4gib", "unknown suffix \"gib\" (use b, k, m, g, t or p)"),
                arguments("letter suffix that is no unit", "4e", "unknown suffix \"e\" (use b, k, m, g, t or p)"),
                arguments("exponent", "1e3", expected),
                arguments("empty", "", expected),
                arguments("blank", "   ", expected),
                arguments("suffix only", "g", expected),
                arguments("negative", "-1g", expected),
                arguments("plus sign", "+1g", expected),
                arguments("space before the suffix", "4 g", expected),
                arguments("dot without decimals", "1.g", expected),
                arguments("non-ASCII digits", "\u0664g", expected),
                arguments("number beyond a long", "99999999999999999999", "the number is too large"),
                arguments("beyond a long even in MiB", "9000000000p", "it is too large"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejectsWhatSparkRejects(String name, String text, String reason) {
        String message = "\"" + text + "\" is not a valid Spark memory size: " + reason;
        assertThatThrownBy(() -> SparkMemory.bytes(text))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
        assertThatThrownBy(() -> SparkMemory.mebibytes(text))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).startsWith("\"" + text + "\" is not a valid Spark memory size"));
    }

    /** Sizes that fit a long in MiB but not in bytes: byteStringAsMb reads them, byteStringAsBytes does not. */
    static Stream<Arguments> tooLargeForBytes() {
        return Stream.of(
                arguments("9000000000000m", 9_000_000_000_000L),
                arguments("8192p", 8192L << 30));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tooLargeForBytes")
    void mebibyteSettingTooLargeForBytes(String text, long mebibytes) {
        assertThat(SparkMemory.mebibytes(text)).isEqualTo(mebibytes);
        assertThatThrownBy(() -> SparkMemory.bytes(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"" + text + "\" is not a valid Spark memory size: it is too large");
        assertThatThrownBy(() -> SparkMemory.mebibytesAsBytes(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"" + text + "\" is not a valid Spark memory size: it is too large");
    }
}
