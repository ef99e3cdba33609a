package io.kubenexus.scheduler.numa;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The Topology Manager's merge of per-resource hint lists into one best hint, after kubelet
 * {@code pkg/kubelet/cm/topologymanager/policy.go} ({@code filterProvidersHints},
 * {@code mergePermutation}, {@code HintMerger.compare}) and {@code policy_single_numa_node.go}
 * ({@code filterSingleNumaHints}).
 *
 * <p>The kubelet walks the full cross product of the lists. Its {@code compare} is a total order
 * on (preferred, mask), so the best hint depends only on the <em>set</em> of merged hints; we build
 * that set with one pass per list over at most 2^zones distinct masks instead of a product that
 * grows as hints^resources. {@code HintMergerTest} checks the two agree.
 */
final class HintMerger {

    private HintMerger() {
    }

    /**
     * The best hint for {@code providerHints} (one list per aligned resource; an empty list means
     * the provider cannot satisfy the resource, the kubelet's {@code {nil, false}}) under a policy
     * other than {@code none}.
     */
    static TopologyHint merge(List<List<TopologyHint>> providerHints, NumaMask defaultAffinity,
                              TopologyManagerPolicy policy) {
        List<List<TopologyHint>> filtered = filterProvidersHints(providerHints);
        if (policy != TopologyManagerPolicy.SINGLE_NUMA_NODE) {
            return mergeFiltered(filtered, defaultAffinity);
        }
        TopologyHint best = mergeFiltered(filterSingleNumaHints(filtered), defaultAffinity);
        // The kubelet reports "all zones" as no affinity under single-numa-node.
        return defaultAffinity.equals(best.mask()) ? TopologyHint.anyZone(best.preferred()) : best;
    }

    /** An empty provider list becomes the single hint {@code {nil, false}}. */
    static List<List<TopologyHint>> filterProvidersHints(List<List<TopologyHint>> providerHints) {
        List<List<TopologyHint>> filtered = new ArrayList<>(providerHints.size());
        for (List<TopologyHint> hints : providerHints) {
            filtered.add(hints.isEmpty() ? List.of(TopologyHint.anyZone(false)) : hints);
        }
        return filtered;
    }

    /** Keeps only preferred hints that are "any zone" or exactly one zone; a list may end up empty. */
    static List<List<TopologyHint>> filterSingleNumaHints(List<List<TopologyHint>> providerHints) {
        List<List<TopologyHint>> filtered = new ArrayList<>(providerHints.size());
        for (List<TopologyHint> hints : providerHints) {
            filtered.add(hints.stream()
                    .filter(h -> h.preferred() && (h.isAnyZone() || h.mask().count() == 1))
                    .toList());
        }
        return filtered;
    }

    /** The kubelet's {@code HintMerger.Merge} on already filtered lists. */
    static TopologyHint mergeFiltered(List<List<TopologyHint>> lists, NumaMask defaultAffinity) {
        int bestNonPreferredCount = maxOfMinAffinityCounts(lists);
        TopologyHint best = null;
        for (NumaMask mask : preferredMerges(lists, defaultAffinity)) {
            best = compare(best, TopologyHint.of(mask, true), bestNonPreferredCount);
        }
        for (NumaMask mask : reachableMerges(lists, defaultAffinity)) {
            best = compare(best, TopologyHint.of(mask, false), bestNonPreferredCount);
        }
        return best != null ? best : TopologyHint.of(defaultAffinity, false);
    }

    /**
     * Masks a permutation can merge to with {@code preferred = true}: every picked hint preferred
     * and every picked non-nil mask equal ({@code mergePermutation}).
     */
    private static Set<NumaMask> preferredMerges(List<List<TopologyHint>> lists, NumaMask defaultAffinity) {
        Set<NumaMask> common = null;
        Set<NumaMask> optional = new LinkedHashSet<>();
        for (List<TopologyHint> hints : lists) {
            Set<NumaMask> preferredMasks = new LinkedHashSet<>();
            boolean preferredAny = false;
            for (TopologyHint hint : hints) {
                if (hint.preferred()) {
                    if (hint.isAnyZone()) {
                        preferredAny = true;
                    } else {
                        preferredMasks.add(hint.mask());
                    }
                }
            }
            if (preferredAny) {
                optional.addAll(preferredMasks);
            } else if (common == null) {
                common = preferredMasks;
            } else {
                common.retainAll(preferredMasks);
            }
        }
        Set<NumaMask> merged = new LinkedHashSet<>();
        if (common == null) {
            // Every list may pick "any zone": all-any merges to the default, or one mask from any list.
            merged.add(defaultAffinity);
            optional.forEach(mask -> merged.add(mask.and(defaultAffinity)));
        } else {
            common.forEach(mask -> merged.add(mask.and(defaultAffinity)));
        }
        return merged;
    }

    /** Every mask some permutation merges to (the bitwise AND of its masks, nil ignored). */
    private static Set<NumaMask> reachableMerges(List<List<TopologyHint>> lists, NumaMask defaultAffinity) {
        Set<NumaMask> reachable = Set.of(defaultAffinity);
        for (List<TopologyHint> hints : lists) {
            Set<NumaMask> next = new HashSet<>();
            for (NumaMask soFar : reachable) {
                for (TopologyHint hint : hints) {
                    next.add(hint.isAnyZone() ? soFar : soFar.and(hint.mask()));
                }
            }
            reachable = next;
        }
        return reachable;
    }

    /**
     * The largest, over resources, of the narrowest hint's zone count: the width a non-preferred
     * merge should aim for ({@code maxOfMinAffinityCounts}).
     */
    static int maxOfMinAffinityCounts(List<List<TopologyHint>> lists) {
        int maxOfMin = 0;
        for (List<TopologyHint> hints : lists) {
            NumaMask narrowest = null;
            for (TopologyHint hint : hints) {
                if (!hint.isAnyZone() && (narrowest == null || hint.mask().isNarrowerThan(narrowest))) {
                    narrowest = hint.mask();
                }
            }
            if (narrowest != null) {
                maxOfMin = Math.max(maxOfMin, narrowest.count());
            }
        }
        return maxOfMin;
    }

    /** The kubelet's {@code HintMerger.compare} with the default (narrowest) mask comparison. */
    static TopologyHint compare(TopologyHint current, TopologyHint candidate, int bestNonPreferredCount) {
        int candidateCount = candidate.mask().count();
        if (candidateCount == 0) {
            return current;
        }
        if (current == null) {
            return candidate;
        }
        if (current.preferred() != candidate.preferred()) {
            return current.preferred() ? current : candidate;
        }
        if (current.preferred()) {
            return narrowest(current, candidate);
        }
        // Both non-preferred: aim for bestNonPreferredCount zones, from below rather than above.
        int currentCount = current.mask().count();
        if (currentCount > bestNonPreferredCount) {
            return narrowest(current, candidate);
        }
        if (currentCount == bestNonPreferredCount) {
            return candidateCount == bestNonPreferredCount ? narrowest(current, candidate) : current;
        }
        if (candidateCount > bestNonPreferredCount) {
            return current;
        }
        if (candidateCount == bestNonPreferredCount) {
            return candidate;
        }
        if (candidateCount != currentCount) {
            return candidateCount > currentCount ? candidate : current;
        }
        return narrowest(current, candidate);
    }

    private static TopologyHint narrowest(TopologyHint current, TopologyHint candidate) {
        if (candidate.mask().equals(current.mask())) {
            return current;
        }
        return current.mask().isNarrowerThan(candidate.mask()) ? current : candidate;
    }
}
