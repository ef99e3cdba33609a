package io.kubenexus.scheduler.core.query;

import io.kubenexus.scheduler.core.state.NodeZoneUsage;
import java.time.Instant;
import java.util.List;

/**
 * One snapshot of the cluster as the scheduling loop sees it, for the cluster page: computed on the
 * loop thread in one pass, so nodes, gangs and pending pods agree with each other. Read-only; names
 * only what {@code kubectl get} would show anyone allowed to read pods and nodes.
 *
 * @param at        when it was taken (the loop's clock)
 * @param nodes     every node, grouped by pool
 * @param groups    gangs: waiting ones first (longest waiting first), then those holding reservations,
 *                  then placed ones, each by id; at most {@link OverviewRequest#maxGroups()}
 * @param groupCount how many gangs the loop knows, listed or not
 * @param pending   the scheduler's own pending pods grouped by why they wait
 * @param zones     the NUMA zones of {@link OverviewRequest#zonesOfNode()}, or null when that node's
 *                  topology is unknown (or none was asked for)
 */
public record ClusterOverview(Instant at, NodeTable nodes, List<GroupStatus> groups, int groupCount,
                             PendingPods pending, NodeZoneUsage zones) {
    public ClusterOverview {
        groups = List.copyOf(groups);
    }

    /**
     * The nodes as columns, index {@code i} of every array being {@code names.get(i)}, sorted by pool
     * then name: a compact shape for thousands of nodes (no object per node).
     *
     * @param names     node names
     * @param pools     the distinct pools, sorted; {@code "none"} holds nodes without the pool label,
     *                  {@code ""} every node when there is no pool label
     * @param pool      each node's index into {@code pools}
     * @param pods      pods charged to each node (assumed ones and reservation places included)
     * @param flags     bits per node: {@link #CORDONED}, {@link #NOT_READY}, {@link #NUMA}
     * @param resources per resource shown: cpu, memory, then the extended resources some node has
     */
    public record NodeTable(List<String> names, List<String> pools, int[] pool, int[] pods, int[] flags,
                            List<ResourceUse> resources) {
        public static final int CORDONED = 1;
        public static final int NOT_READY = 2;
        public static final int NUMA = 4;

        public NodeTable {
            names = List.copyOf(names);
            pools = List.copyOf(pools);
            resources = List.copyOf(resources);
        }
    }

    /**
     * One resource over every node of the {@link NodeTable}, in the scheduler's units (cpu in
     * millicores, memory in bytes, devices as counts).
     *
     * @param requested what pods use, assumed pods and reservation places included
     * @param reserved  the part of {@code requested} held for executors not created yet
     */
    public record ResourceUse(String resource, long[] capacity, long[] allocatable, long[] requested,
                              long[] reserved) {
    }

    /**
     * A gang and, when it waits, why: the message its members' PodScheduled condition carries (what
     * {@code /debug/explain} shows as {@code lastUnschedulableMessage}).
     */
    public record GroupStatus(String groupId, GroupState state, int minAvailable, int membersPending,
                              int membersBound, int reservationsHeld, Instant earliestExpiry, Instant waitingSince,
                              String why) {
    }

    /**
     * The scheduler's own pods in its queue.
     *
     * @param total         pods queued (in flight included)
     * @param active        waiting for their next attempt
     * @param backoff       waiting out a backoff
     * @param unschedulable waiting for a cluster change that may help
     * @param inFlight      being placed or bound now
     * @param reasons       why they wait, most pods first (a pod counts under each reason of its message)
     */
    public record PendingPods(int total, int active, int backoff, int unschedulable, int inFlight,
                              List<PendingReason> reasons) {
        public PendingPods {
            reasons = List.copyOf(reasons);
        }
    }

    /**
     * @param reason   one reason, as in kube-scheduler's message ({@code Insufficient cpu},
     *                 {@code node(s) had untolerated taint {gpu: true}}, {@code gang waiting for its members})
     * @param pods     pending pods with this reason
     * @param examples a few of them, {@code namespace/name}
     */
    public record PendingReason(String reason, int pods, List<String> examples) {
        public PendingReason {
            examples = List.copyOf(examples);
        }
    }
}
