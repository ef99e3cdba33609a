package io.kubenexus.scheduler.core.state;

import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.model.PodInfo;
import org.junit.jupiter.api.Test;

/** Capacity held by reservation stand-ins is published per node, apart from (and within) requested. */
class ClusterStateReservedTest {
    private final ClusterState state = new ClusterState();

    private static PodInfo standIn(String name, double cpu, String node) {
        return pod(name).annotation(PodInfo.STAND_IN_ANNOTATION, "true").cpu(cpu).boundTo(node).build();
    }

    private long reservedCpu(String node) {
        return state.publish().node(node).reserved(ResourceColumns.CPU);
    }

    @Test
    void followsAssumeForgetAndTheNodeLeavingAndComingBack() {
        state.upsertNode(node("a").cpu(8).build());
        state.upsertNode(node("b").cpu(8).build());
        state.assume(pod("real").cpu(1).boundTo("a").build());
        state.assume(standIn("s1", 2, "a"));
        state.assume(standIn("s2", 0.5, "a"));
        assertThat(reservedCpu("a")).isEqualTo(2500);
        assertThat(state.publish().node("a").requested(ResourceColumns.CPU)).isEqualTo(3500);
        assertThat(state.publish().node("b").reserved()).as("shared empty array").isSameAs(NodeView.NONE_RESERVED);

        state.forget(standIn("s2", 0.5, "a").key());
        assertThat(reservedCpu("a")).isEqualTo(2000);

        state.removeNode("a");
        assertThat(state.publish().node("a")).isNull();
        state.upsertNode(node("a").cpu(8).build());
        assertThat(reservedCpu("a")).as("charged again with the node").isEqualTo(2000);

        state.forget(standIn("s1", 2, "a").key());
        assertThat(reservedCpu("a")).isZero();
        assertThat(state.publish().node("a").reserved()).isSameAs(NodeView.NONE_RESERVED);
    }

    @Test
    void anAssumedRealPodReservesNothing() {
        state.upsertNode(node("a").cpu(8).build());
        state.assume(pod("real").cpu(3).boundTo("a").build());
        assertThat(reservedCpu("a")).isZero();
    }
}
