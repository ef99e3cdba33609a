package io.kubenexus.scheduler.core.query;

import java.time.Instant;

/**
 * One group the loop knows (its members are ours, or it holds reservations or extender binds).
 *
 * @param groupId          {@code namespace/name}
 * @param minAvailable     the largest min-available its PodGroup object or members declare (0 if none does)
 * @param state            where it stands
 * @param membersPending   members waiting to be placed (extender binds held included)
 * @param membersBound     members bound or binding
 * @param reservationsHeld executor places held for it
 * @param earliestExpiry   when the first of them is released, or null
 * @param waitingSince     since when members have been waiting, or null when none waits
 */
public record GroupSummary(String groupId, int minAvailable, GroupState state, int membersPending, int membersBound,
                           int reservationsHeld, Instant earliestExpiry, Instant waitingSince) {
}
