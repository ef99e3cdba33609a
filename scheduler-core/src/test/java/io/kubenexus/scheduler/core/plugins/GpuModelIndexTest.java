package io.kubenexus.scheduler.core.plugins;

import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static io.kubenexus.scheduler.core.testing.PodFixture.req;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.model.NodeSelectorOperator;
import io.kubenexus.scheduler.core.testing.PodFixture;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GpuModelIndexTest {
    private static final String MODEL = "nvidia.com/gpu.product";

    static Stream<Arguments> podCases() {
        return Stream.of(
                Arguments.of("no constraint: every model and unlabelled nodes", (UnaryOperator<PodFixture>) p -> p,
                        List.of("A100", "T4", "-")),
                Arguments.of("In", (UnaryOperator<PodFixture>) p -> p.requiredTerm(req(MODEL, NodeSelectorOperator.IN,
                        "A100", "V100")), List.of("A100")),
                Arguments.of("NotIn keeps unlabelled nodes", (UnaryOperator<PodFixture>) p -> p.requiredTerm(
                        req(MODEL, NodeSelectorOperator.NOT_IN, "A100")), List.of("T4", "-")),
                Arguments.of("Exists", (UnaryOperator<PodFixture>) p -> p.requiredTerm(
                        req(MODEL, NodeSelectorOperator.EXISTS)), List.of("A100", "T4")),
                Arguments.of("nodeSelector", (UnaryOperator<PodFixture>) p -> p.nodeSelector(MODEL, "T4"),
                        List.of("T4")),
                Arguments.of("terms are ORed", (UnaryOperator<PodFixture>) p -> p
                        .requiredTerm(req(MODEL, NodeSelectorOperator.IN, "A100"))
                        .requiredTerm(req(MODEL, NodeSelectorOperator.IN, "T4")), List.of("A100", "T4")),
                Arguments.of("a term without the label accepts every model", (UnaryOperator<PodFixture>) p -> p
                        .requiredTerm(req(MODEL, NodeSelectorOperator.IN, "A100"))
                        .requiredTerm(req("zone", NodeSelectorOperator.IN, "a")), List.of("A100", "T4", "-")),
                Arguments.of("other labels are no model constraint", (UnaryOperator<PodFixture>) p -> p
                        .requiredTerm(req("zone", NodeSelectorOperator.IN, "a")), List.of("A100", "T4", "-")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("podCases")
    void podModelsFollowAffinityAndSelector(String name, UnaryOperator<PodFixture> constraint, List<String> accepted) {
        ClusterUnderTest cluster = ClusterUnderTest.of(List.of(node("a100").label(MODEL, "A100").gpus(8).build(),
                node("t4").label(MODEL, "T4").gpus(2).build(), node("bare").gpus(1).build()));
        GpuModelIndex index = new GpuModelIndex(MODEL);
        index.cover(cluster.state());

        long mask = index.podModels(constraint.apply(pod("p").gpu(1)).build());

        for (String nodeName : List.of("a100", "t4", "bare")) {
            String model = nodeName.equals("bare") ? "-" : nodeName.equals("t4") ? "T4" : "A100";
            long bit = index.nodeBit(cluster.state(), cluster.state().nodeIndex(nodeName));
            assertThat((mask & bit) != 0).as(nodeName).isEqualTo(accepted.contains(model));
        }
    }

    @Test
    void aRelabelledNodeGetsItsNewModel() {
        ClusterUnderTest cluster = ClusterUnderTest.of(List.of(node("n").label(MODEL, "T4").gpus(2).build()));
        GpuModelIndex index = new GpuModelIndex(MODEL);
        index.cover(cluster.state());
        int n = cluster.state().nodeIndex("n");
        long before = index.nodeBit(cluster.state(), n);

        cluster.state().upsertNode(node("n").label(MODEL, "A100").gpus(2).build());
        long after = index.nodeBit(cluster.state(), n);

        assertThat(after).isNotEqualTo(before);
        assertThat(index.podModels(pod("p").nodeSelector(MODEL, "A100").build()) & after).isNotZero();
    }
}
