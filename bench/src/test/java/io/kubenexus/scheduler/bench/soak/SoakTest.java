package io.kubenexus.scheduler.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.ports.BindResult;
import io.kubenexus.scheduler.core.ports.Binder;
import java.io.PrintStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The soak benchmark's short version, run in CI: the same code as {@link Soak} for about 25 seconds
 * on 300 nodes, with every kind of churn sped up (pods live 2 s, owners give up after 4 s, a node
 * is replaced every second) so the run reaches its steady state in its first half.
 */
class SoakTest {
    /** Heap after GC may drift at most this much per pod that arrived (a leak of a few hundred bytes per pod shows). */
    private static final double HEAP_BYTES_PER_POD_BOUND = 256;

    @Test
    void shortSoakLosesNoPodKeepsTheLoopsBooksBoundedAndTheHeapFlat() throws InterruptedException {
        SoakOptions options = SoakOptions.parse(List.of("--nodes", "300", "--pods", "1000000", "--minutes", "0.4",
                "--rate", "150", "--lifetime-seconds", "2", "--patience-seconds", "4", "--node-churn-seconds", "1",
                "--sample-seconds", "1", "--seed", "7"));

        SoakReport report = new SoakRun(options, quiet()).run();

        System.out.println(report.text());
        assertThat(report.failures()).as(report.text()).isEmpty();
        SimulatedCluster.Audit audit = report.audit();
        assertThat(audit.created()).isGreaterThan(2_500);
        assertThat(audit.lost()).isZero();
        // The run exercised what it claims to: pods finished, nodes took pods with them, owners gave up
        // on pods that cannot fit (told why), gangs and Spark applications came and went.
        assertThat(audit.fate(SimulatedCluster.Fate.FINISHED)).isGreaterThan(1_000);
        assertThat(audit.fate(SimulatedCluster.Fate.DELETED_WITH_NODE)).isPositive();
        assertThat(audit.fate(SimulatedCluster.Fate.GAVE_UP_WITH_REASON)).isPositive();
        assertThat(report.books().get("boundGroups").max()).isPositive();
        assertThat(report.books().get("templates").max()).isPositive();
        assertThat(report.books().get("reservations").max()).isPositive();
        assertThat(report.heap().max()).isPositive();
        assertThat(report.heapBytesPerCreatedPod()).as(report.text()).isLessThan(HEAP_BYTES_PER_POD_BOUND);
    }

    @Test
    void aBinderThatLosesResultsIsCaughtAsLostPods() throws InterruptedException {
        SoakOptions options = SoakOptions.parse(List.of("--nodes", "100", "--pods", "1000000", "--minutes", "0.15",
                "--rate", "100", "--lifetime-seconds", "2", "--node-churn-seconds", "0", "--sample-seconds", "1"));
        AtomicInteger calls = new AtomicInteger();
        // Every 20th bind never answers: the pod stays assumed and in flight in the loop, unbound in the cluster.
        SoakReport report = new SoakRun(options, quiet(), binder -> (pod, node) -> calls.incrementAndGet() % 20 == 0
                ? new CompletableFuture<BindResult>() : binder.bind(pod, node), Clock.systemUTC(), Duration.ofSeconds(3)).run();

        assertThat(report.failures()).extracting(SoakReport.Check::name)
                .contains("no pod lost", "loop accounts = running pods + reservations");
        assertThat(report.audit().pendingWithoutReason()).isPositive();
    }

    @Test
    void aBinderThatKeepsAKilobytePerPodShowsInTheHeapSlope() throws InterruptedException {
        SoakOptions options = SoakOptions.parse(List.of("--nodes", "100", "--pods", "1000000", "--minutes", "0.3",
                "--rate", "150", "--lifetime-seconds", "1", "--patience-seconds", "4", "--node-churn-seconds", "0",
                "--sample-seconds", "1"));
        List<byte[]> kept = new java.util.concurrent.CopyOnWriteArrayList<>();
        SoakReport report = new SoakRun(options, quiet(), binder -> (pod, node) -> {
            kept.add(new byte[1024]);
            return binder.bind(pod, node);
        }, Clock.systemUTC(), Duration.ofSeconds(10)).run();

        assertThat(report.heapBytesPerCreatedPod()).as(report.text()).isGreaterThan(HEAP_BYTES_PER_POD_BOUND);
        assertThat(kept).isNotEmpty();
    }

    private static PrintStream quiet() {
        return new PrintStream(OutputStream.nullOutputStream());
    }
}
