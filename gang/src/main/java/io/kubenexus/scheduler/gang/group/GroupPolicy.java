package io.kubenexus.scheduler.gang.group;

import io.kubenexus.scheduler.core.model.ResourceList;
import java.time.Duration;
import java.util.Objects;

/**
 * What a PodGroup object (scheduler-plugins' scheduling.x-k8s.io/v1alpha1, or Kubernetes'
 * scheduling.k8s.io/v1alpha2) says about its group.
 *
 * @param groupId          {@code namespace/name}
 * @param minMembers       minMember / gang.minCount (1 for a basic policy)
 * @param minResources     resources the whole group needs (scheduler-plugins' minResources), or empty
 * @param scheduleTimeout  scheduleTimeoutSeconds, or null
 * @param source           the API the object came from, for messages
 */
public record GroupPolicy(String groupId, int minMembers, ResourceList minResources, Duration scheduleTimeout,
                          String source) {
    public GroupPolicy {
        Objects.requireNonNull(groupId, "groupId");
        if (minMembers < 1) {
            throw new IllegalArgumentException(groupId + ": minMembers must be at least 1, was " + minMembers);
        }
        minResources = minResources == null ? ResourceList.EMPTY : minResources;
    }
}
