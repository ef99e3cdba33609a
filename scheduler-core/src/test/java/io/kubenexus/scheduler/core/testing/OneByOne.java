package io.kubenexus.scheduler.core.testing;

import io.kubenexus.scheduler.core.loop.Decision;
import io.kubenexus.scheduler.core.loop.SchedulingAlgorithm;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.util.ArrayList;
import java.util.List;

/** The reference for deciding several pods: one full decision each, each placed pod assumed before the next. */
public final class OneByOne {
    private OneByOne() {
    }

    public static List<Decision> decide(SchedulingAlgorithm algorithm, ClusterState state, List<PodInfo> pods) {
        List<Decision> decisions = new ArrayList<>();
        for (PodInfo pod : pods) {
            Decision decision = algorithm.schedule(pod, state);
            decisions.add(decision);
            if (decision instanceof Decision.Placed placed) {
                state.assume(pod.withNodeName(placed.nodeName()));
            }
        }
        return decisions;
    }
}
