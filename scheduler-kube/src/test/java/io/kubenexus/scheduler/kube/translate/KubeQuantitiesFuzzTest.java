package io.kubenexus.scheduler.kube.translate;

import static io.kubenexus.scheduler.core.testing.Fuzz.BLOW_UP_NANOS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.kubenexus.scheduler.core.testing.Fuzz;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Quantities from outside (annotations, objects the API server did not validate) against an
 * oracle written from the API's quantity grammar: every input ends in the amount the oracle
 * computes or in a {@link KubeQuantities.BadQuantity} that names the input, never in another
 * exception, and never slowly (1e9999999 once took 22 s).
 */
class KubeQuantitiesFuzzTest {
    private static final List<String> EXAMPLES = List.of("2", "500m", "1.5", "0.1", "2Gi", "512Mi", "100Ki", "1G",
            "3k", "1e3", "2E6", "1.5e-3", "+4", "0", "1Ei", "7T", "250u", "10n", "1E", ".5", "5.");
    private static final Pattern NUMBER = Pattern.compile("([+-]?)([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(.*)", Pattern.DOTALL);
    private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
            Map.entry("", BigDecimal.ONE),
            Map.entry("Ki", BigDecimal.valueOf(1L << 10)), Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
            Map.entry("Gi", BigDecimal.valueOf(1L << 30)), Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
            Map.entry("Pi", BigDecimal.valueOf(1L << 50)), Map.entry("Ei", BigDecimal.valueOf(1L << 60)),
            Map.entry("n", new BigDecimal("1e-9")), Map.entry("u", new BigDecimal("1e-6")),
            Map.entry("m", new BigDecimal("1e-3")), Map.entry("k", new BigDecimal("1e3")),
            Map.entry("M", new BigDecimal("1e6")), Map.entry("G", new BigDecimal("1e9")),
            Map.entry("T", new BigDecimal("1e12")), Map.entry("P", new BigDecimal("1e15")),
            Map.entry("E", new BigDecimal("1e18")));
    private static final Pattern EXPONENT = Pattern.compile("[eE]([+-]?[0-9]+)");

    @Test
    void everyQuantityEndsInTheOraclesAmountOrANamedError() {
        for (String resource : List.of("cpu", "memory", "nvidia.com/gpu")) {
            Fuzz.named("quantities " + resource).cases(3_000).strings(EXAMPLES, text -> {
                long start = System.nanoTime();
                Long expected = oracle(resource, text);
                try {
                    long amount = KubeQuantities.toUnits(resource, text);
                    assertThat(expected).as("accepted %s %s", resource, text).isNotNull();
                    assertThat(amount).isEqualTo(expected);
                } catch (KubeQuantities.BadQuantity bad) {
                    assertThat(expected).as("refused %s %s: %s", resource, text, bad.getMessage()).isNull();
                    assertThat(bad.describe(resource)).startsWith(resource + " \"" + text + "\" ");
                }
                assertThat(System.nanoTime() - start).as("time for %s", text).isLessThan(BLOW_UP_NANOS);
            });
        }
    }

    /** The amount in the scheduler's units, or null when the API would refuse it or no long holds it. */
    private static Long oracle(String resource, String text) {
        Matcher number = NUMBER.matcher(text);
        if (!number.matches()) {
            return null;
        }
        BigDecimal value = new BigDecimal(number.group(2).endsWith(".") ? number.group(2) + "0" : number.group(2));
        String suffix = number.group(3);
        Matcher exponent = EXPONENT.matcher(suffix);
        if (exponent.matches()) {
            String digits = exponent.group(1).replaceFirst("^[+-]", "");
            if (digits.length() > 6 || Integer.parseInt(digits) > 40) {
                return null; // our bound: far beyond any amount
            }
            value = value.scaleByPowerOfTen(Integer.parseInt(exponent.group(1)));
        } else if (SUFFIXES.containsKey(suffix)) {
            value = value.multiply(SUFFIXES.get(suffix));
        } else {
            return null;
        }
        if ("-".equals(number.group(1)) && value.signum() != 0) {
            return null;
        }
        if (resource.contains("/") && value.stripTrailingZeros().scale() > 0) {
            return null;
        }
        BigDecimal units = resource.equals("cpu") ? value.movePointRight(3) : value;
        BigDecimal rounded = units.setScale(0, RoundingMode.CEILING);
        if (rounded.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return null;
        }
        return rounded.longValueExact();
    }

    @Test
    void theOracleAgreesOnTheExamples() {
        try {
            assertThat(KubeQuantities.toUnits("cpu", "1.5e-3")).isEqualTo(oracle("cpu", "1.5e-3")).isEqualTo(2);
            assertThat(KubeQuantities.toUnits("memory", "2Gi")).isEqualTo(oracle("memory", "2Gi")).isEqualTo(2L << 30);
        } catch (KubeQuantities.BadQuantity e) {
            fail(e.getMessage());
        }
    }
}
