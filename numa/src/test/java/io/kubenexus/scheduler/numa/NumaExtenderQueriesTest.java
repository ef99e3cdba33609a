package io.kubenexus.scheduler.numa;

import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.query.NodeFilterResult;
import io.kubenexus.scheduler.core.query.PodExplanation;
import io.kubenexus.scheduler.core.testing.MutableClock;
import io.kubenexus.scheduler.core.testing.PodFixture;
import io.kubenexus.scheduler.core.testing.RecordingEventSink;
import io.kubenexus.scheduler.core.testing.ScriptedBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The loop's extender filter and explanations with the NUMA plugin in the profile. */
class NumaExtenderQueriesTest {
    private static final long GI = 1024L * 1024 * 1024;

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final SchedulerSettings settings = SchedulerSettings.defaults();
    private final NumaSettings numa = NumaSettings.defaults();
    private final SchedulingLoop loop = new SchedulingLoop(settings, NumaPlugins.profiles(numa).create(settings),
            new ScriptedBinder(), new RecordingEventSink(), SchedulerMetrics.NONE, clock);

    NumaExtenderQueriesTest() {
        loop.addStateExtension(new NumaZones(numa));
        loop.onLeadershipChanged(true);
        loop.onCachesSynced();
        gpuNode("split", 2, 2);
        loop.onNodeUpserted(node("bare").cpu(96).memoryGi(1024).gpus(8).pods(110).build());
        loop.runUntilIdle();
    }

    /** 2 zones x {48 cores, 512Gi, 4 GPUs}, kubelet single-numa-node. */
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
        loop.onStateUpdate(ClusterEventType.NODE_TOPOLOGY_CHANGED, state ->
                state.extension(NumaZones.class).setTopology(name, topology, null, TopologySource.NODE_RESOURCE_TOPOLOGY));
    }

    private static PodFixture trainer(String name, long gpus) {
        return pod(name).cpu(8).memoryGi(64).gpu(gpus).guaranteed()
                .annotation(NumaRequest.POLICY_ANNOTATION, "single-numa");
    }

    @Test
    void zoneCapacityIsResolvableByEvictionAndAMissingTopologyIsNot() {
        CompletableFuture<NodeFilterResult> answer = loop.filter(trainer("t", 4).build(), List.of("split", "bare"));
        loop.runUntilIdle();

        assertThat(answer).isDone();
        assertThat(answer.join().failed()).containsExactly(Map.entry("split",
                "node(s) would fail the kubelet's topology admission (TopologyAffinityError)"));
        assertThat(answer.join().failedAndUnresolvable()).containsExactly(Map.entry("bare", "node(s) had no NUMA topology"));
    }

    @Test
    void explainGroupsTheNumaReasonsUnderTheNumaPlugin() {
        loop.onPodUpserted(trainer("t", 4).build());
        loop.runUntilIdle();

        CompletableFuture<Optional<PodExplanation>> answer = loop.explain(new PodKey("default", "t"));
        loop.runUntilIdle();

        assertThat(answer).isDone();
        PodExplanation explanation = answer.join().orElseThrow();
        assertThat(explanation.reasonsByPlugin()).containsOnlyKeys(NumaSettings.PLUGIN_NAME);
        assertThat(explanation.reasonsByPlugin().get(NumaSettings.PLUGIN_NAME)).containsOnly(
                Map.entry("node(s) would fail the kubelet's topology admission (TopologyAffinityError)", 1),
                Map.entry("node(s) had no NUMA topology", 1));
        assertThat(explanation.lastUnschedulableMessage()).startsWith("0/2 nodes are available: ");
    }
}
