package io.kubenexus.scheduler.core.preemption;

import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.PreemptionPolicy;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses victims with kube-scheduler's semantics (DefaultPreemption: SelectVictimsOnNode and
 * pickOneNodeForPreemption), extended to groups: a victim brings everything
 * {@link VictimGroups#mustGoWith} names (its whole gang) and such a group counts as one victim.
 *
 * <ul>
 *   <li>Candidates are the nodes that reject the preemptor only for reasons eviction may resolve.</li>
 *   <li>Victims have strictly lower priority than the preemptor, every member of their group too;
 *       stand-ins never go alone, only with their group.</li>
 *   <li>Per node: every candidate victim is taken off and the preemptor must then pass the real
 *       filters; victims are then reprieved from the most important down (those a
 *       PodDisruptionBudget protects first) while the preemptor still fits.</li>
 *   <li>The node: fewest budget violations, then lowest highest victim priority, then least sum of
 *       priorities, then fewest victims, then the latest start among the highest-priority victims.</li>
 *   <li>Several preemptors (a gang's members) are placed one by one on the state with the victims
 *       chosen so far taken off, so the plan holds for all of them together.</li>
 * </ul>
 * Pods already terminating are never chosen; their room is counted as free, and when it alone would
 * do the outcome is {@link PreemptionOutcome.Waiting}.
 *
 * <p>Pure: it asks the filters and edits the live state only for the question, restoring it exactly
 * before returning. Used only on the scheduling loop thread.
 */
public final class PreemptionEngine {
    /** kube-scheduler adds MaxInt32 + 1 to each priority so that sums of negative priorities still rank. */
    private static final long PRIORITY_OFFSET = (long) Integer.MAX_VALUE + 1;
    static final int MIN_CANDIDATES = 100;
    static final int MIN_CANDIDATES_PERCENT = 10;

    private final PreemptionFilters filters;
    private final VictimGroups groups;

    public PreemptionEngine(PreemptionFilters filters, VictimGroups groups) {
        this.filters = filters;
        this.groups = groups;
    }

    /**
     * A group of pods that go together: one victim, or a whole gang (its stand-ins included).
     *
     * @param members  the accounted pods that go (stand-ins included)
     * @param priority the highest priority among its real pods
     * @param start    the earliest start among its real pods of that priority (creation when not started)
     */
    record VictimUnit(List<PodInfo> members, int priority, Instant start) {
        List<PodInfo> realPods() {
            return members.stream().filter(pod -> !pod.isStandIn()).toList();
        }

        boolean isGang() {
            return members.size() > 1;
        }
    }

    /** One node's answer: the victims that must go there, and how many of their pods a budget protects. */
    record NodeCandidate(int node, String nodeName, List<VictimUnit> victims, int budgetViolations) {
        int highestPriority() {
            int highest = Integer.MIN_VALUE;
            for (VictimUnit unit : victims) {
                highest = Math.max(highest, unit.priority());
            }
            return highest;
        }

        long prioritySum() {
            long sum = 0;
            for (VictimUnit unit : victims) {
                sum += unit.priority() + PRIORITY_OFFSET;
            }
            return sum;
        }

        /** The earliest start among the highest-priority victims. */
        Instant earliestStartOfHighest() {
            int highest = highestPriority();
            Instant earliest = null;
            for (VictimUnit unit : victims) {
                if (unit.priority() == highest && (earliest == null || unit.start().isBefore(earliest))) {
                    earliest = unit.start();
                }
            }
            return earliest == null ? Instant.MAX : earliest;
        }

        List<PodInfo> realPods() {
            List<PodInfo> out = new ArrayList<>();
            victims.forEach(unit -> out.addAll(unit.realPods()));
            return out;
        }
    }

    /** kube-scheduler's MoreImportantPod, for groups: higher priority first, then the one that started earlier. */
    static final Comparator<VictimUnit> MORE_IMPORTANT_FIRST = Comparator.comparingInt(VictimUnit::priority).reversed()
            .thenComparing(VictimUnit::start);

    /** pickOneNodeForPreemption's order: the better candidate sorts first; ties keep node order. */
    static final Comparator<NodeCandidate> BETTER_FIRST = Comparator.comparingInt(NodeCandidate::budgetViolations)
            .thenComparingInt(NodeCandidate::highestPriority)
            .thenComparingLong(NodeCandidate::prioritySum)
            .thenComparingInt(candidate -> candidate.victims().size())
            .thenComparing(NodeCandidate::earliestStartOfHighest, Comparator.reverseOrder());

    /**
     * Plans room for {@code preemptors} (one pod, or members of a group placed together, larger
     * first is the caller's choice of order), within the cycle that found no place for them: their
     * pre-filters have passed and are not run again. The state is as it was when this returns.
     */
    public PreemptionOutcome plan(List<PodInfo> preemptors, ClusterState state) {
        if (preemptors.isEmpty()) {
            return new PreemptionOutcome.Refused("nothing to make room for", true);
        }
        for (PodInfo preemptor : preemptors) {
            if (preemptor.preemptionPolicy() == PreemptionPolicy.NEVER) {
                return new PreemptionOutcome.Refused("not eligible due to preemptionPolicy=Never", true);
            }
        }
        try (StateEdits edits = new StateEdits(state)) {
            String waitingFor = roomBeingFreed(preemptors, state, edits);
            if (waitingFor != null) {
                return new PreemptionOutcome.Waiting(waitingFor);
            }
            return choose(preemptors, state, edits);
        }
    }

    /**
     * The victims the engine would choose for {@code preemptor} on {@code nodeName} alone (the
     * extender's preempt verb, a cycle of its own: the pre-filters run once here), whole groups
     * included; empty when our rules refuse the node.
     */
    public Optional<VictimsOnNode> victimsOn(PodInfo preemptor, String nodeName, ClusterState state) {
        int node = nodeName == null ? -1 : state.nodeIndex(nodeName);
        if (preemptor.preemptionPolicy() == PreemptionPolicy.NEVER || node < 0 || !state.liveNodes().get(node)) {
            return Optional.empty();
        }
        try (StateEdits edits = new StateEdits(state)) {
            if (!filters.passesPreFilters(preemptor, state) || !filters.resolvableByEviction(preemptor, state).get(node)) {
                return Optional.empty();
            }
            NodeCandidate candidate = victimsOnNode(preemptor, node, state, edits, Set.of(preemptor.key()));
            return candidate == null ? Optional.empty()
                    : Optional.of(new VictimsOnNode(candidate.realPods(), candidate.budgetViolations()));
        }
    }

    private PreemptionOutcome choose(List<PodInfo> preemptors, ClusterState state, StateEdits edits) {
        Set<PodKey> preemptorKeys = new HashSet<>();
        preemptors.forEach(pod -> preemptorKeys.add(pod.key()));
        Map<PodKey, String> nominated = new LinkedHashMap<>();
        List<PodInfo> victims = new ArrayList<>();
        int violations = 0;
        BitSet chosenNodes = new BitSet();
        for (PodInfo preemptor : preemptors) {
            BitSet feasible = filters.feasible(preemptor, state, state.liveNodes());
            if (!feasible.isEmpty()) {
                // Room made for an earlier member (or free already) takes this one without more victims.
                int node = preferred(feasible, chosenNodes);
                place(preemptor, node, state, edits, nominated, chosenNodes);
                continue;
            }
            NodeCandidate best = null;
            BitSet candidates = filters.resolvableByEviction(preemptor, state);
            int wanted = candidatesWanted(state.nodeCount());
            int found = 0;
            for (int node = candidates.nextSetBit(0); node >= 0 && found < wanted; node = candidates.nextSetBit(node + 1)) {
                NodeCandidate candidate = victimsOnNode(preemptor, node, state, edits, preemptorKeys);
                if (candidate != null) {
                    found++;
                    if (best == null || BETTER_FIRST.compare(candidate, best) < 0) {
                        best = candidate;
                    }
                }
            }
            if (best == null) {
                return new PreemptionOutcome.Refused(state.nodeCount() + " nodes: no preemption victims found for "
                        + (preemptors.size() == 1 ? "incoming pod" : "pod " + preemptor.key() + " of the "
                        + preemptors.size() + " placed together"), false);
            }
            for (VictimUnit unit : best.victims()) {
                unit.members().forEach(edits::takeOff);
                victims.addAll(unit.realPods());
            }
            violations += best.budgetViolations();
            place(preemptor, best.node(), state, edits, nominated, chosenNodes);
        }
        return new PreemptionOutcome.Planned(new PreemptionPlan(nominated, victims, violations));
    }

    /**
     * How many nodes with victims are compared before choosing, as kube-scheduler's DefaultPreemption
     * does (minCandidateNodesPercentage 10, minCandidateNodesAbsolute 100): a large cluster is not
     * searched to the end for a marginally better node. Nodes are tried in index order (kube-scheduler
     * starts at a random offset; ours stays deterministic).
     */
    static int candidatesWanted(int nodeCount) {
        return Math.max(MIN_CANDIDATES, nodeCount * MIN_CANDIDATES_PERCENT / 100);
    }

    private static void place(PodInfo preemptor, int node, ClusterState state, StateEdits edits,
                              Map<PodKey, String> nominated, BitSet chosenNodes) {
        String name = state.node(node).name();
        edits.place(preemptor, name);
        nominated.put(preemptor.key(), name);
        chosenNodes.set(node);
    }

    /** A feasible node already chosen for an earlier preemptor (keeps a group together), else the first. */
    private static int preferred(BitSet feasible, BitSet chosenNodes) {
        BitSet both = (BitSet) feasible.clone();
        both.and(chosenNodes);
        return both.isEmpty() ? feasible.nextSetBit(0) : both.nextSetBit(0);
    }

    /**
     * Whether the preemptors would all fit once the lower-priority pods already terminating on the
     * nodes where eviction may help have gone: then the room is on its way and nothing more goes.
     * Returns the reason to wait, or null. Leaves its edits for the caller to roll back.
     */
    private String roomBeingFreed(List<PodInfo> preemptors, ClusterState state, StateEdits edits) {
        int mark = edits.mark();
        int lowest = Integer.MAX_VALUE;
        for (PodInfo preemptor : preemptors) {
            lowest = Math.min(lowest, preemptor.priority());
        }
        Set<String> nodesFreeing = new LinkedHashSet<>();
        List<PodInfo> leavingPods = new ArrayList<>();
        BitSet candidates = filters.resolvableByEviction(preemptors.get(0), state);
        for (int node = candidates.nextSetBit(0); node >= 0; node = candidates.nextSetBit(node + 1)) {
            String name = state.node(node).name();
            // Every pod of every candidate is looked at: no copy, no sort, only the terminating are kept.
            for (PodKey key : state.podsOnNode(name)) {
                PodInfo pod = state.accountedPod(key);
                if (pod != null && pod.terminating() && !pod.isStandIn() && pod.priority() < lowest) {
                    leavingPods.add(pod);
                    nodesFreeing.add(name);
                }
            }
        }
        int leaving = leavingPods.size();
        leavingPods.forEach(edits::takeOff);
        if (leaving == 0) {
            return null;
        }
        for (PodInfo preemptor : preemptors) {
            BitSet feasible = filters.feasible(preemptor, state, state.liveNodes());
            if (feasible.isEmpty()) {
                edits.rollbackTo(mark);
                return null;
            }
            edits.place(preemptor, state.node(feasible.nextSetBit(0)).name());
        }
        edits.rollbackTo(mark);
        return "waiting for " + leaving + " terminating pod(s) on node(s) " + String.join(", ", nodesFreeing)
                + " to leave";
    }

    /**
     * SelectVictimsOnNode: the fewest, least important victims on {@code node} that let
     * {@code preemptor} pass the filters there, or null when none do. The state is as it was after.
     */
    private NodeCandidate victimsOnNode(PodInfo preemptor, int node, ClusterState state, StateEdits edits,
                                        Set<PodKey> preemptorKeys) {
        String name = state.node(node).name();
        int mark = edits.mark();
        try {
            List<PodInfo> onNode = accountedOn(name, state);
            for (PodInfo pod : onNode) {
                if (pod.terminating() && !pod.isStandIn() && pod.priority() < preemptor.priority()) {
                    edits.takeOff(pod); // leaving anyway: its room counts as free, it is no victim
                }
            }
            List<VictimUnit> units = victimUnits(preemptor, onNode, state, preemptorKeys);
            if (units.isEmpty()) {
                return null;
            }
            units.sort(MORE_IMPORTANT_FIRST);
            Set<PodInfo> protectedPods = budgetProtected(units, state); // counted while they still run
            units.forEach(unit -> unit.members().forEach(edits::takeOff));
            if (!fits(preemptor, node, state)) {
                return null;
            }
            List<VictimUnit> violating = new ArrayList<>();
            List<VictimUnit> others = new ArrayList<>();
            for (VictimUnit unit : units) {
                (unit.realPods().stream().anyMatch(protectedPods::contains) ? violating : others).add(unit);
            }
            List<VictimUnit> victims = new ArrayList<>();
            int violations = 0;
            for (List<VictimUnit> part : List.of(violating, others)) {
                for (VictimUnit unit : part) {
                    unit.members().forEach(edits::putBack);
                    if (fits(preemptor, node, state)) {
                        continue; // reprieved
                    }
                    unit.members().forEach(edits::takeOff);
                    victims.add(unit);
                    if (part == violating) {
                        violations += (int) unit.realPods().stream().filter(protectedPods::contains).count();
                    }
                }
            }
            NodeCandidate candidate = new NodeCandidate(node, name, victims, violations);
            return groups.mayEvict(candidate.realPods()) ? candidate : null;
        } finally {
            edits.rollbackTo(mark);
        }
    }

    /**
     * The groups that may go for {@code preemptor} among the pods on a node: each non-terminating pod
     * with everything that must go with it, when every real pod of it has a lower priority than the
     * preemptor and none of it is a preemptor. A group of stand-ins alone is no victim.
     */
    private List<VictimUnit> victimUnits(PodInfo preemptor, List<PodInfo> onNode, ClusterState state,
                                         Set<PodKey> preemptorKeys) {
        List<VictimUnit> units = new ArrayList<>();
        Set<PodKey> covered = new HashSet<>();
        for (PodInfo seed : onNode) {
            if (covered.contains(seed.key()) || seed.terminating()
                    || !seed.isStandIn() && seed.priority() >= preemptor.priority()) {
                continue;
            }
            Map<PodKey, PodInfo> members = new LinkedHashMap<>();
            members.put(seed.key(), seed);
            for (PodInfo other : groups.mustGoWith(seed)) {
                PodInfo accounted = state.accountedPod(other.key());
                if (accounted != null) {
                    members.putIfAbsent(accounted.key(), accounted);
                }
            }
            VictimUnit unit = unitOf(List.copyOf(members.values()), preemptor, preemptorKeys);
            if (unit != null) {
                units.add(unit);
                covered.addAll(members.keySet());
            }
        }
        return units;
    }

    private static VictimUnit unitOf(List<PodInfo> members, PodInfo preemptor, Set<PodKey> preemptorKeys) {
        int priority = Integer.MIN_VALUE;
        boolean anyReal = false;
        for (PodInfo member : members) {
            if (preemptorKeys.contains(member.key())) {
                return null;
            }
            if (!member.isStandIn()) {
                if (member.priority() >= preemptor.priority()) {
                    return null;
                }
                anyReal = true;
                priority = Math.max(priority, member.priority());
            }
        }
        if (!anyReal) {
            return null;
        }
        Instant start = null;
        for (PodInfo member : members) {
            if (!member.isStandIn() && member.priority() == priority) {
                Instant started = member.startedAt() != null ? member.startedAt() : member.createdAt();
                start = start == null || started.isBefore(start) ? started : start;
            }
        }
        return new VictimUnit(members, priority, start);
    }

    /** The real pods of {@code units} (most important first) whose eviction a budget does not allow. */
    private static Set<PodInfo> budgetProtected(List<VictimUnit> units, ClusterState state) {
        DisruptionBudgets budgets = state.extension(DisruptionBudgets.class);
        if (budgets == null || budgets.size() == 0) {
            return Set.of();
        }
        List<PodInfo> pods = new ArrayList<>();
        units.forEach(unit -> pods.addAll(unit.realPods()));
        return budgets.violating(pods, state);
    }

    private boolean fits(PodInfo preemptor, int node, ClusterState state) {
        BitSet one = new BitSet();
        one.set(node);
        return filters.feasible(preemptor, state, one).get(node);
    }

    /** The pods accounted on a node, in key order so answers do not depend on hash order. */
    private static List<PodInfo> accountedOn(String nodeName, ClusterState state) {
        List<PodKey> keys = new ArrayList<>(state.podsOnNode(nodeName));
        keys.sort(null);
        List<PodInfo> pods = new ArrayList<>(keys.size());
        for (PodKey key : keys) {
            PodInfo pod = state.accountedPod(key);
            if (pod != null) {
                pods.add(pod);
            }
        }
        return pods;
    }
}
