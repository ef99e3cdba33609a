package io.kubenexus.scheduler.bench.soak;

import java.util.List;

/**
 * The soak benchmark: pods through the real scheduling loop and an in-process cluster for a long
 * time, with pods finishing and arriving and nodes replaced; reports heap after GC and its slope,
 * the loop's collections over time, every pod's fate, and the loop's throughput (see
 * {@link SoakRun}, {@link SimulatedCluster}, {@link SoakReport}). Exits 1 when a check fails.
 *
 * <pre>
 * java -Xmx4g -cp bench/target/benchmarks.jar io.kubenexus.scheduler.bench.soak.Soak --pods 100000 --nodes 5000 --minutes 30
 * java -Xmx4g -cp bench/target/benchmarks.jar io.kubenexus.scheduler.bench.soak.Soak --nodes 5000 --rate max --minutes 2 --seed 42
 * </pre>
 * The second is the throughput run: DecisionBenchmark's pod on its cluster (seed 42, 30 pods per
 * node), as fast as the loop places them.
 */
public final class Soak {
    private Soak() {
    }

    public static void main(String[] args) throws InterruptedException {
        SoakOptions options;
        try {
            options = SoakOptions.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("Soak: " + e.getMessage());
            System.err.println(SoakOptions.USAGE);
            System.exit(2);
            return;
        }
        SoakReport report = new SoakRun(options, System.err).run();
        System.out.print(options.json() ? report.json() + System.lineSeparator() : report.text());
        System.out.flush();
        System.exit(report.passed() ? 0 : 1);
    }
}
