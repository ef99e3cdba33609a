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
import io.kubenexus.scheduler.core.model.TaintEffect;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.query.GangExplanation;
import io.kubenexus.scheduler.core.query.GroupState;
import io.kubenexus.scheduler.core.query.GroupSummary;
import io.kubenexus.scheduler.core.query.PodExplanation;
import io.kubenexus.scheduler.core.query.PodState;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.testing.MutableClock;
import io.kubenexus.scheduler.core.testing.RecordingEventSink;
import io.kubenexus.scheduler.core.testing.ScriptedBinder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code /debug/explain} and the group list, from a real loop driven without its thread. */
class PendingExplainerTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final ScriptedBinder binder = new ScriptedBinder();
    private final RecordingEventSink events = new RecordingEventSink();

    private final PodGroups groups = pod -> {
        String group = pod.labels().get("group");
        if (group == null) {
            return null;
        }
        GroupRole role = "driver".equals(pod.labels().get("role")) ? GroupRole.DRIVER : GroupRole.MEMBER;
        return GroupMembership.of(pod.key().namespace() + "/" + group,
                Integer.parseInt(pod.labels().getOrDefault("min", "0")), role, null);
    };

    private final GroupPlanner allOrNothing = new GroupPlanner() {
        @Override
        public GroupPlan plan(String groupId, int minMembers, List<PodInfo> pending, int boundMembers,
                              ClusterState state, SchedulingAlgorithm algorithm) {
            if (pending.size() + boundMembers < minMembers) {
                return new GroupPlan.Waiting("gang " + groupId + ": " + (pending.size() + boundMembers) + "/"
                        + minMembers + " members present", Set.of());
            }
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

    private void cluster(boolean leader) {
        loop.onLeadershipChanged(leader);
        loop.onCachesSynced();
        loop.onNodeUpserted(node("a").cpu(4).build());
        loop.onNodeUpserted(node("b").cpu(4).build());
        loop.onNodeUpserted(node("gpu").cpu(16).taint("gpu", "true", TaintEffect.NO_SCHEDULE).build());
        loop.runUntilIdle();
    }

    private PodExplanation explain(String name) {
        CompletableFuture<Optional<PodExplanation>> answer = loop.explain(new PodKey("default", name));
        loop.runUntilIdle();
        assertThat(answer).isDone();
        assertThat(answer.join()).isPresent();
        return answer.join().get();
    }

    @Test
    void aPodTheLoopKnowsNothingOfHasNoExplanation() {
        cluster(true);
        CompletableFuture<Optional<PodExplanation>> answer = loop.explain(new PodKey("default", "nobody"));
        loop.runUntilIdle();

        assertThat(answer).isDone();
        assertThat(answer.join()).isEmpty();
    }

    @Test
    void anUnschedulablePodIsExplainedWithItsLastMessageAndFreshReasonsWithoutAssumingAnything() {
        cluster(true);
        loop.onPodUpserted(pod("big").cpu(8).build());
        loop.runUntilIdle();
        List<String> before = LoopFingerprint.of(loop);

        PodExplanation explanation = explain("big");

        assertThat(explanation.state()).isEqualTo(PodState.UNSCHEDULABLE);
        assertThat(explanation.uid()).isEqualTo("uid-big");
        assertThat(events.linesAbout("big")).last().asString().endsWith(explanation.lastUnschedulableMessage());
        assertThat(explanation.lastUnschedulableMessage())
                .isEqualTo("0/3 nodes are available: 1 node(s) had untolerated taint {gpu: true}, 2 Insufficient cpu.");
        assertThat(explanation.nodeReasons()).containsExactly(
                Map.entry("Insufficient cpu", 2), Map.entry("node(s) had untolerated taint {gpu: true}", 1));
        assertThat(explanation.reasonsByPlugin()).containsOnlyKeys("NodeResourcesFit", "TaintToleration");
        assertThat(explanation.nodeCount()).isEqualTo(3);
        assertThat(explanation.feasibleNodes()).isZero();
        assertThat(explanation.gang()).isNull();
        assertThat(LoopFingerprint.of(loop)).isEqualTo(before);
    }

    @Test
    void theReasonsAreFreshAndTheMessageIsDroppedWhenThePodLeaves() {
        cluster(true);
        loop.onPodUpserted(pod("big").cpu(8).build());
        loop.runUntilIdle();
        loop.onNodeUpserted(node("a").cpu(4).taint("gpu", "true", TaintEffect.NO_SCHEDULE).build());
        loop.runUntilIdle();

        assertThat(explain("big").nodeReasons()).containsEntry("node(s) had untolerated taint {gpu: true}", 2);

        loop.onPodRemoved(new PodKey("default", "big"));
        loop.runUntilIdle();
        assertThat(loop.lastUnschedulableMessage(new PodKey("default", "big"))).isNull();
    }

    @Test
    void aPodOnAStandbyIsPendingActiveAndBoundPodsAreBoundOrNotOurs() {
        cluster(false);
        loop.onPodUpserted(pod("waiting").cpu(1).build());
        loop.onPodUpserted(pod("ours").cpu(1).boundTo("a").build());
        loop.onPodUpserted(pod("theirs").schedulerName("default-scheduler").cpu(1).boundTo("a").build());
        loop.runUntilIdle();

        PodExplanation waiting = explain("waiting");
        assertThat(waiting.state()).isEqualTo(PodState.PENDING_ACTIVE);
        assertThat(waiting.lastUnschedulableMessage()).isNull();
        assertThat(waiting.feasibleNodes()).isEqualTo(2);
        assertThat(explain("ours").state()).isEqualTo(PodState.BOUND);
        assertThat(explain("theirs").state()).isEqualTo(PodState.NOT_OURS);
    }

    @Test
    void aFailedBindBacksOff() {
        binder.thenAnswer(io.kubenexus.scheduler.core.ports.BindOutcome.FAILED);
        cluster(true);
        loop.onPodUpserted(pod("unlucky").cpu(1).build());
        loop.runUntilIdle();

        assertThat(explain("unlucky").state()).isEqualTo(PodState.BACKOFF);
    }

    @Test
    void aGangMemberIsExplainedWithItsGroupAndThePlannersVerdict() {
        cluster(true);
        loop.onPodUpserted(pod("w-0").label("group", "train").label("min", "3").cpu(1).build());
        loop.onPodUpserted(pod("w-1").label("group", "train").label("min", "3").cpu(1).build());
        loop.runUntilIdle();
        List<String> before = LoopFingerprint.of(loop);

        PodExplanation explanation = explain("w-0");

        assertThat(explanation.gang()).isEqualTo(new GangExplanation("default/train", 3, 0, 2, 1,
                "gang default/train: 2/3 members present", 0, List.of(), null));
        assertThat(explanation.lastUnschedulableMessage()).isEqualTo("gang default/train: 2/3 members present");
        assertThat(LoopFingerprint.of(loop)).isEqualTo(before);
    }

    @Test
    void aGangThatWouldFitNowIsSaidToAndStaysUnassumed() {
        cluster(false);
        loop.onPodUpserted(pod("w-0").label("group", "pair").label("min", "2").cpu(3).build());
        loop.onPodUpserted(pod("w-1").label("group", "pair").label("min", "2").cpu(3).build());
        loop.runUntilIdle();
        List<String> before = LoopFingerprint.of(loop);

        PodExplanation explanation = explain("w-1");

        assertThat(explanation.gang().planResult()).isEqualTo("placeable now: 2 member(s) fit");
        assertThat(LoopFingerprint.of(loop)).as("the plan was undone").isEqualTo(before);
    }

    @Test
    void groupsListsEveryGroupSortedWithItsStateAndReservations() {
        cluster(true);
        loop.onPodUpserted(pod("w-0").label("group", "waiting").label("min", "3").cpu(1).build());
        loop.onPodUpserted(pod("p-0").label("group", "placed").label("min", "2").cpu(1).build());
        loop.onPodUpserted(pod("p-1").label("group", "placed").label("min", "2").cpu(1).build());
        GangPlugin.of(loop).onDriverExecutorTemplate(new PodKey("default", "driver"), new ExecutorTemplate(
                ResourceList.of(Map.of("cpu", 1000L)), 2, Map.of(), List.of(), "annotation"));
        loop.onPodUpserted(pod("driver").label("group", "spark").label("role", "driver").cpu(1).build());
        CompletableFuture<?> held = loop.bindFor(pod("x-0").schedulerName("default-scheduler").label("group", "extender")
                .label("min", "2").cpu(1).build(), "a", Duration.ofSeconds(30));
        loop.runUntilIdle();

        CompletableFuture<List<GroupSummary>> answer = loop.groups();
        loop.runUntilIdle();

        assertThat(held).isNotDone();
        assertThat(answer).isDone();
        List<GroupSummary> summaries = answer.join();
        assertThat(summaries).extracting(GroupSummary::groupId)
                .containsExactly("default/extender", "default/placed", "default/spark", "default/waiting");
        assertThat(summaries).extracting(GroupSummary::state)
                .containsExactly(GroupState.WAITING, GroupState.PLACED, GroupState.RESERVED, GroupState.WAITING);
        GroupSummary spark = summaries.get(2);
        assertThat(spark.reservationsHeld()).isEqualTo(2);
        assertThat(spark.earliestExpiry()).isEqualTo(clock.instant().plus(GangSettings.defaults().reservationTtl()));
        GroupSummary extender = summaries.get(0);
        assertThat(extender.membersPending()).isEqualTo(1);
        assertThat(extender.minAvailable()).isEqualTo(2);
        assertThat(extender.waitingSince()).isEqualTo(clock.instant());
        assertThat(summaries.get(1).membersBound()).isEqualTo(2);
        assertThat(summaries.get(3).membersPending()).isEqualTo(1);
    }

    @Test
    void explainingARunningDriverWithPendingMembersLeavesItsChargeInPlace() {
        cluster(false);
        GangPlugin.of(loop).onDriverExecutorTemplate(new PodKey("default", "driver"), new ExecutorTemplate(
                ResourceList.of(Map.of("cpu", 1000L)), 1, Map.of(), List.of(), "annotation"));
        loop.onPodUpserted(pod("driver").label("group", "spark").label("role", "driver").label("min", "2")
                .cpu(2).boundTo("a").build());
        loop.onPodUpserted(pod("e-0").label("group", "spark").label("min", "2").cpu(1).build());
        loop.runUntilIdle();
        List<String> before = LoopFingerprint.of(loop);

        explain("driver");

        assertThat(LoopFingerprint.of(loop)).as("a read-only question").isEqualTo(before);
    }

    @Test
    void explainingAGangMemberLeavesASiblingsInFlightAssumptionInPlace() {
        binder.hold();
        cluster(true);
        loop.onPodUpserted(pod("w-0").label("group", "pair").label("min", "2").cpu(3).build());
        loop.onPodUpserted(pod("w-1").label("group", "pair").label("min", "2").cpu(3).build());
        loop.runUntilIdle(); // both placed, assumed, binds under way
        List<String> before = LoopFingerprint.of(loop);

        explain("w-0");

        assertThat(LoopFingerprint.of(loop)).as("a read-only question").isEqualTo(before);
    }
}
