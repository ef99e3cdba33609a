package io.kubenexus.scheduler.numa;

import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static io.kubenexus.scheduler.numa.TopologyFixture.CPU;
import static io.kubenexus.scheduler.numa.TopologyFixture.GPU;
import static io.kubenexus.scheduler.numa.TopologyFixture.GI;
import static io.kubenexus.scheduler.numa.TopologyFixture.MEMORY;
import static io.kubenexus.scheduler.numa.TopologyFixture.gpuNode;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.loop.Decision;
import io.kubenexus.scheduler.core.loop.SchedulingAlgorithm;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodPhase;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.testing.PodFixture;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Per-zone accounting over time on the 8-GPU node: our charges take effect at once, NodeResourceTopology
 * reports replace them without counting a pod twice, annotation topologies keep them.
 */
class NumaReconciliationTest {
    private static final String NODE = "gpu-a";

    private final NumaSettings settings = NumaSettings.defaults();
    private final NumaZones zones = new NumaZones(settings);
    private final ClusterState state = new ClusterState();
    private final SchedulingAlgorithm algorithm =
            new SchedulingAlgorithm(NumaPlugins.profiles(settings).create(SchedulerSettings.defaults()), 100);

    NumaReconciliationTest() {
        state.addExtension(zones);
    }

    /** Guaranteed, single-numa: {8 cores, 64Gi, 4 GPUs}, a whole zone's GPUs. */
    private static PodFixture trainer(String name) {
        return pod(name).cpu(8).memoryGi(64).gpu(4).guaranteed()
                .annotation(NumaRequest.POLICY_ANNOTATION, "single-numa");
    }

    /** Schedules and assumes the pod as the loop does; returns its node. */
    private String place(PodInfo pod) {
        Decision decision = algorithm.schedule(pod, state);
        assertThat(decision).as("%s placed", pod.key().name()).isInstanceOf(Decision.Placed.class);
        String node = ((Decision.Placed) decision).nodeName();
        state.assume(pod.withNodeName(node));
        return node;
    }

    /** The pod as the API reports it once the kubelet started it. */
    private static PodInfo running(String name) {
        return trainer(name).boundTo(NODE).phase(PodPhase.RUNNING).build();
    }

    private long freeGpus(int zone) {
        return zones.free(NODE, zone, GPU);
    }

    private long freeCores(int zone) {
        return zones.free(NODE, zone, CPU) / 1000;
    }

    private String zonesOf(String pod) {
        ZonePlacement placement = zones.placement(trainer(pod).build().key());
        return placement == null ? null : placement.describe();
    }

    // ------------------------------------------------------------------ charged at once

    @Test
    void theClusterPageSeesEachZoneAsTheFilterCountsIt() {
        gpuNode().install(state, zones, NODE, TopologySource.NODE_RESOURCE_TOPOLOGY);
        place(trainer("t1").build());

        io.kubenexus.scheduler.core.state.NodeZoneUsage usage = state.extension(
                io.kubenexus.scheduler.core.state.ZoneUsageSource.class).zoneUsage(NODE);

        assertThat(usage.source()).isEqualTo("NodeResourceTopology");
        assertThat(usage.zones()).extracting(io.kubenexus.scheduler.core.state.NodeZoneUsage.Zone::id).containsExactly(0, 1);
        io.kubenexus.scheduler.core.state.NodeZoneUsage.Zone first = usage.zones().get(0);
        assertThat(first.free().get(GPU)).isZero().isEqualTo(freeGpus(0));
        assertThat(first.free().get(CPU)).isEqualTo(zones.free(NODE, 0, CPU));
        assertThat(first.allocatable().get(GPU)).isEqualTo(4);
        assertThat(first.alignedPods()).isEqualTo(1);
        assertThat(first.gpuIslands()).containsEntry("nvl0", 0);
        assertThat(usage.zones().get(1).gpuIslands()).containsEntry("nvl1", 4);
        assertThat(zones.knowsZones(NODE)).isTrue();
        assertThat(zones.zoneUsage("elsewhere")).isNull();
        assertThat(zones.knowsZones("elsewhere")).isFalse();
    }


