package io.kubenexus.scheduler.core.plugins;

import static io.kubenexus.scheduler.core.model.TaintEffect.NO_EXECUTE;
import static io.kubenexus.scheduler.core.model.TaintEffect.NO_SCHEDULE;
import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.Toleration;
import io.kubenexus.scheduler.core.plugins.ClusterUnderTest.FilterOutcome;
import io.kubenexus.scheduler.core.testing.PodFixture;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeUnschedulableTest {
    private static final String REASON = "node(s) were unschedulable";
    private static final String KEY = "node.kubernetes.io/unschedulable";

    private static final List<NodeInfo> NODES = List.of(
            node("cordoned-1").unschedulable().build(), node("open").build(),
            node("cordoned-2").unschedulable().build());

    private final NodeUnschedulable plugin = new NodeUnschedulable();

    static Stream<Arguments> filterCases() {
        return Stream.of(
                Arguments.of("no toleration: cordoned nodes rejected", pod("p"), Set.of("open"), Map.of(REASON, 2)),
                Arguments.of("tolerates the unschedulable taint",
                        pod("p").toleration(Toleration.exists(KEY, NO_SCHEDULE)),
                        Set.of("cordoned-1", "open", "cordoned-2"), Map.of()),
                Arguments.of("effect-less toleration of the key",
                        pod("p").toleration(Toleration.exists(KEY, null)),
                        Set.of("cordoned-1", "open", "cordoned-2"), Map.of()),
                Arguments.of("tolerating everything",
                        pod("p").toleratesAll(), Set.of("cordoned-1", "open", "cordoned-2"), Map.of()),
                Arguments.of("a NoExecute toleration does not cover NoSchedule",
                        pod("p").toleration(Toleration.exists(KEY, NO_EXECUTE)), Set.of("open"), Map.of(REASON, 2)),
                Arguments.of("Equal with a value does not match the value-less taint",
                        pod("p").toleration(Toleration.equal(KEY, "true", NO_SCHEDULE)), Set.of("open"),
                        Map.of(REASON, 2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filterCases")
    void filter(String name, PodFixture pod, Set<String> survivors, Map<String, Integer> reasons) {
        FilterOutcome outcome = ClusterUnderTest.of(NODES).filter(plugin, pod.build());

        assertThat(outcome.survivors()).containsExactlyInAnyOrderElementsOf(survivors);
        assertThat(outcome.reasons()).isEqualTo(reasons);
    }

    @Test
    void messageAndEvents() {
        FilterOutcome outcome = ClusterUnderTest.of(List.of(node("n1").unschedulable().build()))
                .filter(plugin, pod("p").build());

        assertThat(outcome.message()).isEqualTo("0/1 nodes are available: 1 node(s) were unschedulable.");
        assertThat(outcome.diagnosis().eventsThatMayHelp())
                .containsExactlyInAnyOrder(ClusterEventType.NODE_SCHEDULABILITY_CHANGED, ClusterEventType.NODE_ADDED);
    }

    @Test
    void onlyCandidatesAreCounted() {
        FilterOutcome outcome = ClusterUnderTest.of(NODES)
                .filterAmong(plugin, pod("p").build(), List.of("cordoned-1", "open"));

        assertThat(outcome.survivors()).containsExactly("open");
        assertThat(outcome.reasons()).isEqualTo(Map.of(REASON, 1));
    }

    @Test
    void uncordoningMakesTheNodeSchedulable() {
        ClusterUnderTest cluster = ClusterUnderTest.of(NODES);
        cluster.state().upsertNode(node("cordoned-1").build());

        assertThat(cluster.filter(plugin, pod("p").build()).survivors()).containsExactly("cordoned-1", "open");
    }
}
