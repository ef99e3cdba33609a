package io.kubenexus.scheduler.core.loop;

import io.kubenexus.scheduler.gang.lifecycle.GangPlugin;
import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.gang.group.GangSettings;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.gang.group.GroupMembership;
import io.kubenexus.scheduler.gang.group.GroupPlan;
import io.kubenexus.scheduler.gang.group.GroupPlanner;
import io.kubenexus.scheduler.gang.group.GroupRole;
import io.kubenexus.scheduler.gang.group.PodGroups;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.BindOutcome;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.query.ExtenderBindResult;
import io.kubenexus.scheduler.core.query.ExtenderBindResult.Bound;
import io.kubenexus.scheduler.core.query.ExtenderBindResult.Refused;
import io.kubenexus.scheduler.core.query.NodeFilterResult;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.testing.HeldBinder;
import io.kubenexus.scheduler.core.testing.MutableClock;
import io.kubenexus.scheduler.core.testing.RecordingEventSink;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The extender's bind verb on a real loop driven without its thread: pods of another scheduler
 * (kube-scheduler chose their nodes), plain, gang members held until their gang is ready, Spark
 * drivers bound with their executors' places reserved, executors taking those places.
 */
class ExtenderBindsTest {
    private static final Duration HOLD = Duration.ofSeconds(20);

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final HeldBinder binder = new HeldBinder();
    private final RecordingEventSink events = new RecordingEventSink();

    /** Groups from test labels: group, min, role (driver / executor). */
    private final PodGroups groups = pod -> {
        String group = pod.labels().get("group");
        if (group == null) {
            return null;
        }
        GroupRole role = switch (pod.labels().getOrDefault("role", "member")) {
            case "driver" -> GroupRole.DRIVER;
            case "executor" -> GroupRole.EXECUTOR;
            default -> GroupRole.MEMBER;
        };
        return GroupMembership.of(pod.key().namespace() + "/" + group,
                Integer.parseInt(pod.labels().getOrDefault("min", "0")), role, null);
    };

    /** All or nothing, each assumed before the next. */
    private final GroupPlanner allOrNothing = new GroupPlanner() {
        @Override
        public GroupPlan plan(String groupId, int minMembers, List<PodInfo> pending, int boundMembers,
                              ClusterState state, SchedulingAlgorithm algorithm) {
            Map<PodKey, String> placed = new LinkedHashMap<>();
            for (PodInfo member : pending) {
                if (algorithm.schedule(member, state) instanceof Decision.Placed p) {
                    state.assume(member.withNodeName(p.nodeName()));
                    placed.put(member.key(), p.nodeName());
                } else {
                    placed.keySet().forEach(state::forget);
                    return new GroupPlan.Waiting("gang " + groupId + ": fits " + placed.size() + " of " + pending.size(),
                            Set.of(ClusterEventType.NODE_ADDED));
                }
            }
            return new GroupPlan.Placed(placed);
        }
    };

    private final SchedulerSettings settings = SchedulerSettings.defaults();
    private final SchedulingLoop loop = GangPlugin.newLoop(settings, SchedulingProfile.defaults(settings), groups,
            allOrNothing, GangSettings.defaults(), binder, events, SchedulerMetrics.NONE, clock);

    private void lead(String... nodesOf4Cpu) {
        loop.onLeadershipChanged(true);
        loop.onCachesSynced();
        for (String name : nodesOf4Cpu) {
            loop.onNodeUpserted(node(name).cpu(4).build());
        }
        loop.runUntilIdle();
    }

    private static PodInfo foreign(String name, double cpu) {
        return pod(name).schedulerName("default-scheduler").cpu(cpu).build();
    }

    private static PodInfo member(String name, int min, double cpu) {
        return pod(name).schedulerName("default-scheduler").label("group", "g").label("min", Integer.toString(min))
                .cpu(cpu).build();
    }

    private CompletableFuture<ExtenderBindResult> bind(PodInfo pod, String node) {
        CompletableFuture<ExtenderBindResult> answer = loop.bindFor(pod, node, HOLD);
        loop.runUntilIdle();
        return answer;
    }

