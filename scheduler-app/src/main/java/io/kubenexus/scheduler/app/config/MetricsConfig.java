package io.kubenexus.scheduler.app.config;

/**
 * What the capacity metrics are broken down by.
 *
 * @param nodePoolLabel the node label whose value names a node's pool (e.g. {@code cloud.google.com/gke-nodepool}),
 *                      or null for no breakdown
 * @param maxNodePools  the most pools that get series of their own, 1..1000; nodes of further pools count under
 *                      {@code other}, so a label with a value per node cannot flood Prometheus
 */
public record MetricsConfig(String nodePoolLabel, int maxNodePools) {
    public static final int DEFAULT_MAX_NODE_POOLS = 20;
    public static final int MAX_MAX_NODE_POOLS = 1000;
    private static final String LABEL_KEY = "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
            + "[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?";

    public MetricsConfig {
        if (nodePoolLabel != null && (nodePoolLabel.length() > 316 || !nodePoolLabel.matches(LABEL_KEY))) {
            throw new IllegalArgumentException("metrics.nodePoolLabel: not a label key '" + nodePoolLabel
                    + "' (e.g. node.kubernetes.io/instance-type or cloud.google.com/gke-nodepool)");
        }
        if (maxNodePools < 1 || maxNodePools > MAX_MAX_NODE_POOLS) {
            throw new IllegalArgumentException("metrics.maxNodePools: must be 1.." + MAX_MAX_NODE_POOLS + ", was " + maxNodePools);
        }
    }

    public static MetricsConfig defaults() {
        return new MetricsConfig(null, DEFAULT_MAX_NODE_POOLS);
    }
}
