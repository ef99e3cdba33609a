package io.kubenexus.scheduler.core.preemption;

import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.framework.PreFilterPlugin;
import io.kubenexus.scheduler.core.framework.Status;
import io.kubenexus.scheduler.core.state.ClusterSnapshot;
import io.kubenexus.scheduler.core.loop.ProfileFilters;
import io.kubenexus.scheduler.core.model.LabelSelector;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.PreemptionPolicy;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.state.ResourceColumns;
import io.kubenexus.scheduler.core.testing.PodFixture;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine's choices, case by case (kube-scheduler's DefaultPreemption semantics: fewest and least
 * important victims, reprieve, budgets first, the node order), and that it always leaves the state
 * exactly as it found it.
 */
class PreemptionEngineTest {
    private static final SchedulerSettings SETTINGS = SchedulerSettings.defaults();

    /** A cluster, its budgets and gangs, built per case. */
    static final class Cluster {
        final ClusterState state = new ClusterState();
        final DisruptionBudgets budgets = new DisruptionBudgets();
        final Map<String, List<String>> gangs = new HashMap<>();

        Cluster() {
            state.addExtension(budgets);
        }

        Cluster node(String name, double cpu) {
            state.upsertNode(io.kubenexus.scheduler.core.testing.NodeFixture.node(name).cpu(cpu).memoryGi(64).build());
            return this;
        }

        Cluster pod(PodFixture pod) {
            state.upsertPod(pod.build());
            return this;
        }

        /** A running pod of {@code cpu} cores and {@code priority} on {@code node}. */
        Cluster running(String name, String node, double cpu, int priority) {
            return pod(PodFixture.pod(name).cpu(cpu).priority(priority).label("app", name).boundTo(node));
        }

        Cluster budget(String podName, int allowed) {
            budgets.upsert(new DisruptionBudget("default", "pdb-" + podName,
                    new LabelSelector(Map.of("app", podName), List.of()), allowed, null, null));
            return this;
        }

        /** The named pods go together (a fake gang plugin's mustGoWith). */
        Cluster gang(String... names) {
            for (String name : names) {
                gangs.put(name, List.of(names));
            }
            return this;
        }

        VictimGroups groups() {
            return new VictimGroups() {
                @Override
                public Collection<PodInfo> mustGoWith(PodInfo victim) {
                    List<PodInfo> out = new ArrayList<>();
                    for (String name : gangs.getOrDefault(victim.key().name(), List.of())) {
                        PodInfo member = state.accountedPod(new PodKey("default", name));
                        if (member != null && !member.key().equals(victim.key())) {
                            out.add(member);
                        }
                    }
                    return out;
                }

                @Override
                public boolean mayEvict(List<PodInfo> victims) {
                    return true;
                }
            };
        }

        PreemptionEngine engine() {
            return new PreemptionEngine(new ProfileFilters(SchedulingProfile.defaults(SETTINGS)), groups());
        }
    }

    static PodFixture preemptor(double cpu, int priority) {
        return pod("high").cpu(cpu).priority(priority);
    }

    /** What a case expects: the nominated node, the victims by name (sorted) and the budget violations. */
    record Expected(String node, List<String> victims, int violations) {
    }

    static Arguments planCase(String name, Consumer<Cluster> setup, PodFixture preemptor, Expected expected) {
        return Arguments.of(name, setup, preemptor, expected);
    }

