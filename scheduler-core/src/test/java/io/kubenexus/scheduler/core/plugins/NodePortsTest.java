package io.kubenexus.scheduler.core.plugins;

import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
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

class NodePortsTest {
    private static final String REASON = "node(s) didn't have free ports for the requested pod ports";

    private static final List<NodeInfo> NODES = List.of(
            node("any-ip").build(), node("specific-ip").build(), node("udp").build(), node("free").build());
    /** TCP 8080 on 0.0.0.0, TCP 8080 on 10.0.0.1, UDP 8080, nothing. */
    private static final List<PodInfo> BOUND = List.of(
            pod("a").hostPort(8080).boundTo("any-ip").build(),
            pod("b").hostPort("10.0.0.1", "TCP", 8080).boundTo("specific-ip").build(),
            pod("c").hostPort(null, "UDP", 8080).boundTo("udp").build());

    private final NodePorts plugin = new NodePorts();

    static Stream<Arguments> filterCases() {
        return Stream.of(
                Arguments.of("no host ports", pod("p"), Set.of("any-ip", "specific-ip", "udp", "free"), Map.of()),
                Arguments.of("0.0.0.0 conflicts with 0.0.0.0 and with a specific IP",
                        pod("p").hostPort(8080), Set.of("udp", "free"), Map.of(REASON, 2)),
                Arguments.of("a specific IP conflicts with 0.0.0.0, not with another specific IP",
                        pod("p").hostPort("10.0.0.2", "TCP", 8080), Set.of("specific-ip", "udp", "free"),
                        Map.of(REASON, 1)),
                Arguments.of("the same specific IP conflicts",
                        pod("p").hostPort("10.0.0.1", "TCP", 8080), Set.of("udp", "free"), Map.of(REASON, 2)),
                Arguments.of("a different protocol does not conflict",
                        pod("p").hostPort(null, "UDP", 8080), Set.of("any-ip", "specific-ip", "free"),
                        Map.of(REASON, 1)),
                Arguments.of("a different port does not conflict",
                        pod("p").hostPort(9090), Set.of("any-ip", "specific-ip", "udp", "free"), Map.of()),
                Arguments.of("the pod's own repeated ports do not conflict with each other",
                        pod("p").hostPort(9090).hostPort(9090), Set.of("any-ip", "specific-ip", "udp", "free"),
                        Map.of()),
                Arguments.of("a node conflicting on several ports is counted once",
                        pod("p").hostPort(8080).hostPort(null, "UDP", 8080), Set.of("free"), Map.of(REASON, 3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filterCases")
    void filter(String name, PodFixture pod, Set<String> survivors, Map<String, Integer> reasons) {
        FilterOutcome outcome = ClusterUnderTest.of(NODES, BOUND).filter(plugin, pod.build());

        assertThat(outcome.survivors()).containsExactlyInAnyOrderElementsOf(survivors);
        assertThat(outcome.reasons()).isEqualTo(reasons);
    }

    @Test
    void portsAreFreedWhenTheBoundPodGoes() {
        ClusterUnderTest cluster = ClusterUnderTest.of(NODES, BOUND);
        cluster.state().removePod(BOUND.get(0).key());

        FilterOutcome outcome = cluster.filter(plugin, pod("p").hostPort("10.0.0.2", "TCP", 8080).build());

        assertThat(outcome.survivors()).containsExactlyInAnyOrder("any-ip", "specific-ip", "udp", "free");
    }

    @Test
    void messageAndEvents() {
        FilterOutcome outcome = ClusterUnderTest.of(NODES.subList(0, 2), BOUND.subList(0, 2))
                .filter(plugin, pod("p").hostPort(8080).build());

        assertThat(outcome.message()).isEqualTo(
                "0/2 nodes are available: 2 node(s) didn't have free ports for the requested pod ports.");
        assertThat(outcome.diagnosis().eventsThatMayHelp())
                .containsExactlyInAnyOrder(ClusterEventType.ASSIGNED_POD_REMOVED, ClusterEventType.NODE_ADDED);
    }

    @Test
    void onlyCandidatesAreCounted() {
        FilterOutcome outcome = ClusterUnderTest.of(NODES, BOUND)
                .filterAmong(plugin, pod("p").hostPort(8080).build(), List.of("any-ip", "free"));

        assertThat(outcome.survivors()).containsExactly("free");
        assertThat(outcome.reasons()).isEqualTo(Map.of(REASON, 1));
    }
}
