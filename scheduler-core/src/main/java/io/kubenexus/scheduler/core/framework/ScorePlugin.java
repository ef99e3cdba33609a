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

    /** What a node's score depends on, for deciding identical pods one after another. */
    enum Dependence {
        /**
         * Only what the node is (labels, taints), never the pods on it; {@link #normalize} may
         * compare nodes. Assuming a pod somewhere changes no score, but removing a node from the
         * feasible set may change the normalized scores of the others.
         */
        NODE_PROPERTIES,
        /**
         * The node and the pods on it (requests, zones), each node on its own: {@link #normalize}
         * never compares nodes. After a pod is assumed on a node only that node's score changes.
         */
        NODE_USAGE,
        /** Anything else (e.g. where other pods run across nodes): every node is scored again. */
        CLUSTER
    }

    /** What a node's score depends on; {@link Dependence#CLUSTER}, the safe default, scores every node again after each pod. */
    default Dependence dependence() {
        return Dependence.CLUSTER;
    }

    /** {@link #uniformScore} when the plugin has to look at every node. */
    long SCORE_EACH_NODE = -1;

    void score(PodContext pod, ClusterSnapshot snapshot, int[] nodes, int count, long[] scores);

    /**
     * The normalized score every node would get, when the pod alone tells (a pod without preferred
     * terms, a cluster without taints it minds), so the loop adds it once instead of calling
     * {@link #score} and {@link #normalize} over thousands of nodes; like kube-scheduler's PreScore
     * returning Skip, but the total stays what scoring every node would give. {@link #SCORE_EACH_NODE}
     * otherwise, the default.
     */
    default long uniformScore(PodContext pod, ClusterSnapshot snapshot) {
        return SCORE_EACH_NODE;
    }

    /**
     * Brings raw scores into 0..{@link #MAX_NODE_SCORE} in place. Plugins whose raw scores are
     * already in range keep the default, which does nothing.
     */
    default void normalize(PodContext pod, long[] scores, int count) {
    }
}
