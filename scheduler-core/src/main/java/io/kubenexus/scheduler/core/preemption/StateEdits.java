package io.kubenexus.scheduler.core.preemption;

import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The what-if edits a preemption question makes to the live {@link ClusterState} (pods taken off,
 * preemptors placed), each logged with its inverse so the state is restored exactly, bound pods as
 * bound and assumed ones as assumed. The loop stays the single writer: edits are made and undone on
 * its thread within one question, which is opened as a what-if on the state (so its extensions give
 * pods put back exactly what they held) and closed by {@link #close}.
 */
final class StateEdits implements AutoCloseable {
    private final ClusterState state;
    private final Deque<Runnable> undo = new ArrayDeque<>();
    /** Whether each pod taken off was assumed (not yet seen bound), to put it back the same way. */
    private final Map<PodKey, Boolean> takenOffAssumed = new HashMap<>();

    StateEdits(ClusterState state) {
        this.state = state;
        state.beginWhatIf();
    }

    /** Takes an accounted pod off its node; does nothing for a pod not accounted. */
    void takeOff(PodInfo pod) {
        PodKey key = pod.key();
        PodInfo accounted = state.accountedPod(key);
        if (accounted == null) {
            return;
        }
        boolean assumed = state.isAssumed(key);
        takenOffAssumed.putIfAbsent(key, assumed);
        state.removePod(key);
        undo.push(() -> restore(accounted, assumed));
    }

    /** Puts back a pod {@link #takeOff taken off} earlier in this question; does nothing for others. */
    void putBack(PodInfo pod) {
        PodKey key = pod.key();
        Boolean assumed = takenOffAssumed.get(key);
        if (assumed == null || state.accountedPod(key) != null) {
            return;
        }
        restore(pod, assumed);
        undo.push(() -> state.removePod(key));
    }

    /** Charges {@code pod} to {@code nodeName} as if it ran there (a preemptor placed in the plan). */
    void place(PodInfo pod, String nodeName) {
        PodKey key = pod.key();
        PodInfo before = state.accountedPod(key);
        boolean beforeAssumed = state.isAssumed(key);
        state.assume(pod.withNodeName(nodeName));
        undo.push(() -> {
            state.removePod(key);
            if (before != null) {
                restore(before, beforeAssumed);
            }
        });
    }

    int mark() {
        return undo.size();
    }

    /** Undoes every edit made after {@code mark}, newest first. */
    void rollbackTo(int mark) {
        while (undo.size() > mark) {
            undo.pop().run();
        }
    }

    /** Undoes every edit and closes the what-if question. */
    @Override
    public void close() {
        try {
            rollbackTo(0);
        } finally {
            state.endWhatIf();
        }
    }

    private void restore(PodInfo pod, boolean assumed) {
        if (assumed) {
            state.assume(pod);
        } else {
            state.upsertPod(pod);
        }
    }
}
