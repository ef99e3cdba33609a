package io.kubenexus.scheduler.bench.soak;

import java.time.Duration;
import java.util.List;

/**
 * Options of {@link Soak}. Validated when built: a bad value fails naming the option.
 *
 * @param pods            pods to create through the scheduler (arrivals stop at this count or at the end)
 * @param nodes           synthetic nodes at the start (node churn replaces nodes, the count stays)
 * @param duration        how long arrivals and churn run
 * @param seed            seeds the cluster, the workload, lifetimes and churn
 * @param rate            arrivals per second; 0 means as fast as the loop goes (a constant backlog of
 *                        pending pods, one new pod per bind)
 * @param mix             the pods: {@link Mix#SOAK} (singles, gangs, Spark applications) or {@link Mix#WEB}
 *                        (DecisionBenchmark's pod on its 30-pods-per-node cluster)
 * @param lifetime        mean running time of a pod (exponential, capped at 5x), rate mode only
 * @param population      rate 0 only: running pods beyond this finish, oldest first, so the cluster's fill
 *                        (and with it the cost of a decision) stays steady
 * @param backlog         rate 0 only: pending pods kept waiting
 * @param prefillPerNode  bound pods put on every node before the start (the decision benchmark's fill)
 * @param patience        pods pending longer than this are deleted by their owner (counted, with or
 *                        without the reason the scheduler gave)
 * @param nodeChurn       one node removed (its pods deleted with it) and a new one added this often; zero: none
 * @param sampleEvery     heap after GC and the loop's book sizes are sampled this often
 * @param json            print the report as JSON (progress goes to stderr)
 */