    @Test
    void anAssumedPodIsChargedToItsZoneAtOnceAndTheNextPodSeesIt() {
        gpuNode().install(state, zones, NODE, TopologySource.NODE_RESOURCE_TOPOLOGY);

        place(trainer("t1").build());
        assertThat(zonesOf("t1")).isEqualTo("NUMA zone 0, NVLink island nvl0");
        assertThat(freeGpus(0)).isZero();
        assertThat(freeCores(0)).isEqualTo(40);
        assertThat(zones.free(NODE, 0, MEMORY)).isEqualTo(448 * GI);
        assertThat(freeGpus(1)).isEqualTo(4);

        place(trainer("t2").build());
        assertThat(zonesOf("t2")).isEqualTo("NUMA zone 1, NVLink island nvl1");

        Decision third = algorithm.schedule(trainer("t3").build(), state);
        assertThat(third).isInstanceOf(Decision.Unschedulable.class);
    }

    @Test
    void forgettingOrRemovingAPodGivesItsZoneBack() {
        gpuNode().install(state, zones, NODE, TopologySource.NODE_RESOURCE_TOPOLOGY);
        PodInfo t1 = trainer("t1").build();

        place(t1);
        state.forget(t1.key());
        assertThat(freeGpus(0)).as("after a failed bind").isEqualTo(4);
        assertThat(zones.placement(t1.key())).isNull();

        place(t1);
        state.removePod(t1.key());
        assertThat(freeGpus(0)).as("deleted before it ran").isEqualTo(4);
        assertThat(freeCores(0)).isEqualTo(48);
    }

    // ------------------------------------------------------------------ NodeResourceTopology reports

    @Test
    void aReportAfterThePodRanCountsItSoOurChargeStops() {
        gpuNode().install(state, zones, NODE, TopologySource.NODE_RESOURCE_TOPOLOGY);
        place(trainer("t1").build());
        state.upsertPod(running("t1"));

        // The exporter now reports what the kubelet gave t1.
        gpuNode().freeGpus(0, 0).freeCores(0, 40).freeMemoryGi(0, 448)
                .report(zones, NODE, TopologySource.NODE_RESOURCE_TOPOLOGY);

        assertThat(freeGpus(0)).isZero();
        assertThat(freeCores(0)).as("not 32: t1 is counted once").isEqualTo(40);
        assertThat(zones.free(NODE, 0, MEMORY)).isEqualTo(448 * GI);
        assertThat(freeGpus(1)).isEqualTo(4);
        assertThat(zonesOf("t1")).as("still placed, for events and isolation").isEqualTo("NUMA zone 0, NVLink island nvl0");
    }

    @Test
    void aPodNotYetRunningStaysChargedOnTopOfAReport() {
        gpuNode().install(state, zones, NODE, TopologySource.NODE_RESOURCE_TOPOLOGY);
        place(trainer("t1").build());

        // Someone else's pod took 8 cores of zone 0; the report knows nothing of t1 yet.
        gpuNode().freeCores(0, 40).report(zones, NODE, TopologySource.NODE_RESOURCE_TOPOLOGY);

        assertThat(freeCores(0)).isEqualTo(32);
        assertThat(freeGpus(0)).isZero();
    }

    @Test
    void aPodSeenRunningAfterAReportIsCountedUntilTheNextReport() {
        gpuNode().install(state, zones, NODE, TopologySource.NODE_RESOURCE_TOPOLOGY);
        place(trainer("t1").build());
        gpuNode().report(zones, NODE, TopologySource.NODE_RESOURCE_TOPOLOGY);
        state.upsertPod(running("t1"));
        assertThat(freeGpus(0)).as("the last report predates t1's start").isZero();

        gpuNode().freeGpus(0, 0).freeCores(0, 40).report(zones, NODE, TopologySource.NODE_RESOURCE_TOPOLOGY);
        assertThat(freeCores(0)).isEqualTo(40);

        // t1 ends: the stale report still shows its GPUs taken until the exporter catches up.
        state.removePod(running("t1").key());
        assertThat(freeGpus(0)).isZero();
        gpuNode().report(zones, NODE, TopologySource.NODE_RESOURCE_TOPOLOGY);
        assertThat(freeGpus(0)).isEqualTo(4);
        assertThat(freeCores(0)).isEqualTo(48);
    }

