package io.kubenexus.scheduler.gang;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.config.ScoringStrategy;
import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.gang.group.GroupPlan;
import io.kubenexus.scheduler.gang.group.GroupPlanner;
import io.kubenexus.scheduler.core.loop.Decision;
import io.kubenexus.scheduler.core.loop.SchedulingAlgorithm;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.Quantities;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Plans a gang against one snapshot, all-or-nothing:
 * <ol>
 *   <li>fewer members than min-available exist: wait, holding nothing;</li>
 *   <li>the members together need more of some resource than the whole cluster has free: reject in
 *       O(resources), before any per-node work;</li>
 *   <li>otherwise place members largest first, each assumed before the next is placed so they never
 *       count the same capacity twice (copies of one template decided together, with the same
 *       result, see {@link SchedulingAlgorithm#scheduleCopies}). If fewer than min-available fit,
 *       every assumption is undone.
 *       Members beyond min-available that do not fit are left pending; the gang proceeds.</li>
 * </ol>
 */
public final class GangPlanner implements GroupPlanner {
    /** Largest first: big members are the hardest to place, so they choose first. */
    public static final Comparator<PodInfo> LARGEST_FIRST = Comparator
            .comparingLong((PodInfo p) -> -p.requests().get(ResourceNames.NVIDIA_GPU))
            .thenComparingLong(p -> -p.requests().get(ResourceNames.CPU))
            .thenComparingLong(p -> -p.requests().get(ResourceNames.MEMORY))
            .thenComparing(PodInfo::key);

    private static final Set<ClusterEventType> CAPACITY_EVENTS = EnumSet.of(ClusterEventType.NODE_ADDED,
            ClusterEventType.NODE_ALLOCATABLE_CHANGED, ClusterEventType.ASSIGNED_POD_REMOVED);

    /** Places members with the loop's own algorithm (its scoring as configured). */
    public GangPlanner() {
        this(null);
    }

    private GangPlanner(SchedulingAlgorithm packing) {
        this.packing = packing;
    }

    /** Places members with MostAllocated scoring over the configured resource weights and plugins. */
    public static GangPlanner packing(SchedulerSettings settings) {
        return packing(settings, SchedulingProfile::defaults);
    }

    /**
     * Like {@link #packing(SchedulerSettings)} with the loop's own plugins beyond the defaults (e.g.
     * NUMA alignment), so every member of a plan passes the same filters a lone pod would.
     */
    public static GangPlanner packing(SchedulerSettings settings, SchedulingProfile.Factory profiles) {
        SchedulerSettings packed = settings.withScoring(ScoringStrategy.MOST_ALLOCATED, settings.resourceWeights());
        return new GangPlanner(new SchedulingAlgorithm(profiles.create(packed), packed.percentageOfNodesToScore()));
    }

    private final SchedulingAlgorithm packing;

    @Override
    public GroupPlan plan(String groupId, int minMembers, List<PodInfo> pending, int boundMembers, ClusterState state,
                          SchedulingAlgorithm loopAlgorithm) {
        return plan(groupId, minMembers, pending, boundMembers, null, state, loopAlgorithm);
    }

    @Override
    public GroupPlan plan(String groupId, int minMembers, List<PodInfo> pending, int boundMembers,
                          ResourceList pendingDemand, ClusterState state, SchedulingAlgorithm loopAlgorithm) {
        SchedulingAlgorithm algorithm = packing != null ? packing : loopAlgorithm;
        int present = pending.size() + boundMembers;
        if (present < minMembers) {
            return new GroupPlan.Waiting("gang " + groupId + ": " + present + "/" + minMembers
                    + " members present, waiting for the rest before placing any", Set.of());
        }
        int needed = Math.max(0, minMembers - boundMembers);
        ResourceList demand = pendingDemand != null ? pendingDemand : demand(pending);
        String shortage = needed == pending.size() ? shortage(demand, state) : null;
        if (shortage != null) {
            return new GroupPlan.Waiting("gang " + groupId + ": " + pending.size() + " members need " + demand
                    + "; the whole cluster has " + shortage, CAPACITY_EVENTS);
        }
        List<PodInfo> ordered = new ArrayList<>(pending);
        ordered.sort(LARGEST_FIRST);
        Map<PodKey, String> placed = new LinkedHashMap<>();
        Decision.Unschedulable firstMiss = null;
        PodInfo firstMissed = null;
        // Runs of copies (executors of one template) are decided together: the algorithm filters and
        // scores every node once per run and then only the node the last copy took.
        for (int start = 0; start < ordered.size(); ) {
            int end = start + 1;
            while (end < ordered.size() && ordered.get(end).schedulesLike(ordered.get(start))) {
                end++;
            }
            List<PodInfo> copies = ordered.subList(start, end);
            List<Decision> decisions = algorithm.scheduleCopies(copies, state, (member, onNode) -> {
                state.assume(member.withNodeName(onNode.nodeName()));
                placed.put(member.key(), onNode.nodeName());
            });
            for (int i = 0; i < decisions.size() && firstMiss == null; i++) {
                if (decisions.get(i) instanceof Decision.Unschedulable miss) {
                    firstMiss = miss;
                    firstMissed = copies.get(i);
                }
            }
            start = end;
        }
        if (placed.size() >= needed && !placed.isEmpty()) {
            return new GroupPlan.Placed(placed);
        }
        placed.keySet().forEach(state::forget);
        String why = firstMiss == null ? "" : "; " + firstMissed.key().name() + ": " + firstMiss.message();
        String summary = needed == 0
                ? "min-available is reached; " + pending.size() + " more member(s) need " + demand
                : pending.size() + " members need " + demand + "; the best plan fits " + placed.size() + " of " + needed;
        return new GroupPlan.Waiting("gang " + groupId + ": " + summary + why,
                firstMiss == null ? CAPACITY_EVENTS : union(firstMiss.helpfulEvents(), CAPACITY_EVENTS));
    }

    /**
     * The members' summed requests. Gangs are mostly many copies of one or two sizes (executors,
     * workers), so members are counted per distinct size first: summing 100 identical executors costs
     * one multiplication per resource, not 100 map copies.
     */
    private static ResourceList demand(List<PodInfo> members) {
        Map<ResourceList, int[]> countBySize = new HashMap<>();
        ResourceList previous = null;
        int[] previousCount = null;
        for (PodInfo member : members) {
            ResourceList size = member.requests();
            if (size == previous) { // copies share their request list (the translator shares it)
                previousCount[0]++;
                continue;
            }
            previous = size;
            previousCount = countBySize.computeIfAbsent(size, any -> new int[1]);
            previousCount[0]++;
        }
        Map<String, Long> sum = new TreeMap<>();
        countBySize.forEach((size, count) -> {
            for (int r = 0; r < size.size(); r++) {
                sum.merge(size.name(r), size.amount(r) * count[0], Long::sum);
            }
        });
        return ResourceList.of(sum);
    }

    /** "only cpu=3 free" for the first resource the cluster cannot cover in total, or null. */
    private static String shortage(ResourceList demand, ClusterState state) {
        for (Map.Entry<String, Long> entry : demand.amounts().entrySet()) {
            int column = state.columns().columnOf(entry.getKey());
            long free = column < 0 ? 0 : state.freeCapacity(column);
            if (free < entry.getValue()) {
                return "only " + entry.getKey() + "=" + Quantities.format(entry.getKey(), free) + " free";
            }
        }
        return null;
    }

    private static Set<ClusterEventType> union(Set<ClusterEventType> a, Set<ClusterEventType> b) {
        EnumSet<ClusterEventType> all = EnumSet.noneOf(ClusterEventType.class);
        all.addAll(a);
        all.addAll(b);
        return all;
    }
}