    /** The answer, which must be there already: a test never waits. */
    private static ExtenderBindResult done(CompletableFuture<ExtenderBindResult> answer) {
        assertThat(answer).as("answered").isDone();
        return answer.join();
    }

    private void answerBind(String podName, BindOutcome outcome) {
        binder.take(podName).answer(outcome);
        loop.runUntilIdle();
    }

    private Map<String, Integer> sizes() {
        CompletableFuture<Map<String, Integer>> sizes = loop.bookkeepingSizes();
        loop.runUntilIdle();
        return sizes.join();
    }

    @Test
    void aPlainPodIsVerifiedAssumedAndBoundAndTheAnswerWaitsForTheBind() {
        lead("a");

        CompletableFuture<ExtenderBindResult> answer = bind(foreign("p", 1), "a");

        assertThat(answer).isNotDone();
        assertThat(loop.stateForTest().isAssumed(new PodKey("default", "p"))).isTrue();
        answerBind("p", BindOutcome.BOUND);
        assertThat(done(answer)).isEqualTo(new Bound("a"));
    }

    @Test
    void aFailedBindIsRefusedWithItsErrorAndForgotten() {
        lead("a");
        List<String> before = LoopFingerprint.of(loop);

        CompletableFuture<ExtenderBindResult> answer = bind(foreign("p", 1), "a");
        answerBind("p", BindOutcome.FAILED);

        assertThat(done(answer)).isInstanceOf(Refused.class);
        assertThat(((Refused) done(answer)).error()).contains("held FAILED");
        assertThat(LoopFingerprint.of(loop)).isEqualTo(before);
    }

    @Test
    void aPodThatNoLongerFitsItsNodeIsRefusedWithoutABind() {
        lead("a");

        CompletableFuture<ExtenderBindResult> answer = bind(foreign("p", 6), "a");

        assertThat(done(answer)).isEqualTo(new Refused("0/1 nodes are available: 1 Insufficient cpu."));
        assertThat(binder.calls()).isEmpty();
    }

    @Test
    void aBindSentAgainForAPodAlreadyBoundThereIsAnsweredBoundAndKeepsItsCharge() {
        lead("a", "b");
        CompletableFuture<ExtenderBindResult> first = bind(foreign("p", 1), "a");
        CompletableFuture<ExtenderBindResult> whileSending = bind(foreign("p", 1), "a");
        answerBind("p", BindOutcome.BOUND);
        loop.onPodUpserted(pod("p").schedulerName("default-scheduler").cpu(1).boundTo("a").build());
        loop.runUntilIdle();
        List<String> bound = LoopFingerprint.of(loop);

        CompletableFuture<ExtenderBindResult> retried = bind(foreign("p", 1), "a");
        CompletableFuture<ExtenderBindResult> elsewhere = bind(foreign("p", 1), "b");

        assertThat(done(first)).isEqualTo(new Bound("a"));
        assertThat(done(whileSending)).isEqualTo(new Refused("a bind of default/p is already under way"));
        assertThat(done(retried)).isEqualTo(new Bound("a"));
        assertThat(done(elsewhere)).isEqualTo(new Refused("default/p is already bound to a"));
        assertThat(binder.calls()).hasSize(1);
        assertThat(LoopFingerprint.of(loop)).isEqualTo(bound);
    }

    @Test
    void aStandbyRefusesEveryBind() {
        loop.onCachesSynced();
        loop.onNodeUpserted(node("a").cpu(4).build());

        CompletableFuture<ExtenderBindResult> answer = bind(foreign("p", 1), "a");

        assertThat(((Refused) done(answer)).error()).startsWith("not the leader: ");
        assertThat(binder.calls()).isEmpty();
    }

