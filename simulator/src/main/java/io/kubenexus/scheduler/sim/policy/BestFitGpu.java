package io.kubenexus.scheduler.sim.policy;

import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.framework.ScorePlugin;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.core.state.ClusterSnapshot;
import java.util.Arrays;

/**
 * A baseline of the simulator, not a plugin the scheduler ships: best fit on GPUs. A node scores
 * higher the fewer GPUs it would have free after the pod is placed there, so GPUs are filled node by
 * node (a CPU-only pod prefers nodes with no free GPU at all). Depends on each node alone.
 */
public final class BestFitGpu implements ScorePlugin {
    public static final String NAME = "BestFitGpu";
    /** Free GPUs left are told apart up to this many; more than this scores 0. */
    static final long GPU_SCALE = 16;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Dependence dependence() {
        return Dependence.NODE_USAGE;
    }

    @Override
    public void score(PodContext pod, ClusterSnapshot snapshot, int[] nodes, int count, long[] scores) {
        int column = snapshot.columns().columnOf(ResourceNames.NVIDIA_GPU);
        long[] free = column < 0 ? null : snapshot.unrequestedColumn(column);
        if (free == null) {
            Arrays.fill(scores, 0, count, MAX_NODE_SCORE); // no GPU anywhere: every node fits alike
            return;
        }
        long wanted = 0;
        int[] columns = pod.requestColumns();
        for (int i = 0; i < columns.length; i++) {
            if (columns[i] == column) {
                wanted = pod.requestAmounts()[i];
            }
        }
        for (int i = 0; i < count; i++) {
            long left = Math.min(GPU_SCALE, Math.max(0, free[nodes[i]] - wanted));
            scores[i] = MAX_NODE_SCORE * (GPU_SCALE - left) / GPU_SCALE;
        }
    }
}
