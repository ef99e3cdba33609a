package io.kubenexus.scheduler.core.topology;

import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.state.ClusterSnapshot;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * The domains of one topology key: a dense domain number per node index (-1 where the node lacks the
 * key), so per-domain sums are array additions instead of map lookups per node. Rebuilt in O(nodes)
 * when {@link PodTopologyCounts} sees a node change that touches the key; read-only to plugins.
 */
public final class TopologyDomains {
    private final String key;
    private int[] domainOf = new int[0];
    private String[] values = new String[0];
    private int domainCount;
    private boolean stale = true;

    TopologyDomains(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** Domain numbers run 0..domainCount()-1. */
    public int domainCount() {
        return domainCount;
    }

    /** The node's domain number, or -1 when the node lacks the key (or does not exist). */
    public int domainOf(int node) {
        return node < domainOf.length ? domainOf[node] : -1;
    }

    /** Domain numbers by node index; read-only, valid for the current decision only. */
    public int[] domainColumn() {
        return domainOf;
    }

    /** The key's value that domain {@code domain} stands for. */
    public String value(int domain) {
        return values[domain];
    }

    void markStale() {
        stale = true;
    }

    TopologyDomains refreshed(ClusterSnapshot snapshot) {
        if (!stale && domainOf.length >= snapshot.nodeIndexBound()) {
            return this;
        }
        int bound = snapshot.nodeIndexBound();
        if (domainOf.length < bound) {
            domainOf = new int[Math.max(bound, domainOf.length * 2)];
        }
        Arrays.fill(domainOf, -1);
        Map<String, Integer> numbers = new HashMap<>();
        BitSet live = snapshot.liveNodes();
        for (int n = live.nextSetBit(0); n >= 0; n = live.nextSetBit(n + 1)) {
            NodeInfo node = snapshot.node(n);
            String value = node.labels().get(key);
            if (value != null) {
                Integer number = numbers.get(value);
                if (number == null) {
                    number = numbers.size();
                    numbers.put(value, number);
                }
                domainOf[n] = number;
            }
        }
        domainCount = numbers.size();
        values = new String[domainCount];
        numbers.forEach((value, number) -> values[number] = value);
        stale = false;
        return this;
    }
}