    @Test
    void aGangOfThreeIsHeldHoldingNothingUntilTheThirdBindThenAllAreBound() {
        lead("a", "b");
        List<String> before = LoopFingerprint.of(loop);

        CompletableFuture<ExtenderBindResult> first = bind(member("m-0", 3, 1), "a");
        CompletableFuture<ExtenderBindResult> second = bind(member("m-1", 3, 1), "b");

        assertThat(first).isNotDone();
        assertThat(second).isNotDone();
        assertThat(binder.calls()).isEmpty();
        assertThat(LoopFingerprint.of(loop)).as("a held bind holds nothing").isEqualTo(before);

        CompletableFuture<ExtenderBindResult> third = bind(member("m-2", 3, 2), "a");

        assertThat(binder.calls()).extracting(c -> c.pod().key().name() + "->" + c.nodeName())
                .containsExactlyInAnyOrder("m-0->a", "m-1->b", "m-2->a");
        answerBind("m-0", BindOutcome.BOUND);
        answerBind("m-1", BindOutcome.BOUND);
        answerBind("m-2", BindOutcome.BOUND);
        assertThat(List.of(done(first), done(second), done(third)))
                .containsExactly(new Bound("a"), new Bound("b"), new Bound("a"));
    }

    @Test
    void aGangWhoseChosenNodesDoNotHoldItTogetherIsRefusedWholeAndAssumesNothing() {
        lead("a", "b");
        List<String> before = LoopFingerprint.of(loop);

        List<CompletableFuture<ExtenderBindResult>> answers = List.of(
                bind(member("m-0", 3, 2), "a"), bind(member("m-1", 3, 2), "a"), bind(member("m-2", 3, 1), "a"));

        for (CompletableFuture<ExtenderBindResult> answer : answers) {
            assertThat(done(answer)).isInstanceOf(Refused.class);
            assertThat(((Refused) done(answer)).error()).startsWith("gang default/g: ")
                    .contains("does not fit on a").endsWith("none of the 3 members was bound");
        }
        assertThat(binder.calls()).isEmpty();
        assertThat(LoopFingerprint.of(loop)).isEqualTo(before);
    }

    @Test
    void membersAlreadyBoundCountTowardsTheGang() {
        lead("a", "b");
        loop.onPodUpserted(pod("m-0").schedulerName("default-scheduler").label("group", "g").label("min", "2").cpu(1)
                .boundTo("b").build());
        loop.runUntilIdle();

        CompletableFuture<ExtenderBindResult> answer = bind(member("m-1", 2, 1), "a");

        assertThat(binder.calls()).hasSize(1);
        answerBind("m-1", BindOutcome.BOUND);
        assertThat(done(answer)).isEqualTo(new Bound("a"));
    }

    @Test
    void heldBindsAreRefusedWhenTheirHoldLimitPasses() {
        lead("a", "b");
        Instant start = clock.instant();
        CompletableFuture<ExtenderBindResult> first = bind(member("m-0", 4, 1), "a");
        CompletableFuture<ExtenderBindResult> second = bind(member("m-1", 4, 1), "b");
        assertThat(GangPlugin.of(loop).nextWakeUp()).as("the loop wakes for it").isEqualTo(start.plus(HOLD));

        clock.advance(HOLD.minusMillis(1));
        loop.runUntilIdle();
        assertThat(first).isNotDone();

        clock.advance(Duration.ofMillis(1));
        loop.runUntilIdle();

        assertThat(done(first)).isEqualTo(new Refused("gang default/g: 2 of 4 members ready to bind after 20s"));
        assertThat(done(second)).isInstanceOf(Refused.class);
        assertThat(GangPlugin.of(loop).nextWakeUp()).isNull();
        assertThat(binder.calls()).isEmpty();
    }

    @Test
    void aBindSentAgainReplacesTheHeldOne() {
        lead("a", "b");
        CompletableFuture<ExtenderBindResult> old = bind(member("m-0", 2, 1), "a");
        CompletableFuture<ExtenderBindResult> again = bind(member("m-0", 2, 1), "b");

        assertThat(done(old)).isInstanceOf(Refused.class);
        assertThat(((Refused) done(old)).error()).startsWith("replaced by a newer bind request");
        CompletableFuture<ExtenderBindResult> sibling = bind(member("m-1", 2, 1), "a");
        answerBind("m-0", BindOutcome.BOUND);
        answerBind("m-1", BindOutcome.BOUND);
        assertThat(done(again)).isEqualTo(new Bound("b"));
        assertThat(done(sibling)).isEqualTo(new Bound("a"));
    }

