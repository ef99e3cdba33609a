package io.kubenexus.scheduler.core.framework;

import io.kubenexus.scheduler.core.model.PodKey;
import java.util.Map;
import java.util.Set;

/** The outcome of planning a whole group against one snapshot. */
public sealed interface GroupPlan {

    /**
     * Every pending member has a node. The planner has assumed them all in the cluster state; the
     * loop binds them.
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
