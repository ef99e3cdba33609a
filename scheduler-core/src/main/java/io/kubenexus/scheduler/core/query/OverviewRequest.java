package io.kubenexus.scheduler.core.query;

/**
 * What the cluster page asks for in one snapshot.
 *
 * @param poolLabel    the node label whose value names a node's pool ({@code metrics.nodePoolLabel}),
 *                     or null for no pools
 * @param zonesOfNode  the node whose NUMA zones to include (the one a person clicked), or null
 * @param maxGroups    at most this many gangs are listed (waiting ones first); the total is always given
 */
public record OverviewRequest(String poolLabel, String zonesOfNode, int maxGroups) {
    public OverviewRequest {
        if (maxGroups < 0) {
            throw new IllegalArgumentException("maxGroups must not be negative, was " + maxGroups);
        }
        poolLabel = poolLabel == null || poolLabel.isBlank() ? null : poolLabel;
    }
}