    @Test
    void losingTheLeaseOrThePodRefusesItsHeldBind() {
        lead("a", "b");
        CompletableFuture<ExtenderBindResult> deleted = bind(member("m-0", 3, 1), "a");
        CompletableFuture<ExtenderBindResult> held = bind(member("m-1", 3, 1), "a");

        loop.onPodRemoved(new PodKey("default", "m-0"));
        loop.runUntilIdle();
        assertThat(((Refused) done(deleted)).error()).isEqualTo("pod default/m-0 was deleted");
        assertThat(held).isNotDone();

        loop.onLeadershipChanged(false);
        loop.runUntilIdle();
        assertThat(((Refused) done(held)).error()).startsWith("not the leader any more");
    }

    private static PodInfo driver(double cpu) {
        return pod("driver").schedulerName("default-scheduler").label("group", "spark").label("role", "driver")
                .cpu(cpu).build();
    }

    private static PodInfo executor(String name, double cpu) {
        return pod(name).schedulerName("default-scheduler").label("group", "spark").label("role", "executor")
                .cpu(cpu).build();
    }

    private void executorsOf2Cpu(int count) {
        GangPlugin.of(loop).onDriverExecutorTemplate(new PodKey("default", "driver"), new ExecutorTemplate(
                ResourceList.of(Map.of("cpu", 2000L)), count, Map.of(), List.of(), "annotation"));
    }

    @Test
    void aDriverWhoseExecutorsDoNotFitIsRefusedWithThePlannersMessageAndReservesNothing() {
        lead("a", "b");
        executorsOf2Cpu(4);
        loop.runUntilIdle();
        List<String> before = LoopFingerprint.of(loop);

        CompletableFuture<ExtenderBindResult> answer = bind(driver(1), "a");

        assertThat(done(answer)).isEqualTo(new Refused("driver and 4 executor(s) sized by annotation: gang default/spark: fits 3 of 4"));
        assertThat(binder.calls()).isEmpty();
        assertThat(sizes()).containsEntry("reservations", 0);
        assertThat(LoopFingerprint.of(loop)).isEqualTo(before);
    }

    @Test
    void aDriverIsBoundWithItsExecutorsPlacesHeldAndAnExecutorTakesOneOnItsNode() {
        lead("a", "b");
        executorsOf2Cpu(2);
        loop.runUntilIdle();

        CompletableFuture<ExtenderBindResult> driverBound = bind(driver(1), "a");
        answerBind("driver", BindOutcome.BOUND);

        assertThat(done(driverBound)).isEqualTo(new Bound("a"));
        assertThat(sizes()).containsEntry("reservations", 2);
        String reservedNode = GangPlugin.of(loop).reservationsOf("default/spark").get(0).placeholder().nodeName();
        // The places are held against anyone else, not against the group's own executors.
        CompletableFuture<NodeFilterResult> executorFilter = loop.filter(executor("exec-1", 2), List.of(reservedNode));
        CompletableFuture<NodeFilterResult> strangerFilter = loop.filter(foreign("stranger", 3), List.of("a", "b"));
        loop.runUntilIdle();
        assertThat(executorFilter.getNow(null).feasible()).containsExactly(reservedNode);
        assertThat(strangerFilter.getNow(null).feasible()).as("3 cpu would fit either node without the places held")
                .isEmpty();

        CompletableFuture<ExtenderBindResult> executorBound = bind(executor("exec-1", 2), reservedNode);
        answerBind("exec-1", BindOutcome.BOUND);

        assertThat(done(executorBound)).isEqualTo(new Bound(reservedNode));
        assertThat(sizes()).containsEntry("reservations", 1).containsEntry("takenReservations", 1);
        loop.onPodUpserted(executor("exec-1", 2).withNodeName(reservedNode));
        loop.runUntilIdle();
        assertThat(sizes()).containsEntry("takenReservations", 0);
    }

