package io.kubenexus.scheduler.core.plugins;

import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.framework.FilterDiagnosis;
import io.kubenexus.scheduler.core.framework.FilterPlugin;
import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.framework.ScorePlugin;
import io.kubenexus.scheduler.core.model.InterPodConstraints;
import io.kubenexus.scheduler.core.model.PodAffinityTerm;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.WeightedPodAffinityTerm;
import io.kubenexus.scheduler.core.state.ClusterSnapshot;
import io.kubenexus.scheduler.core.topology.ExistingTerms;
import io.kubenexus.scheduler.core.topology.PodMatcher;
import io.kubenexus.scheduler.core.topology.PodTopologyCounts;
import io.kubenexus.scheduler.core.topology.TopologyDomains;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Set;

/**
 * kube-scheduler's InterPodAffinity: required affinity and anti-affinity of the incoming pod,
 * existing pods' required anti-affinity against it, and scoring by preferred terms (the pod's own and
 * existing pods'), with existing pods' required affinity weighted by {@code hardPodAffinityWeight}.
 * A thin plugin over {@link PodTopologyCounts}: a term costs one pass over the node arrays, never a
 * scan of pods.
 *
 * <p>Holds scratch arrays: one instance per profile, used on the loop thread only.
 */
public final class InterPodAffinity implements FilterPlugin, ScorePlugin {
    public static final String NAME = "InterPodAffinity";
    public static final String REASON_AFFINITY = "node(s) didn't match pod affinity rules";
    public static final String REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
    public static final String REASON_EXISTING_ANTI_AFFINITY =
            "node(s) didn't satisfy existing pods anti-affinity rules";

    private static final Set<ClusterEventType> EVENTS = Set.of(ClusterEventType.ASSIGNED_POD_ADDED,
            ClusterEventType.ASSIGNED_POD_REMOVED, ClusterEventType.NODE_ADDED, ClusterEventType.NODE_LABELS_CHANGED,
            ClusterEventType.NAMESPACE_LABELS_CHANGED);

    private final int hardPodAffinityWeight;
    private final BitSet rejected = new BitSet();
    private final BitSet missingKey = new BitSet();
    private final BitSet lacking = new BitSet();
    private int[] domainSums = new int[16];

    // The topology score of the last pod scored (kube-scheduler's PreScore state): per topology key,
    // a score per domain. Kept for the context it was built for.
    private PodContext scoredFor;
    private final List<TopologyDomains> scoreKeys = new ArrayList<>();
    private final List<long[]> scoreByDomain = new ArrayList<>();

    public InterPodAffinity(int hardPodAffinityWeight) {
        if (hardPodAffinityWeight < 0 || hardPodAffinityWeight > 100) {
            throw new IllegalArgumentException("hardPodAffinityWeight must be 0..100, was " + hardPodAffinityWeight);
        }
        this.hardPodAffinityWeight = hardPodAffinityWeight;
    }

    @Override
    public String name() {
        return NAME;
    }

    // ------------------------------------------------------------------ filter

    @Override
    public void filter(PodContext pod, ClusterSnapshot snapshot, BitSet candidates, FilterDiagnosis diagnosis) {
        InterPodConstraints constraints = pod.pod().interPod();
        PodTopologyCounts counts = snapshot.extension(PodTopologyCounts.class);
        if (!constraints.requiredAffinity().isEmpty()) {
            filterAffinity(pod.pod(), snapshot, counts, candidates, diagnosis);
        }
        for (PodAffinityTerm term : constraints.requiredAntiAffinity()) {
            if (candidates.isEmpty()) {
                return;
            }
            PodMatcher matcher = PodMatcher.ofTerm(term, pod.pod().key().namespace());
            if (matcher == null) {
                continue; // selects no pod: nothing to keep away from
            }
            TopologyDomains domains = counts.domains(term.topologyKey());
            int[] sums = sumByDomain(counts.counts(matcher), domains, snapshot.nodeIndexBound());
            rejected.clear();
            for (int n = candidates.nextSetBit(0); n >= 0; n = candidates.nextSetBit(n + 1)) {
                int domain = domains.domainOf(n);
                if (domain >= 0 && sums[domain] > 0) {
                    rejected.set(n);
                }
            }
            reject(candidates, diagnosis, REASON_ANTI_AFFINITY);
        }
        if (counts.anyRequiredAntiAffinity() && !candidates.isEmpty()) {
            filterExistingAntiAffinity(pod.pod(), snapshot, counts, candidates, diagnosis);
        }
    }