    /**
     * What the exporter reports after t1 (placed on zone 0) was seen Running: only a report whose held
     * amounts explain t1 may stop our charge. Otherwise (a lagging exporter) t1 stays charged and the
     * next trainer goes to zone 1, not onto t1's GPUs (where the kubelet would fail it).
     */
    record LateReport(String name, TopologyFixture report, long freeGpus0, long freeCores0, long freeGpus1,
                      String t1Zones, String nextZones) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<LateReport> lateReports() {
        return Stream.of(
                new LateReport("computed before t1 started: zone 0 still empty", gpuNode(),
                        0, 40, 4, "NUMA zone 0, NVLink island nvl0", "NUMA zone 1, NVLink island nvl1"),
                new LateReport("counts t1 on zone 0", gpuNode().freeGpus(0, 0).freeCores(0, 40).freeMemoryGi(0, 448),
                        0, 40, 4, "NUMA zone 0, NVLink island nvl0", "NUMA zone 1, NVLink island nvl1"),
                new LateReport("counts t1 on zone 1, where the kubelet put it",
                        gpuNode().freeGpus(1, 0).freeCores(1, 40).freeMemoryGi(1, 448),
                        4, 48, 0, "NUMA zone 1, NVLink island nvl1", "NUMA zone 0, NVLink island nvl0"),
                new LateReport("counts someone else's 8 cores on zone 0, not t1's GPUs", gpuNode().freeCores(0, 40),
                        0, 32, 4, "NUMA zone 0, NVLink island nvl0", "NUMA zone 1, NVLink island nvl1"),
                new LateReport("counts t1's GPUs and cores; memory not per zone (the kubelet's default memory manager)",
                        gpuNode().freeGpus(0, 0).freeCores(0, 40),
                        0, 40, 4, "NUMA zone 0, NVLink island nvl0", "NUMA zone 1, NVLink island nvl1"),
                new LateReport("counts t1's cores and memory but not its GPUs",
                        gpuNode().freeCores(0, 40).freeMemoryGi(0, 448),
                        0, 32, 4, "NUMA zone 0, NVLink island nvl0", "NUMA zone 1, NVLink island nvl1"));
    }

