package io.kubenexus.scheduler.core.framework;

import io.kubenexus.scheduler.core.state.ClusterSnapshot;

/**
 * Scores the feasible nodes of a pod. The framework multiplies each plugin's normalized score
 * (0..{@link #MAX_NODE_SCORE}) by the plugin's configured weight and sums them.
 *
 * <p>Contract: {@code nodes[0..count)} are feasible node indices in ascending order; write the
 * score of {@code nodes[i]} to {@code scores[i]}. Allocate nothing per node. Called only from the
 * scheduling loop.
 */
public interface ScorePlugin extends SchedulingPlugin {
    long MAX_NODE_SCORE = 100;

    void score(PodContext pod, ClusterSnapshot snapshot, int[] nodes, int count, long[] scores);

    /**
     * Brings raw scores into 0..{@link #MAX_NODE_SCORE} in place. Plugins whose raw scores are
     * already in range keep the default, which does nothing.
     */
    default void normalize(PodContext pod, long[] scores, int count) {
    }
}
