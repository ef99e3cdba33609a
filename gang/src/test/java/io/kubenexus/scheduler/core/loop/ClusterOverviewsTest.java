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
import io.kubenexus.scheduler.gang.group.GroupRole;
import io.kubenexus.scheduler.gang.group.PodGroups;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.query.ClusterOverview;
import io.kubenexus.scheduler.core.query.GroupState;
import io.kubenexus.scheduler.core.query.OverviewRequest;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.state.NodeZoneUsage;
import io.kubenexus.scheduler.core.state.StateExtension;
import io.kubenexus.scheduler.core.state.ZoneUsageSource;
import io.kubenexus.scheduler.core.testing.MutableClock;
import io.kubenexus.scheduler.core.testing.RecordingEventSink;
import io.kubenexus.scheduler.core.testing.ScriptedBinder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The cluster page's snapshot from a real loop driven without its thread. */
class ClusterOverviewsTest {
    private static final long GI = 1024L * 1024 * 1024;
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final ScriptedBinder binder = new ScriptedBinder();
    private final RecordingEventSink events = new RecordingEventSink();

    private final PodGroups groups = pod -> {
        String group = pod.labels().get("group");
        return group == null ? null : GroupMembership.of(pod.key().namespace() + "/" + group,
                Integer.parseInt(pod.labels().get("min")), GroupRole.MEMBER, null);
    };
    private final GroupPlanner neverEnough = new GroupPlanner() {
        @Override
        public GroupPlan plan(String groupId, int minMembers, List<PodInfo> pending, int boundMembers,
                              ClusterState state, SchedulingAlgorithm algorithm) {
            return new GroupPlan.Waiting("gang " + groupId + ": " + (pending.size() + boundMembers) + "/" + minMembers
                    + " members present, waiting for the rest before placing any", Set.of());
        }
    };
    private final SchedulerSettings settings = SchedulerSettings.defaults();
    private final SchedulingLoop loop = GangPlugin.newLoop(settings, SchedulingProfile.defaults(settings), groups,
            neverEnough, GangSettings.defaults(), binder, events, SchedulerMetrics.NONE, clock);

    /** Zones of node "numa" only, as the numa module's accounting would report them. */
    private static final class TwoZones implements StateExtension, ZoneUsageSource {
        @Override
        public NodeZoneUsage zoneUsage(String nodeName) {
            return !nodeName.equals("numa") ? null : new NodeZoneUsage("single-numa-node", "NodeResourceTopology",
                    List.of(new NodeZoneUsage.Zone(0, Map.of("cpu", 8000L), Map.of("cpu", 2000L), 1, Map.of()),
                            new NodeZoneUsage.Zone(1, Map.of("cpu", 8000L), Map.of("cpu", 8000L), 0, Map.of())));
        }
    }

    private ClusterOverview overview(String poolLabel, String zonesOf) {
        CompletableFuture<ClusterOverview> answer = loop.overview(new OverviewRequest(poolLabel, zonesOf, 100));
        loop.runUntilIdle();
        assertThat(answer).isDone();
        return answer.join();
    }

    private void cluster() {
        loop.onLeadershipChanged(true);
        loop.onCachesSynced();
        loop.onNodeUpserted(node("b-1").cpu(4).memoryGi(16).label("pool", "batch").build());
        loop.onNodeUpserted(node("a-gpu").cpu(32).memoryGi(128).gpus(8).label("pool", "gpu").build());
        loop.onNodeUpserted(node("numa").cpu(16).memoryGi(64).unschedulable().build());
        loop.onStateUpdate(io.kubenexus.scheduler.core.framework.ClusterEventType.NODE_ADDED, state -> state.addExtension(new TwoZones()));
        loop.runUntilIdle();
    }

