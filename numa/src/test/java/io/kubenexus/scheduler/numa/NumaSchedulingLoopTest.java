package io.kubenexus.scheduler.numa;

import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodPhase;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.testing.MutableClock;
import io.kubenexus.scheduler.core.testing.PodFixture;
import io.kubenexus.scheduler.core.testing.RecordingEventSink;
import io.kubenexus.scheduler.core.testing.ScriptedBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** NUMA placement through the real scheduling loop: topology arrives as a state update, events name the zone. */
class NumaSchedulingLoopTest {
    private static final long GI = 1024L * 1024 * 1024;

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final SchedulerSettings settings = SchedulerSettings.defaults();
    private final NumaSettings numa = NumaSettings.defaults();
    private final ScriptedBinder binder = new ScriptedBinder();
    private final RecordingEventSink events = new RecordingEventSink();
    private final SchedulingLoop loop = new SchedulingLoop(settings, NumaPlugins.profiles(numa).create(settings),
            binder, events, SchedulerMetrics.NONE, clock);
    private final NumaZones zones = new NumaZones(numa);

    NumaSchedulingLoopTest() {
        loop.addStateExtension(zones);
        loop.onLeadershipChanged(true);
        loop.onCachesSynced();
    }

    /** 2 zones x {48 cores, 512Gi, 4 GPUs}, kubelet single-numa-node, one NVLink island per zone. */
    private void gpuNode(String name, long freeGpusZone0, long freeGpusZone1) {
        loop.onNodeUpserted(node(name).cpu(96).memoryGi(1024).gpus(8).pods(110).build());
        List<NumaZone> list = new ArrayList<>();
        long[] free = {freeGpusZone0, freeGpusZone1};
        for (int z = 0; z < 2; z++) {
            Map<String, Long> capacity = Map.of("cpu", 48_000L, "memory", 512 * GI, "nvidia.com/gpu", 4L);
            list.add(new NumaZone(z, capacity, capacity, Map.of("cpu", 48_000L, "memory", 512 * GI,
                    "nvidia.com/gpu", free[z])));
        }
        NodeTopology topology = new NodeTopology(list, TopologyManagerPolicy.SINGLE_NUMA_NODE, TopologyManagerScope.CONTAINER);
        GpuInterconnect islands = new GpuInterconnect("nvidia.com/gpu",
                List.of(new GpuIsland("nvl0", 0, 4), new GpuIsland("nvl1", 1, 4)));
        loop.onStateUpdate(ClusterEventType.NODE_TOPOLOGY_CHANGED, state ->
                state.extension(NumaZones.class).setTopology(name, topology, islands, TopologySource.NODE_RESOURCE_TOPOLOGY));
    }

    private static PodFixture trainer(String name, long gpus) {
        return pod(name).cpu(8).memoryGi(64).gpu(gpus).guaranteed()
                .annotation(NumaRequest.POLICY_ANNOTATION, "single-numa");
    }

    @Test
    void singleNumaPodsFillOneZoneThenTheNextAndTheEventNamesTheZone() {
        gpuNode("gpu-1", 4, 4);
        for (int i = 1; i <= 5; i++) {
            loop.onPodUpserted(trainer("t" + i, 2).build());
        }
        loop.runUntilIdle();

        assertThat(binder.bindings()).containsOnlyKeys("t1", "t2", "t3", "t4");
        assertThat(events.lines()).contains("Scheduled t1: gpu-1 (NUMA zone 0, NVLink island nvl0)",
                "Scheduled t3: gpu-1 (NUMA zone 1, NVLink island nvl1)");
        // The node is full: reported under the first filter that rejects it, as kube-scheduler does.
        assertThat(events.lines()).contains("FailedScheduling t5: 0/1 nodes are available: 1 Insufficient nvidia.com/gpu.");
    }

    @Test
    void gpusFreeOnlyAcrossZonesDoNotFitASingleNumaPod() {
        gpuNode("gpu-1", 2, 2);
        loop.onPodUpserted(trainer("t4", 4).build());
        loop.runUntilIdle();

        assertThat(binder.bindings()).isEmpty();
        assertThat(events.lines()).contains("FailedScheduling t4: 0/1 nodes are available: 1 node(s) would fail the"
                + " kubelet's topology admission (TopologyAffinityError).");
    }

