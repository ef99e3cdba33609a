package io.kubenexus.scheduler.core.config;

/** How NodeResourcesFit scores a node's utilisation, as kube-scheduler's scoringStrategy.type. */
public enum ScoringStrategy {
    /** Prefer emptier nodes (kube-scheduler's default): spreads load. */
    LEAST_ALLOCATED,
    /** Prefer fuller nodes: packs pods, leaving whole nodes free for big pods and gangs. */
    MOST_ALLOCATED
}
