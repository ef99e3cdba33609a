package io.kubenexus.scheduler.gang.lifecycle;

import io.kubenexus.scheduler.core.model.PodInfo;
import java.time.Instant;

/**
 * A place held on a node for an executor its driver has not created yet: an assumed placeholder
 * pod in the cluster state, so no other pod can take the capacity.
 *
 * @param placeholder the assumed pod standing in for the executor (synthetic key, never bound)
 * @param groupId     the driver's group
 * @param driver      the driver the place was reserved with (told when it expires)
 * @param expiresAt   released unused at this time
 */
public record Reservation(PodInfo placeholder, String groupId, PodInfo driver, Instant expiresAt) {
}