    @Test
    void aReportThatCountsARunningPodDoesNotCountItTwice() {
        gpuNode("gpu-1", 4, 4);
        loop.onPodUpserted(trainer("t1", 4).build());
        loop.runUntilIdle();
        assertThat(zones.free("gpu-1", 0, "nvidia.com/gpu")).as("charged at once").isZero();

        // The kubelet starts it; the exporter then reports zone 0 as full.
        PodInfo running = trainer("t1", 4).boundTo("gpu-1").phase(PodPhase.RUNNING).build();
        loop.onPodUpserted(running);
        gpuNode("gpu-1", 0, 4);
        loop.runUntilIdle();
        assertThat(zones.free("gpu-1", 0, "nvidia.com/gpu")).isZero();
        assertThat(zones.free("gpu-1", 1, "nvidia.com/gpu")).as("not double counted").isEqualTo(4);

        // It finishes: the stale report still shows zone 0 full until the next one.
        loop.onPodRemoved(running.key());
        loop.runUntilIdle();
        assertThat(zones.free("gpu-1", 0, "nvidia.com/gpu")).isZero();
        gpuNode("gpu-1", 4, 4);
        loop.runUntilIdle();
        assertThat(zones.free("gpu-1", 0, "nvidia.com/gpu")).isEqualTo(4);
    }

    @Test
    void aPodNotYetRunningStaysChargedAcrossAReportThatPredatesIt() {
        gpuNode("gpu-1", 4, 4);
        loop.onPodUpserted(trainer("t1", 4).build());
        loop.runUntilIdle();
        gpuNode("gpu-1", 4, 4);
        loop.runUntilIdle();
        assertThat(zones.free("gpu-1", 0, "nvidia.com/gpu")).as("the report does not know t1 yet").isZero();
    }

    @Test
    void aReportPublishedBeforeThePodTurnsRunningCountsItOnceItRuns() {
        gpuNode("gpu-1", 4, 4);
        loop.onPodUpserted(trainer("t1", 4).build());
        loop.runUntilIdle();

        // The exporter reports the allocation first; the pod's status follows; no newer report comes.
        gpuNode("gpu-1", 0, 4);
        loop.runUntilIdle();
        assertThat(zones.free("gpu-1", 0, "nvidia.com/gpu")).as("not Running yet: kept charged").isZero();
        loop.onPodUpserted(trainer("t1", 4).boundTo("gpu-1").phase(PodPhase.RUNNING).build());
        loop.runUntilIdle();
        assertThat(zones.free("gpu-1", 1, "nvidia.com/gpu")).isEqualTo(4);

        // When it finishes, the stale report still shows zone 0 full; the next report frees it.
        loop.onPodRemoved(trainer("t1", 4).build().key());
        gpuNode("gpu-1", 4, 4);
        loop.runUntilIdle();
        assertThat(zones.free("gpu-1", 0, "nvidia.com/gpu")).as("reflected, so not subtracted twice").isEqualTo(4);
    }

    @Test
    void heldAmountsThatAnotherPodExplainsDoNotCountANewPod() {
        gpuNode("gpu-1", 4, 4);
        loop.onPodUpserted(trainer("t1", 2).build());
        loop.onPodUpserted(trainer("t2", 2).build());
        loop.runUntilIdle();
        // t1 runs and a report counts it (zone 0: 2 held); t2 turns Running without a report of its own.
        loop.onPodUpserted(trainer("t1", 2).boundTo("gpu-1").phase(PodPhase.RUNNING).build());
        gpuNode("gpu-1", 2, 4);
        loop.onPodUpserted(trainer("t2", 2).boundTo("gpu-1").phase(PodPhase.RUNNING).build());
        loop.runUntilIdle();
        assertThat(zones.free("gpu-1", 0, "nvidia.com/gpu")).as("t2 still charged: the report's 2 are t1's").isZero();
    }

    @Test
    void anIsolatedPodWaitsUntilTheKubeletHasStartedTheOtherAlignedPodOnItsNode() {
        gpuNode("gpu-1", 4, 4);
        loop.onPodUpserted(trainer("t1", 1).build());
        loop.runUntilIdle();
        // Its bind is in flight: the kubelet may admit the next pod first and pick zones in that order.
        loop.onPodUpserted(trainer("iso", 4).annotation(NumaRequest.POLICY_ANNOTATION, "isolated").build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsOnlyKeys("t1");
        assertThat(events.lines()).anyMatch(line -> line.startsWith("FailedScheduling iso:")
                && line.contains("node(s) were still starting another NUMA-aligned pod"));

        loop.onPodUpserted(trainer("t1", 1).boundTo("gpu-1").phase(PodPhase.RUNNING).build());
        clock.advance(java.time.Duration.ofSeconds(2));
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsEntry("iso", "gpu-1");
        assertThat(events.lines()).contains("Scheduled iso: gpu-1 (NUMA zone 1, NVLink island nvl1)");
    }
}