    @ParameterizedTest
    @MethodSource("lateReports")
    void aReportArrivingAfterThePodRanStopsItsChargeOnlyWhenItAccountsForThePod(LateReport c) {
        gpuNode().install(state, zones, NODE, TopologySource.NODE_RESOURCE_TOPOLOGY);
        place(trainer("t1").build());
        state.upsertPod(running("t1"));

        c.report().report(zones, NODE, TopologySource.NODE_RESOURCE_TOPOLOGY);

        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(freeGpus(0)).as("free GPUs of zone 0").isEqualTo(c.freeGpus0());
            softly.assertThat(freeCores(0)).as("free cores of zone 0").isEqualTo(c.freeCores0());
            softly.assertThat(freeGpus(1)).as("free GPUs of zone 1").isEqualTo(c.freeGpus1());
            softly.assertThat(zonesOf("t1")).as("t1").isEqualTo(c.t1Zones());
        });
        place(trainer("t2").build());
        assertThat(zonesOf("t2")).as("the next trainer").isEqualTo(c.nextZones());
        assertThat(algorithm.schedule(trainer("t3").build(), state)).as("a third trainer: the node is full")
                .isInstanceOf(Decision.Unschedulable.class);

        // The exporter catches up with both: nothing is counted twice.
        state.upsertPod(trainer("t2").boundTo(NODE).phase(PodPhase.RUNNING).build());
        gpuNode().freeGpus(0, 0).freeCores(0, 40).freeMemoryGi(0, 448).freeGpus(1, 0).freeCores(1, 40).freeMemoryGi(1, 448)
                .report(zones, NODE, TopologySource.NODE_RESOURCE_TOPOLOGY);
        assertThat(freeCores(0)).as("zone 0 cores once a report counts both").isEqualTo(40);
        assertThat(freeCores(1)).as("zone 1 cores once a report counts both").isEqualTo(40);
    }

    @Test
    void aReportOfADifferentLayoutChargesThePodsAnew() {
        gpuNode().install(state, zones, NODE, TopologySource.NODE_RESOURCE_TOPOLOGY);
        place(trainer("t1").build());

        // A GPU was taken out of service in zone 1: capacity changes, so the node's zones are rebuilt.
        gpuNode().allocatable(1, GPU, 3).report(zones, NODE, TopologySource.NODE_RESOURCE_TOPOLOGY);

        assertThat(freeGpus(0)).as("t1 still charged").isZero();
        assertThat(freeGpus(1)).isEqualTo(3);
        assertThat(zonesOf("t1")).isEqualTo("NUMA zone 0, NVLink island nvl0");
    }

    /** When the scheduler starts, running pods and the node's report arrive in either order. */
    enum StartOrder { TOPOLOGY_FIRST, PODS_FIRST }

    @ParameterizedTest
    @EnumSource(StartOrder.class)
    void afterARestartARunningPodIsNotCountedTwiceAndKeepsItsZone(StartOrder order) {
        // The report already counts t1, which the kubelet put on zone 0.
        TopologyFixture report = gpuNode().freeGpus(0, 0).freeCores(0, 40).freeMemoryGi(0, 448);
        state.upsertNode(report.node(NODE));
        if (order == StartOrder.TOPOLOGY_FIRST) {
            report.report(zones, NODE, TopologySource.NODE_RESOURCE_TOPOLOGY);
            state.upsertPod(running("t1"));
            report.report(zones, NODE, TopologySource.NODE_RESOURCE_TOPOLOGY);
        } else {
            state.upsertPod(running("t1"));
            report.report(zones, NODE, TopologySource.NODE_RESOURCE_TOPOLOGY);
        }

        PodInfo isolated = pod("iso").cpu(4).memoryGi(16).gpu(1).guaranteed()
                .annotation(NumaRequest.POLICY_ANNOTATION, "isolated").build();
        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(freeGpus(0)).isZero();
            softly.assertThat(freeGpus(1)).as("t1 is not counted on zone 1 as well").isEqualTo(4);
            softly.assertThat(freeCores(1)).isEqualTo(48);
            softly.assertThat(zonesOf("t1")).as("where the report shows t1")
                    .isEqualTo("NUMA zone 0, NVLink island nvl0");
            // Zone 1 holds no aligned pod: an isolated pod may have it.
            softly.assertThat(algorithm.schedule(isolated, state)).as("isolated pod")
                    .isInstanceOf(Decision.Placed.class);
        });
    }

    // ------------------------------------------------------------------ node annotation

    @Test
    void anAnnotationTopologyKeepsEveryPodChargedAndIgnoresItsAvailableAmounts() {
        // An admin wrote available amounts once; they are not a live report.
        TopologyFixture annotation = gpuNode().freeGpus(0, 1);
        annotation.install(state, zones, NODE, TopologySource.NODE_ANNOTATION);
        assertThat(freeGpus(0)).isEqualTo(4);

        place(trainer("t1").build());
        state.upsertPod(running("t1"));
        annotation.report(zones, NODE, TopologySource.NODE_ANNOTATION);

        assertThat(freeGpus(0)).isZero();
        assertThat(freeCores(0)).isEqualTo(40);
        assertThat(zonesOf("t1")).isEqualTo("NUMA zone 0, NVLink island nvl0");

        state.removePod(running("t1").key());
        assertThat(freeGpus(0)).as("given back at once: nothing else counts it").isEqualTo(4);
    }

    // ------------------------------------------------------------------ topology coming and going

    @Test
    void aClearedTopologyMakesTheNodeUnknownUntilItIsPublishedAgain() {
        gpuNode().install(state, zones, NODE, TopologySource.NODE_ANNOTATION);
        place(trainer("t1").build());

        zones.clearTopology(NODE);
        assertThat(zones.free(NODE, 0, GPU)).isEqualTo(-1);
        assertThat(zonesOf("t1")).isNull();
        Decision unknown = algorithm.schedule(trainer("t2").build(), state);
        assertThat(unknown).isInstanceOf(Decision.Unschedulable.class);
        assertThat(((Decision.Unschedulable) unknown).message()).contains("node(s) had no NUMA topology");

        gpuNode().report(zones, NODE, TopologySource.NODE_ANNOTATION);
        assertThat(zonesOf("t1")).as("the node's pods are charged again").isEqualTo("NUMA zone 0, NVLink island nvl0");
        assertThat(freeGpus(0)).isZero();
        assertThat(place(trainer("t2").build())).isEqualTo(NODE);
        assertThat(zonesOf("t2")).isEqualTo("NUMA zone 1, NVLink island nvl1");
    }

    @Test
    void aTopologyPublishedBeforeItsNodeAppliesWhenTheNodeArrives() {
        gpuNode().freeGpus(0, 0).report(zones, NODE, TopologySource.NODE_RESOURCE_TOPOLOGY);
        state.upsertNode(gpuNode().node(NODE));

        place(trainer("t1").build());
        assertThat(zonesOf("t1")).isEqualTo("NUMA zone 1, NVLink island nvl1");
    }

    @Test
    void aRemovedNodeTakesItsZonesWithIt() {
        gpuNode().install(state, zones, NODE, TopologySource.NODE_RESOURCE_TOPOLOGY);
        place(trainer("t1").build());

        state.removeNode(NODE);
        assertThat(zones.free(NODE, 0, GPU)).isEqualTo(-1);
        assertThat(zones.nodesWithTopology().isEmpty()).isTrue();
    }
}
