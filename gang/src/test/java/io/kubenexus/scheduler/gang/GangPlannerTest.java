package io.kubenexus.scheduler.gang;

import static io.kubenexus.scheduler.core.framework.ClusterEventType.ASSIGNED_POD_REMOVED;
import static io.kubenexus.scheduler.core.framework.ClusterEventType.NODE_ADDED;
import static io.kubenexus.scheduler.core.framework.ClusterEventType.NODE_ALLOCATABLE_CHANGED;
import static io.kubenexus.scheduler.core.framework.ClusterEventType.NODE_LABELS_CHANGED;
import static io.kubenexus.scheduler.core.framework.ClusterEventType.NODE_TAINTS_CHANGED;
import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.config.ScoringStrategy;
import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.gang.group.GroupPlan;
import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.framework.PreFilterPlugin;
import io.kubenexus.scheduler.core.framework.Status;
import io.kubenexus.scheduler.core.loop.Decision;
import io.kubenexus.scheduler.core.loop.SchedulingAlgorithm;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.core.model.TaintEffect;
import io.kubenexus.scheduler.core.model.Toleration;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.state.ClusterSnapshot;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.state.ResourceColumns;
import io.kubenexus.scheduler.core.testing.NodeFixture;
import io.kubenexus.scheduler.core.testing.PodFixture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GangPlannerTest {
    private static final String GROUP = "default/job";
    /** What GangPlanner offers as helpful whenever capacity is short. */
    private static final Set<ClusterEventType> CAPACITY =
            EnumSet.of(NODE_ADDED, NODE_ALLOCATABLE_CHANGED, ASSIGNED_POD_REMOVED);

    private final GangPlanner planner = new GangPlanner();
    private final ClusterState state = new ClusterState();
    private final DecisionCounter decisions = new DecisionCounter();
    private final SchedulingAlgorithm algorithm = new SchedulingAlgorithm(countingDefaults(decisions), 100);

    // ---------------------------------------------------------------- the table

    static Stream<Arguments> cases() {
        return Stream.of(
                plan("a feasible gang of 4 on 2 nodes is placed whole",
                        Gang.on(node("n1"), node("n2")).pending(4, "worker-", p -> p.cpu(2).memoryGi(1)).min(4),
                        places(names("worker-", 4), "n1", "n2")),
                plan("2 of 4 members present: wait for the rest, holding nothing",
                        Gang.on(node("n1"), node("n2")).pending(2, "worker-", p -> p.cpu(1)).min(4),
                        waits("gang default/job: 2/4 members present, waiting for the rest before placing any",
                                Set.of(), 0)),
                plan("bound members count toward min-available",
                        Gang.on(node("n1"), node("n2"))
                                .bound(pod("worker-0").cpu(2).boundTo("n1"), pod("worker-1").cpu(2).boundTo("n1"))
                                .pending(pod("worker-2").cpu(2), pod("worker-3").cpu(2))
                                .min(4),
                        places(Set.of("worker-2", "worker-3"), "n2")),
                plan("7 of 8 fit: the gang waits and every assumption is undone",
                        Gang.on(nodes(7, "n", n -> n.cpu(4))).pending(8, "exec-", p -> p.cpu(3)).min(8),
                        waits("gang default/job: 8 members need cpu=24; the best plan fits 7 of 8; "
                                + "exec-7: 0/7 nodes are available: 7 Insufficient cpu.", CAPACITY, 2)),
                plan("more than the whole cluster has free: rejected from the totals, no node looked at",
                        Gang.on(node("n1"), node("n2")).pending(4, "exec-", p -> p.cpu(3)).min(4),
                        waits("gang default/job: 4 members need cpu=12; the whole cluster has only cpu=8 free",
                                CAPACITY, 0)),
                plan("capacity other pods hold counts against the totals",
                        Gang.on(node("n1"), node("n2")).residents(pod("web").cpu(3).boundTo("n1"))
                                .pending(2, "exec-", p -> p.cpu(3)).min(2),
                        waits("gang default/job: 2 members need cpu=6; the whole cluster has only cpu=5 free",
                                CAPACITY, 0)),
                plan("a resource no node has: rejected from the totals",
                        Gang.on(node("n1"), node("n2")).pending(2, "trainer-", p -> p.cpu(1).gpu(1)).min(2),
                        waits("gang default/job: 2 members need cpu=2, nvidia.com/gpu=2; "
                                + "the whole cluster has only nvidia.com/gpu=0 free", CAPACITY, 0)),
                plan("16 identical executors fill 4 nodes exactly",
                        Gang.on(nodes(4, "n", n -> n.cpu(4))).pending(16, "exec-", p -> p.cpu(1)).min(16),
                        places(names("exec-", 16), "n1", "n2", "n3", "n4")),
                plan("mixed sizes: the largest member chooses first",
                        Gang.on(node("big").cpu(4), node("small").cpu(2))
                                // Queue order smallest first: LeastAllocated would put a small one on "big".
                                .pending(pod("small-a").cpu(1), pod("small-b").cpu(1), pod("large").cpu(4))
                                .min(3),
                        places(Map.of("large", Set.of("big"), "small-a", Set.of("small"),
                                "small-b", Set.of("small")))),
                plan("selector and toleration keep members on their pool",
                        Gang.on(sparkPool()).pending(4, "exec-", p -> poolMember(p.cpu(2))).min(4),
                        places(names("exec-", 4), "pool-1", "pool-2")),
                plan("a member whose selector matches no node holds the whole gang back",
                        Gang.on(nodes(4, "n", n -> n))
                                .pending(pod("exec-0").cpu(1), pod("exec-1").cpu(1), pod("exec-2").cpu(1),
                                        pod("lost").cpu(1).nodeSelector("pool", "gone"))
                                .min(4),
                        waits("gang default/job: 4 members need cpu=4; the best plan fits 3 of 4; "
                                        + "lost: 0/4 nodes are available: "
                                        + "4 node(s) didn't match Pod's node affinity/selector.",
                                union(CAPACITY, EnumSet.of(NODE_LABELS_CHANGED, NODE_ADDED)), 2)),
                plan("a member not tolerating its pool's taint holds the whole gang back",
                        Gang.on(sparkPool())
                                .pending(poolMember(pod("exec-0").cpu(2)), poolMember(pod("exec-1").cpu(2)),
                                        poolMember(pod("exec-2").cpu(2)),
                                        pod("intolerant").cpu(2).nodeSelector("pool", "spark"))
                                .min(4),
                        waits("gang default/job: 4 members need cpu=8; the best plan fits 3 of 4; "
                                        + "intolerant: 0/4 nodes are available: "
                                        + "2 node(s) didn't match Pod's node affinity/selector, "
                                        + "2 node(s) had untolerated taint {dedicated: spark}.",
                                union(CAPACITY, EnumSet.of(NODE_LABELS_CHANGED, NODE_TAINTS_CHANGED, NODE_ADDED)),
                                2)),
                plan("members beyond min-available that do not fit stay pending; the gang proceeds",
                        Gang.on(node("n1").cpu(4), node("n2").cpu(4)).pending(3, "exec-", p -> p.cpu(3)).min(2),
                        places(Set.of("exec-0", "exec-1"), "n1", "n2")),
                plan("min-available already bound: a joining member that fits is placed",
                        Gang.on(node("n1"), node("n2"))
                                .bound(pod("exec-0").cpu(1).boundTo("n1"), pod("exec-1").cpu(1).boundTo("n2"))
                                .pending(pod("exec-2").cpu(1))
                                .min(2),
                        places(Set.of("exec-2"), "n1", "n2")),
                plan("min-available already bound: a joining member that does not fit waits",
                        Gang.on(node("n1"), node("n2"))
                                .bound(pod("exec-0").cpu(1).boundTo("n1"), pod("exec-1").cpu(1).boundTo("n2"))
                                .pending(pod("exec-2").cpu(8))
                                .min(2),
                        waits("gang default/job: min-available is reached; 1 more member(s) need cpu=8; "
                                + "exec-2: 0/2 nodes are available: 2 Insufficient cpu.", CAPACITY, 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void plansAllOrNothing(String name, Gang gang, Outcome expected) {
        gang.nodes().forEach(state::upsertNode);
        gang.residents().forEach(state::upsertPod);
        gang.bound().forEach(state::upsertPod);
        Map<String, Map<String, Long>> requestedBefore = requestedByNode();
        int accountedBefore = state.accountedPodCount();

        GroupPlan plan = planner.plan(GROUP, gang.min(), gang.pending(), gang.bound().size(), state, algorithm);

        if (expected instanceof Places places) {
            assertThat(plan).isInstanceOf(GroupPlan.Placed.class);
            Map<PodKey, String> nodes = ((GroupPlan.Placed) plan).nodes();
            assertThat(nodes.keySet()).extracting(PodKey::name)
                    .containsExactlyInAnyOrderElementsOf(places.allowedNodes().keySet());
            nodes.forEach((key, node) -> assertThat(node).as("node of %s", key.name())
                    .isIn(places.allowedNodes().get(key.name())));
            // Copies of one member are decided together: one full decision per distinct member, and
            // one more where copies are left out (it explains why they do not fit).
            assertThat(decisions.count).as("full decisions").isEqualTo(distinctMembers(gang.pending())
                    + distinctMembers(gang.pending().stream().filter(p -> !nodes.containsKey(p.key())).toList()));
            assertPlacedMembersAssumed(gang, nodes);
            assertRequestedIsTheSumOfAccountedPods(gang, nodes);
        } else {
            Waits waits = (Waits) expected;
            assertThat(plan).isInstanceOf(GroupPlan.Waiting.class);
            GroupPlan.Waiting waiting = (GroupPlan.Waiting) plan;
            assertThat(waiting.message()).isEqualTo(waits.message());
            assertThat(waiting.helpfulEvents()).containsExactlyInAnyOrderElementsOf(waits.helpfulEvents());
            assertThat(decisions.count).as("decisions asked for").isEqualTo(waits.decisions());
            // All-or-nothing: the state is as it was, no member left holding capacity.
            for (PodInfo member : gang.pending()) {
                assertThat(state.isAssumed(member.key())).as("%s assumed", member.key().name()).isFalse();
                assertThat(state.accountedPod(member.key())).as("%s accounted", member.key().name()).isNull();
            }
            assertThat(state.accountedPodCount()).isEqualTo(accountedBefore);
            assertThat(requestedByNode()).isEqualTo(requestedBefore);
        }
    }

    // ---------------------------------------------------------------- focused cases

    @Test
    void sevenOfEightLeavesNoCpuRequestedOnAnyNode() {
        Gang gang = Gang.on(nodes(7, "n", n -> n.cpu(4))).pending(8, "exec-", p -> p.cpu(3)).min(8);
        gang.nodes().forEach(state::upsertNode);

        GroupPlan plan = planner.plan(GROUP, 8, gang.pending(), 0, state, algorithm);

        assertThat(plan).isInstanceOf(GroupPlan.Waiting.class);
        assertThat(((GroupPlan.Waiting) plan).message()).contains("the best plan fits 7 of 8");
        for (NodeInfo node : gang.nodes()) {
            assertThat(state.requested(ResourceColumns.CPU, state.nodeIndex(node.name())))
                    .as("cpu requested on %s", node.name()).isZero();
            assertThat(state.podCount(state.nodeIndex(node.name()))).as("pods on %s", node.name()).isZero();
        }
    }

    @Test
    void anImpossibleGangIsRejectedBeforeAnyPerNodeWork() {
        Gang gang = Gang.on(nodes(50, "n", n -> n.cpu(4))).pending(100, "exec-", p -> p.cpu(3)).min(100);
        gang.nodes().forEach(state::upsertNode);

        GroupPlan plan = planner.plan(GROUP, 100, gang.pending(), 0, state, algorithm);

        GroupPlan.Waiting waiting = (GroupPlan.Waiting) plan;
        assertThat(waiting.message())
                .isEqualTo("gang default/job: 100 members need cpu=300; the whole cluster has only cpu=200 free")
                .doesNotContain("nodes are available");
        assertThat(waiting.helpfulEvents()).contains(NODE_ADDED);
        assertThat(decisions.count).as("decisions asked for").isZero();
        assertThat(state.accountedPodCount()).isZero();
    }

    /** The precondition of the mixed-sizes case: its outcome really depends on the order. */
    @Test
    void inQueueOrderTheSmallMembersWouldStrandTheLargeOne() {
        state.upsertNode(node("big").cpu(4).build());
        state.upsertNode(node("small").cpu(2).build());

        for (PodInfo small : List.of(pod("small-a").cpu(1).build(), pod("small-b").cpu(1).build())) {
            Decision decision = algorithm.schedule(small, state);
            state.assume(small.withNodeName(((Decision.Placed) decision).nodeName()));
        }
        Decision large = algorithm.schedule(pod("large").cpu(4).build(), state);

        assertThat(state.podsOnNode("big")).extracting(PodKey::name).contains("small-a");
        assertThat(large).isInstanceOf(Decision.Unschedulable.class);
    }

    static Stream<Arguments> largestFirstCases() {
        return Stream.of(
                Arguments.of("a GPU member before a larger CPU-only one",
                        pod("gpu").gpu(1).cpu(1), pod("cpu").cpu(16).memoryGi(64)),
                Arguments.of("more GPUs first", pod("two").gpu(2), pod("one").gpu(1).cpu(8)),
                Arguments.of("at equal GPUs, more cpu first", pod("four").cpu(4), pod("two").cpu(2).memoryGi(64)),
                Arguments.of("at equal cpu, more memory first", pod("big").cpu(2).memoryGi(8),
                        pod("small").cpu(2).memoryGi(4)),
                Arguments.of("some request before none", pod("some").cpuMilli(100), pod("none")),
                Arguments.of("equal requests: by name", pod("a").cpu(1), pod("b").cpu(1)),
                Arguments.of("equal requests: by namespace before name",
                        pod("z").namespace("a").cpu(1), pod("a").namespace("b").cpu(1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("largestFirstCases")
    void largestFirstOrdersByGpuThenCpuThenMemory(String name, PodFixture first, PodFixture second) {
        PodInfo a = first.build();
        PodInfo b = second.build();

        assertThat(GangPlanner.LARGEST_FIRST.compare(a, b)).isNegative();
        assertThat(GangPlanner.LARGEST_FIRST.compare(b, a)).isPositive();
    }

    @Test
    void largestFirstSortsAMixedGang() {
        List<PodInfo> members = new ArrayList<>(List.of(
                pod("executor-b").cpu(1).memoryGi(2).build(),
                pod("driver").cpu(2).memoryGi(4).build(),
                pod("trainer").gpu(1).cpu(1).build(),
                pod("executor-a").cpu(1).memoryGi(2).build(),
                pod("sidecar").build(),
                pod("cache").cpu(1).memoryGi(8).build()));

        members.sort(GangPlanner.LARGEST_FIRST);

        assertThat(members).extracting(p -> p.key().name())
                .containsExactly("trainer", "driver", "cache", "executor-a", "executor-b", "sidecar");
    }

    // ---------------------------------------------------------------- checks

    private void assertPlacedMembersAssumed(Gang gang, Map<PodKey, String> nodes) {
        for (PodInfo member : gang.pending()) {
            String node = nodes.get(member.key());
            if (node != null) {
                assertThat(state.isAssumed(member.key())).as("%s assumed", member.key().name()).isTrue();
                assertThat(state.accountedPod(member.key()).nodeName()).isEqualTo(node);
            } else {
                assertThat(state.isAssumed(member.key())).as("%s assumed", member.key().name()).isFalse();
                assertThat(state.accountedPod(member.key())).as("%s accounted", member.key().name()).isNull();
            }
        }
    }

    /** Every node's requested amounts are exactly its pods' requests, and within its allocatable. */
    private void assertRequestedIsTheSumOfAccountedPods(Gang gang, Map<PodKey, String> nodes) {
        Map<String, Map<String, Long>> expected = new HashMap<>();
        List<PodInfo> onNodes = new ArrayList<>(gang.residents());
        onNodes.addAll(gang.bound());
        gang.pending().stream().filter(p -> nodes.containsKey(p.key()))
                .forEach(p -> onNodes.add(p.withNodeName(nodes.get(p.key()))));
        for (PodInfo pod : onNodes) {
            Map<String, Long> sum = expected.computeIfAbsent(pod.nodeName(), n -> new TreeMap<>());
            pod.requests().amounts().forEach((resource, amount) -> sum.merge(resource, amount, Long::sum));
            sum.merge(ResourceNames.PODS, 1L, Long::sum);
        }
        assertThat(requestedByNode()).isEqualTo(expected);
        ResourceColumns columns = state.columns();
        for (NodeInfo node : gang.nodes()) {
            int index = state.nodeIndex(node.name());
            for (int c = 0; c < columns.count(); c++) {
                assertThat(state.requested(c, index)).as("%s on %s", columns.name(c), node.name())
                        .isLessThanOrEqualTo(state.allocatable(c, index));
            }
        }
    }

    /** Non-zero requested amounts by node name and resource. */
    private Map<String, Map<String, Long>> requestedByNode() {
        Map<String, Map<String, Long>> byNode = new HashMap<>();
        ResourceColumns columns = state.columns();
        state.liveNodes().stream().forEach(index -> {
            Map<String, Long> amounts = new TreeMap<>();
            for (int c = 0; c < columns.count(); c++) {
                long requested = state.requested(c, index);
                if (requested != 0) {
                    amounts.put(columns.name(c), requested);
                }
            }
            if (!amounts.isEmpty()) {
                byNode.put(state.node(index).name(), amounts);
            }
        });
        return byNode;
    }

    // ---------------------------------------------------------------- fixtures

    /** A planning problem: the cluster, pods already running there, the gang's bound and pending members. */
    record Gang(List<NodeInfo> nodes, List<PodInfo> residents, List<PodInfo> bound, List<PodInfo> pending, int min) {
        static Gang on(NodeFixture... nodes) {
            return new Gang(Arrays.stream(nodes).map(NodeFixture::build).toList(), List.of(), List.of(), List.of(), 0);
        }

        /** Pods bound to nodes that are not members of the gang. */
        Gang residents(PodFixture... pods) {
            return new Gang(nodes, built(pods), bound, pending, min);
        }

        Gang bound(PodFixture... pods) {
            return new Gang(nodes, residents, built(pods), pending, min);
        }

        Gang pending(PodFixture... pods) {
            return new Gang(nodes, residents, bound, built(pods), min);
        }

        /** {@code count} members named {@code prefix0, prefix1, ...}, each shaped by {@code shape}. */
        Gang pending(int count, String prefix, UnaryOperator<PodFixture> shape) {
            return pending(IntStream.range(0, count).mapToObj(i -> shape.apply(pod(prefix + i)))
                    .toArray(PodFixture[]::new));
        }

        Gang min(int value) {
            return new Gang(nodes, residents, bound, pending, value);
        }

        private static List<PodInfo> built(PodFixture... pods) {
            return Arrays.stream(pods).map(PodFixture::build).toList();
        }
    }

    sealed interface Outcome permits Places, Waits {
    }

    /** Exactly these members are placed, each on one of its allowed nodes; the others stay pending. */
    record Places(Map<String, Set<String>> allowedNodes) implements Outcome {
    }

    record Waits(String message, Set<ClusterEventType> helpfulEvents, int decisions) implements Outcome {
    }

    private static Arguments plan(String name, Gang gang, Outcome outcome) {
        return Arguments.of(name, gang, outcome);
    }

    private static Outcome places(Set<String> members, String... onNodes) {
        Map<String, Set<String>> allowed = new LinkedHashMap<>();
        members.forEach(member -> allowed.put(member, Set.of(onNodes)));
        return new Places(allowed);
    }

    private static Outcome places(Map<String, Set<String>> allowedNodes) {
        return new Places(allowedNodes);
    }

    private static Outcome waits(String message, Set<ClusterEventType> helpfulEvents, int decisions) {
        return new Waits(message, helpfulEvents, decisions);
    }

    private static Set<String> names(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).collect(Collectors.toSet());
    }

    /** {@code count} nodes named {@code prefix1 .. prefixN}. */
    private static NodeFixture[] nodes(int count, String prefix, UnaryOperator<NodeFixture> shape) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> shape.apply(node(prefix + i))).toArray(NodeFixture[]::new);
    }

    /**
     * Two small dedicated nodes labelled and tainted for Spark, and two big general nodes that
     * LeastAllocated would prefer if the selector were ignored.
     */
    private static NodeFixture[] sparkPool() {
        return new NodeFixture[] {
            node("pool-1").cpu(8).label("pool", "spark").taint("dedicated", "spark", TaintEffect.NO_SCHEDULE),
            node("pool-2").cpu(8).label("pool", "spark").taint("dedicated", "spark", TaintEffect.NO_SCHEDULE),
            node("general-1").cpu(32).memoryGi(128),
            node("general-2").cpu(32).memoryGi(128)};
    }

    private static PodFixture poolMember(PodFixture pod) {
        return pod.nodeSelector("pool", "spark")
                .toleration(Toleration.equal("dedicated", "spark", TaintEffect.NO_SCHEDULE));
    }

    private static int distinctMembers(List<PodInfo> members) {
        List<PodInfo> distinct = new ArrayList<>();
        for (PodInfo member : members) {
            if (distinct.stream().noneMatch(member::schedulesLike)) {
                distinct.add(member);
            }
        }
        return distinct.size();
    }

    private static Set<ClusterEventType> union(Set<ClusterEventType> a, Set<ClusterEventType> b) {
        EnumSet<ClusterEventType> all = EnumSet.copyOf(a);
        all.addAll(b);
        return all;
    }

    /**
     * kube-scheduler's defaults (our defaults with its LeastAllocated strategy: the mixed-sizes cases
     * need a scoring that spreads) with a prefilter in front that counts the full decisions (every
     * node filtered) asked for; copies after the first are decided node by node without one.
     */
    private static SchedulingProfile countingDefaults(DecisionCounter counter) {
        SchedulerSettings settings = SchedulerSettings.defaults();
        SchedulingProfile defaults = SchedulingProfile.defaults(
                settings.withScoring(ScoringStrategy.LEAST_ALLOCATED, settings.resourceWeights()));
        List<PreFilterPlugin> preFilters = new ArrayList<>();
        preFilters.add(counter);
        preFilters.addAll(defaults.preFilters());
        return new SchedulingProfile(preFilters, defaults.filters(), defaults.scores());
    }

    /** A prefilter sees every pod once per decision, before any node is looked at. */
    private static final class DecisionCounter implements PreFilterPlugin {
        int count;

        @Override
        public String name() {
            return "DecisionCounter";
        }

        @Override
        public Status preFilter(PodContext pod, ClusterSnapshot snapshot) {
            count++;
            return Status.SUCCESS;
        }
    }
}
