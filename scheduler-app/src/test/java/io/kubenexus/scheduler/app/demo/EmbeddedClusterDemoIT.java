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
    /** Fewer pods under faults: retries and timeouts make each run slower. */
    private static final int CHAOS_PODS = 300;

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
        // The priority mix: urgent gangs and an urgent Spark application made room by preemption, evicting
        // whole gangs only (victims are gone from the API).
        DemoSummary.Preemption preemption = summary.preemption();
        assertThat(preemption.enabled()).as(log).isTrue();
        assertThat(preemption.urgentBound()).as(log).isEqualTo(preemption.urgentPods()).isPositive();
        assertThat(preemption.attempts()).as(log).isPositive();
        assertThat(preemption.podsEvicted()).as(log).isGreaterThanOrEqualTo((int) (preemption.victimPods()
                + preemption.victimGangs())).isPositive();
        assertThat(preemption.partialGangs()).as(log).isZero();
        assertThat(summary.podsBound() + summary.podsPending() + preemption.podsEvicted()).as(log)
                .isEqualTo(summary.podsCreated());
        assertThat(summary.capacityViolations()).as(log).isZero();
        assertThat(summary.podsPendingThatFit()).as(log).isZero();
        assertThat(summary.cacheMismatches()).as(log).isZero();
        // Pods and gangs too big for any node stay pending; others may too when the cluster is full for
        // them (podsPendingThatFit, checked above, says none of those would fit now).
        assertThat(summary.podsPending()).as(log).isGreaterThanOrEqualTo(summary.podsExpectedUnschedulable());
        assertThat(summary.podsBound()).as(log).isGreaterThan(400);
        assertThat(summary.pendingReasons()).as(log).doesNotContainKey("not yet reported");

        DemoSummary.SparkGangs spark = summary.spark();
        assertThat(spark.apps()).as(log).as("with the urgent one").isEqualTo(SPARK_APPS + 1);
        assertThat(spark.partial()).as(log).isZero();
        assertThat(spark.completed()).as(log).isPositive();
        // Applications whose driver was evicted (with its executors) are neither.
        assertThat(spark.completed() + spark.waiting()).as(log).isLessThanOrEqualTo(SPARK_APPS + 1);
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

    /**
     * {@code demo --extender} on a smaller cluster: the workload keeps {@code default-scheduler}, a
     * simulated kube-scheduler places every pod through the replica's filter, prioritize and bind over
     * HTTP, and the same audits hold: nothing over-committed, no gang partial (Spark or pod group), no
     * pod bound twice, nothing that fits left pending, no reservation left, and every extender call
     * answered 200.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2})
    void asKubeSchedulersExtenderEveryPodAndGangThatFitsIsPlacedWhole(long seed) {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        DemoSummary summary = new EmbeddedClusterDemo(Clock.systemUTC()).run(
                new DemoOptions(30, 200, 8, seed, Duration.ofSeconds(90), true).withExtender(true),
                new PrintStream(progress, true, StandardCharsets.UTF_8));

        String log = progress.toString(StandardCharsets.UTF_8) + System.lineSeparator() + summary.toHumanReadable();
        DemoSummary.Extender extender = summary.extender();
        assertThat(extender.enabled()).as(log).isTrue();
        assertThat(extender.failures()).as(log).isZero();
        assertThat(extender.filterCalls()).as(log).isGreaterThanOrEqualTo(summary.podsCreated());
        assertThat(extender.bindCalls()).as(log).isGreaterThanOrEqualTo(summary.podsBound());
        assertThat(extender.bindCalls() - extender.bindErrors()).as(log).isEqualTo(summary.podsBound());
        assertThat(summary.podsCreated()).as(log).isGreaterThanOrEqualTo(200 + 8);
        assertThat(summary.podsBound() + summary.podsPending()).as(log).isEqualTo(summary.podsCreated());
        assertThat(summary.podsBound()).as(log).isGreaterThan(150);
        assertThat(summary.capacityViolations()).as(log).isZero();
        assertThat(summary.podsBoundMoreThanOnce()).as(log).isZero();
        assertThat(summary.podsPendingThatFit()).as(log).isZero();
        assertThat(summary.cacheMismatches()).as(log).isZero();
        assertThat(summary.podsPending()).as(log).isGreaterThanOrEqualTo(summary.podsExpectedUnschedulable());
        assertThat(summary.pendingReasons()).as(log).doesNotContainKey("not yet reported");
        assertThat(summary.spark().partial()).as(log).isZero();
        assertThat(summary.spark().completed()).as(log).isPositive();
        assertThat(summary.spark().reservationsLeft()).as(log).isZero();
        assertThat(summary.numa().misaligned()).as(log).isZero();
        assertThat(summary.numa().topologyAffinityErrors()).as(log).isZero();
        assertThat(summary.numa().aligned()).as(log).isPositive();
        assertThat(summary.http().explainMismatches()).as(log).isZero();
        assertThat(summary.failed()).as(log).isFalse();
    }

    /** Every kind except the bind failures, at their default rates (docs/chaos.md). */
    private static final String NO_BIND_FAILURES = "bind-error=0,bind-conflict=0,bind-throttled=0,"
            + "bind-timeout-applied=0,bind-timeout-lost=0";

    /**
     * {@code demo --chaos} with the faults the loop copes with today: failed status and Event
     * writes, watches closed mid-stream and answered 410 Gone, slow answers; no Spark applications
     * (see below). Every pod that fits is bound exactly once, nothing is over-committed or missed,
     * the NUMA gangs are whole, the cache equals the API. (Each bind fault alone, with a gang, is
     * {@code ChaosIT}'s.)
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2})
    void underApiFaultsEveryPodIsBoundOnceOrCorrectlyPending(long seed) {
        DemoSummary summary = chaosRun(seed, 0, NO_BIND_FAILURES);
        assertInvariants(summary, lastLog);
        assertThat(summary.chaos().faultsInjected()).as(lastLog)
                .containsEntry("bind-error", 0L).containsEntry("bind-conflict", 0L);
        assertThat(summary.chaos().faultsInjected().get("slow-response")).as(lastLog).isPositive();
        assertThat(summary.chaos().faultsInjected().get("event-write-error")).as(lastLog).isPositive();
    }

    /**
     * Every fault at its default rate, Spark applications included. This found the loop's gang bugs
     * under faults: an executor or gang member whose bind failed lost its place, a driver whose bind
     * failed kept the places reserved with it (and could not fit against them on its retry), and a
     * driver seen before its SparkApplication (its watch cut) was placed without room for its
     * executors; each has a loop test of its own now (GangReliabilityTest).
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2})
    void underEveryFaultEveryPodIsBoundOnceOrCorrectlyPendingAndGangsStayWhole(long seed) {
        DemoSummary summary = chaosRun(seed, SPARK_APPS, null);
        assertInvariants(summary, lastLog);
        assertThat(summary.chaos().faultsInjected()).as(lastLog).allSatisfy((kind, n) -> {
            if (kind.startsWith("bind-")) {
                assertThat(n).as(kind).isPositive();
            }
        });
    }

    /**
     * Every fault, and the leader cut off the API (as a killed process, the Lease not released) once a
     * third of the pods are bound: the standby takes over and the same invariants hold on its books.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {3})
    void whenTheLeaderIsKilledMidRunTheStandbyFinishesTheWorkAndNothingIsBoundTwice(long seed) {
        DemoSummary summary = chaosRun(seed, SPARK_APPS, null, true);
        assertInvariants(summary, lastLog);
        assertThat(summary.failover().enabled()).isTrue();
        assertThat(summary.failover().newLeader()).as(lastLog).isEqualTo("replica-b");
        assertThat(summary.failover().boundBeforeKill()).as(lastLog).isPositive();
    }

    private String lastLog = "";

    private DemoSummary chaosRun(long seed, int sparkApps, String rates) {
        return chaosRun(seed, sparkApps, rates, false);
    }

    private DemoSummary chaosRun(long seed, int sparkApps, String rates, boolean failover) {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        DemoSummary summary = new EmbeddedClusterDemo(Clock.systemUTC()).run(
                new DemoOptions(50, CHAOS_PODS, sparkApps, seed, Duration.ofSeconds(90), true,
                        DemoOptions.faults(true, rates, seed), failover),
                new PrintStream(progress, true, StandardCharsets.UTF_8));
        lastLog = progress.toString(StandardCharsets.UTF_8) + System.lineSeparator() + summary.toHumanReadable();
        return summary;
    }

    private static void assertInvariants(DemoSummary summary, String log) {
        assertThat(summary.chaos().enabled()).as(log).isTrue();
        assertThat(summary.chaos().total()).as(log).isPositive();
        // Preemption's victims are gone from the API; no gang is left partial (below).
        assertThat(summary.podsBound() + summary.podsPending() + summary.preemption().podsEvicted()).as(log)
                .isEqualTo(summary.podsCreated());
        assertThat(summary.podsBoundMoreThanOnce()).as(log).isZero();
        assertThat(summary.capacityViolations()).as(log).isZero();
        assertThat(summary.podsPendingThatFit()).as(log).isZero();
        assertThat(summary.cacheMismatches()).as(log).isZero();
        assertThat(summary.spark().partial()).as(log).isZero();
        assertThat(summary.spark().reservationsLeft()).as(log).isZero();
        assertThat(summary.podsPending()).as(log).isGreaterThanOrEqualTo(summary.podsExpectedUnschedulable());
        assertThat(summary.failed()).as(log).isFalse();
    }
}
