package io.kubenexus.scheduler.core.topology;

import static io.kubenexus.scheduler.core.testing.InterPodFixture.exists;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.expressions;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.interPod;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.labels;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.term;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.termSelectingNamespaces;
import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.testing.PodFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The incremental counts equal a fresh scan of the accounted pods after any churn. */
class PodTopologyCountsTest {
    private static final String[] NAMESPACES = {"a", "b", "c"};
    private static final String[] APPS = {"web", "db", "cache"};

    private static List<PodMatcher> matchers() {
        return List.of(
                PodMatcher.ofTerm(term(labels("app", "web"), "zone"), "a"),
                PodMatcher.ofTerm(termSelectingNamespaces(labels("app", "db"), "zone", labels("team", "x")), "a"),
                PodMatcher.ofTerm(termSelectingNamespaces(expressions(exists("app")), "zone", labels()), "b"),
                PodMatcher.ofAllTerms(List.of(term(labels("app", "web"), "zone"), term(labels("tier", "1"), "host")), "a"),
                PodMatcher.forSpread(PodSelection.inNamespace("b", labels("app", "cache"))),
                PodMatcher.forSpread(PodSelection.sameController("c", "rs-1")));
    }

    @RepeatedTest(20)
    void countsEqualAFreshScanAfterRandomChurn(org.junit.jupiter.api.RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition() * 7919L);
        ClusterState state = new ClusterState();
        PodTopologyCounts counts = state.extension(PodTopologyCounts.class);
        List<PodMatcher> matchers = matchers();
        List<PodKey> pods = new ArrayList<>();
        for (int step = 0; step < 400; step++) {
            if (step == 50) {
                matchers.forEach(counts::counts); // registered mid-way: scanned once, then incremental
            }
            int action = random.nextInt(10);
            String nodeName = "n" + random.nextInt(8);
            switch (action) {
                case 0 -> state.upsertNode(node(nodeName).cpu(64).pods(500)
                        .label("zone", "z" + random.nextInt(3)).build());
                case 1 -> state.removeNode(nodeName);
                case 2 -> state.upsertNamespace(NAMESPACES[random.nextInt(3)],
                        random.nextBoolean() ? Map.of("team", "x") : Map.of());
                case 3 -> {
                    if (!pods.isEmpty()) {
                        state.removePod(pods.remove(random.nextInt(pods.size())));
                    }
                }
                default -> {
                    // add a pod, or replace one (labels, controller, terminating may change; node may too)
                    PodInfo pod = randomPod(random, pods.isEmpty() || random.nextBoolean() ? "p" + step
                            : pods.get(random.nextInt(pods.size())).name(), nodeName);
                    if (random.nextInt(5) == 0) {
                        state.assume(pod);
                    } else {
                        state.upsertPod(pod);
                    }
                    if (!pods.contains(pod.key())) {
                        pods.add(pod.key());
                    }
                }
            }
            if (step >= 50) {
                for (PodMatcher matcher : matchers) {
                    assertThat(counted(counts.counts(matcher), state)).as("step %d, %s", step, matcher)
                            .isEqualTo(scanned(matcher, state));
                }
                assertThat(counts.podsWithTerms()).extracting(p -> p.pod().key()).containsExactlyInAnyOrderElementsOf(
                        withTerms(state));
            }
        }
    }

    private static PodInfo randomPod(Random random, String name, String nodeName) {
        // One namespace per name, so a replaced pod keeps its key.
        PodFixture fixture = pod(name).namespace(NAMESPACES[Math.abs(name.hashCode()) % 3]).boundTo(nodeName)
                .cpuMilli(10);
        if (random.nextBoolean()) {
            fixture.label("app", APPS[random.nextInt(3)]);
        }
        if (random.nextBoolean()) {
            fixture.label("tier", "1");
        }
        if (random.nextInt(3) == 0) {
            fixture.controllerUid("rs-1");
        }
        if (random.nextInt(6) == 0) {
            fixture.terminating();
        }
        if (random.nextInt(4) == 0) {
            fixture.interPod(interPod().antiAffinity(term(labels("app", "web"), "zone")).build());
        }
        return fixture.build();
    }

    private static int[] counted(int[] counts, ClusterState state) {
        int[] out = new int[state.nodeIndexBound()];
        for (int n = 0; n < out.length; n++) {
            out[n] = n < counts.length && state.liveNodes().get(n) ? counts[n] : 0;
            if (!state.liveNodes().get(n) && n < counts.length) {
                assertThat(counts[n]).as("count on a removed node index").isZero();
            }
        }
        return out;
    }

    private static int[] scanned(PodMatcher matcher, ClusterState state) {
        int[] out = new int[state.nodeIndexBound()];
        state.forEachAccountedPod(pod -> {
            int index = state.nodeIndex(pod.nodeName());
            if (index >= 0 && matcher.matches(pod, state::namespaceLabels)) {
                out[index]++;
            }
        });
        return out;
    }

    private static List<PodKey> withTerms(ClusterState state) {
        List<PodKey> out = new ArrayList<>();
        state.forEachAccountedPod(pod -> {
            if (state.nodeIndex(pod.nodeName()) >= 0 && pod.interPod().hasAffinityTerms()) {
                out.add(pod.key());
            }
        });
        return out;
    }

    @Test
    void matchersAreBoundedLeastRecentlyUsed() {
        ClusterState state = new ClusterState();
        PodTopologyCounts counts = state.extension(PodTopologyCounts.class);
        for (int i = 0; i < PodTopologyCounts.MAX_MATCHERS + 50; i++) {
            counts.counts(PodMatcher.forSpread(PodSelection.inNamespace("ns", labels("app", "a" + i))));
        }
        assertThat(counts.trackedMatchers()).isEqualTo(PodTopologyCounts.MAX_MATCHERS);
    }

    @Test
    void topologyDomainsFollowNodeLabels() {
        ClusterState state = new ClusterState();
        PodTopologyCounts counts = state.extension(PodTopologyCounts.class);
        state.upsertNode(node("a").label("zone", "z1").build());
        state.upsertNode(node("b").build());
        assertThat(counts.domains("zone").domainCount()).isEqualTo(1);
        assertThat(counts.domains("zone").domainOf(state.nodeIndex("b"))).isEqualTo(-1);

        state.upsertNode(node("b").label("zone", "z2").build());
        TopologyDomains zones = counts.domains("zone");
        assertThat(zones.domainCount()).isEqualTo(2);
        assertThat(Set.of(zones.value(zones.domainOf(state.nodeIndex("a"))),
                zones.value(zones.domainOf(state.nodeIndex("b"))))).containsExactlyInAnyOrder("z1", "z2");
    }
}
