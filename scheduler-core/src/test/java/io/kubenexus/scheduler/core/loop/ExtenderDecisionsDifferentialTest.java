package io.kubenexus.scheduler.core.loop;

import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static io.kubenexus.scheduler.core.testing.PodFixture.req;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.model.NodeSelectorOperator;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.TaintEffect;
import io.kubenexus.scheduler.core.model.Toleration;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.query.NodeFilterResult;
import io.kubenexus.scheduler.core.query.NodeScores;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.testing.MutableClock;
import io.kubenexus.scheduler.core.testing.NodeFixture;
import io.kubenexus.scheduler.core.testing.PodFixture;
import io.kubenexus.scheduler.core.testing.RecordingEventSink;
import io.kubenexus.scheduler.core.testing.ScriptedBinder;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link ExtenderDecisions}' filter and prioritize, which resolve each name once and keep verdicts
 * and scores in arrays by node index, must answer exactly as the plain map-per-name path they
 * replaced (kept below as the reference): on random clusters, random pods and random name lists
 * with duplicates, unknown names, a deleted node and shuffled order. Maps are compared with their
 * order.
 */
class ExtenderDecisionsDifferentialTest {
    private static final SchedulerSettings SETTINGS = SchedulerSettings.defaults();

    @Test
    void filterAndPrioritizeEqualThePlainPath() {
        int checked = 0;
        int withFeasible = 0;
        int withFailed = 0;
        int withUnresolvable = 0;
        int withScores = 0;
        for (long seed = 1; seed <= 30; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            SchedulingLoop loop = new SchedulingLoop(SETTINGS, SchedulingProfile.defaults(SETTINGS),
                    new ScriptedBinder(), new RecordingEventSink(), SchedulerMetrics.NONE, MutableClock.at("2026-01-01T00:00:00Z"));
            int nodes = randomCluster(loop, random);
            for (int p = 0; p < 15; p++) {
                PodInfo pod = randomPod(random, p);
                // Immutable, as the extender passes them: the loop resolves the same list once per node set.
                List<String> names = List.copyOf(randomNames(random, nodes));
                if (p % 5 == 4) {
                    answer(loop, loop.filter(pod, names)); // resolved, then the node set changes
                    String changed = "n" + random.nextInt(nodes);
                    if (random.nextBoolean()) {
                        loop.onNodeRemoved(changed);
                    } else {
                        loop.onNodeUpserted(node(changed).cpu(8).memoryGi(32).label("zone", "z0").label("disk", "ssd").build());
                    }
                    loop.runUntilIdle();
                }
                NodeFilterResult filtered = answer(loop, loop.filter(pod, names));
                NodeFilterResult expectedFilter = plainFilter(loop, pod, names);
                assertThat(filtered.feasible()).as("seed %d pod %d", seed, p).containsExactlyElementsOf(expectedFilter.feasible());
                assertThat(filtered.failed()).as("seed %d pod %d", seed, p).containsExactlyEntriesOf(expectedFilter.failed());
                assertThat(filtered.failedAndUnresolvable()).as("seed %d pod %d", seed, p)
                        .containsExactlyEntriesOf(expectedFilter.failedAndUnresolvable());
                NodeScores scores = answer(loop, loop.prioritize(pod, names));
                assertThat(scores.scores()).as("seed %d pod %d", seed, p).containsExactlyEntriesOf(plainPrioritize(loop, pod, names).scores());
                checked++;
                withFeasible += filtered.feasible().isEmpty() ? 0 : 1;
                withFailed += filtered.failed().values().stream().anyMatch(r -> !r.equals(NodeFilterResult.UNKNOWN_NODE)) ? 1 : 0;
                withUnresolvable += filtered.failedAndUnresolvable().isEmpty() ? 0 : 1;
                withScores += scores.scores().values().stream().anyMatch(s -> s > 0) ? 1 : 0;
            }
        }
        assertThat(checked).isEqualTo(450);
        assertThat(List.of(withFeasible, withFailed, withUnresolvable, withScores)).as("cases covered")
                .allMatch(cases -> cases > 50);
    }

    private static <T> T answer(SchedulingLoop loop, java.util.concurrent.CompletableFuture<T> question) {
        loop.runUntilIdle();
        assertThat(question).isDone();
        return question.join();
    }

    /** The filter before the arrays: a LinkedHashSet of names, a map of verdicts by boxed index. */
    private static NodeFilterResult plainFilter(SchedulingLoop loop, PodInfo pod, List<String> nodeNames) {
        ClusterState state = loop.state;
        NodeVerdicts.Outcome outcome = new NodeVerdicts(SchedulingProfile.defaults(SETTINGS))
                .judge(state.podContext(pod), state, known(state, nodeNames));
        Map<Integer, NodeVerdicts.Verdict> rejected = outcome.rejected();
        List<String> feasible = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        Map<String, String> unresolvable = new LinkedHashMap<>();
        for (String name : new LinkedHashSet<>(nodeNames)) {
            int index = liveIndex(state, name);
            if (index < 0) {
                failed.put(name, NodeFilterResult.UNKNOWN_NODE);
            } else if (outcome.feasible().get(index)) {
                feasible.add(name);
            } else {
                NodeVerdicts.Verdict verdict = rejected.get(index);
                (verdict.resolvable() ? failed : unresolvable).put(name, String.join(", ", verdict.reasons()));
            }
        }
        return new NodeFilterResult(feasible, failed, unresolvable);
    }

