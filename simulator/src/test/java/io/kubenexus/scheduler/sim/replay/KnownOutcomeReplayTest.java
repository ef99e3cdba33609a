package io.kubenexus.scheduler.sim.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.gang.group.GangSettings;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.numa.NumaSettings;
import io.kubenexus.scheduler.sim.importer.WorkloadFile;
import io.kubenexus.scheduler.sim.model.SimCluster;
import io.kubenexus.scheduler.sim.model.SimWorkload;
import io.kubenexus.scheduler.sim.policy.Policy;
import io.kubenexus.scheduler.sim.report.PolicyResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Small hand-made clusters and workloads whose every placement is known: worked out by hand from the
 * plugins' scoring, so a change in the replay (or the loop) that moves one pod fails here.
 */
class KnownOutcomeReplayTest {
    private static final String SCHEDULER = SchedulerSettings.DEFAULT_SCHEDULER_NAME;
    private static final Policy DEFAULT = Policy.of(Policy.DEFAULT, SchedulerSettings.defaults(), GangSettings.defaults(),
            NumaSettings.defaults());

    /** Two nodes alike but for their GPUs: a has 4, b has 2. */
    private static final SimCluster TWO_NODES = WorkloadFile.cluster("""
            nodes:
              - {name: a, cpu: 16, memory: 64Gi, gpus: 4, labels: {nvidia.com/gpu.product: T4}}
              - {name: b, cpu: 16, memory: 64Gi, gpus: 2, labels: {nvidia.com/gpu.product: T4}}
            """, "two-nodes.yaml");

    /** Five GPU pods, one a second, none leaving: 2, 2, 1, 1 and 2 GPUs (8 asked, 6 exist). */
    private static final SimWorkload FIVE_PODS = WorkloadFile.workload("""
            pods:
              - {name: p0, cpu: 1, memory: 1Gi, gpus: 2, arrival: 0}
              - {name: p1, cpu: 1, memory: 1Gi, gpus: 2, arrival: 1}
              - {name: p2, cpu: 1, memory: 1Gi, gpus: 1, arrival: 2}
              - {name: p3, cpu: 1, memory: 1Gi, gpus: 1, arrival: 3}
              - {name: p4, cpu: 1, memory: 1Gi, gpus: 2, arrival: 4}
            """, "five-pods.yaml", TWO_NODES, SCHEDULER);

    @Test
    void bestFitOnGpusFillsTheSmallNodeFirstAndOnlyTheLastPodFails() {
        Replay replay = new Replay(Policy.baseline(Policy.BEST_FIT_GPU, DEFAULT), TWO_NODES, ReplayPlan.trace(FIVE_PODS));
        PolicyResult result = replay.run();

        // p0 leaves b with 0 free (a would keep 2): b. Then only a has room: p1, p2 and p3 fill it.
        assertThat(replay.boundNodes()).containsExactly(
                Map.entry(key("p0"), "b"), Map.entry(key("p1"), "a"), Map.entry(key("p2"), "a"),
                Map.entry(key("p3"), "a"));
        assertThat(result.failedTasks()).isEqualTo(1);
        assertThat(result.failedByReason()).containsExactly(Map.entry("Insufficient nvidia.com/gpu", 1));
        assertThat(result.firstFailureAtDemand()).isEqualTo(4.0); // p4, at second 4
        assertThat(result.unallocatedGpusAtFirstFailure()).isZero();
        assertThat(result.unallocatedGpus()).isZero();
        assertThat(result.arrivedGpuDemand()).isEqualTo(8);
        assertThat(result.clusterGpus()).isEqualTo(6);
    }

    @Test
    void leastAllocatedSpreadsTheTwoGpuPodsAndStrandsTheOnes() {
        Replay replay = new Replay(Policy.baseline(Policy.LEAST_ALLOCATED, DEFAULT), TWO_NODES,
                ReplayPlan.trace(FIVE_PODS));
        PolicyResult result = replay.run();

        // p0: a keeps half its GPUs free, b none: a. p1: either node would have no GPU left, but b's
        // cpu and memory are emptier: b. Only a has GPUs left (2): p2 and p3.
        assertThat(replay.boundNodes()).containsExactly(
                Map.entry(key("p0"), "a"), Map.entry(key("p1"), "b"), Map.entry(key("p2"), "a"),
                Map.entry(key("p3"), "a"));
        assertThat(result.failedTasks()).isEqualTo(1);
        assertThat(result.unallocatedGpus()).isZero();
    }

