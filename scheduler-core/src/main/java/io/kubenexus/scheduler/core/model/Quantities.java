package io.kubenexus.scheduler.core.model;

/** Formats amounts in the scheduler's units the way a user reads them in kubectl. */
public final class Quantities {
    private static final long KI = 1024;
    private static final String[] BINARY_SUFFIXES = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};

    private Quantities() {
    }

    public static String format(String resource, long amount) {
        if (ResourceNames.CPU.equals(resource)) {
            return amount % 1000 == 0 ? Long.toString(amount / 1000) : amount + "m";
        }
        if (ResourceNames.MEMORY.equals(resource) || ResourceNames.EPHEMERAL_STORAGE.equals(resource)) {
            return bytes(amount);
        }
        return Long.toString(amount);
    }

    /** A duration as Kubernetes writes it: 5m0s, 90s, 1h0m0s. */
    public static String duration(java.time.Duration duration) {
        long seconds = duration.getSeconds();
        StringBuilder out = new StringBuilder();
        if (seconds >= 3600) {
            out.append(seconds / 3600).append('h');
            seconds %= 3600;
            out.append(seconds / 60).append('m');
            seconds %= 60;
        } else if (seconds >= 60) {
            out.append(seconds / 60).append('m');
            seconds %= 60;
        }
        return out.append(seconds).append('s').toString();
    }

    /** Largest binary suffix that keeps the value whole, e.g. 28Gi or 1536Mi. */
    public static String bytes(long amount) {
        if (amount == 0) {
            return "0";
        }
        String suffix = "";
        long value = amount;
        for (String next : BINARY_SUFFIXES) {
            if (value % KI != 0) {
                break;
            }
            value /= KI;
            suffix = next;
        }
        return value + suffix;
    }
}
