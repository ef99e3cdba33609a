package io.kubenexus.scheduler.core.topology;

import io.kubenexus.scheduler.core.model.InterPodConstraints;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.state.ClusterSnapshot;
import io.kubenexus.scheduler.core.state.StateExtension;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Counts of matching pods per node, kept in step with the cluster state for inter-pod affinity and
 * topology spread, so a decision sums O(nodes) per term instead of scanning pods.
 *
 * <p>A count is kept per {@link PodMatcher}, registered lazily the first time a pending pod needs it
 * (one scan of the charged pods), then updated on every pod charge, uncharge and label change.
 * Matchers are kept least-recently-used up to {@link #MAX_MATCHERS}; a matcher that reads namespace
 * labels is rebuilt when they change. Assumed pods count like bound ones, so members of a gang
 * planned in one attempt see each other's planned places.
 *
 * <p>Also keeps the charged pods that carry affinity or anti-affinity terms (usually few), for
 * existing pods' anti-affinity against an incoming pod and for scoring by existing pods' terms, and
 * each topology key's {@link TopologyDomains}.
 *
 * <p>Registered by every {@link io.kubenexus.scheduler.core.state.ClusterState}; loop thread only.
 */
public final class PodTopologyCounts implements StateExtension {
    /** Beyond this many tracked matchers the least recently used is dropped (and rebuilt if needed again). */
    public static final int MAX_MATCHERS = 256;
    private static final int MAX_DOMAIN_KEYS = 64;

    /** A charged pod with affinity or anti-affinity terms, and the node index it is charged to. */
    public record PodWithTerms(PodInfo pod, int node) {
    }

    private static final class Tracked {
        final PodMatcher matcher;
        int[] counts;
        long namespaceGeneration;

        Tracked(PodMatcher matcher, int size) {
            this.matcher = matcher;
            this.counts = new int[size];
        }
    }

    private final ClusterSnapshot snapshot;
    private final Function<String, Map<String, String>> namespaceLabels;
    private final LinkedHashMap<PodMatcher, Tracked> tracked = new LinkedHashMap<>(16, 0.75f, true);
    private Tracked[] trackedList = new Tracked[0];
    @SuppressWarnings("unchecked")
    private List<PodInfo>[] podsByNode = new List[64];
    private final Map<PodKey, PodWithTerms> podsWithTerms = new LinkedHashMap<>();
    private int podsWithRequiredAntiAffinity;
    private int podsWithScoringTerms;
    private final Map<String, TopologyDomains> domains = new HashMap<>();

    /** @param snapshot the state this extension is registered with: namespace labels and nodes are read from it */
    public PodTopologyCounts(ClusterSnapshot snapshot) {
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
        this.namespaceLabels = snapshot::namespaceLabels;
    }

    // ------------------------------------------------------------------ queries

    /**
     * Matching pods per node index for {@code matcher} (registering it with one scan if new); read-only,
     * valid until the cluster changes. Indices at or above the array's length count 0.
     */
    public int[] counts(PodMatcher matcher) {
        Tracked entry = tracked.get(matcher);
        if (entry != null && matcher.readsNamespaceLabels()
                && entry.namespaceGeneration != snapshot.namespaceGeneration()) {
            tracked.remove(matcher);
            entry = null;
        }
        if (entry == null) {
            entry = register(matcher);
        }
        return entry.counts;
    }

    /** The domains of {@code topologyKey} over the current nodes. */
    public TopologyDomains domains(String topologyKey) {
        TopologyDomains entry = domains.get(topologyKey);
        if (entry == null) {
            if (domains.size() >= MAX_DOMAIN_KEYS) {
                domains.clear();
            }
            entry = new TopologyDomains(topologyKey);
            domains.put(topologyKey, entry);
        }
        return entry.refreshed(snapshot);
    }

    /** Charged pods with affinity or anti-affinity terms, in no particular order; read-only. */
    public Collection<PodWithTerms> podsWithTerms() {
        return Collections.unmodifiableCollection(podsWithTerms.values());
    }

    /** Whether some charged pod has required anti-affinity terms (an incoming pod may have to keep away). */
    public boolean anyRequiredAntiAffinity() {
        return podsWithRequiredAntiAffinity > 0;
    }

    /** Whether some charged pod has terms that score nodes for others (required affinity or preferred terms). */
    public boolean anyScoringTerms() {
        return podsWithScoringTerms > 0;
    }

    /** How many matchers are tracked now (bounded by {@link #MAX_MATCHERS}). */
    public int trackedMatchers() {
        return tracked.size();
    }

    // ------------------------------------------------------------------ state callbacks

    @Override
    public void nodeChanged(int index, NodeInfo old, NodeInfo current) {
        if (old == null || current == null) {
            domains.values().forEach(TopologyDomains::markStale);
        } else if (!old.labels().equals(current.labels())) {
            for (TopologyDomains entry : domains.values()) {
                if (!Objects.equals(old.labels().get(entry.key()), current.labels().get(entry.key()))) {
                    entry.markStale();
                }
            }
        }
        if (current != null) {
            return;
        }
        // The node's pods are off it now; the state charges them again if it comes back.
        for (Tracked entry : trackedList) {
            if (index < entry.counts.length) {
                entry.counts[index] = 0;
            }
        }
        if (index < podsByNode.length && podsByNode[index] != null) {
            for (PodInfo pod : podsByNode[index]) {
                forgetTerms(pod);
            }
            podsByNode[index] = null;
        }
    }

    @Override
    public void podCharged(int index, PodInfo pod, boolean assumed) {
        if (index >= podsByNode.length) {
            podsByNode = Arrays.copyOf(podsByNode, Math.max(index + 1, podsByNode.length * 2));
        }
        if (podsByNode[index] == null) {
            podsByNode[index] = new ArrayList<>(8);
        }
        podsByNode[index].add(pod);
        for (Tracked entry : trackedList) {
            if (entry.matcher.matches(pod, namespaceLabels)) {
                increment(entry, index, 1);
            }
        }
        rememberTerms(pod, index);
    }

    @Override
    public void podUncharged(int index, PodInfo pod) {
        List<PodInfo> onNode = index < podsByNode.length ? podsByNode[index] : null;
        PodInfo charged = pod;
        if (onNode != null) {
            for (int i = 0; i < onNode.size(); i++) {
                if (onNode.get(i).key().equals(pod.key())) {
                    charged = onNode.remove(i);
                    break;
                }
            }
        }
        for (Tracked entry : trackedList) {
            if (entry.matcher.matches(charged, namespaceLabels)) {
                increment(entry, index, -1);
            }
        }
        forgetTerms(charged);
    }

    @Override
    public void podUpdated(int index, PodInfo previous, PodInfo current) {
        if (index < 0 || index >= podsByNode.length || podsByNode[index] == null) {
            return; // not charged to a node: nothing counted
        }
        List<PodInfo> onNode = podsByNode[index];
        PodInfo counted = previous;
        for (int i = 0; i < onNode.size(); i++) {
            if (onNode.get(i).key().equals(current.key())) {
                counted = onNode.set(i, current);
                break;
            }
        }
        if (!counted.labels().equals(current.labels()) || counted.terminating() != current.terminating()
                || !Objects.equals(counted.controllerUid(), current.controllerUid())) {
            for (Tracked entry : trackedList) {
                boolean was = entry.matcher.matches(counted, namespaceLabels);
                boolean is = entry.matcher.matches(current, namespaceLabels);
                if (was != is) {
                    increment(entry, index, is ? 1 : -1);
                }
            }
        }
        forgetTerms(counted);
        rememberTerms(current, index);
    }

    // ------------------------------------------------------------------ internals

    private Tracked register(PodMatcher matcher) {
        if (tracked.size() >= MAX_MATCHERS) {
            Iterator<PodMatcher> eldest = tracked.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
        Tracked entry = new Tracked(matcher, Math.max(snapshot.nodeIndexBound(), podsByNode.length));
        entry.namespaceGeneration = snapshot.namespaceGeneration();
        for (int n = 0; n < podsByNode.length; n++) {
            List<PodInfo> onNode = podsByNode[n];
            if (onNode == null) {
                continue;
            }
            int count = 0;
            for (int i = 0, size = onNode.size(); i < size; i++) {
                if (matcher.matches(onNode.get(i), namespaceLabels)) {
                    count++;
                }
            }
            entry.counts[n] = count;
        }
        tracked.put(matcher, entry);
        trackedList = tracked.values().toArray(new Tracked[0]);
        return entry;
    }

    private static void increment(Tracked entry, int index, int delta) {
        if (index >= entry.counts.length) {
            entry.counts = Arrays.copyOf(entry.counts, Math.max(index + 1, entry.counts.length * 2));
        }
        entry.counts[index] += delta;
    }

    private void rememberTerms(PodInfo pod, int index) {
        InterPodConstraints terms = pod.interPod();
        if (!terms.hasAffinityTerms()) {
            return;
        }
        podsWithTerms.put(pod.key(), new PodWithTerms(pod, index));
        if (!terms.requiredAntiAffinity().isEmpty()) {
            podsWithRequiredAntiAffinity++;
        }
        if (scores(terms)) {
            podsWithScoringTerms++;
        }
    }

    private void forgetTerms(PodInfo pod) {
        PodWithTerms removed = podsWithTerms.remove(pod.key());
        if (removed == null) {
            return;
        }
        InterPodConstraints terms = removed.pod().interPod();
        if (!terms.requiredAntiAffinity().isEmpty()) {
            podsWithRequiredAntiAffinity--;
        }
        if (scores(terms)) {
            podsWithScoringTerms--;
        }
    }

    private static boolean scores(InterPodConstraints terms) {
        return !terms.requiredAffinity().isEmpty() || !terms.preferredAffinity().isEmpty()
                || !terms.preferredAntiAffinity().isEmpty();
    }
}
