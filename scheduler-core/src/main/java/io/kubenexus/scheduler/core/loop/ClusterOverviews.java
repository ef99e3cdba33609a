package io.kubenexus.scheduler.core.loop;

import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.core.query.ClusterOverview;
import io.kubenexus.scheduler.core.query.GroupSummary;
import io.kubenexus.scheduler.core.query.OverviewRequest;
import io.kubenexus.scheduler.core.queue.QueuedPod;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.state.NodeZoneUsage;
import io.kubenexus.scheduler.core.state.ResourceColumns;
import io.kubenexus.scheduler.core.state.ZoneUsageSource;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The cluster page's snapshot ({@link SchedulingLoop#overview}), read from the live state on the loop
 * thread: O(nodes x resources) for the node table, O(queued pods) for the pending reasons and
 * {@link PendingExplainer#groups()} for the gangs. Changes nothing.
 *
 * <p>Used only on the scheduling loop thread.
 */
final class ClusterOverviews {
    /** Pool of nodes without the pool label (the same name the capacity metrics use). */
    static final String NO_POOL = "none";
    /** Examples listed per pending reason. */
    static final int EXAMPLES = 5;

    private final SchedulingLoop loop;
    private final PendingExplainer explainer;

    ClusterOverviews(SchedulingLoop loop, PendingExplainer explainer) {
        this.loop = loop;
        this.explainer = explainer;
    }

    ClusterOverview overview(OverviewRequest request) {
        ClusterState state = loop.state;
        NodeZoneUsage zones = null;
        if (request.zonesOfNode() != null) {
            ZoneUsageSource source = state.extension(ZoneUsageSource.class);
            zones = source == null ? null : source.zoneUsage(request.zonesOfNode());
        }
        List<GroupSummary> summaries = explainer.groups();
        return new ClusterOverview(loop.clock.instant(), nodes(state, request.poolLabel()),
                groups(summaries, request.maxGroups()), summaries.size(), pending(), zones);
    }

    private static ClusterOverview.NodeTable nodes(ClusterState state, String poolLabel) {
        BitSet live = state.liveNodes();
        ZoneUsageSource source = state.extension(ZoneUsageSource.class);
        List<int[]> order = new ArrayList<>(); // {node index, pool index} once pools are numbered
        TreeSet<String> poolNames = new TreeSet<>();
        Map<Integer, String> poolOf = new HashMap<>();
        for (int i = live.nextSetBit(0); i >= 0; i = live.nextSetBit(i + 1)) {
            NodeInfo node = state.node(i);
            String pool = poolLabel == null ? "" : node.labels().getOrDefault(poolLabel, NO_POOL);
            poolNames.add(pool);
            poolOf.put(i, pool);
            order.add(new int[] {i, 0});
        }
        List<String> pools = List.copyOf(poolNames);
        Map<String, Integer> poolIndex = new HashMap<>();
        for (int p = 0; p < pools.size(); p++) {
            poolIndex.put(pools.get(p), p);
        }
        for (int[] entry : order) {
            entry[1] = poolIndex.get(poolOf.get(entry[0]));
        }
        order.sort(Comparator.<int[]>comparingInt(e -> e[1]).thenComparing(e -> state.node(e[0]).name()));

        int n = order.size();
        List<String> names = new ArrayList<>(n);
        int[] pool = new int[n];
        int[] pods = new int[n];
        int[] flags = new int[n];
        List<String> resources = shownResources(state, live);
        ResourceColumns columns = state.columns();
        long[][][] values = new long[resources.size()][4][n];
        BitSet cordoned = state.unschedulableNodes();
        for (int row = 0; row < n; row++) {
            int index = order.get(row)[0];
            NodeInfo node = state.node(index);
            names.add(node.name());
            pool[row] = order.get(row)[1];
            pods[row] = state.podCount(index);
            flags[row] = (cordoned.get(index) ? ClusterOverview.NodeTable.CORDONED : 0)
                    | (node.ready() ? 0 : ClusterOverview.NodeTable.NOT_READY)
                    | (source != null && source.knowsZones(node.name()) ? ClusterOverview.NodeTable.NUMA : 0);
            for (int r = 0; r < resources.size(); r++) {
                String resource = resources.get(r);
                int column = columns.columnOf(resource);
                values[r][0][row] = node.capacity().get(resource);
                values[r][1][row] = node.allocatable().get(resource);
                values[r][2][row] = column < 0 ? 0 : state.requested(column, index);
                values[r][3][row] = column < 0 ? 0 : state.reserved(column, index);
            }
        }
        List<ClusterOverview.ResourceUse> uses = new ArrayList<>(resources.size());
        for (int r = 0; r < resources.size(); r++) {
            uses.add(new ClusterOverview.ResourceUse(resources.get(r), values[r][0], values[r][1], values[r][2],
                    values[r][3]));
        }
        return new ClusterOverview.NodeTable(names, pools, pool, pods, flags, uses);
    }

    /** cpu and memory, then every extended resource some node advertises (nvidia.com/gpu, ...), sorted. */
    private static List<String> shownResources(ClusterState state, BitSet live) {
        TreeSet<String> extended = new TreeSet<>();
        for (int i = live.nextSetBit(0); i >= 0; i = live.nextSetBit(i + 1)) {
            for (String resource : state.node(i).allocatable().amounts().keySet()) {
                if (resource.contains("/")) { // extended resources are domain-qualified: nvidia.com/gpu
                    extended.add(resource);
                }
            }
        }
        List<String> out = new ArrayList<>(List.of(ResourceNames.CPU, ResourceNames.MEMORY));
        out.addAll(extended);
        return out;
    }

    /** Each listed gang with its why, waiting ones with the message their members carry. */
    private List<ClusterOverview.GroupStatus> groups(List<GroupSummary> summaries, int max) {
        List<GroupSummary> ordered = ordered(summaries);
        List<ClusterOverview.GroupStatus> out = new ArrayList<>(Math.min(max, ordered.size()));
        for (GroupSummary g : ordered.subList(0, Math.min(max, ordered.size()))) {
            out.add(new ClusterOverview.GroupStatus(g.groupId(), g.state(), g.minAvailable(), g.membersPending(),
                    g.membersBound(), g.reservationsHeld(), g.earliestExpiry(), g.waitingSince(), why(g)));
        }
        return out;
    }

    /**
     * Waiting gangs first (longest waiting first), then those holding reservations, then the placed
     * ones, each by id: what a person looks for first.
     */
    static List<GroupSummary> ordered(List<GroupSummary> summaries) {
        List<GroupSummary> ordered = new ArrayList<>(summaries);
        ordered.sort(Comparator.comparingInt((GroupSummary g) -> switch (g.state()) {
                    case WAITING -> 0;
                    case RESERVED -> 1;
                    case PLACED -> 2;
                })
                .thenComparing(g -> g.waitingSince() == null ? java.time.Instant.MAX : g.waitingSince())
                .thenComparing(GroupSummary::groupId));
        return ordered;
    }

    /** The PodScheduled message of a waiting member (they share the gang's), or null when none has one yet. */
    private String why(GroupSummary group) {
        if (group.membersPending() == 0) {
            return null;
        }
        String why = null;
        for (PodKey member : loop.pendingMemberKeys(group.groupId())) {
            String message = loop.lastUnschedulableMessage(member);
            if (message != null && (why == null || message.compareTo(why) < 0)) {
                why = message; // the same member's each time, whatever the set's order
            }
        }
        return why;
    }

    private ClusterOverview.PendingPods pending() {
        int[] counts = new int[QueuedPod.Location.values().length];
        Map<String, List<String>> byReason = new HashMap<>();
        Map<String, Integer> podsByReason = new HashMap<>();
        // Pods that failed alike carry the very same message: each distinct one is read once.
        Map<String, List<String>> reasonsOfMessage = new HashMap<>();
        loop.queue.forEachQueued((pod, location) -> {
            counts[location.ordinal()]++;
            if (location == QueuedPod.Location.IN_FLIGHT) {
                return;
            }
            String message = loop.lastUnschedulableMessage(pod.key());
            List<String> reasons = message == null ? PendingReasons.of(null, location == QueuedPod.Location.BACKOFF)
                    : reasonsOfMessage.computeIfAbsent(message, m -> PendingReasons.of(m, false));
            for (String reason : reasons) {
                podsByReason.merge(reason, 1, Integer::sum);
                List<String> examples = byReason.computeIfAbsent(reason, r -> new ArrayList<>());
                if (examples.size() < EXAMPLES) {
                    examples.add(pod.key().toString());
                }
            }
        });
        List<ClusterOverview.PendingReason> reasons = new ArrayList<>();
        new TreeMap<>(podsByReason).forEach((reason, pods) -> {
            List<String> examples = byReason.get(reason);
            examples.sort(null);
            reasons.add(new ClusterOverview.PendingReason(reason, pods, examples));
        });
        reasons.sort(Comparator.comparingInt(ClusterOverview.PendingReason::pods).reversed()
                .thenComparing(ClusterOverview.PendingReason::reason));
        int total = 0;
        for (int count : counts) {
            total += count;
        }
        return new ClusterOverview.PendingPods(total, counts[QueuedPod.Location.ACTIVE.ordinal()],
                counts[QueuedPod.Location.BACKOFF.ordinal()], counts[QueuedPod.Location.UNSCHEDULABLE.ordinal()],
                counts[QueuedPod.Location.IN_FLIGHT.ordinal()], reasons);
    }
}
