package io.kubenexus.scheduler.gang;

import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.gang.group.GangSettings;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.core.model.NodeAffinity;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.QosClass;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.testing.MutableClock;
import io.kubenexus.scheduler.core.testing.PodFixture;
import io.kubenexus.scheduler.core.testing.QuietMetrics;
import io.kubenexus.scheduler.core.testing.RecordingEventSink;
import io.kubenexus.scheduler.core.testing.ScriptedBinder;
import io.kubenexus.scheduler.gang.lifecycle.ExecutorSizing;
import io.kubenexus.scheduler.gang.lifecycle.GangPlugin;
import io.kubenexus.scheduler.numa.GpuInterconnect;
import io.kubenexus.scheduler.numa.GpuIsland;
import io.kubenexus.scheduler.numa.NodeTopology;
import io.kubenexus.scheduler.numa.NumaPlugins;
import io.kubenexus.scheduler.numa.NumaRequest;
import io.kubenexus.scheduler.numa.NumaSettings;
import io.kubenexus.scheduler.numa.NumaZone;
import io.kubenexus.scheduler.numa.NumaZones;
import io.kubenexus.scheduler.numa.TopologyManagerPolicy;
import io.kubenexus.scheduler.numa.TopologyManagerScope;
import io.kubenexus.scheduler.numa.TopologySource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Places reserved for executors not created yet carry the executors' own shape (a SparkApplication's
 * {@code spec.executor}: GPUs, the NUMA policy, Guaranteed QoS), so a single-numa GPU executor finds
 * its reserved place aligned, rather than being refused there and placed elsewhere.
 */
class ExecutorShapedReservationsTest {
    private static final long GI = 1L << 30;
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final ScriptedBinder binder = new ScriptedBinder();
    private final RecordingEventSink events = new RecordingEventSink();
    private final List<String> placements = new ArrayList<>();
    private final SchedulerSettings settings = SchedulerSettings.defaults();
    private final NumaSettings numa = NumaSettings.defaults();
    private final SchedulingLoop loop = GangPlugin.newLoop(settings, NumaPlugins.profiles(numa).create(settings),
            new GangLabels(), GangPlanner.packing(settings, NumaPlugins.profiles(numa)), GangSettings.defaults(), binder,
            events, new QuietMetrics() {
                @Override
                public void executorPlaced(String place) {
                    placements.add(place);
                }
            }, clock);

    ExecutorShapedReservationsTest() {
        loop.addStateExtension(new NumaZones(numa));
        loop.onLeadershipChanged(true);
        loop.onCachesSynced();
        loop.onNodeUpserted(node("cpu-1").cpu(16).memoryGi(64).build());
        // gpu-1 has 2 GPUs free, but one per zone: no zone can align a 2-GPU single-numa executor.
        gpuNode("gpu-1", 1, 1);
        gpuNode("gpu-2", 4, 4);
    }

    private void gpuNode(String name, long freeZone0, long freeZone1) {
        loop.onNodeUpserted(node(name).cpu(96).memoryGi(1024).gpus(freeZone0 + freeZone1).pods(110).build());
        List<NumaZone> zones = new ArrayList<>();
        long[] free = {freeZone0, freeZone1};
        for (int z = 0; z < 2; z++) {
            Map<String, Long> capacity = Map.of("cpu", 48_000L, "memory", 512 * GI, "nvidia.com/gpu", free[z]);
            zones.add(new NumaZone(z, capacity, capacity, capacity));
        }
        NodeTopology topology = new NodeTopology(zones, TopologyManagerPolicy.SINGLE_NUMA_NODE, TopologyManagerScope.CONTAINER);
        GpuInterconnect islands = new GpuInterconnect("nvidia.com/gpu",
                List.of(new GpuIsland("nvl0", 0, (int) freeZone0), new GpuIsland("nvl1", 1, (int) freeZone1)));
        loop.onStateUpdate(ClusterEventType.NODE_TOPOLOGY_CHANGED, state ->
                state.extension(NumaZones.class).setTopology(name, topology, islands, TopologySource.NODE_RESOURCE_TOPOLOGY));
    }

    private static PodFixture spark(String name, String role) {
        return pod(name).namespace("spark").label(GangLabels.SPARK_ROLE, role).label(GangLabels.SPARK_APP_SELECTOR, "spark-train")
                .label(GangLabels.OPERATOR_APP_NAME, "train").label(GangLabels.NAME, "train");
    }

    private static PodInfo executor(int id) {
        return spark("train-exec-" + id, "executor").label(GangLabels.SPARK_EXEC_ID, Integer.toString(id))
                .cpu(8).memoryGi(32).gpu(2).guaranteed().annotation(NumaRequest.POLICY_ANNOTATION, "single-numa").build();
    }

    /** Two executors of 8 cores, 32Gi, 2 GPUs, single-numa, Guaranteed: as the SparkApplication's spec.executor says. */
    private static ExecutorTemplate executors(boolean shapeKnown) {
        ExecutorTemplate sized = new ExecutorTemplate(ResourceList.of(Map.of("cpu", 8000L, "memory", 32 * GI,
                "nvidia.com/gpu", 2L)), 2, Map.of(), List.of(), "SparkApplication spark/train");
        return shapeKnown ? sized.withShape(Map.of(), List.of(), NodeAffinity.NONE,
                Map.of(NumaRequest.POLICY_ANNOTATION, "single-numa"), QosClass.GUARANTEED) : sized;
    }

    private void run(ExecutorTemplate template) {
        GangPlugin.of(loop).onExecutorTemplate("spark", "train", template);
        loop.onPodUpserted(spark("train-driver", "driver").cpu(1).memoryGi(2).build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsOnlyKeys("train-driver");
        loop.onPodUpserted(spark("train-driver", "driver").cpu(1).memoryGi(2).build()
                .withNodeName(binder.bindings().get("train-driver")));
        loop.onPodUpserted(executor(1));
        loop.onPodUpserted(executor(2));
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsKeys("train-exec-1", "train-exec-2");
    }

    @Test
    void executorsWithTheirNumaShapeKnownTakeTheirReservedAlignedPlaces() {
        run(executors(true));
        assertThat(placements).containsExactly("reserved", "reserved");
        assertThat(binder.bindings()).containsEntry("train-exec-1", "gpu-2").containsEntry("train-exec-2", "gpu-2");
        assertThat(loop.stats().reservations()).isZero();
    }

    @Test
    void standInsCarryTheExecutorsShapeWhenKnownAndTheDriversOtherwise() {
        PodInfo driver = spark("train-driver", "driver").cpu(1).memoryGi(2).nodeSelector("pool", "cpu").build();
        PodInfo shaped = ExecutorSizing.standIns(driver, executors(true), 0).get(0);
        assertThat(shaped.annotations()).containsEntry(NumaRequest.POLICY_ANNOTATION, "single-numa")
                .containsKey(PodInfo.STAND_IN_ANNOTATION);
        assertThat(shaped.qosClass()).isEqualTo(QosClass.GUARANTEED);
        assertThat(shaped.nodeSelector()).as("the executors have none of their own").isEmpty();
        assertThat(shaped.requests().get("nvidia.com/gpu")).isEqualTo(2);

        PodInfo driverShaped = ExecutorSizing.standIns(driver, executors(false), 0).get(0);
        assertThat(driverShaped.annotations()).containsOnlyKeys(PodInfo.STAND_IN_ANNOTATION);
        assertThat(driverShaped.nodeSelector()).containsEntry("pool", "cpu");
        assertThat(driverShaped.qosClass()).isEqualTo(driver.qosClass());
    }
}
