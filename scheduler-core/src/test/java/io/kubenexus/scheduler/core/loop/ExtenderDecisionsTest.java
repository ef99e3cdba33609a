package io.kubenexus.scheduler.core.loop;

import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static io.kubenexus.scheduler.core.testing.PodFixture.req;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.model.NodeSelectorOperator;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.query.NodeVictims;
import io.kubenexus.scheduler.core.model.TaintEffect;
import io.kubenexus.scheduler.core.model.Toleration;
import io.kubenexus.scheduler.core.plugins.NodeAffinity;
import io.kubenexus.scheduler.core.plugins.NodeName;
import io.kubenexus.scheduler.core.plugins.NodePorts;
import io.kubenexus.scheduler.core.plugins.NodeUnschedulable;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.query.NodeFilterResult;
import io.kubenexus.scheduler.core.query.NodeScores;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.testing.MutableClock;
import io.kubenexus.scheduler.core.testing.NodeFixture;
import io.kubenexus.scheduler.core.testing.PodFixture;
import io.kubenexus.scheduler.core.testing.RecordingEventSink;
import io.kubenexus.scheduler.core.testing.ScriptedBinder;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The extender's filter, prioritize and preempt verbs, answered by a real loop (driven without its
 * thread, as a standby: questions are answered whether it leads or not).
 */
class ExtenderDecisionsTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final SchedulerSettings settings = SchedulerSettings.defaults();
    private final SchedulingLoop loop = new SchedulingLoop(settings, SchedulingProfile.defaults(settings),
            new ScriptedBinder(), new RecordingEventSink(), SchedulerMetrics.NONE, clock);

    private <T> T answer(CompletableFuture<T> question) {
        loop.runUntilIdle();
        assertThat(question).as("answered on the loop's next iteration").isDone();
        return question.join();
    }

    /** Nodes that each fail one filter for the probe pod (2 cpu, zone=a, host port 8080), and one that fits. */
    private void probeCluster() {
        loop.onCachesSynced();
        loop.onNodeUpserted(node("fits").cpu(4).label("zone", "a").build());
        loop.onNodeUpserted(node("cordoned").cpu(4).label("zone", "a").unschedulable().build());
        loop.onNodeUpserted(node("tainted").cpu(4).label("zone", "a").taint("gpu", "true", TaintEffect.NO_SCHEDULE).build());
        loop.onNodeUpserted(node("other-zone").cpu(4).label("zone", "b").build());
        loop.onNodeUpserted(node("small").cpu(1).label("zone", "a").build());
        loop.onNodeUpserted(node("full").cpu(4).label("zone", "a").build());
        loop.onPodUpserted(pod("filler").schedulerName("default-scheduler").cpu(3).boundTo("full").build());
        loop.onNodeUpserted(node("port-taken").cpu(4).label("zone", "a").build());
        loop.onPodUpserted(pod("web").schedulerName("default-scheduler").cpu(0.5).hostPort(8080).boundTo("port-taken").build());
        loop.runUntilIdle();
    }

    private static PodFixture probe() {
        return pod("probe").schedulerName("default-scheduler").cpu(2).nodeSelector("zone", "a").hostPort(8080);
    }

    static Stream<Arguments> rejections() {
        return Stream.of(
                Arguments.of("NodeUnschedulable", "cordoned", false, NodeUnschedulable.REASON),
                Arguments.of("TaintToleration", "tainted", false, "node(s) had untolerated taint {gpu: true}"),
                Arguments.of("NodeAffinity (nodeSelector)", "other-zone", false, NodeAffinity.REASON),
                Arguments.of("NodeResourcesFit, room held by other pods", "full", true, "Insufficient cpu"),
                Arguments.of("NodeResourcesFit, a node smaller than the request", "small", false, "Insufficient cpu"),
                Arguments.of("NodePorts", "port-taken", true, NodePorts.REASON),
                Arguments.of("unknown node", "ghost", true, NodeFilterResult.UNKNOWN_NODE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    void eachRejectedNodeGetsItsFirstFiltersReasonOnTheSideEvictionCanOrCannotFix(String filter, String nodeName,
                                                                                  boolean evictionMayHelp, String reason) {
        probeCluster();

        NodeFilterResult result = answer(loop.filter(probe().build(), List.of("fits", nodeName)));

        assertThat(result.feasible()).containsExactly("fits");
        assertThat(evictionMayHelp ? result.failed() : result.failedAndUnresolvable()).containsExactly(Map.entry(nodeName, reason));
        assertThat(evictionMayHelp ? result.failedAndUnresolvable() : result.failed()).isEmpty();
    }

    @Test
    void theAnswerKeepsTheRequestsOrderAndReportsEveryNode() {
        probeCluster();
        List<String> asked = List.of("small", "ghost", "full", "fits", "tainted", "other-zone", "port-taken", "cordoned");

        NodeFilterResult result = answer(loop.filter(probe().build(), asked));

        assertThat(result.failed().keySet()).containsExactly("ghost", "full", "port-taken");
        assertThat(result.failedAndUnresolvable().keySet()).containsExactly("small", "tainted", "other-zone", "cordoned");
        assertThat(result.feasible()).containsExactly("fits");
    }

    @Test
    void aNodeShortOfSeveralResourcesNamesThemAll() {
        probeCluster();
        loop.onNodeUpserted(node("tiny").cpu(1).memoryGi(1).label("zone", "a").build());

        NodeFilterResult result = answer(loop.filter(pod("big").cpu(2).memoryGi(2).build(), List.of("tiny")));

        // Larger than the whole node: no eviction helps, as kube-scheduler says of such a node.
        assertThat(result.failedAndUnresolvable())
                .containsExactly(Map.entry("tiny", "Insufficient cpu, Insufficient memory"));
    }

    @Test
    void aPodNamingAnotherNodeAndAPodWithAnUnsupportedConstraintCannotBeHelpedByEviction() {
        probeCluster();

        NodeFilterResult named = answer(loop.filter(pod("pinned").cpu(1).build().withNodeName("small"),
                List.of("fits", "small")));
        NodeFilterResult unsupported = answer(loop.filter(pod("spread").cpu(1).unsupported("required pod anti-affinity")
                .build(), List.of("fits")));

        assertThat(named.feasible()).containsExactly("small");
        assertThat(named.failedAndUnresolvable()).containsExactly(Map.entry("fits", NodeName.REASON));
        assertThat(unsupported.feasible()).isEmpty();
        assertThat(unsupported.failedAndUnresolvable()).containsOnlyKeys("fits");
        assertThat(unsupported.failedAndUnresolvable().get("fits")).contains("required pod anti-affinity");
    }

    @Test
    void prioritizeGivesTheBestFeasibleNode10AndInfeasibleOrUnknownNodes0() {
        loop.onCachesSynced();
        loop.onNodeUpserted(node("empty").cpu(8).memoryGi(32).build());
        loop.onNodeUpserted(node("half").cpu(8).memoryGi(32).build());
        loop.onNodeUpserted(node("full").cpu(8).memoryGi(32).build());
        loop.onPodUpserted(pod("a").cpu(4).memoryGi(16).boundTo("half").build());
        loop.onPodUpserted(pod("b").cpu(8).memoryGi(32).boundTo("full").build());

        NodeScores scores = answer(loop.prioritize(pod("p").cpu(1).memoryGi(1).build(), List.of("full", "half", "ghost", "empty")));

        assertThat(scores.scores().keySet()).containsExactly("full", "half", "ghost", "empty");
        // The default strategy, MostAllocated, prefers the half-used node; "full" is infeasible.
        assertThat(scores.scores()).containsEntry("half", 10).containsEntry("full", 0).containsEntry("ghost", 0);
        assertThat(scores.scores().get("empty")).isBetween(1, 9);
    }

    static Stream<Arguments> scaling() {
        return Stream.of(
                Arguments.of(0L, 0L, 0), Arguments.of(5L, 10L, 5), Arguments.of(15L, 20L, 8),
                Arguments.of(1L, 20L, 1), Arguments.of(1L, 21L, 0), Arguments.of(10L, 10L, 10),
                Arguments.of(299L, 300L, 10), Arguments.of(284L, 300L, 9));
    }

    @ParameterizedTest(name = "{0} of best {1} -> {2}")
    @MethodSource("scaling")
    void totalsAreScaledByTheBestRoundingHalfUp(long total, long best, int expected) {
        assertThat(ExtenderDecisions.scale(total, best)).isEqualTo(expected);
    }

    static Stream<Arguments> pods() {
        return Stream.of(
                Arguments.of("plain", (Consumer<PodFixture>) p -> p.cpu(3).memoryGi(8)),
                Arguments.of("preferring a zone", (Consumer<PodFixture>) p -> p.cpu(2).memoryGi(4)
                        .preferred(40, req("zone", NodeSelectorOperator.IN, "z1"))),
                Arguments.of("tolerating spot, one zone only", (Consumer<PodFixture>) p -> p.cpu(4).memoryGi(16)
                        .nodeSelector("zone", "z2").toleration(Toleration.exists("spot", TaintEffect.PREFER_NO_SCHEDULE))),
                Arguments.of("gpu", (Consumer<PodFixture>) p -> p.cpu(1).gpu(1)),
                Arguments.of("host port", (Consumer<PodFixture>) p -> p.cpu(1).hostPort(9090)),
                Arguments.of("large", (Consumer<PodFixture>) p -> p.cpu(40).memoryGi(64)));
    }

    /** Differential: the verbs agree with the loop's own decision for the same pod and state. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pods")
    void filterAndPrioritizeAgreeWithTheSchedulersOwnDecision(String name, Consumer<PodFixture> shape) {
        for (long seed = 1; seed <= 5; seed++) {
            SchedulingLoop random = new SchedulingLoop(settings, SchedulingProfile.defaults(settings), new ScriptedBinder(),
                    new RecordingEventSink(), SchedulerMetrics.NONE, clock);
            List<String> names = randomCluster(random, seed);
            PodFixture fixture = pod("probe-" + seed).uid("uid-" + seed);
            shape.accept(fixture);
            PodInfo probe = fixture.build();
            CompletableFuture<NodeFilterResult> filter = random.filter(probe, names);
            CompletableFuture<NodeScores> prioritize = random.prioritize(probe, names);
            random.runUntilIdle();
            assertThat(filter).isDone();
            assertThat(prioritize).isDone();

            ClusterState state = random.stateForTest();
            SchedulingAlgorithm algorithm = new SchedulingAlgorithm(SchedulingProfile.defaults(settings), 100);
            TreeSet<String> feasible = new TreeSet<>();
            for (String node : names) {
                BitSet only = new BitSet();
                only.set(state.nodeIndex(node));
                if (algorithm.schedule(probe, state, only) instanceof Decision.Placed) {
                    feasible.add(node);
                }
            }
            Decision decision = algorithm.schedule(probe, state);
            String at = name + ", seed " + seed;
            assertThat(new TreeSet<>(filter.join().feasible())).as(at).isEqualTo(feasible);
            assertThat(filter.join().failed().size() + filter.join().failedAndUnresolvable().size() + feasible.size())
                    .as(at).isEqualTo(names.size());
            Map<String, Integer> scores = prioritize.join().scores();
            assertThat(scores.values()).as(at).allMatch(s -> s >= 0 && s <= 10);
            if (decision instanceof Decision.Placed placed) {
                assertThat(placed.feasibleNodes()).as(at).isEqualTo(feasible.size());
                assertThat(scores.get(placed.nodeName())).as(at + ": the chosen node is among the top-scored")
                        .isEqualTo(10);
            } else {
                assertThat(feasible).as(at).isEmpty();
                assertThat(scores.values()).as(at).containsOnly(0);
            }
            names.stream().filter(n -> !feasible.contains(n)).forEach(n -> assertThat(scores.get(n)).as(at).isZero());
        }
    }

    /** 40 nodes: mixed sizes, three zones, some GPUs, taints (hard and soft), cordons, busy with bound pods. */
    private static List<String> randomCluster(SchedulingLoop loop, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        loop.onCachesSynced();
        List<String> names = new ArrayList<>();
        for (int n = 0; n < 40; n++) {
            NodeFixture node = node("n" + n).cpu(4 * random.nextInt(1, 9)).memoryGi(8 * random.nextInt(1, 9))
                    .label("zone", "z" + random.nextInt(3));
            if (random.nextInt(4) == 0) {
                node.gpus(random.nextInt(1, 5));
            }
            if (random.nextInt(5) == 0) {
                node.taint("spot", "true", TaintEffect.PREFER_NO_SCHEDULE);
            }
            if (random.nextInt(8) == 0) {
                node.taint("dedicated", "ml", TaintEffect.NO_SCHEDULE);
            }
            if (random.nextInt(12) == 0) {
                node.unschedulable();
            }
            loop.onNodeUpserted(node.build());
            names.add("n" + n);
        }
        for (int i = 0; i < 60; i++) {
            PodFixture bound = pod("bound-" + i).schedulerName("default-scheduler").cpuMilli(random.nextLong(100, 8_000))
                    .memoryMi(random.nextLong(64, 16_000)).boundTo("n" + random.nextInt(40));
            if (random.nextInt(10) == 0) {
                bound.hostPort(9090);
            }
            loop.onPodUpserted(bound.build());
        }
        loop.runUntilIdle();
        return names;
    }

    @Test
    void eachProposedNodeIsAnsweredWithOurOwnVictimsAndTheStateIsRestored() {
        loop.onCachesSynced();
        loop.onNodeUpserted(node("a").cpu(4).build());
        loop.onNodeUpserted(node("b").cpu(4).build());
        loop.onNodeUpserted(node("c").cpu(4).build());
        loop.onPodUpserted(pod("big-a").schedulerName("default-scheduler").cpu(3).boundTo("a").build());
        loop.onPodUpserted(pod("small-b").schedulerName("default-scheduler").cpu(1).boundTo("b").build());
        loop.onPodUpserted(pod("other-b").schedulerName("default-scheduler").cpu(2.5).boundTo("b").build());
        loop.onPodUpserted(pod("boss-c").schedulerName("default-scheduler").cpu(3).priority(1000).boundTo("c").build());
        loop.runUntilIdle();
        List<String> before = LoopFingerprint.of(loop);

        Map<String, List<PodKey>> accepted = answer(loop.acceptVictims(pod("p").cpu(2).priority(10).build(), Map.of(
                "a", List.of(new PodKey("default", "big-a")),
                "b", List.of(new PodKey("default", "small-b")),
                "c", List.of(new PodKey("default", "boss-c")),
                "ghost", List.of())));

        assertThat(accepted).as("c's pod outranks the preemptor; ghost is no node").containsOnlyKeys("a", "b");
        assertThat(accepted.get("a")).containsExactly(new PodKey("default", "big-a"));
        assertThat(accepted.get("b")).as("small-b alone frees too little: our victim is other-b")
                .containsExactly(new PodKey("default", "other-b"));
        assertThat(LoopFingerprint.of(loop)).as("victims charged again").isEqualTo(before);
    }

    @Test
    void victimsAreAnsweredByUidAsMetaVictimsNameThem() {
        loop.onCachesSynced();
        loop.onNodeUpserted(node("a").cpu(4).build());
        loop.onNodeUpserted(node("b").cpu(4).build());
        loop.onPodUpserted(pod("big-a").uid("uid-big-a").schedulerName("default-scheduler").cpu(3).boundTo("a").build());
        loop.onPodUpserted(pod("big-b").uid("uid-big-b").schedulerName("default-scheduler").cpu(3).boundTo("b").build());
        loop.runUntilIdle();

        Map<String, NodeVictims> accepted = answer(loop.acceptVictimUids(pod("p").cpu(2).priority(10).build(), Map.of(
                "a", List.of("uid-big-a"),
                "b", List.of("uid-big-a"))));

        assertThat(accepted).containsOnlyKeys("a", "b");
        assertThat(accepted.get("a")).isEqualTo(new NodeVictims(List.of("uid-big-a"), 0));
        assertThat(accepted.get("b").podUids()).as("the victim on b is b's own pod, whatever was proposed")
                .containsExactly("uid-big-b");
    }

    @Test
    void aPreemptorThatMayNotPreemptGetsNoNode() {
        loop.onCachesSynced();
        loop.onNodeUpserted(node("a").cpu(4).build());
        loop.onPodUpserted(pod("big-a").uid("uid-big-a").schedulerName("default-scheduler").cpu(3).boundTo("a").build());
        loop.runUntilIdle();

        Map<String, NodeVictims> accepted = answer(loop.acceptVictimUids(pod("p").cpu(2).priority(10)
                .preemptionPolicy(io.kubenexus.scheduler.core.model.PreemptionPolicy.NEVER).build(), Map.of("a", List.of("uid-big-a"))));

        assertThat(accepted).isEmpty();
    }

    @Test
    void filterAndPrioritizeLeaveTheStateAsTheyFoundIt() {
        probeCluster();
        List<String> before = LoopFingerprint.of(loop);

        answer(loop.filter(probe().build(), List.of("fits", "small", "ghost")));
        answer(loop.prioritize(probe().build(), List.of("fits", "small", "ghost")));

        assertThat(LoopFingerprint.of(loop)).isEqualTo(before);
    }

    /** kube-scheduler's NodeResourcesFit: a request above the node's allocatable is UnschedulableAndUnresolvable. */
    @Test
    void aRequestLargerThanTheWholeNodeIsUnresolvable() {
        loop.onCachesSynced();
        loop.onNodeUpserted(node("small").cpu(1).build());
        loop.runUntilIdle();

        NodeFilterResult result = answer(loop.filter(pod("big").schedulerName("default-scheduler").cpu(2).build(),
                List.of("small")));

        assertThat(result.failedAndUnresolvable()).containsOnlyKeys("small");
        assertThat(result.failed()).isEmpty();
    }
}