    @Test
    void mostAllocatedPacksTheBigNodeFirst() {
        Replay replay = new Replay(Policy.baseline(Policy.MOST_ALLOCATED, DEFAULT), TWO_NODES,
                ReplayPlan.trace(FIVE_PODS));
        replay.run();

        // p0 on b uses all of b's GPUs (most allocated after placement): b; then a takes the rest.
        assertThat(replay.boundNodes()).containsExactly(
                Map.entry(key("p0"), "b"), Map.entry(key("p1"), "a"), Map.entry(key("p2"), "a"),
                Map.entry(key("p3"), "a"));
    }

    @Test
    void aDepartureFreesRoomForAPodThatWaited() {
        SimWorkload workload = WorkloadFile.workload("""
                pods:
                  - {name: big, cpu: 1, memory: 1Gi, gpus: 4, arrival: 0, duration: 100}
                  - {name: also-big, cpu: 1, memory: 1Gi, gpus: 4, arrival: 10}
                """, "wait.yaml", TWO_NODES, SCHEDULER);
        Replay replay = new Replay(DEFAULT, TWO_NODES, ReplayPlan.trace(workload));
        PolicyResult result = replay.run();

        assertThat(replay.boundNodes()).containsExactly(Map.entry(key("big"), "a"), Map.entry(key("also-big"), "a"));
        assertThat(result.failedTasks()).isZero();
        assertThat(result.firstFailureAtDemand()).isEqualTo(10.0); // it fit nowhere when it came
    }

    @Test
    void aGangIsPlacedWholeOrNotAtAll() {
        SimWorkload workload = WorkloadFile.workload("""
                gangs:
                  - name: fits
                    minAvailable: 3
                    arrival: 0
                    members: [{name: w, count: 3, cpu: 1, memory: 1Gi, gpus: 2}]
                  - name: too-big
                    minAvailable: 2
                    arrival: 5
                    members: [{name: x, count: 2, cpu: 1, memory: 1Gi, gpus: 4}]
                """, "gangs.yaml", TWO_NODES, SCHEDULER);
        Replay replay = new Replay(DEFAULT, TWO_NODES, ReplayPlan.trace(workload));
        PolicyResult result = replay.run();

        assertThat(replay.boundNodes()).containsOnlyKeys(key("w-0"), key("w-1"), key("w-2"));
        assertThat(result.gangs().gangs()).isEqualTo(2);
        assertThat(result.gangs().complete()).isEqualTo(1);
        assertThat(result.gangs().partial()).isZero();
        assertThat(result.failedTasks()).isEqualTo(2);
    }

    @Test
    void aSparkDriverIsBoundWithRoomForItsExecutorsWhichArriveAfterIt() {
        SimWorkload workload = WorkloadFile.workload("""
                sparkApps:
                  - name: pi
                    namespace: spark
                    arrival: 0
                    executors: 2
                    driver: {cpu: 1, memory: 2Gi}
                    executor: {cpu: 6, memory: 8Gi}
                """, "spark.yaml", TWO_NODES, SCHEDULER);
        Replay replay = new Replay(DEFAULT, TWO_NODES, ReplayPlan.trace(workload));
        PolicyResult result = replay.run();

        assertThat(replay.boundNodes()).containsOnlyKeys(new PodKey("spark", "pi-driver"),
                new PodKey("spark", "pi-exec-0"), new PodKey("spark", "pi-exec-1"));
        assertThat(result.failedTasks()).isZero();
        assertThat(result.gangs().complete()).isEqualTo(1);
        assertThat(result.gangs().partial()).isZero();
    }

    @Test
    void aNumaPodIsAlignedWhereTheNodesZonesAllowIt() {
        SimCluster cluster = WorkloadFile.cluster("""
                nodes:
                  - name: numa
                    cpu: 32
                    memory: 128Gi
                    gpus: 4
                    numa:
                      policy: single-numa-node
                      zones: [{cpu: 16, memory: 64Gi, gpus: 2}, {cpu: 16, memory: 64Gi, gpus: 2}]
                """, "numa.yaml");
        SimWorkload workload = WorkloadFile.workload("""
                pods:
                  - {name: aligned, cpu: 8, memory: 16Gi, gpus: 2, numaPolicy: single-numa}
                  - {name: too-wide, cpu: 8, memory: 16Gi, gpus: 3, numaPolicy: single-numa, arrival: 1}
                """, "numa-pods.yaml", cluster, SCHEDULER);
        Replay replay = new Replay(DEFAULT, cluster, ReplayPlan.trace(workload));
        PolicyResult result = replay.run();

        assertThat(replay.boundNodes()).containsOnlyKeys(key("aligned"));
        assertThat(result.numa()).isEqualTo(new PolicyResult.Numa(2, 1, 1));
        assertThat(result.failedTasks()).isEqualTo(1);
    }

    private static PodKey key(String name) {
        return new PodKey("default", name);
    }
}
