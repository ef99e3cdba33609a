package io.kubenexus.scheduler.core.plugins;

import static io.kubenexus.scheduler.core.config.ScoringStrategy.LEAST_ALLOCATED;
import static io.kubenexus.scheduler.core.config.ScoringStrategy.MOST_ALLOCATED;
import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.ScoringStrategy;
import io.kubenexus.scheduler.core.framework.FilterDiagnosis;
import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.framework.ScorePlugin;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.state.ResourceColumns;
import io.kubenexus.scheduler.core.testing.NodeFixture;
import io.kubenexus.scheduler.core.testing.PodFixture;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fit filter and score read whole columns (free amounts, reciprocals of allocatable) and pick
 * a dense or sparse walk over the candidates. This checks both against the plain per-node rules
 * (allocatable minus requested, integer division) on random clusters with holes in the node
 * indices, over-committed nodes, huge memory figures and resources only some nodes have.
 */
class NodeResourcesFitColumnsTest {
    private static final Map<String, Integer> WEIGHTS = Map.of("cpu", 2, "memory", 1, "nvidia.com/gpu", 3);

    @ParameterizedTest(name = "candidates: 1 in {0}")
    @ValueSource(ints = {1, 2, 5, 50})
    void filterMatchesThePerNodeRuleForDenseAndSparseCandidates(int oneIn) {
        SplittableRandom random = new SplittableRandom(7 + oneIn);
        for (int round = 0; round < 20; round++) {
            ClusterState state = randomCluster(random);
            NodeResourcesFit fit = new NodeResourcesFit(LEAST_ALLOCATED, WEIGHTS);
            for (int p = 0; p < 10; p++) {
                PodInfo pod = randomPod(random, "p" + p).build();
                PodContext context = state.podContext(pod);
                BitSet candidates = new BitSet();
                for (int n = state.liveNodes().nextSetBit(0); n >= 0; n = state.liveNodes().nextSetBit(n + 1)) {
                    if (random.nextInt(oneIn) == 0) {
                        candidates.set(n);
                    }
                }
                BitSet expected = (BitSet) candidates.clone();
                Map<String, Integer> expectedReasons = new HashMap<>();
                referenceFilter(state, context, expected, expectedReasons);

                FilterDiagnosis diagnosis = new FilterDiagnosis();
                fit.filter(context, state, candidates, diagnosis);

                assertThat(candidates).isEqualTo(expected);
                assertThat(diagnosis.reasonHistogram()).isEqualTo(expectedReasons);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ScoringStrategy.class)
    void scoreMatchesIntegerDivision(ScoringStrategy strategy) {
        SplittableRandom random = new SplittableRandom(strategy.ordinal() + 11);
        for (int round = 0; round < 20; round++) {
            ClusterState state = randomCluster(random);
            NodeResourcesFit fit = new NodeResourcesFit(strategy, WEIGHTS);
            int[] nodes = state.liveNodes().stream().toArray();
            for (int p = 0; p < 10; p++) {
                PodInfo pod = randomPod(random, "p" + p).build();
                PodContext context = state.podContext(pod);
                long[] scores = new long[nodes.length];
                fit.score(context, state, nodes, nodes.length, scores);
                for (int i = 0; i < nodes.length; i++) {
                    assertThat(scores[i]).as("node %s", state.node(nodes[i]).name())
                            .isEqualTo(referenceScore(strategy, state, context, nodes[i]));
                }
            }
        }
    }

    @ParameterizedTest(name = "divisors up to 2^{0}")
    @ValueSource(ints = {4, 12, 31, 45, 62})
    void quotientEqualsIntegerDivision(int bits) {
        SplittableRandom random = new SplittableRandom(bits);
        for (int i = 0; i < 200_000; i++) {
            long divisor = 1 + random.nextLong(1L << bits);
            long limit = divisor > Long.MAX_VALUE / 202 ? Long.MAX_VALUE / 2 : divisor * 101;
            long dividend = random.nextInt(4) == 0 && divisor <= Long.MAX_VALUE / 202
                    ? divisor * random.nextLong(1, 101) - random.nextInt(2) // on and just below exact multiples
                    : random.nextLong(limit);
            assertThat(NodeResourcesFit.quotient(dividend, divisor, Long.MAX_VALUE / divisor))
                    .as("%d / %d", dividend, divisor).isEqualTo(dividend / divisor);
            if (divisor <= Long.MAX_VALUE / 100) {
                long part = random.nextLong(divisor + 1);
                assertThat(NodeResourcesFit.scaledQuotient(part, divisor, Long.MAX_VALUE / divisor))
                        .as("%d * 100 / %d", part, divisor).isEqualTo(part * 100 / divisor);
            }
        }
    }

    /** 120 nodes, a fifth removed again (holes in the index space), random pods bound up to and beyond allocatable. */
    private static ClusterState randomCluster(SplittableRandom random) {
        ClusterState state = new ClusterState();
        int count = 120;
        for (int n = 0; n < count; n++) {
            NodeFixture node = node("n" + n).cpu(random.nextInt(1, 129)).pods(random.nextInt(1, 40));
            // Memory in bytes up to 64 TiB, not always a whole number of GiB.
            node.allocatable("memory", random.nextLong(1L << 30, 1L << 46));
            if (random.nextInt(3) == 0) {
                node.gpus(random.nextInt(0, 9));
            }
            state.upsertNode(node.build());
        }
        for (int n = 0; n < count; n++) {
            if (random.nextInt(5) == 0) {
                state.removeNode("n" + n);
            }
        }
        for (int i = 0; i < count * 6; i++) {
            state.upsertPod(randomPod(random, "bound-" + i).boundTo("n" + random.nextInt(count)).build());
        }
        return state;
    }

    private static PodFixture randomPod(SplittableRandom random, String name) {
        PodFixture pod = pod(name);
        if (random.nextInt(5) > 0) {
            pod.cpuMilli(random.nextLong(1, 40_000));
        }
        if (random.nextInt(5) > 0) {
            pod.memoryBytes(random.nextLong(1, 1L << 42));
        }
        if (random.nextInt(4) == 0) {
            pod.gpu(random.nextInt(1, 5));
        }
        return pod;
    }

    private static void referenceFilter(ClusterState state, PodContext pod, BitSet candidates,
                                        Map<String, Integer> reasons) {
        int[] columns = pod.requestColumns();
        long[] amounts = pod.requestAmounts();
        for (int j = 0; j < columns.length; j++) {
            reasons.put(state.columns().insufficientReason(columns[j]), 0);
        }
        for (int n = candidates.nextSetBit(0); n >= 0; n = candidates.nextSetBit(n + 1)) {
            boolean fits = true;
            for (int j = 0; j < columns.length; j++) {
                if (state.allocatable(columns[j], n) - state.requested(columns[j], n) < amounts[j]) {
                    reasons.merge(state.columns().insufficientReason(columns[j]), 1, Integer::sum);
                    fits = false;
                }
            }
            if (!fits) {
                candidates.clear(n);
            }
        }
        reasons.values().removeIf(count -> count == 0);
    }

    private static long referenceScore(ScoringStrategy strategy, ClusterState state, PodContext pod, int node) {
        long weighted = 0;
        long weightSum = 0;
        for (Map.Entry<String, Integer> entry : WEIGHTS.entrySet()) {
            int c = state.columns().columnOf(entry.getKey());
            if (c < 0) {
                continue;
            }
            long request;
            long onNode;
            if (c == ResourceColumns.CPU) {
                request = pod.nonZeroCpuMilli();
                onNode = state.nonZeroRequested(c, node);
            } else if (c == ResourceColumns.MEMORY) {
                request = pod.nonZeroMemoryBytes();
                onNode = state.nonZeroRequested(c, node);
            } else {
                request = 0;
                for (int j = 0; j < pod.requestColumns().length; j++) {
                    if (pod.requestColumns()[j] == c) {
                        request = pod.requestAmounts()[j];
                    }
                }
                if (request == 0) {
                    continue;
                }
                onNode = state.requested(c, node);
            }
            long allocatable = state.allocatable(c, node);
            if (allocatable == 0) {
                continue;
            }
            long requested = onNode + request;
            long share = strategy == MOST_ALLOCATED
                    ? Math.min(requested, allocatable) * ScorePlugin.MAX_NODE_SCORE / allocatable
                    : requested > allocatable ? 0 : (allocatable - requested) * ScorePlugin.MAX_NODE_SCORE / allocatable;
            weighted += entry.getValue() * share;
            weightSum += entry.getValue();
        }
        return weightSum == 0 ? 0 : weighted / weightSum;
    }
}