    static Stream<Arguments> plans() {
        return Stream.of(
                planCase("the fewest, lowest-priority victims: 2 of 3 low pods go, the most important stays",
                        c -> c.node("a", 3).running("p1", "a", 1, 1).running("p2", "a", 1, 2).running("p3", "a", 1, 3),
                        preemptor(2, 100), new Expected("a", List.of("p1", "p2"), 0)),
                planCase("reprieve puts the more important pods back first: one low victim, not two",
                        c -> c.node("a", 4).running("small1", "a", 1, 5).running("small2", "a", 1, 5)
                                .running("big", "a", 2, 1),
                        preemptor(2, 100), new Expected("a", List.of("big"), 0)),
                planCase("the node whose highest victim has the lowest priority",
                        c -> c.node("a", 2).node("b", 2).running("mid", "a", 2, 50).running("low", "b", 2, 5),
                        preemptor(2, 100), new Expected("b", List.of("low"), 0)),
                planCase("fewer victims when the highest priorities tie",
                        c -> c.node("a", 2).node("b", 2).running("a1", "a", 1, 5).running("a2", "a", 1, 5)
                                .running("b1", "b", 2, 5),
                        preemptor(2, 100), new Expected("b", List.of("b1"), 0)),
                planCase("the least sum of priorities before the fewest victims",
                        c -> c.node("a", 2).node("b", 2).running("a1", "a", 1, 1).running("a2", "a", 1, 5)
                                .running("b1", "b", 2, 5),
                        preemptor(2, 100), new Expected("b", List.of("b1"), 0)),
                planCase("the latest-started highest-priority victim when all else ties",
                        c -> c.node("a", 2).node("b", 2)
                                .pod(pod("old").cpu(2).priority(5).boundTo("a").startedAt(Instant.parse("2026-01-01T00:00:00Z")))
                                .pod(pod("young").cpu(2).priority(5).boundTo("b").startedAt(Instant.parse("2026-01-02T00:00:00Z"))),
                        preemptor(2, 100), new Expected("b", List.of("young"), 0)),
                planCase("a budget-protected pod is spared when another node needs no violation",
                        c -> c.node("a", 2).node("b", 2).running("guarded", "a", 2, 1).running("free", "b", 2, 10)
                                .budget("guarded", 0),
                        preemptor(2, 100), new Expected("b", List.of("free"), 0)),
                planCase("a budget-protected pod goes when nothing else makes room, counted as a violation",
                        c -> c.node("a", 2).running("guarded", "a", 2, 1).budget("guarded", 0),
                        preemptor(2, 100), new Expected("a", List.of("guarded"), 1)),
                planCase("a budget that allows a disruption is no violation",
                        c -> c.node("a", 2).running("guarded", "a", 2, 1).budget("guarded", 1),
                        preemptor(2, 100), new Expected("a", List.of("guarded"), 0)),
                planCase("on one node, protected pods are reprieved first",
                        c -> c.node("a", 2).running("guarded", "a", 1, 1).running("plain", "a", 1, 1)
                                .budget("guarded", 0),
                        preemptor(1, 100), new Expected("a", List.of("plain"), 0)),
                planCase("a victim's whole gang goes with it, members on other nodes too",
                        c -> c.node("a", 2).node("b", 2).running("g1", "a", 2, 1).running("g2", "b", 2, 1)
                                .gang("g1", "g2"),
                        preemptor(2, 100), new Expected("a", List.of("g1", "g2"), 0)),
                planCase("one whole gang rather than a lone pod of higher priority",
                        c -> c.node("a", 2).node("b", 2).running("g1", "a", 2, 1).running("g2", "a", 0.1, 1)
                                .running("solo", "b", 2, 7).gang("g1", "g2"),
                        preemptor(2, 100), new Expected("a", List.of("g1", "g2"), 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plans")
    void choosesVictimsAndNodeLikeKubeScheduler(String name, Consumer<Cluster> setup, PodFixture preemptor, Expected expected) {
        Cluster cluster = new Cluster();
        setup.accept(cluster);
        Map<String, Object> before = fingerprint(cluster.state);

        PreemptionOutcome outcome = cluster.engine().plan(List.of(preemptor.build()), cluster.state);

        assertThat(fingerprint(cluster.state)).as("state restored").isEqualTo(before);
        assertThat(outcome).isInstanceOf(PreemptionOutcome.Planned.class);
        PreemptionPlan plan = ((PreemptionOutcome.Planned) outcome).plan();
        assertThat(plan.nominatedNodes()).containsExactly(Map.entry(new PodKey("default", "high"), expected.node()));
        assertThat(plan.victims().stream().map(v -> v.key().name()).sorted()).containsExactlyElementsOf(expected.victims());
        assertThat(plan.budgetViolations()).isEqualTo(expected.violations());
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("never a pod of the same priority",
                        (Consumer<Cluster>) c -> c.node("a", 2).running("peer", "a", 2, 100),
                        preemptor(2, 100), false),
                Arguments.of("never a pod of higher priority",
                        (Consumer<Cluster>) c -> c.node("a", 2).running("boss", "a", 2, 1000),
                        preemptor(2, 100), false),
                Arguments.of("preemptionPolicy Never is not eligible",
                        (Consumer<Cluster>) c -> c.node("a", 2).running("low", "a", 2, 1),
                        preemptor(2, 100).preemptionPolicy(PreemptionPolicy.NEVER), true),
                Arguments.of("no eviction helps a pod larger than any node",
                        (Consumer<Cluster>) c -> c.node("a", 2).running("low", "a", 2, 1),
                        preemptor(3, 100), false),
                Arguments.of("no eviction helps on a node the pod's selector excludes",
                        (Consumer<Cluster>) c -> c.node("a", 2).running("low", "a", 2, 1),
                        preemptor(2, 100).nodeSelector("pool", "gpu"), false),
                Arguments.of("a gang with a member of the preemptor's priority is no victim",
                        (Consumer<Cluster>) c -> c.node("a", 2).node("b", 2).running("g1", "a", 2, 1)
                                .running("g2", "b", 0.1, 100).running("solo", "b", 1.9, 50).gang("g1", "g2"),
                        preemptor(2, 100), false),
                Arguments.of("a stand-in never goes alone",
                        (Consumer<Cluster>) c -> c.node("a", 2).pod(pod("stand-in").cpu(2).priority(0)
                                .annotation(PodInfo.STAND_IN_ANNOTATION, "driver").boundTo("a")),
                        preemptor(2, 100), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesWhenOurRulesAllowNoVictims(String name, Consumer<Cluster> setup, PodFixture preemptor, boolean notEligible) {
        Cluster cluster = new Cluster();
        setup.accept(cluster);
        Map<String, Object> before = fingerprint(cluster.state);

        PreemptionOutcome outcome = cluster.engine().plan(List.of(preemptor.build()), cluster.state);

        assertThat(fingerprint(cluster.state)).isEqualTo(before);
        assertThat(outcome).isInstanceOfSatisfying(PreemptionOutcome.Refused.class,
                refused -> assertThat(refused.notEligible()).isEqualTo(notEligible));
        if (notEligible) {
            assertThat(outcome.describe()).contains("preemptionPolicy=Never");
        }
    }

    /** Records, per charge callback, whether a what-if question was open. */
    static final class WhatIfLog implements io.kubenexus.scheduler.core.state.StateExtension {
        final List<String> events = new ArrayList<>();
        boolean open;

        @Override
        public void whatIfBegan() {
            assertThat(open).as("what-if questions are not nested for extensions").isFalse();
            open = true;
            events.add("began");
        }

        @Override
        public void whatIfEnded() {
            open = false;
            events.add("ended");
        }

        @Override
        public void podCharged(int index, PodInfo pod, boolean assumed) {
            events.add(open ? "what-if" : "real");
        }

        @Override
        public void podUncharged(int index, PodInfo pod) {
            events.add(open ? "what-if" : "real");
        }
    }

    @Test
    void everyEditOfAQuestionIsInsideOneWhatIfThatEnds() {
        Cluster cluster = new Cluster().node("a", 2).running("low", "a", 2, 1);
        WhatIfLog log = new WhatIfLog();
        cluster.state.addExtension(log);
        log.events.clear();

        cluster.engine().plan(List.of(preemptor(2, 100).build()), cluster.state);
        cluster.engine().victimsOn(preemptor(2, 100).build(), "a", cluster.state);

        assertThat(log.events).isNotEmpty().doesNotContain("real");
        assertThat(String.join(" ", log.events)).startsWith("began what-if").endsWith("what-if ended")
                .containsOnlyOnce("ended began");
        assertThat(log.open).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(cluster.state::endWhatIf)
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aStandInGoesWithItsGroup() {
        Cluster cluster = new Cluster().node("a", 2).node("b", 2)
                .pod(pod("held").cpu(2).priority(0).annotation(PodInfo.STAND_IN_ANNOTATION, "driver").boundTo("a"))
                .running("driver", "b", 2, 1).gang("held", "driver");

        PreemptionOutcome outcome = cluster.engine().plan(List.of(preemptor(2, 100).build()), cluster.state);

        // Either node does; the stand-in is no victim of its own, only its driver is evicted.
        PreemptionPlan plan = ((PreemptionOutcome.Planned) outcome).plan();
        assertThat(plan.victims()).extracting(v -> v.key().name()).containsExactly("driver");
    }

    @Test
    void roomAlreadyBeingFreedByTerminatingPodsMeansWaitNotMoreVictims() {
        Cluster cluster = new Cluster().node("a", 2).node("b", 2)
                .pod(pod("leaving").cpu(2).priority(1).boundTo("a").terminating())
                .running("low", "b", 2, 1);

        PreemptionOutcome outcome = cluster.engine().plan(List.of(preemptor(2, 100).build()), cluster.state);

        assertThat(outcome).isInstanceOf(PreemptionOutcome.Waiting.class);
        assertThat(outcome.describe()).contains("1 terminating pod(s) on node(s) a");
    }

    @Test
    void terminatingPodsCountAsFreeAndAreNeverVictims() {
        Cluster cluster = new Cluster().node("a", 3)
                .pod(pod("leaving").cpu(1).priority(1).boundTo("a").terminating())
                .running("low", "a", 2, 1);

        PreemptionOutcome outcome = cluster.engine().plan(List.of(preemptor(2, 100).build()), cluster.state);

        PreemptionPlan plan = ((PreemptionOutcome.Planned) outcome).plan();
        assertThat(plan.victims()).extracting(v -> v.key().name()).containsExactly("low");
    }

    @Test
    void severalPreemptorsArePlacedTogetherOnOnePlan() {
        Cluster cluster = new Cluster().node("a", 2).node("b", 2).node("c", 2)
                .running("a1", "a", 2, 1).running("b1", "b", 2, 2).running("c1", "c", 2, 50);
        List<PodInfo> members = List.of(pod("m0").cpu(2).priority(100).build(), pod("m1").cpu(2).priority(100).build());
        Map<String, Object> before = fingerprint(cluster.state);

        PreemptionOutcome outcome = cluster.engine().plan(members, cluster.state);

        assertThat(fingerprint(cluster.state)).isEqualTo(before);
        PreemptionPlan plan = ((PreemptionOutcome.Planned) outcome).plan();
        assertThat(plan.nominatedNodes()).containsOnly(Map.entry(new PodKey("default", "m0"), "a"),
                Map.entry(new PodKey("default", "m1"), "b"));
        assertThat(plan.victims()).extracting(v -> v.key().name()).containsExactly("a1", "b1");
    }

    @Test
    void aLaterPreemptorUsesRoomFreedForAnEarlierOne() {
        Cluster cluster = new Cluster().node("a", 4).running("big", "a", 4, 1);
        List<PodInfo> members = List.of(pod("m0").cpu(2).priority(100).build(), pod("m1").cpu(2).priority(100).build());

        PreemptionPlan plan = ((PreemptionOutcome.Planned) cluster.engine().plan(members, cluster.state)).plan();

        assertThat(plan.nominatedNodes().values()).containsOnly("a");
        assertThat(plan.victims()).extracting(v -> v.key().name()).containsExactly("big");
    }

    @Test
    void aGroupIsRefusedWhenOneMemberFindsNoRoom() {
        Cluster cluster = new Cluster().node("a", 2).node("b", 2).running("a1", "a", 2, 1).running("b1", "b", 2, 500);
        List<PodInfo> members = List.of(pod("m0").cpu(2).priority(100).build(), pod("m1").cpu(2).priority(100).build());
        Map<String, Object> before = fingerprint(cluster.state);

        PreemptionOutcome outcome = cluster.engine().plan(members, cluster.state);

        assertThat(outcome).isInstanceOf(PreemptionOutcome.Refused.class);
        assertThat(fingerprint(cluster.state)).isEqualTo(before);
    }

    @Test
    void assumedPodsAreRestoredAsAssumed() {
        Cluster cluster = new Cluster().node("a", 2);
        cluster.state.assume(pod("inflight").cpu(2).priority(1).build().withNodeName("a"));

        cluster.engine().plan(List.of(preemptor(2, 100).build()), cluster.state);

        assertThat(cluster.state.isAssumed(new PodKey("default", "inflight"))).isTrue();
    }

    @Test
    void victimsOnANodeAnswerTheExtenderWithOurOwnSelection() {
        Cluster cluster = new Cluster().node("a", 3).node("b", 2)
                .running("p1", "a", 1, 1).running("p2", "a", 1, 2).running("p3", "a", 1, 3)
                .running("boss", "b", 2, 1000);
        PreemptionEngine engine = cluster.engine();
        PodInfo high = preemptor(2, 100).build();

        Optional<VictimsOnNode> onA = engine.victimsOn(high, "a", cluster.state);
        Optional<VictimsOnNode> onB = engine.victimsOn(high, "b", cluster.state);

        assertThat(onA).hasValueSatisfying(v -> assertThat(v.victims()).extracting(p -> p.key().name())
                .containsExactlyInAnyOrder("p1", "p2"));
        assertThat(onB).isEmpty();
        assertThat(engine.victimsOn(high, "nowhere", cluster.state)).isEmpty();
    }

    /** Counts its calls: pre-filters may record what they see (the GPU workload window), so they run once per cycle. */
    static final class CountingPreFilter implements PreFilterPlugin {
        int calls;

        @Override
        public String name() {
            return "Counting";
        }

        @Override
        public Status preFilter(PodContext pod, ClusterSnapshot snapshot) {
            calls++;
            return pod.pod().key().name().startsWith("refused") ? Status.unresolvable(name(), "refused") : Status.SUCCESS;
        }
    }

    @Test
    void preFiltersRunNeverWithinTheCycleThatFailedAndOnceForAnExtenderQuestion() {
        Cluster cluster = new Cluster().node("a", 2).node("b", 2).running("a1", "a", 2, 1).running("b1", "b", 2, 2);
        CountingPreFilter counting = new CountingPreFilter();
        SchedulingProfile defaults = SchedulingProfile.defaults(SETTINGS);
        SchedulingProfile profile = new SchedulingProfile(List.of(counting), defaults.filters(), defaults.scores());
        PreemptionEngine engine = new PreemptionEngine(new ProfileFilters(profile), cluster.groups());

        assertThat(engine.plan(List.of(preemptor(2, 100).build()), cluster.state)).isInstanceOf(PreemptionOutcome.Planned.class);
        assertThat(counting.calls).as("the failed decision ran them already").isZero();

        assertThat(engine.victimsOn(preemptor(2, 100).build(), "a", cluster.state)).isPresent();
        assertThat(counting.calls).isEqualTo(1);
        assertThat(engine.victimsOn(pod("refused").cpu(2).priority(100).build(), "a", cluster.state)).isEmpty();
    }

    @Test
    void aLargeClusterIsSearchedForAsManyCandidatesAsKubeSchedulerWants() {
        assertThat(PreemptionEngine.candidatesWanted(50)).isEqualTo(100);
        assertThat(PreemptionEngine.candidatesWanted(5000)).isEqualTo(500);
        // 150 full nodes: the best (priority 1) is node 149, beyond the first 100 candidates.
        Cluster cluster = new Cluster();
        for (int n = 0; n < 150; n++) {
            cluster.node("n" + String.format("%03d", n), 1).running("p" + n, "n" + String.format("%03d", n), 1, n == 149 ? 1 : 5);
        }

        PreemptionPlan plan = ((PreemptionOutcome.Planned) cluster.engine().plan(List.of(preemptor(1, 100).build()),
                cluster.state)).plan();

        assertThat(plan.victims()).extracting(v -> v.priority()).containsExactly(5);
    }

    @Test
    void budgetsComputedFromTheSpecWhenNoStatusIsPublished() {
        DisruptionBudget minAvailable = new DisruptionBudget("ns", "b", LabelSelector.EVERYTHING, null, "50%", null);
        DisruptionBudget maxUnavailable = new DisruptionBudget("ns", "b", LabelSelector.EVERYTHING, null, null, "1");
        assertThat(minAvailable.disruptionsAllowed(3)).isEqualTo(1); // 50% of 3 rounds up to 2 that must stay
        assertThat(maxUnavailable.disruptionsAllowed(3)).isEqualTo(1);
        assertThat(new DisruptionBudget("ns", "b", LabelSelector.EVERYTHING, 2, "3", null).disruptionsAllowed(0)).isEqualTo(2);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new DisruptionBudget("ns", "b", LabelSelector.EVERYTHING, null, "lots", null))
                .hasMessageContaining("spec.minAvailable");
    }

    /** Every accounted pod (as accounted, assumed or not) and every node's requested cpu and pods. */
    static Map<String, Object> fingerprint(ClusterState state) {
        Map<String, Object> out = new TreeMap<>();
        state.forEachAccountedPod(pod -> out.put("pod " + pod.key(), pod + " assumed=" + state.isAssumed(pod.key())));
        for (int n = state.liveNodes().nextSetBit(0); n >= 0; n = state.liveNodes().nextSetBit(n + 1)) {
            out.put("node " + state.node(n).name(), state.requested(ResourceColumns.CPU, n) + "/"
                    + state.requested(ResourceColumns.PODS, n));
        }
        return out;
    }
}
