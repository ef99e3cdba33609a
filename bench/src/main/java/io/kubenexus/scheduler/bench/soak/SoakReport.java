package io.kubenexus.scheduler.bench.soak;

import io.kubenexus.scheduler.core.loop.LoopStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a soak measured and whether the books balance. The checks:
 * <ul>
 *   <li>no pod lost: every created pod is running, finished, deleted (with its node or its
 *       application, or by its owner after waiting, told why), or pending told why;</li>
 *   <li>the loop agrees with the cluster at the end: its queue holds every pending pod, it accounts
 *       every running pod (plus its executor reservations);</li>
 *   <li>no node over its allocatable, no gang partly bound, no pod bound twice;</li>
 *   <li>every collection of the loop ({@code SchedulingLoop.bookkeepingSizes()}) bounded ({@link Trend#bounded()}).</li>
 * </ul>
 * The heap's slope is reported, not judged here: the bound depends on the run's length (the CI test
 * applies one).
 */
record SoakReport(SoakOptions options, String machine, double seconds, List<Sample> samples,
                  Map<String, Trend> books, Trend heap, SimulatedCluster.Audit audit, Map<String, Integer> finalBooks,
                  LoopStats stats, Throughput throughput, double inboxSlack, List<Check> checks) {

    /** One sample: seconds since arrivals started; heap after GC (-1 when not taken); the loop's book sizes. */
    record Sample(double seconds, long heapAfterGc, Map<String, Integer> books, long created, long bound) {
    }

    /**
     * Pods bound per second over the measuring window, and the loop's own medians there.
     *
     * @param attemptMedianNanos a successful attempt as the loop times it (decision and assume)
     * @param bindRoundTripMedianNanos from the bind call to its result applied by the loop
     */
    record Throughput(double windowSeconds, long binds, double podsPerSecond, long attemptMedianNanos, int attemptSamples,
                      long attemptMeanNanos, long bindRoundTripMedianNanos, long loopCpuNanosPerPod, double processCpus) {
        /** Wall time per bound pod over the loop's own median attempt, minus one. */
        double overheadOverAttempt() {
            return podsPerSecond == 0 || attemptMedianNanos == 0 ? Double.NaN
                    : 1e9 / podsPerSecond / attemptMedianNanos - 1;
        }

        /** The loop thread's CPU time per bound pod over its median attempt, minus one: the machine's load left out. */
        double cpuOverheadOverAttempt() {
            return loopCpuNanosPerPod == 0 || attemptMedianNanos == 0 ? Double.NaN
                    : (double) loopCpuNanosPerPod / attemptMedianNanos - 1;
        }
    }

    record Check(String name, boolean passed, String detail) {
    }

    static final String BOUNDED = "loop's collections bounded";

    private static double slack(String book, double inboxSlack) {
        return book.equals("inbox") ? inboxSlack : Trend.ALLOWED_SLACK;
    }

    boolean passed() {
        return checks.stream().allMatch(Check::passed);
    }

    List<Check> failures() {
        return checks.stream().filter(c -> !c.passed()).toList();
    }

    /**
     * @param inboxSlack how far the loop's inbox may wander: events waiting while the loop decides
     *                   (as fast as it goes, up to a few per pending pod of the backlog)
     */
    static List<Check> checks(SimulatedCluster.Audit audit, Map<String, Integer> finalBooks, Map<String, Trend> books,
                              double inboxSlack) {
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("no pod lost", audit.lost() == 0, audit.pendingWithoutReason() + " pending and "
                + audit.fate(SimulatedCluster.Fate.GAVE_UP_WITHOUT_REASON) + " given up without a reason from the scheduler"));
        checks.add(new Check("every pod accounted for once", audit.accountedFor() == audit.created(),
                audit.accountedFor() + " of " + audit.created()));
        int pending = audit.pendingWithReason() + audit.pendingWithoutReason();
        checks.add(new Check("loop queue = pending pods", finalBooks.getOrDefault("queue", -1) == pending,
                "queue " + finalBooks.get("queue") + ", pending " + pending));
        int expectedAccounted = audit.running() + audit.runningPrefilled() + finalBooks.getOrDefault("reservations", 0);
        checks.add(new Check("loop accounts = running pods + reservations",
                finalBooks.getOrDefault("accountedPods", -1) == expectedAccounted,
                "accounted " + finalBooks.get("accountedPods") + ", running " + (audit.running() + audit.runningPrefilled())
                        + " + reservations " + finalBooks.get("reservations")));
        checks.add(new Check("loop nodes = cluster nodes", finalBooks.getOrDefault("nodes", -1) == audit.nodes(),
                "loop " + finalBooks.get("nodes") + ", cluster " + audit.nodes()));
        checks.add(new Check("no node over allocatable", audit.overcommittedNodes() == 0,
                audit.overcommittedNodes() + (audit.firstOvercommit() == null ? "" : " (" + audit.firstOvercommit() + ")")));
        checks.add(new Check("no gang partly bound", audit.partialGangs() == 0, String.valueOf(audit.partialGangs())));
        checks.add(new Check("no pod bound twice", audit.doubleBinds() == 0, String.valueOf(audit.doubleBinds())));
        checks.add(new Check("the simulated cluster ran without errors", audit.errors() == 0,
                audit.errors() + (audit.firstError() == null ? "" : " (first: " + audit.firstError() + ")")));
        List<String> growing = books.entrySet().stream()
                .filter(e -> !e.getValue().bounded(slack(e.getKey(), inboxSlack)))
                .map(Map.Entry::getKey).toList();
        checks.add(new Check(BOUNDED, growing.isEmpty(), growing.isEmpty() ? "all"
                : "growing: " + growing));
        return checks;
    }

    String text() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Soak: %s mix, %,d nodes, rate %s, %.1f min of arrivals, seed %d%n",
                options.mix().name().toLowerCase(Locale.ROOT), options.nodes(),
                options.asFastAsItGoes() ? "max (backlog " + options.backlog() + ", population " + options.population() + ")"
                        : String.format(Locale.ROOT, "%.1f/s", options.rate()),
                seconds / 60, options.seed()));
        out.append("  machine: ").append(machine).append('\n');
        out.append(String.format(Locale.ROOT, "  pods: %,d created (+%,d prefilled): %,d running, %,d finished, %,d deleted"
                        + " with their node, %,d with their application, %,d given up on after %ds (told why), %,d deleted"
                        + " before their first attempt, %,d pending (told why); LOST: %,d%n",
                audit.created(), audit.runningPrefilled(), audit.running(), audit.fate(SimulatedCluster.Fate.FINISHED),
                audit.fate(SimulatedCluster.Fate.DELETED_WITH_NODE), audit.fate(SimulatedCluster.Fate.DELETED_WITH_APPLICATION),
                audit.fate(SimulatedCluster.Fate.GAVE_UP_WITH_REASON), options.patience().toSeconds(),
                audit.fate(SimulatedCluster.Fate.DELETED_BEFORE_ATTEMPT), audit.pendingWithReason(), audit.lost()));
        out.append(String.format(Locale.ROOT, "  nodes: %,d replaced; binds to nodes already gone %,d, of pods already gone %,d%n",
                audit.replacedNodes(), audit.bindsToGoneNodes(), audit.bindsOfGonePods()));
        out.append(String.format(Locale.ROOT, "  loop: %,d attempts, %,d bound, %,d unschedulable attempts, %,d reservations"
                        + " expired%n", stats.attempts(), stats.scheduled(), stats.unschedulableAttempts(),
                stats.reservationsExpired()));
        out.append(String.format(Locale.ROOT, "  throughput: %.0f pods/s over %.0f s (%,d binds); loop's attempt median %.1f us,"
                        + " mean %.1f us (%,d samples); bind round trip median %.1f us%n",
                throughput.podsPerSecond(), throughput.windowSeconds(), throughput.binds(),
                throughput.attemptMedianNanos() / 1e3, throughput.attemptMeanNanos() / 1e3, throughput.attemptSamples(),
                throughput.bindRoundTripMedianNanos() / 1e3));
        if (options.asFastAsItGoes() && throughput.binds() == 0) {
            out.append("  per bound pod: no binds in the window (is the cluster full? --population beyond its room)\n");
        } else if (options.asFastAsItGoes()) {
            out.append(String.format(Locale.ROOT, "  per bound pod: %.1f us wall, %.1f us CPU of the loop thread; over the"
                            + " median attempt: %+.0f%% wall, %+.0f%% CPU; the process used %.2f CPUs%n",
                    1e6 / throughput.podsPerSecond(), throughput.loopCpuNanosPerPod() / 1e3,
                    100 * throughput.overheadOverAttempt(), 100 * throughput.cpuOverheadOverAttempt(),
                    throughput.processCpus()));
        }
        if (heap.max() > 0) {
            out.append(String.format(Locale.ROOT, "  heap after GC: slope %+.2f MiB/min over the second half (%+.1f bytes per"
                            + " pod created), last %.1f MiB, max %.1f MiB%n", heap.slopePerMinute() / (1 << 20),
                    heapBytesPerCreatedPod(), heap.last() / (1 << 20), heap.max() / (1 << 20)));
        }
        out.append("  loop's collections (second-quarter mean -> last-quarter mean, max, final; slope/min over 2nd half):\n");
        books.forEach((name, trend) -> out.append(String.format(Locale.ROOT, "    %-18s %9.1f -> %9.1f  max %7.0f  final %7.0f"
                        + "  %+8.1f/min  %s%n", name, trend.secondQuarterMean(), trend.lastQuarterMean(), trend.max(),
                (double) finalBooks.getOrDefault(name, -1), trend.slopePerMinute(),
                trend.bounded(slack(name, inboxSlack)) ? "bounded" : "GROWING")));
        out.append("  checks:\n");
        for (Check check : checks) {
            out.append(String.format(Locale.ROOT, "    [%s] %s: %s%n", check.passed() ? "ok" : "FAILED", check.name(),
                    check.detail()));
        }
        return out.toString();
    }

    /** The heap slope divided by the arrivals per minute: bytes kept per pod that came, if it were a leak. */
    double heapBytesPerCreatedPod() {
        double podsPerMinute = audit.created() / (seconds / 60);
        return podsPerMinute == 0 ? 0 : heap.slopePerMinute() / podsPerMinute;
    }

    String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("mix", options.mix().name().toLowerCase(Locale.ROOT));
        root.put("nodes", options.nodes());
        root.put("rate", options.asFastAsItGoes() ? "max" : options.rate());
        root.put("seconds", seconds);
        root.put("seed", options.seed());
        root.put("machine", machine);
        root.put("created", audit.created());
        root.put("running", audit.running());
        root.put("prefilled", audit.runningPrefilled());
        audit.fates().forEach((fate, count) -> root.put(fate.name().toLowerCase(Locale.ROOT), count));
        root.put("pendingWithReason", audit.pendingWithReason());
        root.put("lost", audit.lost());
        root.put("podsPerSecond", throughput.podsPerSecond());
        root.put("attemptMedianMicros", throughput.attemptMedianNanos() / 1e3);
        root.put("bindRoundTripMedianMicros", throughput.bindRoundTripMedianNanos() / 1e3);
        root.put("attemptMeanMicros", throughput.attemptMeanNanos() / 1e3);
        root.put("loopCpuMicrosPerPod", throughput.loopCpuNanosPerPod() / 1e3);
        root.put("overheadOverAttempt", throughput.overheadOverAttempt());
        root.put("cpuOverheadOverAttempt", throughput.cpuOverheadOverAttempt());
        root.put("processCpus", throughput.processCpus());
        root.put("heapSlopeBytesPerMinute", heap.slopePerMinute());
        root.put("heapLastBytes", heap.last());
        Map<String, Object> bookJson = new LinkedHashMap<>();
        books.forEach((name, t) -> bookJson.put(name, "{\"secondQuarterMean\":" + t.secondQuarterMean()
                + ",\"lastQuarterMean\":" + t.lastQuarterMean() + ",\"max\":" + t.max() + ",\"slopePerMinute\":"
                + t.slopePerMinute() + ",\"bounded\":" + t.bounded() + "}"));
        root.put("books", bookJson);
        root.put("passed", passed());
        root.put("failures", failures().stream().map(c -> c.name() + ": " + c.detail()).toList());
        return toJson(root);
    }

    private static String toJson(Object value) {
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(e -> quote(String.valueOf(e.getKey())) + ":" + toJson(e.getValue()))
                    .collect(Collectors.joining(",", "{", "}"));
        }
        if (value instanceof List<?> list) {
            return list.stream().map(SoakReport::toJson).collect(Collectors.joining(",", "[", "]"));
        }
        if (value instanceof String s) {
            return s.startsWith("{") ? s : quote(s);
        }
        if (value instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? "null" : String.format(Locale.ROOT, "%.3f", d);
        }
        return String.valueOf(value);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
