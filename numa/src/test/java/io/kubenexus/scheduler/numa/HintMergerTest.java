package io.kubenexus.scheduler.numa;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The set-based merge against a literal port of the kubelet's cross-product walk
 * (kubelet pkg/kubelet/cm/topologymanager/policy.go: iterateAllProviderTopologyHints,
 * mergePermutation, HintMerger.Merge; policy_single_numa_node.go: Merge).
 */
class HintMergerTest {

    private static final NumaMask TWO = NumaMask.of(0, 1);

    static Stream<Arguments> cases() {
        TopologyHint p0 = TopologyHint.of(NumaMask.of(0), true);
        TopologyHint p1 = TopologyHint.of(NumaMask.of(1), true);
        TopologyHint p01 = TopologyHint.of(TWO, true);
        TopologyHint n01 = TopologyHint.of(TWO, false);
        return Stream.of(
                // policy_test.go-style: both providers prefer {0} and {1}; narrowest wins.
                Arguments.of("common preferred single zones pick zone 0",
                        List.of(List.of(p0, p1, n01), List.of(p0, p1, n01)), TopologyHint.of(NumaMask.of(0), true)),
                // Equal masks required for preference, so nothing is preferred; among non-preferred
                // merges the kubelet aims for the widest resource's narrowest width (2), not {0}.
                Arguments.of("preferred hints of different width merge not preferred, at the wider width",
                        List.of(List.of(p01), List.of(p0, p1, n01)), TopologyHint.of(TWO, false)),
                Arguments.of("an empty provider list makes the merge not preferred",
                        List.of(List.of(), List.of(p0, p1)), TopologyHint.of(NumaMask.of(0), false)),
                Arguments.of("no providers merge to all zones, preferred",
                        List.of(), TopologyHint.of(TWO, true)),
                Arguments.of("disjoint hints fall back to all zones, not preferred",
                        List.of(List.of(p0), List.of(p1)), TopologyHint.of(TWO, false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void mergesLikeTheKubelet(String name, List<List<TopologyHint>> hints, TopologyHint expected) {
        assertThat(HintMerger.merge(hints, TWO, TopologyManagerPolicy.RESTRICTED)).isEqualTo(expected);
        assertThat(literalKubeletMerge(hints, TWO, TopologyManagerPolicy.RESTRICTED)).isEqualTo(expected);
    }

    @Test
    void singleNumaNodeReportsAllZonesAsAnyZone() {
        assertThat(HintMerger.merge(List.of(), TWO, TopologyManagerPolicy.SINGLE_NUMA_NODE))
                .isEqualTo(TopologyHint.anyZone(true));
    }

    @Test
    void agreesWithTheLiteralCrossProductOnRandomHints() {
        Random random = new Random(42);
        for (int round = 0; round < 20_000; round++) {
            int zones = 1 + random.nextInt(4);
            NumaMask all = NumaMask.firstZones(zones);
            List<NumaMask> subsets = all.nonEmptySubsets();
            List<List<TopologyHint>> lists = new ArrayList<>();
            int providers = random.nextInt(4);
            for (int p = 0; p < providers; p++) {
                List<TopologyHint> hints = new ArrayList<>();
                int size = random.nextInt(4);
                for (int h = 0; h < size; h++) {
                    boolean any = random.nextInt(8) == 0;
                    hints.add(any ? TopologyHint.anyZone(random.nextBoolean())
                            : TopologyHint.of(subsets.get(random.nextInt(subsets.size())), random.nextBoolean()));
                }
                lists.add(hints);
            }
            for (TopologyManagerPolicy policy : List.of(TopologyManagerPolicy.BEST_EFFORT,
                    TopologyManagerPolicy.SINGLE_NUMA_NODE)) {
                assertThat(HintMerger.merge(lists, all, policy))
                        .as("round %d, policy %s, hints %s", round, policy, lists)
                        .isEqualTo(literalKubeletMerge(lists, all, policy));
            }
        }
    }

    /** The kubelet's algorithm, permutation by permutation. */
    private static TopologyHint literalKubeletMerge(List<List<TopologyHint>> providerHints, NumaMask all,
                                                    TopologyManagerPolicy policy) {
        List<List<TopologyHint>> lists = HintMerger.filterProvidersHints(providerHints);
        if (policy == TopologyManagerPolicy.SINGLE_NUMA_NODE) {
            lists = HintMerger.filterSingleNumaHints(lists);
        }
        int target = HintMerger.maxOfMinAffinityCounts(lists);
        TopologyHint[] best = {null};
        iterate(lists, 0, new ArrayList<>(), permutation -> {
            boolean preferred = true;
            NumaMask merged = all;
            NumaMask first = null;
            for (TopologyHint hint : permutation) {
                if (!hint.isAnyZone()) {
                    merged = merged.and(hint.mask());
                    if (first == null) {
                        first = hint.mask();
                    } else if (!hint.mask().equals(first)) {
                        preferred = false;
                    }
                }
                preferred &= hint.preferred();
            }
            best[0] = HintMerger.compare(best[0], TopologyHint.of(merged, preferred), target);
        });
        TopologyHint result = best[0] != null ? best[0] : TopologyHint.of(all, false);
        if (policy == TopologyManagerPolicy.SINGLE_NUMA_NODE && all.equals(result.mask())) {
            return TopologyHint.anyZone(result.preferred());
        }
        return result;
    }

    private static void iterate(List<List<TopologyHint>> lists, int i, List<TopologyHint> accum,
                                java.util.function.Consumer<List<TopologyHint>> callback) {
        if (i == lists.size()) {
            callback.accept(accum);
            return;
        }
        for (TopologyHint hint : lists.get(i)) {
            accum.add(hint);
            iterate(lists, i + 1, accum, callback);
            accum.remove(accum.size() - 1);
        }
    }
}
