package io.kubenexus.scheduler.core.loop;

import io.kubenexus.scheduler.core.framework.FilterDiagnosis;
import io.kubenexus.scheduler.core.framework.FilterPlugin;
import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.framework.PreFilterPlugin;
import io.kubenexus.scheduler.core.framework.Status;
import io.kubenexus.scheduler.core.framework.StatusCode;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Why each node was rejected for one pod: the profile's pre-filters and filters run in bulk exactly as
 * {@link SchedulingAlgorithm} runs them, and every node a filter cleared gets that filter's reasons
 * for it alone (the filter run again on that node by itself). A per-node recording mode kept apart
 * from the decision, so a normal decision never pays for per-node strings. Reads the state, never
 * changes it.
 *
 * <p>Used only on the scheduling loop thread (the plugins hold scratch state).
 */
final class NodeVerdicts {
    /**
     * Why one node was rejected.
     *
     * @param plugin      the first filter that rejected it (or the pre-filter that rejected the pod)
     * @param reasons     that filter's reasons for this node, sorted
     * @param resolvable  whether evicting pods could make the node acceptable
     */
    record Verdict(String plugin, List<String> reasons, boolean resolvable) {
        /** kube-scheduler's per-node text: the reasons joined with ", ". */
        String reason() {
            return reasons.size() == 1 ? reasons.get(0) : String.join(", ", reasons);
        }

        Verdict unresolvable() {
            return resolvable ? new Verdict(plugin, reasons, false) : this;
        }
    }

    /**
     * @param feasible  the candidates that passed every filter
     * @param byNode    the verdict of each rejected candidate by node index, null for the others
     *                  (an array, not a map: a 5,000-node extender filter boxed and hashed every index)
     */
    record Outcome(BitSet feasible, Verdict[] byNode) {
        /** The rejected node's verdict, or null. */
        Verdict verdict(int node) {
            return node >= 0 && node < byNode.length ? byNode[node] : null;
        }

        /** The rejected nodes' verdicts by node index, in ascending order. */
        Map<Integer, Verdict> rejected() {
            Map<Integer, Verdict> out = new LinkedHashMap<>();
            for (int n = 0; n < byNode.length; n++) {
                if (byNode[n] != null) {
                    out.put(n, byNode[n]);
                }
            }
            return out;
        }
    }

    private final SchedulingProfile profile;
    private final boolean shareUniformVerdicts;
    private final FilterDiagnosis bulk = new FilterDiagnosis();
    private final FilterDiagnosis alone = new FilterDiagnosis();
    private final BitSet one = new BitSet();

    NodeVerdicts(SchedulingProfile profile) {
        this(profile, true);
    }

    /**
     * @param shareUniformVerdicts whether nodes a filter judging each node alone rejected for one
     *     and the same reason share one verdict (see {@link #uniformVerdict}); false runs the filter
     *     again on every rejected node, the plain path the shortcut is tested against
     */
    NodeVerdicts(SchedulingProfile profile, boolean shareUniformVerdicts) {
        this.profile = profile;
        this.shareUniformVerdicts = shareUniformVerdicts;
    }

    /** Judges every node of {@code candidates} (live node indices) for {@code context}'s pod. */
    Outcome judge(PodContext context, ClusterState state, BitSet candidates) {
        return judge(context, state, candidates, true);
    }

    /**
     * {@link #judge} with the filters only, for a question within a cycle whose pre-filters have run
     * (preemption): pre-filters run once per cycle.
     */
    Outcome judgeFilters(PodContext context, ClusterState state, BitSet candidates) {
        return judge(context, state, candidates, false);
    }

    private Outcome judge(PodContext context, ClusterState state, BitSet candidates, boolean preFilters) {
        BitSet feasible = (BitSet) candidates.clone();
        Verdict[] rejected = new Verdict[Math.max(0, candidates.length())];
        for (PreFilterPlugin preFilter : preFilters ? profile.preFilters() : List.<PreFilterPlugin>of()) {
            Status status = preFilter.preFilter(context, state);
            if (!status.isSuccess()) {
                Verdict verdict = new Verdict(preFilter.name(), List.of(status.reason()),
                        status.code() == StatusCode.UNSCHEDULABLE);
                for (int n = feasible.nextSetBit(0); n >= 0; n = feasible.nextSetBit(n + 1)) {
                    rejected[n] = verdict;
                }
                feasible.clear();
                return new Outcome(feasible, rejected);
            }
        }
        bulk.reset();
        for (FilterPlugin filter : profile.filters()) {
            if (feasible.isEmpty()) {
                break;
            }
            BitSet before = (BitSet) feasible.clone();
            bulk.reset();
            filter.filter(context, state, feasible, bulk);
            before.andNot(feasible);
            List<String> bulkReasons = sortedReasons(bulk);
            Verdict shared = shareUniformVerdicts ? uniformVerdict(filter, bulkReasons, before.cardinality()) : null;
            Verdict sharedUnresolvable = null;
            for (int n = before.nextSetBit(0); n >= 0; n = before.nextSetBit(n + 1)) {
                Verdict verdict = shared != null ? shared : verdictAlone(filter, context, state, n, bulkReasons);
                if (verdict.resolvable() && filter.exceedsEmptyNode(context, state, n)) {
                    // No eviction makes room on a node smaller than the request (kube-scheduler: unresolvable).
                    if (verdict == shared) {
                        sharedUnresolvable = sharedUnresolvable == null ? shared.unresolvable() : sharedUnresolvable;
                        verdict = sharedUnresolvable;
                    } else {
                        verdict = verdict.unresolvable();
                    }
                }
                rejected[n] = verdict;
            }
        }
        return new Outcome(feasible, rejected);
    }

    /**
     * The verdict every rejected node would get alone, when that needs no run per node: the filter
     * judges each node by itself and recorded one reason, exactly once per rejected node, so each
     * node's own run would record that reason and nothing else. Null otherwise. (A 5,000-node
     * extender filter of a GPU pod otherwise runs NodeAffinity again on each of 4,000 CPU nodes.)
     */
    private Verdict uniformVerdict(FilterPlugin filter, List<String> bulkReasons, int rejectedCount) {
        if (!filter.judgesEachNodeAlone() || bulkReasons.size() != 1
                || bulk.reasonHistogram().get(bulkReasons.get(0)) != rejectedCount) {
            return null;
        }
        return verdict(filter, bulkReasons);
    }

    private Verdict verdictAlone(FilterPlugin filter, PodContext context, ClusterState state, int node,
                                 List<String> bulkReasons) {
        one.clear();
        one.set(node);
        alone.reset();
        filter.filter(context, state, one, alone);
        // A filter that looks across nodes may accept the node on its own: its bulk reasons stand.
        List<String> reasons = one.isEmpty() ? sortedReasons(alone) : bulkReasons;
        if (reasons.isEmpty()) {
            reasons = List.of(filter.name() + " rejected the node");
        }
        return verdict(filter, reasons);
    }

    private static Verdict verdict(FilterPlugin filter, List<String> reasons) {
        boolean resolvable = true;
        for (String reason : reasons) {
            resolvable &= filter.evictionMayResolve(reason);
        }
        return new Verdict(filter.name(), reasons, resolvable);
    }

    private static List<String> sortedReasons(FilterDiagnosis diagnosis) {
        List<String> reasons = new ArrayList<>(diagnosis.reasonHistogram().keySet());
        Collections.sort(reasons);
        return List.copyOf(reasons);
    }
}
