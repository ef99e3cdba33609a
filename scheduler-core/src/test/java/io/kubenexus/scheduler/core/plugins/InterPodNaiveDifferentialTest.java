package io.kubenexus.scheduler.core.plugins;

import static io.kubenexus.scheduler.core.testing.InterPodFixture.hard;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.interPod;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.labels;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.term;
import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.InterPodSettings;
import io.kubenexus.scheduler.core.framework.FilterPlugin;
import io.kubenexus.scheduler.core.model.InterPodConstraints;
import io.kubenexus.scheduler.core.model.PodAffinityTerm;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.TopologySpreadConstraint;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.testing.InterPodFixture;
import io.kubenexus.scheduler.core.testing.NodeFixture;
import io.kubenexus.scheduler.core.testing.PodFixture;
import io.kubenexus.scheduler.core.topology.PodMatcher;
import io.kubenexus.scheduler.core.topology.PodSelection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * The filters over incremental counts give the verdicts of a plain reference that scans every pod
 * for every node, as kube-scheduler's PreFilter does, on random clusters after random churn.
 */
class InterPodNaiveDifferentialTest {
    private static final String[] KEYS = {"zone", "rack", "kubernetes.io/hostname"};
    private static final String[] APPS = {"a", "b", "c"};

    @RepeatedTest(40)
    void filtersEqualAScanOfEveryPod(RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition() * 31L);
        ClusterState state = randomCluster(random);
        InterPodAffinity affinity = new InterPodAffinity(1);
        PodTopologySpread spread = new PodTopologySpread(InterPodSettings.defaults());
        ClusterUnderTest cluster = ClusterUnderTest.wrap(state);
        for (int p = 0; p < 15; p++) {
            PodInfo pending = randomPod(random, "pending-" + p, null, true);

            assertThat(perNode(cluster, affinity, pending)).as("affinity, %s", pending.interPod())
                    .isEqualTo(naiveAffinity(state, pending));
            assertThat(perNode(cluster, spread, pending)).as("spread, %s", pending.interPod())
                    .isEqualTo(naiveSpread(state, pending));
            // Churn between decisions: the counts must follow.
            state.upsertPod(randomPod(random, "bound-" + random.nextInt(60), "n" + random.nextInt(12), false));
            if (random.nextInt(4) == 0) {
                state.removePod(new PodKey("default", "bound-" + random.nextInt(60)));
            }
        }
    }

    private static Map<String, String> perNode(ClusterUnderTest cluster, FilterPlugin plugin,
                                               PodInfo pod) {
        Map<String, String> out = new TreeMap<>();
        ClusterState state = cluster.state();
        for (int n = state.liveNodes().nextSetBit(0); n >= 0; n = state.liveNodes().nextSetBit(n + 1)) {
            String name = state.node(n).name();
            var outcome = cluster.filterAmong(plugin, pod, List.of(name));
            out.put(name, outcome.survivors().isEmpty() ? outcome.reasons().keySet().iterator().next() : "");
        }
        return out;
    }

    // ------------------------------------------------------------------ the reference

    private static List<PodInfo> podsOn(ClusterState state, int node) {
        List<PodInfo> out = new ArrayList<>();
        state.forEachAccountedPod(p -> {
            if (state.nodeIndex(p.nodeName()) == node) {
                out.add(p);
            }
        });
        return out;
    }

    private static String value(ClusterState state, int node, String key) {
        return state.node(node).labels().get(key);
    }

    private static Map<String, String> naiveAffinity(ClusterState state, PodInfo pod) {
        Map<String, String> out = new TreeMap<>();
        InterPodConstraints c = pod.interPod();
        String ns = pod.key().namespace();
        PodMatcher all = PodMatcher.ofAllTerms(c.requiredAffinity(), ns);
        boolean anyMatchingAll = false;
        for (int m = state.liveNodes().nextSetBit(0); m >= 0; m = state.liveNodes().nextSetBit(m + 1)) {
            for (PodInfo existing : podsOn(state, m)) {
                if (all != null && all.matches(existing, state::namespaceLabels)) {
                    for (PodAffinityTerm t : c.requiredAffinity()) {
                        anyMatchingAll |= value(state, m, t.topologyKey()) != null;
                    }
                }
            }
        }
        for (int n = state.liveNodes().nextSetBit(0); n >= 0; n = state.liveNodes().nextSetBit(n + 1)) {
            String verdict = "";
            boolean keys = true;
            boolean podsExist = true;
            for (PodAffinityTerm t : c.requiredAffinity()) {
                String v = value(state, n, t.topologyKey());
                if (v == null) {
                    keys = false;
                    continue;
                }
                boolean found = false;
                for (int m = state.liveNodes().nextSetBit(0); m >= 0; m = state.liveNodes().nextSetBit(m + 1)) {
                    if (v.equals(value(state, m, t.topologyKey()))) {
                        for (PodInfo existing : podsOn(state, m)) {
                            found |= all != null && all.matches(existing, state::namespaceLabels);
                        }
                    }
                }
                podsExist &= found;
            }
            boolean selfMatch = all != null && all.matches(pod, state::namespaceLabels);
            if (!c.requiredAffinity().isEmpty() && (!keys || !podsExist && (anyMatchingAll || !selfMatch))) {
                verdict = InterPodAffinity.REASON_AFFINITY;
            }
            if (verdict.isEmpty()) {
                for (PodAffinityTerm t : c.requiredAntiAffinity()) {
                    PodMatcher matcher = PodMatcher.ofTerm(t, ns);
                    String v = value(state, n, t.topologyKey());
                    if (matcher == null || v == null) {
                        continue;
                    }
                    for (int m = state.liveNodes().nextSetBit(0); m >= 0; m = state.liveNodes().nextSetBit(m + 1)) {
                        if (v.equals(value(state, m, t.topologyKey()))) {
                            for (PodInfo existing : podsOn(state, m)) {
                                if (matcher.matches(existing, state::namespaceLabels)) {
                                    verdict = InterPodAffinity.REASON_ANTI_AFFINITY;
                                }
                            }
                        }
                    }
                }
            }
            if (verdict.isEmpty()) {
                for (int m = state.liveNodes().nextSetBit(0); m >= 0; m = state.liveNodes().nextSetBit(m + 1)) {
                    for (PodInfo existing : podsOn(state, m)) {
                        for (PodAffinityTerm t : existing.interPod().requiredAntiAffinity()) {
                            PodSelection selection = PodSelection.of(t, existing.key().namespace());
                            String theirs = value(state, m, t.topologyKey());
                            if (selection != null && theirs != null && selection.matches(pod, state::namespaceLabels)
                                    && theirs.equals(value(state, n, t.topologyKey()))) {
                                verdict = InterPodAffinity.REASON_EXISTING_ANTI_AFFINITY;
                            }
                        }
                    }
                }
            }
            out.put(state.node(n).name(), verdict);
        }
        return out;
    }

    private static Map<String, String> naiveSpread(ClusterState state, PodInfo pod) {
        Map<String, String> out = new TreeMap<>();
        List<TopologySpreadConstraint> hardOnes = pod.interPod().topologySpread().stream()
                .filter(TopologySpreadConstraint::doNotSchedule).toList();
        for (int n = state.liveNodes().nextSetBit(0); n >= 0; n = state.liveNodes().nextSetBit(n + 1)) {
            out.put(state.node(n).name(), "");
        }
        for (int n = state.liveNodes().nextSetBit(0); n >= 0; n = state.liveNodes().nextSetBit(n + 1)) {
            for (TopologySpreadConstraint c : hardOnes) {
                PodMatcher matcher = PodMatcher.forSpread(PodSelection.inNamespace(pod.key().namespace(), c.selector()));
                // Per domain of eligible nodes (every constraint's key; no node selection or taints here).
                Map<String, Integer> counts = new HashMap<>();
                for (int m = state.liveNodes().nextSetBit(0); m >= 0; m = state.liveNodes().nextSetBit(m + 1)) {
                    int mm = m;
                    if (hardOnes.stream().anyMatch(h -> value(state, mm, h.topologyKey()) == null)) {
                        continue;
                    }
                    int matching = 0;
                    for (PodInfo existing : podsOn(state, m)) {
                        matching += matcher != null && matcher.matches(existing, state::namespaceLabels) ? 1 : 0;
                    }
                    counts.merge(value(state, m, c.topologyKey()), matching, Integer::sum);
                }
                int min = counts.values().stream().mapToInt(Integer::intValue).min().orElse(Integer.MAX_VALUE);
                if (c.minDomains() != null && counts.size() < c.minDomains()) {
                    min = 0;
                }
                String v = value(state, n, c.topologyKey());
                String name = state.node(n).name();
                if (!out.get(name).isEmpty()) {
                    break;
                }
                if (v == null) {
                    out.put(name, PodTopologySpread.REASON_MISSING_LABEL);
                    break;
                }
                int self = matcher != null && matcher.matches(pod, state::namespaceLabels) ? 1 : 0;
                if ((long) counts.getOrDefault(v, 0) + self - min > c.maxSkew()) {
                    out.put(name, PodTopologySpread.REASON);
                    break;
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ random inputs

    private static ClusterState randomCluster(Random random) {
        ClusterState state = new ClusterState();
        for (int n = 0; n < 12; n++) {
            NodeFixture node = node("n" + n).cpu(64).pods(500);
            if (random.nextInt(6) > 0) {
                node.label("zone", "z" + random.nextInt(3));
            }
            if (random.nextInt(3) > 0) {
                node.label("rack", "r" + random.nextInt(5));
            }
            state.upsertNode(node.build());
        }
        for (int i = 0; i < 40; i++) {
            state.upsertPod(randomPod(random, "bound-" + i, "n" + random.nextInt(12), false));
        }
        return state;
    }

    private static PodInfo randomPod(Random random, String name, String nodeName, boolean pending) {
        PodFixture fixture = pod(name).cpuMilli(10);
        if (nodeName != null) {
            fixture.boundTo(nodeName);
        }
        if (random.nextInt(4) > 0) {
            fixture.label("app", APPS[random.nextInt(APPS.length)]);
        }
        InterPodFixture terms = interPod();
        int kind = random.nextInt(pending ? 6 : 8);
        String key = KEYS[random.nextInt(KEYS.length)];
        String app = APPS[random.nextInt(APPS.length)];
        switch (kind) {
            case 0 -> terms.affinity(term(labels("app", app), key));
            case 1 -> terms.affinity(term(labels("app", app), key), term(labels("app", APPS[random.nextInt(3)]),
                    KEYS[random.nextInt(KEYS.length)]));
            case 2 -> terms.antiAffinity(term(labels("app", app), key));
            case 3 -> terms.spread(hard(1 + random.nextInt(2), key, labels("app", app)));
            case 4 -> terms.spread(new TopologySpreadConstraint(1, key, true, labels("app", app), 1 + random.nextInt(4),
                    null, null), hard(1, KEYS[random.nextInt(KEYS.length)], labels("app", app)));
            default -> { }
        }
        return fixture.interPod(terms.build()).build();
    }
}