    @Test
    void anExecutorBoundWhereNoPlaceOfItsGroupIsTakesOneElsewhereAndGivesItBackIfTheBindFails() {
        lead("a", "b", "c");
        executorsOf2Cpu(2);
        loop.runUntilIdle();
        bind(driver(1), "a");
        answerBind("driver", BindOutcome.BOUND);
        List<String> reserved = GangPlugin.of(loop).reservationsOf("default/spark").stream().map(r -> r.placeholder().nodeName())
                .toList();
        String free = List.of("a", "b", "c").stream().filter(n -> !reserved.contains(n)).findFirst().orElseThrow();

        // kube-scheduler put the executor on a node without a place: one place fewer is needed all the same.
        CompletableFuture<ExtenderBindResult> failed = bind(executor("exec-1", 2), free);
        assertThat(sizes()).containsEntry("reservations", 1).containsEntry("takenReservations", 1);
        answerBind("exec-1", BindOutcome.FAILED);
        assertThat(done(failed)).isInstanceOf(Refused.class);
        assertThat(sizes()).as("the place is held again").containsEntry("reservations", 2)
                .containsEntry("takenReservations", 0);

        CompletableFuture<ExtenderBindResult> bound = bind(executor("exec-1", 2), free);
        answerBind("exec-1", BindOutcome.BOUND);
        assertThat(done(bound)).isEqualTo(new Bound(free));
        loop.onPodUpserted(executor("exec-1", 2).withNodeName(free));
        loop.runUntilIdle();
        assertThat(sizes()).containsEntry("reservations", 1).containsEntry("takenReservations", 0);
    }

    @Test
    void aDriverWhoseBindFailsReleasesItsExecutorsPlaces() {
        lead("a", "b");
        executorsOf2Cpu(2);
        loop.runUntilIdle();
        List<String> before = LoopFingerprint.of(loop);

        CompletableFuture<ExtenderBindResult> answer = bind(driver(1), "a");
        assertThat(sizes()).containsEntry("reservations", 2);
        answerBind("driver", BindOutcome.FAILED);

        assertThat(done(answer)).isInstanceOf(Refused.class);
        assertThat(sizes()).containsEntry("reservations", 0);
        assertThat(LoopFingerprint.of(loop)).isEqualTo(before);
    }

    @Test
    void preemptionNeverBreaksABoundGangBelowItsMinimumNorEvictsADriverHoldingPlaces() {
        lead("a", "b");
        loop.onPodUpserted(pod("m-0").schedulerName("default-scheduler").label("group", "g").label("min", "2").cpu(3)
                .boundTo("a").build());
        loop.onPodUpserted(pod("m-1").schedulerName("default-scheduler").label("group", "g").label("min", "2").cpu(3)
                .boundTo("b").build());
        loop.runUntilIdle();
        PodKey m0 = new PodKey("default", "m-0");
        PodKey m1 = new PodKey("default", "m-1");

        CompletableFuture<Map<String, List<PodKey>>> one = loop.acceptVictims(foreign("p", 2), Map.of("a", List.of(m0)));
        CompletableFuture<Map<String, List<PodKey>>> whole = loop.acceptVictims(foreign("p", 2),
                Map.of("a", List.of(m0, m1)));
        loop.runUntilIdle();

        // The answer is the engine's own victims: a gang goes whole (with GangPlugin.mustGoWith naming
        // its members) or the node is dropped (mayEvict refuses a partial gang); never a part of it.
        assertThat(one.getNow(null)).as("never m-0 alone: m-1 would stay bound alone")
                .allSatisfy((node, victims) -> assertThat(victims).containsExactlyInAnyOrder(m0, m1));
        assertThat(whole.getNow(null)).allSatisfy((node, victims) -> assertThat(victims).containsExactlyInAnyOrder(m0, m1));

        executorsOf2Cpu(1);
        loop.onNodeUpserted(node("c").cpu(4).build());
        loop.onNodeUpserted(node("d").cpu(4).build());
        loop.runUntilIdle();
        CompletableFuture<ExtenderBindResult> driverBound = bind(driver(3), "c");
        answerBind("driver", BindOutcome.BOUND);
        assertThat(done(driverBound)).isEqualTo(new Bound("c"));
        List<String> before = LoopFingerprint.of(loop);

        CompletableFuture<Map<String, List<PodKey>>> driverVictim = loop.acceptVictims(foreign("q", 2),
                Map.of("c", List.of(new PodKey("default", "driver"))));
        loop.runUntilIdle();

        assertThat(driverVictim.getNow(null)).isEmpty();
        assertThat(LoopFingerprint.of(loop)).isEqualTo(before);
    }
}
