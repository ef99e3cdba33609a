package io.kubenexus.scheduler.core.plugins;

import io.kubenexus.scheduler.core.framework.FilterDiagnosis;
import io.kubenexus.scheduler.core.framework.FilterPlugin;
import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.framework.ScorePlugin;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A real {@link ClusterState} with nodes and bound pods, and helpers that run plugins against it
 * the way the scheduling loop does. Every filter run also checks the filter contract: a filter
 * only clears candidate bits.
 */
final class ClusterUnderTest {
    private final ClusterState state;

    private ClusterUnderTest(ClusterState state) {
        this.state = state;
    }

    /** Runs plugins against a state built elsewhere. */
    static ClusterUnderTest wrap(ClusterState state) {
        return new ClusterUnderTest(state);
    }

    static ClusterUnderTest of(List<NodeInfo> nodes) {
        return of(nodes, List.of());
    }

    static ClusterUnderTest of(List<NodeInfo> nodes, List<PodInfo> boundPods) {
        ClusterUnderTest cluster = new ClusterUnderTest(new ClusterState());
        nodes.forEach(cluster.state::upsertNode);
        boundPods.forEach(cluster.state::upsertPod);
        return cluster;
    }

    ClusterState state() {
        return state;
    }

    /** What a run of filters left and why the rest were rejected. */
    record FilterOutcome(Set<String> survivors, FilterDiagnosis diagnosis, int nodeCount) {
        Map<String, Integer> reasons() {
            return diagnosis.reasonHistogram();
        }

        String message() {
            return diagnosis.message(nodeCount);
        }
    }

    FilterOutcome filter(FilterPlugin plugin, PodInfo pod) {
        return filter(List.of(plugin), pod, null);
    }

    /** Runs the filters in order on the candidates the previous ones left, as the loop does. */
    FilterOutcome filter(List<FilterPlugin> plugins, PodInfo pod) {
        return filter(plugins, pod, null);
    }

    /** Runs one filter with only the named nodes as candidates. */
    FilterOutcome filterAmong(FilterPlugin plugin, PodInfo pod, Collection<String> candidateNames) {
        return filter(List.of(plugin), pod, candidateNames);
    }

    private FilterOutcome filter(List<FilterPlugin> plugins, PodInfo pod, Collection<String> candidateNames) {
        PodContext context = state.podContext(pod);
        BitSet candidates = new BitSet();
        if (candidateNames == null) {
            candidates.or(state.liveNodes());
        } else {
            candidateNames.forEach(name -> candidates.set(state.nodeIndex(name)));
        }
        FilterDiagnosis diagnosis = new FilterDiagnosis();
        for (FilterPlugin plugin : plugins) {
            BitSet before = (BitSet) candidates.clone();
            plugin.filter(context, state, candidates, diagnosis);
            BitSet added = (BitSet) candidates.clone();
            added.andNot(before);
            if (!added.isEmpty()) {
                throw new AssertionError(plugin.name() + " set candidate bits " + added);
            }
        }
        return new FilterOutcome(names(candidates), diagnosis, state.nodeCount());
    }

    /** Normalized scores of every live node, by node name. */
    Map<String, Long> scores(ScorePlugin plugin, PodInfo pod) {
        return score(plugin, pod, true);
    }

    Map<String, Long> rawScores(ScorePlugin plugin, PodInfo pod) {
        return score(plugin, pod, false);
    }

    private Map<String, Long> score(ScorePlugin plugin, PodInfo pod, boolean normalize) {
        PodContext context = state.podContext(pod);
        int[] nodes = state.liveNodes().stream().toArray();
        // Garbage beyond count and in the slots must not leak into results.
        long[] scores = new long[nodes.length + 2];
        Arrays.fill(scores, -7);
        plugin.score(context, state, nodes, nodes.length, scores);
        if (normalize) {
            plugin.normalize(context, scores, nodes.length);
        }
        Map<String, Long> byName = new LinkedHashMap<>();
        for (int i = 0; i < nodes.length; i++) {
            byName.put(state.node(nodes[i]).name(), scores[i]);
        }
        return byName;
    }

    private Set<String> names(BitSet indices) {
        Set<String> names = new TreeSet<>();
        indices.stream().forEach(i -> names.add(state.node(i).name()));
        return names;
    }
}
