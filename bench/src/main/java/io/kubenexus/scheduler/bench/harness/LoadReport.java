package io.kubenexus.scheduler.bench.harness;

import java.util.Locale;

/**
 * The outcome of one {@link LoadHarness} run.
 *
 * @param creationPodsPerSecond pods created over first create sent to last create returned
 * @param bindPodsPerSecond     pods bound over first to last bind seen by the harness's watch
 * @param bindToCreationRatio   bind rate / creation rate (goal at least 0.9); 0 without a scheduler
 * @param endToEndSeconds       first create sent to last bind seen
 * @param latencyP50Millis      create call returned to bind seen, median
 * @param boundBeforeCreateReturned binds the watch saw before the creator saw its create answer (counted as 0 ms)
 * @param creationTimestamp     what the server's creationTimestamp looked like (its precision decides whether it can time pods)
 */
record LoadReport(int nodes, int pods, int creatorThreads, long seed, boolean creationOnly, int created,
                  int createFailures, int bound, double creationSeconds, double creationPodsPerSecond,
                  double bindSeconds, double bindPodsPerSecond, double bindToCreationRatio, double endToEndSeconds,
                  double latencyP50Millis, double latencyP90Millis, double latencyP99Millis, double latencyMaxMillis,
                  int boundBeforeCreateReturned, long attempts, long scheduled, long bindFailures, long bindConflicts,
                  long unschedulableAttempts, String creationTimestamp) {

    static final double RATIO_GOAL = 0.9;

    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        // Nearest rank: the smallest value with at least p of the samples at or below it.
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }

    String text() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "LoadHarness: %d nodes, %d pods, %d creator threads, seed %d%s%n",
                nodes, pods, creatorThreads, seed, creationOnly ? ", creation only (no scheduler)" : ""));
        out.append(String.format(Locale.ROOT, "  API pod creation   %8.1f pods/s   (%d created, %d failed, in %.2f s)%n",
                creationPodsPerSecond, created, createFailures, creationSeconds));
        if (!creationOnly) {
            out.append(String.format(Locale.ROOT, "  scheduler binding  %8.1f pods/s   (%d bound, first to last bind %.2f s)%n",
                    bindPodsPerSecond, bound, bindSeconds));
            out.append(String.format(Locale.ROOT, "  bind / creation    %8.2f          (goal >= %.1f: %s)%n",
                    bindToCreationRatio, RATIO_GOAL, bindToCreationRatio >= RATIO_GOAL ? "met" : "NOT met"));
            out.append(String.format(Locale.ROOT, "  end to end         %8.2f s        (first create sent to last bind seen)%n",
                    endToEndSeconds));
            out.append(String.format(Locale.ROOT, "  create -> bind     p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    latencyP50Millis, latencyP90Millis, latencyP99Millis, latencyMaxMillis));
            out.append(String.format(Locale.ROOT, "  scheduler          %d attempts, %d bound, %d bind failures, %d bind "
                            + "conflicts, %d unschedulable attempts%n",
                    attempts, scheduled, bindFailures, bindConflicts, unschedulableAttempts));
            if (boundBeforeCreateReturned > 0) {
                out.append(String.format(Locale.ROOT, "  note: %d bind(s) seen before the creator saw its create answer "
                        + "(counted as 0 ms)%n", boundBeforeCreateReturned));
            }
        }
        out.append("  method: creation time = when the create call returned to the creator thread; bind time = the\n"
                + "          first event of the harness's own watch showing spec.nodeName (the server's creationTimestamp\n"
                + "          looks like '" + creationTimestamp + "'" + (creationTimestamp.contains(".")
                ? "" : ": whole seconds, too coarse, not used") + ")\n");
        return out.toString();
    }

    String json() {
        return String.format(Locale.ROOT, "{\"nodes\":%d,\"pods\":%d,\"creatorThreads\":%d,\"seed\":%d,\"creationOnly\":%b,"
                        + "\"created\":%d,\"createFailures\":%d,\"bound\":%d,"
                        + "\"creationSeconds\":%.3f,\"creationPodsPerSecond\":%.1f,"
                        + "\"bindSeconds\":%.3f,\"bindPodsPerSecond\":%.1f,\"bindToCreationRatio\":%.3f,"
                        + "\"endToEndSeconds\":%.3f,"
                        + "\"createToBindMillis\":{\"p50\":%.1f,\"p90\":%.1f,\"p99\":%.1f,\"max\":%.1f},"
                        + "\"boundBeforeCreateReturned\":%d,"
                        + "\"scheduler\":{\"attempts\":%d,\"scheduled\":%d,\"bindFailures\":%d,\"bindConflicts\":%d,"
                        + "\"unschedulableAttempts\":%d},"
                        + "\"creationTimestampSample\":\"%s\"}",
                nodes, pods, creatorThreads, seed, creationOnly, created, createFailures, bound, creationSeconds,
                creationPodsPerSecond, bindSeconds, bindPodsPerSecond, bindToCreationRatio, endToEndSeconds,
                latencyP50Millis, latencyP90Millis, latencyP99Millis, latencyMaxMillis, boundBeforeCreateReturned,
                attempts, scheduled, bindFailures, bindConflicts, unschedulableAttempts,
                creationTimestamp.replace("\"", ""));
    }
}
