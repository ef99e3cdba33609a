package io.kubenexus.scheduler.bench.extender;

import io.kubenexus.scheduler.bench.extender.ExtenderRequests.BenchPod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@link ExtenderLoad} runs; validated when parsed.
 *
 * @param modes        which node modes: {@code names} (a: NodeNames) and/or {@code objects} (b: Nodes.items)
 * @param namesNodes   cluster size and candidates sent in names mode
 * @param objectsNodes cluster size and Node objects sent in objects mode
 * @param podsPerNode  bound pods on every node ({@code BenchClusters.filler})
 * @param pods         the pods sent; every (mode, verb, pod) is one row
 * @param warmup       sequential requests before each row's latency phase
 * @param requests     requests of the latency phase, one at a time
 * @param concurrency  clients of the throughput phase
 * @param throughput   how long the throughput phase runs
 * @param rounds       how many times every row runs (the table shows the median of each figure)
 * @param out          the JSON report
 */
record ExtenderLoadOptions(List<Mode> modes, int namesNodes, int objectsNodes, int podsPerNode, long seed,
                           List<BenchPod> pods, Duration warmup, int requests, int concurrency, Duration throughput,
                           int rounds, Path out) {

    enum Mode {
        /** (a) nodeCacheCapable: true. */
        NAMES("names"),
        /** (b) nodeCacheCapable: false. */
        OBJECTS("objects");

        final String label;

        Mode(String label) {
            this.label = label;
        }
    }

    static final String USAGE = """
            usage: ExtenderLoad [--modes names,objects] [--names-nodes 5000] [--objects-nodes 1000]
                                [--pods-per-node 30] [--seed 42] [--pods spark-executor,gpu]
                                [--warmup-seconds 3] [--requests 500] [--concurrency 4]
                                [--throughput-seconds 5] [--rounds 3] [--out bench/target/extender.json]""";

    ExtenderLoadOptions {
        if (modes.isEmpty() || pods.isEmpty()) {
            throw new IllegalArgumentException("--modes and --pods need at least one value");
        }
        positive("--names-nodes", namesNodes);
        positive("--objects-nodes", objectsNodes);
        positive("--requests", requests);
        positive("--concurrency", concurrency);
        positive("--rounds", rounds);
        if (podsPerNode < 0 || podsPerNode > 100) {
            throw new IllegalArgumentException("--pods-per-node must be 0..100, was " + podsPerNode);
        }
        if (warmup.isNegative() || throughput.isNegative() || throughput.isZero()) {
            throw new IllegalArgumentException("--warmup-seconds must be >= 0 and --throughput-seconds > 0");
        }
    }

    static ExtenderLoadOptions parse(String[] args) {
        List<Mode> modes = List.of(Mode.NAMES, Mode.OBJECTS);
        int namesNodes = 5000;
        int objectsNodes = 1000;
        int podsPerNode = 30;
        long seed = 42;
        List<BenchPod> pods = List.of(BenchPod.values());
        double warmup = 3;
        int requests = 500;
        int concurrency = 4;
        double throughput = 5;
        int rounds = 3;
        Path out = Path.of("bench/target/extender.json");
        for (int i = 0; i < args.length; i++) {
            String key = args[i];
            if (key.equals("--help") || key.equals("-h")) {
                throw new IllegalArgumentException(USAGE);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(key + " needs a value\n" + USAGE);
            }
            String value = args[++i];
            switch (key) {
                case "--modes" -> modes = list(value, Mode.values(), m -> m.label, key);
                case "--names-nodes" -> namesNodes = Integer.parseInt(value);
                case "--objects-nodes" -> objectsNodes = Integer.parseInt(value);
                case "--pods-per-node" -> podsPerNode = Integer.parseInt(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--pods" -> pods = list(value, BenchPod.values(), p -> p.label, key);
                case "--warmup-seconds" -> warmup = Double.parseDouble(value);
                case "--requests" -> requests = Integer.parseInt(value);
                case "--concurrency" -> concurrency = Integer.parseInt(value);
                case "--throughput-seconds" -> throughput = Double.parseDouble(value);
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + key + "\n" + USAGE);
            }
        }
        return new ExtenderLoadOptions(modes, namesNodes, objectsNodes, podsPerNode, seed, pods,
                Duration.ofMillis((long) (warmup * 1000)), requests, concurrency,
                Duration.ofMillis((long) (throughput * 1000)), rounds, out);
    }

    int nodes(Mode mode) {
        return mode == Mode.NAMES ? namesNodes : objectsNodes;
    }

    private static <T> List<T> list(String value, T[] choices, java.util.function.Function<T, String> label, String key) {
        List<T> chosen = new ArrayList<>();
        for (String part : value.split(",")) {
            T match = null;
            for (T choice : choices) {
                if (label.apply(choice).equals(part.trim().toLowerCase(Locale.ROOT))) {
                    match = choice;
                }
            }
            if (match == null) {
                throw new IllegalArgumentException(key + ": unknown value '" + part + "'");
            }
            chosen.add(match);
        }
        return List.copyOf(chosen);
    }

    private static void positive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive, was " + value);
        }
    }
}
