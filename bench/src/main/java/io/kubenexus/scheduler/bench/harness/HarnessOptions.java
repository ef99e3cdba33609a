package io.kubenexus.scheduler.bench.harness;

import java.time.Duration;
import java.util.List;

/**
 * Options of {@link LoadHarness}.
 *
 * @param nodes          synthetic nodes created in the API
 * @param pods           pods created as fast as the creator threads can
 * @param creatorThreads threads issuing create calls concurrently
 * @param seed           seeds the cluster and the workload
 * @param timeout        give up waiting for binds after this long from the first create
 * @param creationOnly   no scheduler: measures the API's creation rate on its own
 * @param json           print the summary as JSON
 */
record HarnessOptions(int nodes, int pods, int creatorThreads, long seed, Duration timeout, boolean creationOnly,
                      boolean json) {
    static final String USAGE = """
            usage: LoadHarness [--nodes N] [--pods N] [--creator-threads N] [--seed N] [--timeout-seconds N]
                               [--creation-only] [--json]
              --nodes              synthetic nodes (default 500)
              --pods               pods to create (default 2000)
              --creator-threads    concurrent create calls (default 4)
              --seed               cluster and workload seed (default 1)
              --timeout-seconds    stop waiting for binds after this long (default 300)
              --creation-only      run no scheduler: the API's creation rate alone
              --json               print the summary as JSON (progress goes to stderr)""";

    HarnessOptions {
        if (nodes < 1) {
            throw new IllegalArgumentException("--nodes: must be at least 1, was " + nodes);
        }
        if (pods < 1) {
            throw new IllegalArgumentException("--pods: must be at least 1, was " + pods);
        }
        if (creatorThreads < 1 || creatorThreads > 256) {
            throw new IllegalArgumentException("--creator-threads: must be 1..256, was " + creatorThreads);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--timeout-seconds: must be positive, was " + timeout.toSeconds());
        }
    }

    static HarnessOptions defaults() {
        return new HarnessOptions(500, 2000, 4, 1, Duration.ofSeconds(300), false, false);
    }

    static HarnessOptions parse(List<String> args) {
        int nodes = defaults().nodes();
        int pods = defaults().pods();
        int threads = defaults().creatorThreads();
        long seed = defaults().seed();
        Duration timeout = defaults().timeout();
        boolean creationOnly = false;
        boolean json = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--nodes" -> nodes = (int) number(args, ++i, arg);
                case "--pods" -> pods = (int) number(args, ++i, arg);
                case "--creator-threads" -> threads = (int) number(args, ++i, arg);
                case "--seed" -> seed = number(args, ++i, arg);
                case "--timeout-seconds" -> timeout = Duration.ofSeconds(number(args, ++i, arg));
                case "--creation-only" -> creationOnly = true;
                case "--json" -> json = true;
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        return new HarnessOptions(nodes, pods, threads, seed, timeout, creationOnly, json);
    }

    private static long number(List<String> args, int index, String key) {
        if (index >= args.size()) {
            throw new IllegalArgumentException(key + ": a value is required");
        }
        try {
            return Long.parseLong(args.get(index).replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": not a number: " + args.get(index));
        }
    }
}
