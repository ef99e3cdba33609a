package io.kubenexus.scheduler.core.loop;

import io.kubenexus.scheduler.gang.lifecycle.GangPlugin;
import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.gang.group.GangSettings;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.gang.group.GroupMembership;
import io.kubenexus.scheduler.gang.group.GroupPlan;
import io.kubenexus.scheduler.gang.group.GroupPlanner;
import io.kubenexus.scheduler.gang.group.PodGroups;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.BindOutcome;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.state.ResourceColumns;
import io.kubenexus.scheduler.core.testing.MutableClock;
import io.kubenexus.scheduler.core.testing.RecordingEventSink;
import io.kubenexus.scheduler.core.testing.ScriptedBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The loop's side of group scheduling: members are gathered from the queue and handed to the
 * planner together; placements are bound, waits are reported on every member. The planner here is
 * a minimal all-or-nothing one so these tests pin the loop, not the gang module's planner.
 */
class GroupSchedulingLoopTest {
    private static final String GROUP = "group";
    private static final String MIN = "min";

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final ScriptedBinder binder = new ScriptedBinder();
    private final RecordingEventSink events = new RecordingEventSink();
    private final List<Integer> planSizes = new ArrayList<>();

    /** Groups from two test labels; min "x" is invalid. */
    private final PodGroups groups = pod -> {
        String group = pod.labels().get(GROUP);
        if (group == null) {
            return null;
        }
        String min = pod.labels().getOrDefault(MIN, "0");
        return min.equals("x") ? GroupMembership.invalid(group, "min is not a number")
                : GroupMembership.of(pod.key().namespace() + "/" + group, Integer.parseInt(min));
    };

    /** All pending members or none, each assumed before the next is placed. */
    private final GroupPlanner allOrNothing = new GroupPlanner() {
        @Override
        public GroupPlan plan(String groupId, int minMembers, List<PodInfo> pending, int boundMembers,
                              ClusterState state, SchedulingAlgorithm algorithm) {
            planSizes.add(pending.size());
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
                            Set.of(io.kubenexus.scheduler.core.framework.ClusterEventType.NODE_ADDED));
                }
            }
            return new GroupPlan.Placed(placed);
        }
    };

    private final SchedulerSettings settings = SchedulerSettings.defaults();
    private final SchedulingLoop loop = GangPlugin.newLoop(settings, SchedulingProfile.defaults(settings), groups,
            allOrNothing, GangSettings.defaults(), binder, events, SchedulerMetrics.NONE, clock);

    private static PodInfo member(String name, String group, int min, double cpu) {
        return pod(name).label(GROUP, group).label(MIN, Integer.toString(min)).cpu(cpu).build();
    }

    private void start(int nodes, double cpuEach) {
        loop.onLeadershipChanged(true);
        loop.onCachesSynced();
        for (int i = 0; i < nodes; i++) {
            loop.onNodeUpserted(node("n" + i).cpu(cpuEach).build());
        }
    }

    @Test
    void membersWaitHoldingNothingUntilTheLastArrivesThenAllAreBound() {
        start(2, 8);
        loop.onPodUpserted(member("w-0", "train", 3, 2));
        loop.onPodUpserted(member("w-1", "train", 3, 2));
        loop.runUntilIdle();

        assertThat(binder.bindings()).isEmpty();
        assertThat(loop.stateForTest().requested(ResourceColumns.CPU, 0)
                + loop.stateForTest().requested(ResourceColumns.CPU, 1)).as("nothing held").isZero();
        assertThat(events.linesAbout("w-0")).last().asString().endsWith("gang default/train: 2/3 members present");

        loop.onPodUpserted(member("w-2", "train", 3, 2));
        loop.runUntilIdle();

        assertThat(binder.bindings()).containsOnlyKeys("w-0", "w-1", "w-2");
        assertThat(planSizes).last().as("the new member brought its two waiting siblings").isEqualTo(3);
    }

    @Test
    void aGroupThatDoesNotFitBindsNoMemberAndEveryMemberIsToldWhy() {
        start(1, 4);
        for (int i = 0; i < 3; i++) {
            loop.onPodUpserted(member("m-" + i, "big", 3, 2));
        }
        loop.runUntilIdle();

        assertThat(binder.bindings()).isEmpty();
        assertThat(loop.stateForTest().requested(ResourceColumns.CPU, 0)).isZero();
        for (int i = 0; i < 3; i++) {
            assertThat(events.linesAbout("m-" + i)).last().asString().endsWith("gang default/big: fits 2 of 3");
        }
        assertThat(planSizes).as("one plan for the whole group, not one per member").hasSize(1);

        clock.advance(Duration.ofSeconds(5));
        loop.onNodeUpserted(node("n-new").cpu(4).build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsOnlyKeys("m-0", "m-1", "m-2");
    }

    @Test
    void aMemberWhoseBindFailsKeepsItsPlaceAndIsBoundThereOnRetry() {
        binder.thenAnswer(BindOutcome.BOUND).thenAnswer(BindOutcome.FAILED);
        start(2, 8);
        loop.onPodUpserted(member("a", "pair", 2, 1));
        loop.onPodUpserted(member("b", "pair", 2, 1));
        loop.runUntilIdle();
        assertThat(binder.bindings()).hasSize(1);
        String boundName = binder.bindings().keySet().iterator().next();
        loop.onPodUpserted(member(boundName, "pair", 2, 1).withNodeName(binder.bindings().get(boundName)));

        clock.advance(Duration.ofSeconds(1));
        loop.runUntilIdle();

        assertThat(binder.bindings()).containsOnlyKeys("a", "b");
        assertThat(planSizes).as("the same bind sent again, not planned anew (its room stayed held)").containsExactly(2);
    }

    @Test
    void membersDisagreeingOnTheSizeAreWarnedAndTheLargestIsUsed() {
        start(1, 16);
        loop.onPodUpserted(member("x-0", "job", 2, 1));
        loop.onPodUpserted(member("x-1", "job", 3, 1));
        loop.runUntilIdle();

        assertThat(binder.bindings()).isEmpty();
        assertThat(events.linesAbout("x-0")).contains(
                "PodGroupMismatch x-0: gang default/job: members disagree on min-available [2, 3]; the group uses the largest, 3");
        assertThat(events.linesAbout("x-1")).noneMatch(l -> l.startsWith("PodGroupMismatch"));

        loop.onPodUpserted(member("x-2", "job", 3, 1));
        loop.runUntilIdle();
        assertThat(binder.bindings()).hasSize(3);
        assertThat(events.linesAbout("x-0")).filteredOn(l -> l.startsWith("PodGroupMismatch")).hasSize(1);
    }

    @Test
    void anUnreadableGroupLabelIsReportedAndTheRestGoOn() {
        start(1, 8);
        loop.onPodUpserted(pod("bad").label(GROUP, "g").label(MIN, "x").cpu(1).build());
        loop.onPodUpserted(pod("solo").cpu(1).build());
        loop.runUntilIdle();

        assertThat(events.linesAbout("bad")).containsExactly("Invalid bad: min is not a number");
        assertThat(binder.bindings()).containsOnlyKeys("solo");
    }

    @Test
    void membersThatDeclareNoSizeAreScheduledOneByOne() {
        start(1, 8);
        loop.onPodUpserted(pod("loose-0").label(GROUP, "g").cpu(1).build());
        loop.onPodUpserted(pod("loose-1").label(GROUP, "g").cpu(1).build());
        loop.runUntilIdle();

        assertThat(binder.bindings()).containsOnlyKeys("loose-0", "loose-1");
        assertThat(planSizes).isEmpty();
    }
}
