package io.kubenexus.scheduler.core.state;

import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.PodPhase;
import io.kubenexus.scheduler.core.model.TaintEffect;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClusterStateTest {
    private static final long GI = 1024L * 1024 * 1024;
    private final ClusterState state = new ClusterState();

    @Test
    void nodesGetDenseIndicesThatAreReusedAfterRemoval() {
        state.upsertNode(node("a").build());
        state.upsertNode(node("b").build());
        state.upsertNode(node("c").build());
        int b = state.nodeIndex("b");

        state.removeNode("b");
        state.upsertNode(node("d").build());

        assertThat(state.nodeIndex("b")).isEqualTo(-1);
        assertThat(state.nodeIndex("d")).isEqualTo(b);
        assertThat(state.nodeCount()).isEqualTo(3);
        assertThat(state.nodeIndexBound()).isEqualTo(3);
        assertThat(state.liveNodes().cardinality()).isEqualTo(3);
    }

    @Test
    void nodeUpdatesReportWhatChanged() {
        state.upsertNode(node("a").cpu(4).build());

        assertThat(state.upsertNode(node("a").cpu(4).build())).isEmpty();
        assertThat(state.upsertNode(node("a").cpu(8).build())).containsExactly(NodeChange.ALLOCATABLE);
        assertThat(state.upsertNode(node("a").cpu(8).label("zone", "z1").taint("k", "v", TaintEffect.NO_SCHEDULE)
                .unschedulable().build()))
                .containsExactlyInAnyOrder(NodeChange.LABELS, NodeChange.TAINTS, NodeChange.SCHEDULABILITY);
        assertThat(state.allocatable(ResourceColumns.CPU, state.nodeIndex("a"))).isEqualTo(8000);
    }

    @Test
    void labelAndTaintIndexesFollowNodeUpdates() {
        state.upsertNode(node("a").label("zone", "z1").taint("gpu", "true", TaintEffect.NO_SCHEDULE).build());
        state.upsertNode(node("b").label("zone", "z2").taint("spot", "", TaintEffect.PREFER_NO_SCHEDULE).build());
        int a = state.nodeIndex("a");
        int b = state.nodeIndex("b");

        assertThat(state.nodesWithLabel("zone", "z1").stream().toArray()).containsExactly(a);
        assertThat(state.nodesWithLabelKey("zone").cardinality()).isEqualTo(2);
        assertThat(state.labelValues("zone")).containsExactlyInAnyOrder("z1", "z2");
        assertThat(state.hardTaints()).singleElement().satisfies(t -> {
            assertThat(t.taint().key()).isEqualTo("gpu");
            assertThat(t.nodes().stream().toArray()).containsExactly(a);
        });
        assertThat(state.preferNoScheduleTaints()).singleElement()
                .satisfies(t -> assertThat(t.nodes().stream().toArray()).containsExactly(b));

        state.upsertNode(node("a").label("zone", "z2").build());

        assertThat(state.nodesWithLabel("zone", "z1").isEmpty()).isTrue();
        assertThat(state.labelValues("zone")).containsExactly("z2");
        assertThat(state.nodesWithLabel("zone", "z2").cardinality()).isEqualTo(2);
        assertThat(state.hardTaints()).isEmpty();
    }

    @Test
    void boundPodsAreChargedAndReleased() {
        state.upsertNode(node("a").cpu(4).memoryGi(16).gpus(8).build());
        int a = state.nodeIndex("a");

        state.upsertPod(pod("p1").cpu(1).memoryGi(2).gpu(2).boundTo("a").build());
        state.upsertPod(pod("p2").cpu(0.5).boundTo("a").build());

        int gpu = state.columns().columnOf("nvidia.com/gpu");
        assertThat(state.requested(ResourceColumns.CPU, a)).isEqualTo(1500);
        assertThat(state.requested(ResourceColumns.MEMORY, a)).isEqualTo(2 * GI);
        assertThat(state.requested(ResourceColumns.PODS, a)).isEqualTo(2);
        assertThat(state.requested(gpu, a)).isEqualTo(2);
        // p2 has no memory request: scoring counts kube-scheduler's 200Mi default for it.
        assertThat(state.nonZeroRequested(ResourceColumns.MEMORY, a)).isEqualTo(2 * GI + 200L * 1024 * 1024);

        boolean freed = state.upsertPod(pod("p1").cpu(1).memoryGi(2).gpu(2).boundTo("a").phase(PodPhase.SUCCEEDED).build());

        assertThat(freed).isTrue();
        assertThat(state.requested(ResourceColumns.CPU, a)).isEqualTo(500);
        assertThat(state.requested(gpu, a)).isZero();
        assertThat(state.freeCapacity(gpu)).isEqualTo(8);
    }

    @Test
    void assumedPodsHoldCapacityUntilForgottenOrConfirmed() {
        state.upsertNode(node("a").cpu(4).build());
        int a = state.nodeIndex("a");
        PodInfo pending = pod("p").cpu(3).build();

        state.assume(pending.withNodeName("a"));
        assertThat(state.isAssumed(pending.key())).isTrue();
        assertThat(state.requested(ResourceColumns.CPU, a)).isEqualTo(3000);

        state.forget(pending.key());
        assertThat(state.requested(ResourceColumns.CPU, a)).isZero();

        state.assume(pending.withNodeName("a"));
        state.upsertPod(pod("p").cpu(3).boundTo("a").build());
        assertThat(state.isAssumed(pending.key())).isFalse();
        assertThat(state.forget(pending.key())).as("a confirmed pod is not forgotten").isFalse();
        assertThat(state.requested(ResourceColumns.CPU, a)).isEqualTo(3000);
    }

    @Test
    void podsSeenBeforeTheirNodeAreChargedWhenTheNodeArrives() {
        state.upsertPod(pod("early").cpu(2).boundTo("late-node").build());
        state.upsertNode(node("late-node").cpu(4).build());

        int index = state.nodeIndex("late-node");
        assertThat(state.requested(ResourceColumns.CPU, index)).isEqualTo(2000);
        assertThat(state.freeCapacity(ResourceColumns.CPU)).isEqualTo(2000);

        state.removeNode("late-node");
        assertThat(state.freeCapacity(ResourceColumns.CPU)).isZero();
        state.upsertNode(node("late-node").cpu(4).build());
        assertThat(state.requested(ResourceColumns.CPU, state.nodeIndex("late-node"))).isEqualTo(2000);
    }

    @Test
    void podContextRegistersResourcesNoNodeHasAndAddsThePodSlot() {
        state.upsertNode(node("a").build());
        PodContext context = state.podContext(pod("p").cpu(1).request("example.com/fpga", 1).build());

        int fpga = state.columns().columnOf("example.com/fpga");
        assertThat(fpga).isPositive();
        assertThat(context.requestColumns()).contains(ResourceColumns.PODS, ResourceColumns.CPU, fpga);
        assertThat(state.allocatable(fpga, state.nodeIndex("a"))).isZero();
    }

    @Test
    void aggregateFreeCapacityMatchesABruteForceSumUnderRandomChanges() {
        Random random = new Random(7);
        List<PodKey> placed = new ArrayList<>();
        for (int step = 0; step < 5_000; step++) {
            int action = random.nextInt(10);
            String nodeName = "n" + random.nextInt(40);
            if (action < 2) {
                state.upsertNode(node(nodeName).cpu(1 + random.nextInt(64)).memoryGi(1 + random.nextInt(256))
                        .gpus(random.nextInt(3) * 4).build());
            } else if (action < 3) {
                state.removeNode(nodeName);
            } else if (action < 8) {
                PodInfo p = pod("p" + step).cpuMilli(random.nextInt(4000)).memoryGi(random.nextInt(8))
                        .gpu(random.nextInt(2)).boundTo(nodeName).build();
                if (random.nextBoolean()) {
                    state.upsertPod(p);
                } else {
                    state.assume(p);
                }
                placed.add(p.key());
            } else if (!placed.isEmpty()) {
                state.removePod(placed.remove(random.nextInt(placed.size())));
            }
        }
        for (int column = 0; column < state.columns().count(); column++) {
            long expected = 0;

            for (int n = state.liveNodes().nextSetBit(0); n >= 0; n = state.liveNodes().nextSetBit(n + 1)) {
                expected += Math.max(0, state.allocatable(column, n) - state.requested(column, n));
            }
            assertThat(state.freeCapacity(column)).as(state.columns().name(column)).isEqualTo(expected);
        }
    }

    @Test
    void publishingCopiesOnlyChangedNodesAndOldViewsStayUnchanged() {
        for (int i = 0; i < 100; i++) {
            state.upsertNode(node("n" + i).cpu(8).build());
        }
        ClusterView first = state.publish();
        assertThat(first.nodeCount()).isEqualTo(100);

        state.upsertPod(pod("p").cpu(2).boundTo("n7").build());
        ClusterView second = state.publish();

        assertThat(second.generation()).isGreaterThan(first.generation());
        assertThat(second.node("n7").requested(ResourceColumns.CPU)).isEqualTo(2000);
        assertThat(first.node("n7").requested(ResourceColumns.CPU)).as("old view is immutable").isZero();
        for (int i = 0; i < 100; i++) {
            if (i != 7) {
                assertThat(second.node("n" + i)).as("n%d is shared, not copied", i).isSameAs(first.node("n" + i));
            }
        }
        assertThat(state.publish()).as("nothing changed: same view").isSameAs(second);
    }

    @Test
    void viewsDoNotConfuseANodeWithALaterNodeOnItsReusedIndex() {
        state.upsertNode(node("old").build());
        ClusterView before = state.publish();
        state.removeNode("old");
        state.upsertNode(node("new").build());
        ClusterView after = state.publish();

        assertThat(before.node("old")).isNotNull();
        assertThat(before.node("new")).as("not in the older view").isNull();
        assertThat(after.node("old")).isNull();
        assertThat(after.node("new").node().name()).isEqualTo("new");
    }

    @Test
    void hostPortsAreTrackedPerNode() {
        NodeInfo a = node("a").build();
        state.upsertNode(a);
        state.upsertPod(pod("web").hostPort(8080).boundTo("a").build());
        int index = state.nodeIndex("a");

        assertThat(state.hostPortConflict(index, new io.kubenexus.scheduler.core.model.HostPort("10.0.0.1", "TCP", 8080)))
                .isTrue();
        assertThat(state.hostPortConflict(index, new io.kubenexus.scheduler.core.model.HostPort(null, "UDP", 8080)))
                .isFalse();

        state.removePod(new PodKey("default", "web"));
        assertThat(state.hostPortConflict(index, new io.kubenexus.scheduler.core.model.HostPort(null, "TCP", 8080)))
                .isFalse();
    }
}