public record SoakOptions(int pods, int nodes, Duration duration, long seed, double rate, Mix mix, Duration lifetime,
                          int population, int backlog, int prefillPerNode, Duration patience, Duration nodeChurn,
                          Duration sampleEvery, boolean json) {
    /** What arrives. */
    public enum Mix {
        SOAK, WEB
    }

    /** Samples needed for a trend: two in each quarter of the run. */
    static final int MIN_SAMPLES = 8;

    static final String USAGE = """
            usage: Soak [--pods N] [--nodes N] [--minutes M] [--seed N] [--rate R|max] [--mix soak|web]
                        [--lifetime-seconds S] [--population N] [--backlog N] [--prefill N]
                        [--patience-seconds S] [--node-churn-seconds S] [--sample-seconds S] [--json]
              --pods                 pods to create (default 100000)
              --nodes                nodes (default 5000)
              --minutes              how long pods arrive, fractions allowed (default 30)
              --seed                 seed of cluster, workload, lifetimes, churn (default 1)
              --rate                 arrivals per second (default pods / seconds), or max: as fast as it goes
              --mix                  soak: singles, gangs and Spark applications (default with a rate);
                                     web: DecisionBenchmark's pod (default with --rate max)
              --lifetime-seconds     mean running time with a rate (default min(120, run / 10))
              --population           with max: running pods kept (default 10000)
              --backlog              with max: pending pods kept (default 500)
              --prefill              bound pods per node before the start (default 30 for web, 0 for soak)
              --patience-seconds     pending pods are deleted by their owner after this (default 120)
              --node-churn-seconds   replace one node this often, 0 for none (default 10)
              --sample-seconds       heap and book sizes sampled this often (default 30)
              --json                 print the report as JSON""";

    public SoakOptions {
        require(pods >= 1, "--pods", "must be at least 1", pods);
        require(nodes >= 5, "--nodes", "must be at least 5", nodes);
        require(duration != null && !duration.isNegative() && !duration.isZero(), "--minutes", "must be positive", duration);
        require(rate >= 0 && Double.isFinite(rate), "--rate", "must be a non-negative number or max", rate);
        require(mix != null, "--mix", "must be soak or web", mix);
        require(lifetime != null && !lifetime.isNegative() && !lifetime.isZero(), "--lifetime-seconds", "must be positive",
                lifetime);
        require(population >= 1, "--population", "must be at least 1", population);
        require(backlog >= 1, "--backlog", "must be at least 1", backlog);
        require(prefillPerNode >= 0 && prefillPerNode <= 100, "--prefill", "must be 0..100", prefillPerNode);
        require(patience != null && !patience.isNegative() && !patience.isZero(), "--patience-seconds", "must be positive",
                patience);
        require(nodeChurn != null && !nodeChurn.isNegative(), "--node-churn-seconds", "must not be negative", nodeChurn);
        require(sampleEvery != null && !sampleEvery.isNegative() && !sampleEvery.isZero(), "--sample-seconds",
                "must be positive", sampleEvery);
        // Trends compare the second quarter of the run with the last: each needs samples.
        require(duration.toNanos() / sampleEvery.toNanos() >= MIN_SAMPLES, "--sample-seconds",
                "must give at least " + MIN_SAMPLES + " samples over --minutes (" + duration.toMillis() / 1000.0 + " s)",
                sampleEvery.toMillis() / 1000.0);
    }

    /** Arrivals as fast as the loop places pods. */
    public boolean asFastAsItGoes() {
        return rate == 0;
    }

    public static SoakOptions parse(List<String> args) {
        int pods = 100_000;
        int nodes = 5_000;
        double minutes = 30;
        long seed = 1;
        Double rate = null;
        Mix mix = null;
        Double lifetimeSeconds = null;
        int population = 10_000;
        int backlog = 500;
        Integer prefill = null;
        double patienceSeconds = 120;
        double churnSeconds = 10;
        double sampleSeconds = 30;
        boolean json = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--pods" -> pods = (int) number(args, ++i, arg);
                case "--nodes" -> nodes = (int) number(args, ++i, arg);
                case "--minutes" -> minutes = number(args, ++i, arg);
                case "--seed" -> seed = (long) number(args, ++i, arg);
                case "--rate" -> rate = value(args, ++i, arg).equals("max") ? 0.0 : number(args, i, arg);
                case "--mix" -> mix = mix(value(args, ++i, arg));
                case "--lifetime-seconds" -> lifetimeSeconds = number(args, ++i, arg);
                case "--population" -> population = (int) number(args, ++i, arg);
                case "--backlog" -> backlog = (int) number(args, ++i, arg);
                case "--prefill" -> prefill = (int) number(args, ++i, arg);
                case "--patience-seconds" -> patienceSeconds = number(args, ++i, arg);
                case "--node-churn-seconds" -> churnSeconds = number(args, ++i, arg);
                case "--sample-seconds" -> sampleSeconds = number(args, ++i, arg);
                case "--json" -> json = true;
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (!(minutes > 0)) {
            throw new IllegalArgumentException("--minutes: must be positive, was " + minutes);
        }
        Duration duration = seconds(minutes * 60);
        double arrivalRate = rate != null ? rate : pods / (minutes * 60);
        Mix chosenMix = mix != null ? mix : arrivalRate == 0 ? Mix.WEB : Mix.SOAK;
        Duration lifetime = seconds(lifetimeSeconds != null ? lifetimeSeconds : Math.min(120, minutes * 6));
        int prefillPerNode = prefill != null ? prefill : chosenMix == Mix.WEB ? 30 : 0;
        return new SoakOptions(pods, nodes, duration, seed, arrivalRate, chosenMix, lifetime, population, backlog,
                prefillPerNode, seconds(patienceSeconds), seconds(churnSeconds), seconds(sampleSeconds), json);
    }

    private static Mix mix(String value) {
        return switch (value) {
            case "soak" -> Mix.SOAK;
            case "web" -> Mix.WEB;
            default -> throw new IllegalArgumentException("--mix: must be soak or web, was '" + value + "'");
        };
    }

    private static Duration seconds(double seconds) {
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }

    private static String value(List<String> args, int index, String key) {
        if (index >= args.size()) {
            throw new IllegalArgumentException(key + ": a value is required");
        }
        return args.get(index);
    }

    private static double number(List<String> args, int index, String key) {
        String text = value(args, index, key);
        try {
            return Double.parseDouble(text.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": not a number: '" + text + "'");
        }
    }

    private static void require(boolean ok, String key, String rule, Object value) {
        if (!ok) {
            throw new IllegalArgumentException(key + ": " + rule + ", was " + value);
        }
    }
}