    private static NodeScores plainPrioritize(SchedulingLoop loop, PodInfo pod, List<String> nodeNames) {
        ClusterState state = loop.state;
        PodContext context = state.podContext(pod);
        BitSet feasible = new NodeVerdicts(SchedulingProfile.defaults(SETTINGS))
                .judge(context, state, known(state, nodeNames)).feasible();
        int[] nodes = feasible.stream().toArray();
        long[] totals = loop.algorithm.scoreTotals(context, state, nodes, nodes.length);
        long best = 0;
        for (long total : totals) {
            best = Math.max(best, total);
        }
        Map<Integer, Integer> byIndex = new HashMap<>();
        for (int i = 0; i < nodes.length; i++) {
            byIndex.put(nodes[i], ExtenderDecisions.scale(totals[i], best));
        }
        Map<String, Integer> scores = new LinkedHashMap<>();
        for (String name : nodeNames) {
            scores.put(name, byIndex.getOrDefault(liveIndex(state, name), 0));
        }
        return new NodeScores(scores);
    }

    private static BitSet known(ClusterState state, List<String> names) {
        BitSet candidates = new BitSet();
        for (String name : names) {
            int index = liveIndex(state, name);
            if (index >= 0) {
                candidates.set(index);
            }
        }
        return candidates;
    }

    private static int liveIndex(ClusterState state, String name) {
        int index = name == null ? -1 : state.nodeIndex(name);
        return index >= 0 && state.liveNodes().get(index) ? index : -1;
    }

    /** 20-60 nodes (one of them deleted again), sizes, GPUs, taints, zones, cordons, busy nodes. */
    private static int randomCluster(SchedulingLoop loop, SplittableRandom random) {
        loop.onCachesSynced();
        int nodes = random.nextInt(20, 61);
        for (int n = 0; n < nodes; n++) {
            NodeFixture node = node("n" + n).cpu(4 * random.nextInt(1, 17)).memoryGi(16 * random.nextInt(1, 9))
                    .label("zone", "z" + random.nextInt(3)).label("disk", random.nextBoolean() ? "ssd" : "hdd");
            if (random.nextInt(4) == 0) {
                node.gpus(random.nextBoolean() ? 4 : 8).taint("gpu", "a100", TaintEffect.NO_SCHEDULE);
            }
            if (random.nextInt(20) == 0) {
                node.unschedulable();
            }
            loop.onNodeUpserted(node.build());
        }
        for (int i = 0; i < nodes * 3; i++) {
            PodFixture bound = pod("bound-" + i).schedulerName("default-scheduler")
                    .cpuMilli(random.nextLong(100, 16_000)).memoryMi(random.nextLong(64, 64_000))
                    .boundTo("n" + random.nextInt(nodes));
            if (random.nextInt(10) == 0) {
                bound.hostPort(8080);
            }
            loop.onPodUpserted(bound.build());
        }
        loop.onNodeRemoved("n" + random.nextInt(nodes));
        loop.runUntilIdle();
        return nodes;
    }

    private static PodInfo randomPod(SplittableRandom random, int p) {
        PodFixture pod = pod("probe-" + p).schedulerName("default-scheduler")
                .cpuMilli(random.nextLong(100, random.nextBoolean() ? 8_000 : 70_000))
                .memoryMi(random.nextLong(64, random.nextBoolean() ? 16_000 : 140_000));
        if (random.nextInt(3) == 0) {
            pod.gpu(random.nextInt(1, 9));
        }
        switch (random.nextInt(3)) {
            case 0 -> pod.toleration(Toleration.exists("gpu", TaintEffect.NO_SCHEDULE));
            case 1 -> pod.toleratesAll();
            default -> { }
        }
        switch (random.nextInt(4)) {
            case 0 -> pod.nodeSelector("zone", "z" + random.nextInt(3));
            case 1 -> pod.requiredTerm(req("disk", NodeSelectorOperator.IN, "ssd"));
            default -> { }
        }
        if (random.nextInt(6) == 0) {
            pod.hostPort(8080);
        }
        return pod.build();
    }

    /** Shuffled names of existing nodes, some twice, some unknown (twice too). */
    private static List<String> randomNames(SplittableRandom random, int nodes) {
        List<String> names = new ArrayList<>();
        int count = random.nextInt(0, nodes + 10);
        for (int i = 0; i < count; i++) {
            int pick = random.nextInt(nodes + 5);
            names.add(pick < nodes ? "n" + pick : "unknown-" + (pick - nodes));
        }
        return names;
    }
}
