package io.kubenexus.scheduler.core.loop;

import static io.kubenexus.scheduler.core.testing.InterPodFixture.hard;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.interPod;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.labels;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.term;
import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.InterPodSettings;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.config.ScoringStrategy;
import io.kubenexus.scheduler.core.framework.FilterDiagnosis;
import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.model.LabelSelector;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.plugins.PodTopologySpread;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Found in review: copies that inter-pod terms tell apart, and kube-scheduler's empty spread selector. */
class InterPodCopiesAndSelectorsTest {

    /**
     * kube-scheduler's countPodsMatchSelector returns 0 for an empty selector (labelSelector: {}),
     * and the pod self-matches: skew is always 1, the constraint never filters.
     */
    @Test
    void emptySpreadSelectorCountsNothingAsKubeScheduler() {
        ClusterState state = new ClusterState();
        state.upsertNode(node("n1").label("zone", "z1").build());
        state.upsertNode(node("n2").label("zone", "z2").build());
        state.upsertPod(pod("a").boundTo("n1").label("app", "other").build());
        state.upsertPod(pod("b").boundTo("n1").label("app", "other").build());
        PodInfo incoming = pod("in").label("app", "web")
                .interPod(interPod().spread(hard(1, "zone", LabelSelector.EVERYTHING)).build()).build();
        PodTopologySpread plugin = new PodTopologySpread(InterPodSettings.defaults());
        PodContext context = state.podContext(incoming);
        BitSet candidates = (BitSet) state.liveNodes().clone();
        plugin.filter(context, state, candidates, new FilterDiagnosis());
        assertThat(candidates.cardinality()).as("kube-scheduler: both nodes fit").isEqualTo(2);
    }

    /**
     * Copies that differ only in labels: the second copy is selected by a bound pod's required
     * anti-affinity on its node, but scheduleCopies decides it node by node from the first copy's
     * filter results and places it there anyway.
     */
    @Test
    void copiesDifferingInLabelsIgnoreExistingAntiAffinity() {
        SchedulerSettings settings = SchedulerSettings.defaults()
                .withScoring(ScoringStrategy.MOST_ALLOCATED, Map.of("cpu", 1, "memory", 1));
        ClusterState state = new ClusterState();
        state.upsertNode(node("n1").cpu(2).build());
        state.upsertNode(node("n2").cpu(8).build());
        state.upsertPod(pod("guard").boundTo("n2").cpu(1).interPod(interPod()
                .antiAffinity(term(labels("role", "noisy"), "kubernetes.io/hostname")).build()).build());
        PodInfo quiet = pod("exec-1").uid("u1").cpu(2).label("role", "quiet").build();
        PodInfo noisy = pod("exec-2").uid("u2").cpu(2).label("role", "noisy").build();
        assertThat(quiet.schedulesLike(noisy)).isTrue();

        SchedulingAlgorithm algorithm = new SchedulingAlgorithm(SchedulingProfile.defaults(settings), 100);
        List<Decision> decisions = algorithm.scheduleCopies(List.of(quiet, noisy), state,
                (copy, placed) -> state.assume(copy.withNodeName(placed.nodeName())));

        assertThat(((Decision.Placed) decisions.get(0)).nodeName()).isEqualTo("n1");
        // n1 is full and n2 holds a pod whose anti-affinity selects role=noisy: unschedulable.
        assertThat(decisions.get(1)).isInstanceOf(Decision.Unschedulable.class);
    }

    /**
     * Copies preferring to keep away from each other per host (Spark executors, common): the first
     * copy finds no matching pod, InterPodAffinity reports a uniform score, so the rest are decided
     * node by node from the first's scores and the preference is ignored; one by one, the second copy
     * goes to the other node.
     */
    @Test
    void copiesWithSelfPreferredAntiAffinityMatchOneByOne() {
        SchedulerSettings settings = SchedulerSettings.defaults()
                .withScoring(ScoringStrategy.MOST_ALLOCATED, Map.of("cpu", 1, "memory", 1));
        java.util.function.Supplier<ClusterState> cluster = () -> {
            ClusterState state = new ClusterState();
            state.upsertNode(node("n1").cpu(8).build());
            state.upsertNode(node("n2").cpu(8).build());
            return state;
        };
        List<PodInfo> copies = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            copies.add(pod("exec-" + i).uid("u" + i).cpu(1).label("app", "x").interPod(interPod()
                    .preferredAntiAffinity(100, term(labels("app", "x"), "kubernetes.io/hostname")).build())
                    .build());
        }
        ClusterState oneState = cluster.get();
        List<Decision> expected = io.kubenexus.scheduler.core.testing.OneByOne.decide(
                new SchedulingAlgorithm(SchedulingProfile.defaults(settings), 100), oneState, copies);
        ClusterState state = cluster.get();
        List<Decision> actual = new SchedulingAlgorithm(SchedulingProfile.defaults(settings), 100)
                .scheduleCopies(copies, state, (copy, placed) -> state.assume(copy.withNodeName(placed.nodeName())));
        assertThat(((Decision.Placed) expected.get(0)).nodeName())
                .isNotEqualTo(((Decision.Placed) expected.get(1)).nodeName());
        assertThat(actual).containsExactlyElementsOf(expected);
    }
}
