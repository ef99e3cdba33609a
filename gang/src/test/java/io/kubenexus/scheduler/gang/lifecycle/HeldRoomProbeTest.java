package io.kubenexus.scheduler.gang.lifecycle;

import static io.kubenexus.scheduler.core.testing.InterPodFixture.interPod;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.labels;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.term;
import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.loop.Decision;
import io.kubenexus.scheduler.core.loop.SchedulingAlgorithm;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** Where a member's held room may go is asked of the member itself, asking for nothing. */
class HeldRoomProbeTest {
    private final SchedulingAlgorithm algorithm =
            new SchedulingAlgorithm(SchedulingProfile.defaults(SchedulerSettings.defaults()), 100);

    @Test
    void aMemberWithAffinityToItsOwnKindIsProbedWhereTheMemberMayGo() {
        ClusterState state = new ClusterState();
        state.upsertNode(node("n1").label("zone", "z1").build());
        PodInfo member = pod("worker-0").cpu(1).label("job", "train")
                .interPod(interPod().affinity(term(labels("job", "train"), "zone")).build()).build();
        BitSet onlyN1 = new BitSet();
        onlyN1.set(state.nodeIndex("n1"));

        assertThat(algorithm.schedule(member, state, onlyN1)).isInstanceOf(Decision.Placed.class);
        assertThat(algorithm.schedule(HeldRoom.probe(member), state, onlyN1)).isInstanceOf(Decision.Placed.class);
    }

    @Test
    void heldRoomCarriesNoTermsThatWouldKeepOtherPodsAway() {
        ClusterState state = new ClusterState();
        state.upsertNode(node("n1").cpu(8).build());
        PodInfo member = pod("worker-0").cpu(1).label("job", "train")
                .interPod(interPod().antiAffinity(term(labels("app", "web"), "kubernetes.io/hostname")).build()).build();
        state.assume(HeldRoom.standIn(member, "n1"));

        PodInfo web = pod("web").cpu(1).label("app", "web").build();
        assertThat(algorithm.schedule(web, state)).isInstanceOf(Decision.Placed.class);
    }
}
