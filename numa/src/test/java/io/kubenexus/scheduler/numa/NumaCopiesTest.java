package io.kubenexus.scheduler.numa;

import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.loop.Decision;
import io.kubenexus.scheduler.core.loop.SchedulingAlgorithm;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.testing.OneByOne;
import io.kubenexus.scheduler.core.testing.PodFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Copies of a NUMA pod decided together ({@link SchedulingAlgorithm#scheduleCopies}, as the gang
 * planner does for executors and workers) get exactly the decisions of one full decision per copy
 * with each assumed before the next: the zone accounting of the node a copy took is the only
 * thing that changes, and the NUMA filter and score judge each node alone.
 */
class NumaCopiesTest {
    private final NumaSettings numa = NumaSettings.defaults();

    static Stream<Arguments> templates() {
        return Stream.of(
                Arguments.of("single-numa trainers with 2 GPUs", (Function<Integer, PodFixture>) i ->
                        pod("trainer-" + i).cpu(8).memoryGi(64).gpu(2).guaranteed()
                                .annotation(NumaRequest.POLICY_ANNOTATION, "single-numa")),
                Arguments.of("isolated workers", (Function<Integer, PodFixture>) i ->
                        pod("worker-" + i).cpu(12).memoryGi(48).guaranteed()
                                .annotation(NumaRequest.POLICY_ANNOTATION, "isolated")),
                Arguments.of("restricted wide pods", (Function<Integer, PodFixture>) i ->
                        pod("wide-" + i).cpu(24).memoryGi(96).guaranteed()
                                .annotation(NumaRequest.POLICY_ANNOTATION, "restricted")),
                Arguments.of("best-effort GPU pods", (Function<Integer, PodFixture>) i ->
                        pod("infer-" + i).cpu(4).memoryGi(16).gpu(1)
                                .annotation(NumaRequest.POLICY_ANNOTATION, "best-effort")),
                Arguments.of("unannotated Guaranteed pods", (Function<Integer, PodFixture>) i ->
                        pod("plain-" + i).cpu(6).memoryGi(24).guaranteed()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void copiesGetTheDecisionsOfOneByOne(String name, Function<Integer, PodFixture> template) {
        SchedulerSettings settings = SchedulerSettings.defaults();
        for (long seed = 1; seed <= 5; seed++) {
            List<PodInfo> copies = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                copies.add(template.apply(i).uid("uid-" + seed + "-" + i).build());
            }

            ClusterState oneByOneState = cluster(seed);
            List<Decision> expected = OneByOne.decide(
                    new SchedulingAlgorithm(NumaPlugins.profiles(numa).create(settings), 100), oneByOneState, copies);

            ClusterState copiesState = cluster(seed);
            SchedulingAlgorithm together = new SchedulingAlgorithm(NumaPlugins.profiles(numa).create(settings), 100);
            List<Decision> actual = together.scheduleCopies(copies, copiesState,
                    (copy, placed) -> copiesState.assume(copy.withNodeName(placed.nodeName())));

            assertThat(actual).as("seed %d", seed).containsExactlyElementsOf(expected);
            assertThat(expected).as("some copies placed").anyMatch(Decision.Placed.class::isInstance);
        }
    }

    /** GPU and CPU NUMA nodes with random free zones reported, and plain nodes without topology. */
    private ClusterState cluster(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ClusterState state = new ClusterState();
        NumaZones zones = new NumaZones(numa);
        state.addExtension(zones);
        for (int n = 0; n < 6; n++) {
            TopologyFixture.gpuNode().freeGpus(0, random.nextInt(5)).freeGpus(1, random.nextInt(5))
                    .freeCores(0, random.nextInt(8, 49)).install(state, zones, "gpu-" + n,
                            TopologySource.NODE_RESOURCE_TOPOLOGY);
        }
        for (int n = 0; n < 6; n++) {
            TopologyFixture.cpuNode().freeCoresPerZone(random.nextInt(4, 17), random.nextInt(4, 17),
                    random.nextInt(4, 17), random.nextInt(4, 17)).install(state, zones, "cpu-" + n,
                    TopologySource.NODE_RESOURCE_TOPOLOGY);
        }
        for (int n = 0; n < 3; n++) {
            state.upsertNode(TopologyFixture.plainNode("plain-" + n));
        }
        return state;
    }
}
