package io.kubenexus.scheduler.kube.translate;

import io.fabric8.kubernetes.api.model.Quantity;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.model.ResourceNames;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts API quantities to the scheduler's units with the API server's rounding: cpu to
 * millicores and everything else to whole units, always rounding up (as {@code MilliValue()} and
 * {@code Value()} do), so a pod never asks for less than it declared.
 */
public final class KubeQuantities {
    /**
     * The API server's quantity grammar (apimachinery resource.ParseQuantity): a signed decimal
     * number, then a binary suffix, a decimal SI suffix or a decimal exponent. fabric8's parser
     * accepts some strings the API server rejects (and its arithmetic goes through doubles: 1Ei
     * came out 24 bytes off), so the grammar is checked and the amount computed here, exactly.
     */
    private static final Pattern GRAMMAR = Pattern.compile(
            "([+-]?)([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)([KMGTPE]i|[numkMGTPE]|[eE]([+-]?)([0-9]+))?");
    private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
            Map.entry("Ki", BigDecimal.valueOf(1L << 10)), Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
            Map.entry("Gi", BigDecimal.valueOf(1L << 30)), Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
            Map.entry("Pi", BigDecimal.valueOf(1L << 50)), Map.entry("Ei", BigDecimal.valueOf(1L << 60)),
            Map.entry("n", BigDecimal.ONE.scaleByPowerOfTen(-9)), Map.entry("u", BigDecimal.ONE.scaleByPowerOfTen(-6)),
            Map.entry("m", BigDecimal.ONE.scaleByPowerOfTen(-3)), Map.entry("k", BigDecimal.ONE.scaleByPowerOfTen(3)),
            Map.entry("M", BigDecimal.ONE.scaleByPowerOfTen(6)), Map.entry("G", BigDecimal.ONE.scaleByPowerOfTen(9)),
            Map.entry("T", BigDecimal.ONE.scaleByPowerOfTen(12)), Map.entry("P", BigDecimal.ONE.scaleByPowerOfTen(15)),
            Map.entry("E", BigDecimal.ONE.scaleByPowerOfTen(18)));

    private KubeQuantities() {
    }

    /** Why one quantity cannot be used; the caller adds where it was found. */
    public static final class BadQuantity extends Exception {
        private static final long serialVersionUID = 1L;
        private final String raw;

        BadQuantity(String raw, String reason) {
            super(reason, null, false, false);
            this.raw = raw;
        }

        /** e.g. {@code container "main": memory request "12x" is not a valid quantity}. */
        public String describe(String where) {
            return where + " \"" + raw + "\" " + getMessage();
        }
    }

    /**
     * Decimal exponents beyond this cannot give an amount a long holds (nor a positive one that rounds
     * to less than one unit worth telling apart).
     */
    private static final int MAX_EXPONENT = 40;

    /** Amount of {@code resource} in the scheduler's units. */
    public static long toUnits(String resource, Quantity quantity) throws BadQuantity {
        String raw = text(quantity);
        Matcher parts = GRAMMAR.matcher(raw);
        if (!parts.matches()) {
            throw new BadQuantity(raw, "is not a valid quantity");
        }
        BigDecimal value = new BigDecimal(parts.group(2));
        String suffix = parts.group(3);
        if (parts.group(5) != null) {
            // Bounded before BigDecimal arithmetic, which takes seconds for an exponent like 1e9999999.
            String digits = parts.group(5).replaceFirst("^0+(?=.)", "");
            if (digits.length() > 3 || Integer.parseInt(digits) > MAX_EXPONENT) {
                throw new BadQuantity(raw, "-".equals(parts.group(4)) ? "is too small" : "is too large");
            }
            value = value.scaleByPowerOfTen("-".equals(parts.group(4)) ? -Integer.parseInt(digits)
                    : Integer.parseInt(digits));
        } else if (suffix != null) {
            value = value.multiply(SUFFIXES.get(suffix));
        }
        if ("-".equals(parts.group(1))) {
            value = value.negate();
        }
        if (value.signum() < 0) {
            throw new BadQuantity(raw, "must not be negative");
        }
        if (isExtended(resource) && value.stripTrailingZeros().scale() > 0) {
            throw new BadQuantity(raw, "must be a whole number for an extended resource");
        }
        BigDecimal units = ResourceNames.CPU.equals(resource) ? value.movePointRight(3) : value;
        try {
            return units.setScale(0, RoundingMode.CEILING).longValueExact();
        } catch (ArithmeticException e) {
            throw new BadQuantity(raw, "is too large");
        }
    }

    /**
     * Amount of {@code resource} written as text (an annotation's value), read with the API
     * server's grammar (fabric8's {@code new Quantity(text)} is never involved: it throws on some
     * strings and accepts others the API server rejects).
     */
    public static long toUnits(String resource, String text) throws BadQuantity {
        Quantity quantity = new Quantity();
        quantity.setAmount(text == null ? "" : text);
        return toUnits(resource, quantity);
    }

    /**
     * Parses a resource map. {@code where} prefixes the resource name in messages, and
     * {@code kind} follows it, giving e.g. {@code container "main": memory request "12x" ...}.
     */
    static Map<String, Long> toUnits(Map<String, Quantity> quantities, String where, String kind)
            throws InvalidSpecException {
        if (quantities == null || quantities.isEmpty()) {
            return Map.of();
        }
        Map<String, Long> amounts = new HashMap<>(quantities.size() * 2);
        for (Map.Entry<String, Quantity> entry : quantities.entrySet()) {
            String resource = entry.getKey();
            try {
                amounts.put(resource, toUnits(resource, entry.getValue()));
            } catch (BadQuantity bad) {
                String subject = kind.isEmpty() ? resource : resource + " " + kind;
                throw new InvalidSpecException(bad.describe(where + subject));
            }
        }
        return amounts;
    }

    static ResourceList resourceList(Map<String, Long> amounts) {
        return amounts.isEmpty() ? ResourceList.EMPTY : ResourceList.of(amounts);
    }

    /**
     * Extended resources are fully qualified names outside the kubernetes.io domain
     * (nvidia.com/gpu); the API server only accepts whole numbers for them.
     */
    public static boolean isExtended(String resource) {
        int slash = resource.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String domain = resource.substring(0, slash);
        return !(domain.equals("kubernetes.io") || domain.endsWith(".kubernetes.io"));
    }

    private static String text(Quantity quantity) {
        if (quantity == null) {
            return "";
        }
        String amount = quantity.getAmount() == null ? "" : quantity.getAmount();
        String format = quantity.getFormat() == null ? "" : quantity.getFormat();
        return amount + format;
    }
}
