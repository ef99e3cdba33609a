package io.kubenexus.scheduler.numa;

import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static io.kubenexus.scheduler.numa.TopologyFixture.GPU;
import static io.kubenexus.scheduler.numa.TopologyFixture.gpuNode;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.loop.Decision;
import io.kubenexus.scheduler.core.loop.SchedulingAlgorithm;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodPhase;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A preemption question (a what-if on the state) takes pods off a node and puts them back; their
 * zones must come back exactly as they were, whatever order they come back in. Choosing again put
 * the pods back in reverse order into swapped zones, and the room freed by then evicting one of them
 * was counted in the wrong zone: the demo's kubelet then refused a single-numa pod placed there
 * (issue 15).
 */
class NumaWhatIfTest {
    private static final String NODE = "gpu-a";

    private final NumaSettings settings = NumaSettings.defaults();
    private final NumaZones zones = new NumaZones(settings);
    private final ClusterState state = new ClusterState();
    private final SchedulingAlgorithm algorithm =
            new SchedulingAlgorithm(NumaPlugins.profiles(settings).create(SchedulerSettings.defaults()), 100);

    NumaWhatIfTest() {
        state.addExtension(zones);
    }

    /** Guaranteed, single-numa, 2 GPUs: two fill a zone of the 8-GPU node. */
    private static PodInfo trainer(String name, PodPhase phase) {
        return pod(name).cpu(8).memoryGi(64).gpu(2).guaranteed()
                .annotation(NumaRequest.POLICY_ANNOTATION, "single-numa").boundTo(NODE).phase(phase).build();
    }

    private String zoneOf(String name) {
        return zones.placement(trainer(name, PodPhase.PENDING).key()).describe();
    }

    static Stream<List<String>> putBackOrders() {
        return Stream.of(
                List.of("d", "c", "b", "a"), // undone newest first, as a question rolls back
                List.of("a", "b", "c", "d"),
                List.of("c", "a", "d", "b")); // reprieved out of order, then the rest
    }

    @ParameterizedTest
    @MethodSource("putBackOrders")
    void podsTakenOffAndPutBackKeepTheirZonesAndTheirOrder(List<String> putBack) {
        gpuNode().install(state, zones, NODE, TopologySource.NODE_RESOURCE_TOPOLOGY);
        Map<String, PodInfo> pods = new LinkedHashMap<>();
        for (String name : List.of("a", "b", "c", "d")) {
            pods.put(name, trainer(name, PodPhase.RUNNING));
            state.upsertPod(pods.get(name));
        }
        assertThat(List.of(zoneOf("a"), zoneOf("b"), zoneOf("c"), zoneOf("d"))).extracting(z -> z.substring(0, 11))
                .containsExactly("NUMA zone 0", "NUMA zone 0", "NUMA zone 1", "NUMA zone 1");
        List<Object> before = List.of(zones.chargedOn(NODE), zoneOf("a"), zoneOf("b"), zoneOf("c"), zoneOf("d"));

        state.beginWhatIf();
        pods.keySet().forEach(name -> state.removePod(pods.get(name).key()));
        assertThat(zones.free(NODE, 0, GPU)).isEqualTo(4);
        putBack.forEach(name -> state.upsertPod(pods.get(name)));
        state.endWhatIf();

        assertThat(List.<Object>of(zones.chargedOn(NODE), zoneOf("a"), zoneOf("b"), zoneOf("c"), zoneOf("d")))
                .isEqualTo(before);
        assertThat(zones.free(NODE, 0, GPU)).isZero();
        assertThat(zones.free(NODE, 1, GPU)).isZero();

        // Evicting d for real frees zone 1, where the kubelet has it: a single-numa pod goes there.
        state.removePod(pods.get("d").key());
        Decision next = algorithm.schedule(pod("e").cpu(8).memoryGi(64).gpu(2).guaranteed()
                .annotation(NumaRequest.POLICY_ANNOTATION, "single-numa").build(), state);
        assertThat(next).isInstanceOf(Decision.Placed.class);
        state.assume(pod("e").cpu(8).memoryGi(64).gpu(2).guaranteed()
                .annotation(NumaRequest.POLICY_ANNOTATION, "single-numa").boundTo(NODE).build());
        assertThat(zoneOf("e")).startsWith("NUMA zone 1");
    }

    @Test
    void aPodPlacedByTheQuestionLeavesNothingBehind() {
        gpuNode().install(state, zones, NODE, TopologySource.NODE_RESOURCE_TOPOLOGY);
        PodInfo running = trainer("a", PodPhase.RUNNING);
        state.upsertPod(running);

        state.beginWhatIf();
        state.removePod(running.key());
        state.assume(trainer("preemptor", PodPhase.PENDING));
        assertThat(zoneOf("preemptor")).startsWith("NUMA zone 0");
        state.removePod(trainer("preemptor", PodPhase.PENDING).key());
        state.upsertPod(running);
        state.endWhatIf();

        assertThat(zones.chargedOn(NODE)).containsExactly(running.key());
        assertThat(zones.free(NODE, 0, GPU)).isEqualTo(2);
        assertThat(zones.free(NODE, 1, GPU)).isEqualTo(4);
    }
}
