package io.kubenexus.scheduler.core.topology;

import io.kubenexus.scheduler.core.model.PodAffinityTerm;
import java.util.Arrays;
import java.util.Objects;

/**
 * One distinct affinity term carried by charged pods (the replicas of one Deployment share it), with
 * how many of them sit on each node: existing pods' anti-affinity and scoring terms cost a pass over
 * the nodes per distinct term instead of a look at every pod that carries one. Kept by
 * {@link PodTopologyCounts}; read-only to plugins.
 */
public final class ExistingTerms {

    /** Which list of the carrying pods' constraints the term is in. */
    public enum Kind {
        REQUIRED_AFFINITY,
        REQUIRED_ANTI_AFFINITY,
        PREFERRED_AFFINITY,
        PREFERRED_ANTI_AFFINITY
    }

    /** What makes two pods' terms the same: the term, the carrying pods' namespace and the weight. */
    record Key(Kind kind, PodAffinityTerm term, String ownerNamespace, int weight) {
        Key {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(term, "term");
            Objects.requireNonNull(ownerNamespace, "ownerNamespace");
        }
    }

    private final Key key;
    private final PodSelection selection;
    private int[] podsPerNode = new int[0];
    private int pods;

    ExistingTerms(Key key) {
        this.key = key;
        this.selection = PodSelection.of(key.term(), key.ownerNamespace());
    }

    public Kind kind() {
        return key.kind();
    }

    public PodAffinityTerm term() {
        return key.term();
    }

    /** The namespace of the pods that carry the term (a term without namespaces means theirs). */
    public String ownerNamespace() {
        return key.ownerNamespace();
    }

    /** The term's weight (preferred terms), 0 for required ones. */
    public int weight() {
        return key.weight();
    }

    /** The pods the term is about, resolved in the carrying pods' namespace; null when it selects none. */
    public PodSelection selection() {
        return selection;
    }

    /** Carrying pods per node index; read-only, valid for the current decision. Shorter arrays count 0 beyond. */
    public int[] podsPerNode() {
        return podsPerNode;
    }

    int pods() {
        return pods;
    }

    void add(int node, int delta) {
        if (node >= podsPerNode.length) {
            podsPerNode = Arrays.copyOf(podsPerNode, Math.max(node + 1, podsPerNode.length * 2));
        }
        podsPerNode[node] += delta;
        pods += delta;
    }
}
