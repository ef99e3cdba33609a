package io.kubenexus.scheduler.core.plugins;

import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.plugins.ClusterUnderTest.FilterOutcome;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeNameTest {
    private static final String REASON = "node(s) didn't match the requested node name";

    private static final List<NodeInfo> NODES = List.of(node("n1").build(), node("n2").build(), node("n3").build());

    private final NodeName plugin = new NodeName();

    /** A pending pod that names a node, as the extender may be asked about (withNodeName keeps it Pending). */
    private static PodInfo naming(String nodeName) {
        return pod("p").build().withNodeName(nodeName);
    }

    static Stream<Arguments> filterCases() {
        return Stream.of(
                Arguments.of("no node name: every node", pod("p").build(), Set.of("n1", "n2", "n3"), Map.of()),
                Arguments.of("the named node only", naming("n2"), Set.of("n2"), Map.of(REASON, 2)),
                Arguments.of("the first node", naming("n1"), Set.of("n1"), Map.of(REASON, 2)),
                Arguments.of("the last node", naming("n3"), Set.of("n3"), Map.of(REASON, 2)),
                Arguments.of("an unknown node: nothing", naming("n9"), Set.of(), Map.of(REASON, 3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filterCases")
    void filter(String name, PodInfo pod, Set<String> survivors, Map<String, Integer> reasons) {
        FilterOutcome outcome = ClusterUnderTest.of(NODES).filter(plugin, pod);

        assertThat(outcome.survivors()).containsExactlyInAnyOrderElementsOf(survivors);
        assertThat(outcome.reasons()).isEqualTo(reasons);
    }

    @Test
    void theNamedNodeAlreadyRejectedLeavesNothingAndCountsOnlyCandidates() {
        FilterOutcome outcome = ClusterUnderTest.of(NODES).filterAmong(plugin, naming("n2"), List.of("n1", "n3"));

        assertThat(outcome.survivors()).isEmpty();
        assertThat(outcome.reasons()).isEqualTo(Map.of(REASON, 2));
        assertThat(outcome.message())
                .isEqualTo("0/3 nodes are available: 2 node(s) didn't match the requested node name.");
    }
}
