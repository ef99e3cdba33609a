package io.kubenexus.scheduler.core.query;

import java.time.Instant;
import java.util.List;

/**
 * A gang member's side of {@link PodExplanation}.
 *
 * @param groupId           {@code namespace/name} of the group
 * @param minAvailable      members that must be placed together
 * @param membersBound      members bound (or with a bind under way)
 * @param membersPending    members waiting to be placed
 * @param membersMissing    min-available minus the members seen, at least 0
 * @param planResult        what the planner says of the group now ("gang g: fits 2 of 3", or
 *                          "placeable" when it would place it), or null when there is no group to plan
 * @param reservationsHeld  executor places held for the group
 * @param reservedNodes     the nodes of those places, sorted, repeated per place
 * @param earliestExpiry    when the first of them is released, or null
 */
public record GangExplanation(String groupId, int minAvailable, int membersBound, int membersPending,
                              int membersMissing, String planResult, int reservationsHeld,
                              List<String> reservedNodes, Instant earliestExpiry) {
    public GangExplanation {
        reservedNodes = List.copyOf(reservedNodes);
    }
}
