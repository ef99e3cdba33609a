package io.kubenexus.scheduler.gang.group;

import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.model.PodKey;
import java.util.Map;
import java.util.Set;

/** The outcome of planning a whole group against one snapshot. */
public sealed interface GroupPlan {

    /**
     * Enough members have a node: at least min-available together with those already bound. The
     * planner has assumed every member in {@code nodes}; the loop binds them. Members beyond
     * min-available that did not fit are absent and stay pending.
     */
    record Placed(Map<PodKey, String> nodes) implements GroupPlan {
        public Placed {
            nodes = Map.copyOf(nodes);
        }
    }

    /**
     * The group cannot be placed now and holds nothing. {@code message} tells users why, with counts;
     * {@code helpfulEvents} are the cluster changes worth a retry (a new member always is).
     */
    record Waiting(String message, Set<ClusterEventType> helpfulEvents) implements GroupPlan {
        public Waiting {
            helpfulEvents = Set.copyOf(helpfulEvents);
        }
    }
}
