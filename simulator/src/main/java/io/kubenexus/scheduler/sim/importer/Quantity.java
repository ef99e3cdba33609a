package io.kubenexus.scheduler.sim.importer;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Kubernetes quantities as the workload file and the command line write them: cpu {@code 500m},
 * {@code 2} or {@code 1.5}; memory {@code 16Gi}, {@code 512Mi}, {@code 1G} or bytes; counts as whole
 * numbers. Errors name the field and never accept a negative amount.
 */
public final class Quantity {
    private Quantity() {
    }

    public static long cpuMilli(String text, String field) {
        String value = trimmed(text, field);
        BigDecimal amount;
        if (value.endsWith("m")) {
            amount = number(value.substring(0, value.length() - 1), text, field);
        } else {
            amount = number(value, text, field).multiply(BigDecimal.valueOf(1000));
        }
        return whole(amount.setScale(0, RoundingMode.CEILING), text, field);
    }

    public static long bytes(String text, String field) {
        String value = trimmed(text, field);
        String[][] suffixes = {{"Ki", "1024"}, {"Mi", "1048576"}, {"Gi", "1073741824"}, {"Ti", "1099511627776"},
            {"k", "1000"}, {"M", "1000000"}, {"G", "1000000000"}, {"T", "1000000000000"}};
        for (String[] suffix : suffixes) {
            if (value.endsWith(suffix[0])) {
                BigDecimal amount = number(value.substring(0, value.length() - suffix[0].length()), text, field)
                        .multiply(new BigDecimal(suffix[1]));
                return whole(amount.setScale(0, RoundingMode.CEILING), text, field);
            }
        }
        return whole(number(value, text, field).setScale(0, RoundingMode.CEILING), text, field);
    }

    public static long count(String text, String field) {
        String value = trimmed(text, field);
        try {
            long number = Long.parseLong(value);
            if (number < 0) {
                throw new IllegalArgumentException(field + ": must not be negative, was " + value);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": expected a whole number, was '" + value + "'", e);
        }
    }

    private static String trimmed(String text, String field) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(field + ": missing value");
        }
        return text.trim();
    }

    private static BigDecimal number(String digits, String text, String field) {
        BigDecimal amount;
        try {
            amount = new BigDecimal(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": not a quantity: '" + text + "'", e);
        }
        if (amount.signum() < 0) {
            throw new IllegalArgumentException(field + ": must not be negative, was " + text);
        }
        return amount;
    }

    private static long whole(BigDecimal amount, String text, String field) {
        try {
            return amount.longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(field + ": too large: '" + text + "'", e);
        }
    }
}
