package io.kubenexus.scheduler.core.loop;

import io.kubenexus.scheduler.core.framework.PostFilterPlugin;
import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.query.NodeFilterResult;
import io.kubenexus.scheduler.core.query.NodeScores;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The extender's read-only verbs (filter, prioritize, preempt), answered on the loop thread against
 * the live state with the loop's own plugins, so kube-scheduler hears what a decision of ours would
 * say. Every verb leaves the state as it found it: what it takes away for the question (an
 * places held for the pod, a preemption's victims) is put back before it returns.
 *
 * <p>Used only on the scheduling loop thread.
 */
final class ExtenderDecisions {
    private final SchedulingLoop loop;
    private final NodeVerdicts verdicts;
    /**
     * The last names resolved, by identity, with the node set they were resolved against:
     * kube-scheduler sends the same NodeNames to filter and prioritize, and the decoder hands the
     * same immutable list for identical bytes, so a repeated question skips 5,000 hash lookups.
     */
    private List<String> resolvedNames;
    private long resolvedNodeSet = -1;
    private int[] resolvedIndices;

    ExtenderDecisions(SchedulingLoop loop, NodeVerdicts verdicts) {
        this.loop = loop;
        this.verdicts = verdicts;
    }

    /** See {@link SchedulingLoop#filter}. */
    NodeFilterResult filter(PodInfo pod, List<String> nodeNames) {
        return withOwnPlacesFree(pod, () -> {
            ClusterState state = loop.state;
            int[] indices = liveIndices(nodeNames);
            NodeVerdicts.Outcome outcome = verdicts.judge(state.podContext(pod), state, known(indices));
            List<String> feasible = new ArrayList<>();
            Map<String, String> failed = new LinkedHashMap<>();
            Map<String, String> unresolvable = new LinkedHashMap<>();
            BitSet answered = new BitSet(); // a name given twice is answered once, where it came first
            for (int i = 0; i < indices.length; i++) {
                String name = nodeNames.get(i);
                int index = indices[i];
                if (index < 0) {
                    failed.putIfAbsent(name, NodeFilterResult.UNKNOWN_NODE);
                } else if (answered.get(index)) {
                    continue;
                } else if (outcome.feasible().get(index)) {
                    answered.set(index);
                    feasible.add(name);
                } else {
                    answered.set(index);
                    NodeVerdicts.Verdict verdict = outcome.verdict(index);
                    (verdict.resolvable() ? failed : unresolvable).put(name, verdict.reason());
                }
            }
            return new NodeFilterResult(feasible, failed, unresolvable);
        });
    }

    /** See {@link SchedulingLoop#prioritize} and {@link NodeScores} for the mapping. */
    NodeScores prioritize(PodInfo pod, List<String> nodeNames) {
        return withOwnPlacesFree(pod, () -> {
            ClusterState state = loop.state;
            PodContext context = state.podContext(pod);
            int[] indices = liveIndices(nodeNames);
            BitSet feasible = verdicts.judge(context, state, known(indices)).feasible();
            int[] nodes = feasible.stream().toArray();
            long[] totals = loop.algorithm.scoreTotals(context, state, nodes, nodes.length);
            long best = 0;
            for (long total : totals) {
                best = Math.max(best, total);
            }
            int[] byIndex = new int[nodes.length == 0 ? 0 : nodes[nodes.length - 1] + 1];
            for (int i = 0; i < nodes.length; i++) {
                byIndex[nodes[i]] = scale(totals[i], best);
            }
            Map<String, Integer> scores = new LinkedHashMap<>();
            for (int i = 0; i < indices.length; i++) {
                int index = indices[i];
                scores.put(nodeNames.get(i), index >= 0 && index < byIndex.length ? byIndex[index] : 0);
            }
            return new NodeScores(scores);
        });
    }

    /** {@code round_half_up(10 * total / best)}, within 0..10; 0 when every total is 0. */
    static int scale(long total, long best) {
        if (best <= 0 || total <= 0) {
            return 0;
        }
        long scaled = (2L * NodeScores.MAX_SCORE * total + best) / (2 * best);
        return (int) Math.min(NodeScores.MAX_SCORE, scaled);
    }

    /** See {@link SchedulingLoop#acceptVictims}. */
    Map<String, List<PodKey>> acceptVictims(PodInfo pod, Map<String, List<PodKey>> victimsByNode) {
        return withOwnPlacesFree(pod, () -> {
            Map<String, List<PodKey>> accepted = new LinkedHashMap<>();
            victimsByNode.forEach((node, victims) -> {
                if (liveIndex(node) >= 0 && mayEvict(victims) && fitsWithout(pod, node, victims)) {
                    accepted.put(node, List.copyOf(victims));
                }
            });
            return accepted;
        });
    }

    /**
     * {@link #acceptVictims} for victims named by UID, as kube-scheduler's MetaVictims name them: each
     * is looked up among the pods charged to its node. A node with a victim the state does not have
     * there is dropped, since whether its eviction would help cannot be told.
     */
    Map<String, List<String>> acceptVictimUids(PodInfo pod, Map<String, List<String>> uidsByNode) {
        Map<String, List<PodKey>> byKey = new LinkedHashMap<>();
        uidsByNode.forEach((node, uids) -> {
            List<PodKey> keys = new ArrayList<>(uids.size());
            for (String uid : uids) {
                PodKey key = podWithUid(node, uid);
                if (key == null) {
                    return;
                }
                keys.add(key);
            }
            byKey.put(node, keys);
        });
        Map<String, List<String>> accepted = new LinkedHashMap<>();
        acceptVictims(pod, byKey).keySet().forEach(node -> accepted.put(node, List.copyOf(uidsByNode.get(node))));
        return accepted;
    }

    private PodKey podWithUid(String node, String uid) {
        for (PodKey key : loop.state.podsOnNode(node)) {
            PodInfo charged = loop.state.accountedPod(key);
            if (charged != null && uid.equals(charged.uid())) {
                return key;
            }
        }
        return null;
    }

    /** Whether every {@link PostFilterPlugin} allows evicting all of {@code victims} (e.g. no gang left partial). */
    private boolean mayEvict(List<PodKey> victims) {
        List<PodInfo> pods = new ArrayList<>(victims.size());
        for (PodKey key : victims) {
            PodInfo victim = loop.state.accountedPod(key);
            if (victim != null) {
                pods.add(victim);
            }
        }
        for (PostFilterPlugin plugin : loop.plugins.postFilter) {
            if (!plugin.mayEvict(pods)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the pod passes the filters on {@code node} with the victims gone (put back after). */
    private boolean fitsWithout(PodInfo pod, String node, List<PodKey> victims) {
        ClusterState state = loop.state;
        List<PodInfo> removed = new ArrayList<>();
        Set<PodKey> wereAssumed = new java.util.HashSet<>();
        try {
            for (PodKey key : victims) {
                PodInfo victim = state.accountedPod(key);
                if (victim != null) {
                    if (state.isAssumed(key)) {
                        wereAssumed.add(key);
                    }
                    removed.add(victim);
                    state.removePod(key);
                }
            }
            BitSet only = new BitSet();
            only.set(liveIndex(node));
            return verdicts.judge(state.podContext(pod), state, only).feasible().get(liveIndex(node));
        } finally {
            for (PodInfo victim : removed) {
                if (wereAssumed.contains(victim.key())) {
                    state.assume(victim);
                } else {
                    state.upsertPod(victim);
                }
            }
        }
    }

    /**
     * A pod may use the places held for it ({@link io.kubenexus.scheduler.core.framework.ReservePlugin}'s
     * placeholders, e.g. its group's): they are released for the question and held again before the
     * answer leaves.
     */
    private <T> T withOwnPlacesFree(PodInfo pod, Supplier<T> question) {
        List<PodInfo> own = loop.plugins.placeholdersUsableBy(pod);
        if (own.isEmpty()) {
            return question.get();
        }
        ClusterState state = loop.state;
        own.forEach(placeholder -> state.forget(placeholder.key()));
        try {
            return question.get();
        } finally {
            own.forEach(state::assume);
        }
    }

    /**
     * Each name's live node index, or -1; one lookup per name, or none when the very same list was
     * resolved last against the same node set. {@code nodeNames} must be immutable (the loop passes
     * {@code List.copyOf}s). The array is shared: read it only.
     */
    private int[] liveIndices(List<String> nodeNames) {
        long nodeSet = loop.state.nodeSetVersion();
        if (nodeNames == resolvedNames && nodeSet == resolvedNodeSet) {
            return resolvedIndices;
        }
        int[] indices = new int[nodeNames.size()];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = liveIndex(nodeNames.get(i));
        }
        resolvedNames = nodeNames;
        resolvedNodeSet = nodeSet;
        resolvedIndices = indices;
        return indices;
    }

    private static BitSet known(int[] indices) {
        BitSet candidates = new BitSet();
        for (int index : indices) {
            if (index >= 0) {
                candidates.set(index);
            }
        }
        return candidates;
    }

    private int liveIndex(String name) {
        ClusterState state = loop.state;
        int index = name == null ? -1 : state.nodeIndex(name);
        return index >= 0 && state.liveNodes().get(index) ? index : -1;
    }
}
