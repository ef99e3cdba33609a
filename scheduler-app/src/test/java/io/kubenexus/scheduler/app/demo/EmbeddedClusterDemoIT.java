package io.kubenexus.scheduler.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.app.DemoOptions;
import io.kubenexus.scheduler.app.DemoSummary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The acceptance run, {@code demo --nodes 50 --pods 500 --spark-apps 20}, for several
 * seeds: every pod and every gang that fits is placed, nothing is over-committed, no Spark driver
 * is bound without room for its executors, the scheduler's cache agrees with the API, every pod that
 * asked for NUMA alignment got it and no kubelet failed a pod with TopologyAffinityError.
 */
class EmbeddedClusterDemoIT {
    private static final int PODS = 500;
    private static final int SPARK_APPS = 20;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void bindsEveryPodAndGangThatFitsWithoutOverCommittingOrSplittingAGang(long seed) {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        DemoSummary summary = new EmbeddedClusterDemo(Clock.systemUTC()).run(
                new DemoOptions(50, PODS, SPARK_APPS, seed, Duration.ofSeconds(90), true),
                new PrintStream(progress, true, StandardCharsets.UTF_8));

        String log = progress.toString(StandardCharsets.UTF_8) + System.lineSeparator() + summary.toHumanReadable();
        // Every pod and application was submitted; executors come on top, created by bound drivers.
        assertThat(summary.podsCreated()).as(log).isGreaterThanOrEqualTo(PODS + SPARK_APPS);
        assertThat(summary.podsBound() + summary.podsPending()).as(log).isEqualTo(summary.podsCreated());
        assertThat(summary.capacityViolations()).as(log).isZero();
        assertThat(summary.podsPendingThatFit()).as(log).isZero();
        assertThat(summary.cacheMismatches()).as(log).isZero();
        // Pods and gangs too big for any node stay pending; others may too when the cluster is full for
        // them (podsPendingThatFit, checked above, says none of those would fit now).
        assertThat(summary.podsPending()).as(log).isGreaterThanOrEqualTo(summary.podsExpectedUnschedulable());
        assertThat(summary.podsBound()).as(log).isGreaterThan(400);
        assertThat(summary.pendingReasons()).as(log).doesNotContainKey("not yet reported");

        DemoSummary.SparkGangs spark = summary.spark();
        assertThat(spark.apps()).as(log).isEqualTo(SPARK_APPS);
        assertThat(spark.partial()).as(log).isZero();
        assertThat(spark.completed()).as(log).isPositive();
        assertThat(spark.completed() + spark.waiting()).as(log).isEqualTo(SPARK_APPS);
        assertThat(spark.reservationsLeft()).as(log).isZero();

        // NUMA: pods that required alignment got it from the kubelets' true zones, and no kubelet failed a pod.
        DemoSummary.NumaPlacements numa = summary.numa();
        assertThat(numa).as(log).isNotEqualTo(DemoSummary.NumaPlacements.NONE);
        assertThat(numa.misaligned()).as(log).isZero();
        assertThat(numa.topologyAffinityErrors()).as(log).isZero();
        assertThat(numa.aligned()).as(log).isPositive();
        assertThat(numa.byShape()).as(log).containsOnlyKeys("cpu-numa-node", "gpu-numa-node");
        assertThat(numa.byShape().get("gpu-numa-node").kubeletPinned()).as(log).isPositive();
        assertThat(summary.failed()).as(log).isFalse();
    }
}
