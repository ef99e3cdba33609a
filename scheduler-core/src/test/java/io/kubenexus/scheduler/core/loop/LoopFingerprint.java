package io.kubenexus.scheduler.core.loop;

import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.state.ResourceColumns;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** What a query must leave as it found it: per node, what is charged and to which pods (assumed or not). */
final class LoopFingerprint {
    private LoopFingerprint() {
    }

    static List<String> of(SchedulingLoop loop) {
        ClusterState state = loop.stateForTest();
        List<String> lines = new ArrayList<>();
        for (int n = state.liveNodes().nextSetBit(0); n >= 0; n = state.liveNodes().nextSetBit(n + 1)) {
            String name = state.node(n).name();
            TreeSet<String> pods = new TreeSet<>();
            for (var key : state.podsOnNode(name)) {
                pods.add(key + (state.isAssumed(key) ? " (assumed)" : ""));
            }
            lines.add(name + " cpu=" + state.requested(ResourceColumns.CPU, n) + " memory="
                    + state.requested(ResourceColumns.MEMORY, n) + " pods=" + state.requested(ResourceColumns.PODS, n)
                    + " " + pods);
        }
        lines.add("accounted=" + state.accountedPodCount());
        return lines;
    }
}