    /**
     * Every term's topology key must be on the node and some pod matching all terms must run in the
     * node's domain of each; unless no such pod runs anywhere and the pod matches its own terms (the
     * first of a group with affinity to itself may go anywhere the keys exist).
     */
    private void filterAffinity(PodInfo pod, ClusterSnapshot snapshot, PodTopologyCounts counts, BitSet candidates,
                                FilterDiagnosis diagnosis) {
        List<PodAffinityTerm> terms = pod.interPod().requiredAffinity();
        PodMatcher matcher = PodMatcher.ofAllTerms(terms, pod.key().namespace());
        int[] nodeCounts = matcher == null ? null : counts.counts(matcher);
        missingKey.clear();
        lacking.clear();
        boolean anyMatching = false;
        for (PodAffinityTerm term : terms) {
            TopologyDomains domains = counts.domains(term.topologyKey());
            int[] sums = sumByDomain(nodeCounts, domains, snapshot.nodeIndexBound());
            for (int d = 0; d < domains.domainCount(); d++) {
                anyMatching |= sums[d] > 0;
            }
            for (int n = candidates.nextSetBit(0); n >= 0; n = candidates.nextSetBit(n + 1)) {
                int domain = domains.domainOf(n);
                if (domain < 0) {
                    missingKey.set(n);
                } else if (sums[domain] == 0) {
                    lacking.set(n);
                }
            }
        }
        rejected.clear();
        rejected.or(missingKey);
        boolean selfMatch = matcher != null && matcher.matches(pod, snapshot::namespaceLabels);
        if (anyMatching || !selfMatch) {
            rejected.or(lacking);
        }
        rejected.and(candidates);
        reject(candidates, diagnosis, REASON_AFFINITY);
    }

    /** Nodes in a domain where a pod runs whose required anti-affinity term selects the incoming pod. */
    private void filterExistingAntiAffinity(PodInfo pod, ClusterSnapshot snapshot, PodTopologyCounts counts,
                                            BitSet candidates, FilterDiagnosis diagnosis) {
        rejected.clear();
        for (ExistingTerms terms : counts.existingTerms()) {
            if (terms.kind() != ExistingTerms.Kind.REQUIRED_ANTI_AFFINITY || terms.selection() == null
                    || !terms.selection().matches(pod, snapshot::namespaceLabels)) {
                continue;
            }
            TopologyDomains domains = counts.domains(terms.term().topologyKey());
            int[] sums = sumByDomain(terms.podsPerNode(), domains, snapshot.nodeIndexBound());
            for (int n = candidates.nextSetBit(0); n >= 0; n = candidates.nextSetBit(n + 1)) {
                int domain = domains.domainOf(n);
                if (domain >= 0 && sums[domain] > 0) {
                    rejected.set(n);
                }
            }
        }
        reject(candidates, diagnosis, REASON_EXISTING_ANTI_AFFINITY);
    }

    private void reject(BitSet candidates, FilterDiagnosis diagnosis, String reason) {
        if (!rejected.isEmpty()) {
            candidates.andNot(rejected);
            diagnosis.rejectAll(this, rejected, reason);
        }
    }

    /** Matching pods per domain of {@code domains}, in the scratch array; all 0 when {@code nodeCounts} is null. */
    private int[] sumByDomain(int[] nodeCounts, TopologyDomains domains, int bound) {
        int domainCount = domains.domainCount();
        if (domainSums.length < domainCount) {
            domainSums = new int[Math.max(domainCount, domainSums.length * 2)];
        }
        Arrays.fill(domainSums, 0, domainCount, 0);
        if (nodeCounts == null) {
            return domainSums;
        }
        int[] domainOf = domains.domainColumn();
        int limit = Math.min(Math.min(bound, nodeCounts.length), domainOf.length);
        for (int n = 0; n < limit; n++) {
            int domain = domainOf[n];
            if (domain >= 0) {
                domainSums[domain] += nodeCounts[n];
            }
        }
        return domainSums;
    }

    @Override
    public boolean judgesEachNodeAlone(PodContext pod, ClusterSnapshot snapshot) {
        // Without required terms of its own, a pod's verdicts depend only on existing pods' anti-affinity,
        // which placing a copy of the pod (it has no terms) does not change.
        InterPodConstraints constraints = pod.pod().interPod();
        return constraints.requiredAffinity().isEmpty() && constraints.requiredAntiAffinity().isEmpty();
    }

    @Override
    public boolean evictionMayResolve(String reason) {
        // Evicting pods can clear a domain of pods the pod must keep away from; it cannot create the
        // pods the pod needs beside it, nor a topology label.
        return REASON_ANTI_AFFINITY.equals(reason) || REASON_EXISTING_ANTI_AFFINITY.equals(reason);
    }

    @Override
    public Set<ClusterEventType> eventsThatMayHelp() {
        return EVENTS;
    }

    // ------------------------------------------------------------------ score

    @Override
    public long uniformScore(PodContext pod, ClusterSnapshot snapshot) {
        InterPodConstraints constraints = pod.pod().interPod();
        PodTopologyCounts counts = snapshot.extension(PodTopologyCounts.class);
        if (constraints.preferredAffinity().isEmpty() && constraints.preferredAntiAffinity().isEmpty()
                && !counts.anyScoringTerms()) {
            return 0;
        }
        if (!constraints.preferredAffinity().isEmpty() || !constraints.preferredAntiAffinity().isEmpty()) {
            // Its own preferred terms may select its copies (executors keeping apart per host): once
            // one is placed the scores are no longer alike, so the copies after it need every node scored.
            return SCORE_EACH_NODE;
        }
        // Nothing accumulated (no pod matched any term): every node scores alike, 0 after normalizing.
        return topologyScore(pod, snapshot, counts) ? SCORE_EACH_NODE : 0;
    }