    @Test
    void nodesAreColumnsGroupedByPoolWithTheirUseAndFlags() {
        cluster();
        loop.onPodUpserted(pod("running").cpu(1).memoryGi(2).gpu(2).boundTo("a-gpu").schedulerName("other").build());
        loop.onPodUpserted(pod("mine").cpu(2).memoryGi(4).build());
        loop.runUntilIdle();

        ClusterOverview.NodeTable nodes = overview("pool", null).nodes();

        assertThat(nodes.pools()).containsExactly("batch", "gpu", "none");
        assertThat(nodes.names()).containsExactly("b-1", "a-gpu", "numa");
        assertThat(nodes.pool()).containsExactly(0, 1, 2);
        assertThat(nodes.flags()).containsExactly(0, 0, ClusterOverview.NodeTable.CORDONED | ClusterOverview.NodeTable.NUMA);
        assertThat(nodes.resources()).extracting(ClusterOverview.ResourceUse::resource)
                .containsExactly("cpu", "memory", "nvidia.com/gpu");
        ClusterOverview.ResourceUse cpu = nodes.resources().get(0);
        ClusterOverview.ResourceUse gpu = nodes.resources().get(2);
        assertThat(cpu.allocatable()).containsExactly(4000, 32000, 16000);
        // "mine" fits only where there is room left after nothing: b-1 (4 cpu) or a-gpu; either way 3 cpu are used in all.
        assertThat(cpu.requested()[0] + cpu.requested()[1]).isEqualTo(3000);
        assertThat(gpu.allocatable()).containsExactly(0, 8, 0);
        assertThat(gpu.requested()).containsExactly(0, 2, 0);
        assertThat(nodes.resources().get(1).allocatable()).containsExactly(16 * GI, 128 * GI, 64 * GI);
    }

    @Test
    void withoutAPoolLabelEveryNodeIsInOnePool() {
        cluster();

        ClusterOverview.NodeTable nodes = overview(null, null).nodes();

        assertThat(nodes.pools()).containsExactly("");
        assertThat(nodes.names()).containsExactly("a-gpu", "b-1", "numa");
    }

    @Test
    void aClickedNodeGetsItsZonesAndANodeWithoutTopologyNone() {
        cluster();

        assertThat(overview(null, "numa").zones().zones()).extracting(NodeZoneUsage.Zone::id).containsExactly(0, 1);
        assertThat(overview(null, "b-1").zones()).isNull();
        assertThat(overview(null, null).zones()).isNull();
    }

    @Test
    void pendingPodsAreGroupedByReasonAndAWaitingGangSaysWhy() {
        cluster();
        loop.onPodUpserted(pod("huge-1").cpu(64).build());
        loop.onPodUpserted(pod("huge-2").cpu(64).build());
        loop.onPodUpserted(pod("worker-0").cpu(1).label("group", "train").label("min", "3").build());
        loop.runUntilIdle();
        List<String> before = LoopFingerprint.of(loop);

        ClusterOverview overview = overview("pool", null);

        assertThat(overview.pending().total()).isEqualTo(3);
        assertThat(overview.pending().reasons()).extracting(ClusterOverview.PendingReason::reason,
                        ClusterOverview.PendingReason::pods)
                .contains(org.assertj.core.groups.Tuple.tuple("Insufficient cpu", 2),
                        org.assertj.core.groups.Tuple.tuple("gang waiting for its members", 1));
        assertThat(overview.pending().reasons().get(0).examples()).containsExactly("default/huge-1", "default/huge-2");
        assertThat(overview.groupCount()).isEqualTo(1);
        ClusterOverview.GroupStatus gang = overview.groups().get(0);
        assertThat(gang.groupId()).isEqualTo("default/train");
        assertThat(gang.state()).isEqualTo(GroupState.WAITING);
        assertThat(gang.membersPending()).isEqualTo(1);
        assertThat(gang.why()).isEqualTo("gang default/train: 1/3 members present, waiting for the rest before placing any");
        assertThat(LoopFingerprint.of(loop)).as("an overview changes nothing").isEqualTo(before);
        assertThat(loop.queueForTest().size()).isEqualTo(3);
        assertThat(new PodKey("default", "huge-1")).isNotNull();
    }

    @Test
    void gangsAreListedWaitingLongestFirstThenHoldingReservationsThenPlaced() {
        java.time.Instant t0 = java.time.Instant.parse("2026-01-01T00:00:00Z");
        List<io.kubenexus.scheduler.core.query.GroupSummary> groups = List.of(
                new io.kubenexus.scheduler.core.query.GroupSummary("a/placed", 2, GroupState.PLACED, 0, 2, 0, null, null),
                new io.kubenexus.scheduler.core.query.GroupSummary("b/held", 3, GroupState.RESERVED, 0, 1, 2, t0, null),
                new io.kubenexus.scheduler.core.query.GroupSummary("c/recent", 3, GroupState.WAITING, 1, 0, 0, null, t0.plusSeconds(60)),
                new io.kubenexus.scheduler.core.query.GroupSummary("d/oldest", 3, GroupState.WAITING, 1, 0, 0, null, t0));

        assertThat(ClusterOverviews.ordered(groups)).extracting(io.kubenexus.scheduler.core.query.GroupSummary::groupId)
                .containsExactly("d/oldest", "c/recent", "b/held", "a/placed");
    }
}