    @Override
    public void score(PodContext pod, ClusterSnapshot snapshot, int[] nodes, int count, long[] scores) {
        PodTopologyCounts counts = snapshot.extension(PodTopologyCounts.class);
        if (!topologyScore(pod, snapshot, counts)) {
            Arrays.fill(scores, 0, count, 0);
            return;
        }
        int keys = scoreKeys.size();
        for (int i = 0; i < count; i++) {
            int node = nodes[i];
            long score = 0;
            for (int k = 0; k < keys; k++) {
                int domain = scoreKeys.get(k).domainOf(node);
                if (domain >= 0) {
                    score += scoreByDomain.get(k)[domain];
                }
            }
            scores[i] = score;
        }
    }

    /** kube-scheduler's min-max normalization to 0..100 (in floating point, truncated, as it does). */
    @Override
    public void normalize(PodContext pod, long[] scores, int count) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < count; i++) {
            min = Math.min(min, scores[i]);
            max = Math.max(max, scores[i]);
        }
        long spread = max - min;
        for (int i = 0; i < count; i++) {
            scores[i] = spread > 0 ? (long) (MAX_NODE_SCORE * ((double) (scores[i] - min) / (double) spread)) : 0;
        }
    }

    @Override
    public Dependence dependence() {
        return Dependence.CLUSTER;
    }

    /**
     * Builds (once per context) the score of each topology domain for the pod; false when no term
     * matched any pod, so every node scores alike.
     */
    private boolean topologyScore(PodContext pod, ClusterSnapshot snapshot, PodTopologyCounts counts) {
        if (scoredFor == pod) {
            return !scoreKeys.isEmpty();
        }
        scoredFor = pod;
        scoreKeys.clear();
        scoreByDomain.clear();
        PodInfo info = pod.pod();
        String namespace = info.key().namespace();
        InterPodConstraints own = info.interPod();
        int bound = snapshot.nodeIndexBound();
        for (WeightedPodAffinityTerm weighted : own.preferredAffinity()) {
            addMatchingPods(weighted, 1, namespace, counts, bound);
        }
        for (WeightedPodAffinityTerm weighted : own.preferredAntiAffinity()) {
            addMatchingPods(weighted, -1, namespace, counts, bound);
        }
        if (counts.anyScoringTerms()) {
            for (ExistingTerms terms : counts.existingTerms()) {
                long weight = switch (terms.kind()) {
                    case REQUIRED_AFFINITY -> hardPodAffinityWeight;
                    case PREFERRED_AFFINITY -> terms.weight();
                    case PREFERRED_ANTI_AFFINITY -> -terms.weight();
                    case REQUIRED_ANTI_AFFINITY -> 0;
                };
                if (weight != 0 && terms.selection() != null && terms.selection().matches(info, snapshot::namespaceLabels)) {
                    addCarriers(terms, weight, counts, bound);
                }
            }
        }
        return !scoreKeys.isEmpty();
    }

    /** The pod's own preferred term: its weight for every matching pod in a domain. */
    private void addMatchingPods(WeightedPodAffinityTerm weighted, int sign, String namespace,
                                 PodTopologyCounts counts, int bound) {
        PodMatcher matcher = PodMatcher.ofTerm(weighted.term(), namespace);
        if (matcher == null) {
            return;
        }
        TopologyDomains domains = counts.domains(weighted.term().topologyKey());
        int[] sums = sumByDomain(counts.counts(matcher), domains, bound);
        long[] byDomain = null;
        for (int d = 0; d < domains.domainCount(); d++) {
            if (sums[d] > 0) {
                if (byDomain == null) {
                    byDomain = scoresFor(domains);
                }
                byDomain[d] += (long) sign * weighted.weight() * sums[d];
            }
        }
    }

    /** Existing pods' term that selects the incoming pod: its weight for each carrying pod, in the carrier's domain. */
    private void addCarriers(ExistingTerms terms, long weight, PodTopologyCounts counts, int bound) {
        TopologyDomains domains = counts.domains(terms.term().topologyKey());
        int[] sums = sumByDomain(terms.podsPerNode(), domains, bound);
        long[] byDomain = null;
        for (int d = 0; d < domains.domainCount(); d++) {
            if (sums[d] > 0) {
                if (byDomain == null) {
                    byDomain = scoresFor(domains);
                }
                byDomain[d] += weight * sums[d];
            }
        }
    }

    private long[] scoresFor(TopologyDomains domains) {
        for (int k = 0; k < scoreKeys.size(); k++) {
            if (scoreKeys.get(k) == domains) {
                return scoreByDomain.get(k);
            }
        }
        long[] byDomain = new long[domains.domainCount()];
        scoreKeys.add(domains);
        scoreByDomain.add(byDomain);
        return byDomain;
    }
}
