package io.kubenexus.scheduler.core.framework;

import java.util.Objects;

/**
 * The group a pod must be scheduled with.
 *
 * @param groupId        {@code namespace/name} of the group; members share it
 * @param minMembers     how many members must be placed together, as this pod declares it (the
 *                       group uses the largest value its members or its PodGroup object declare);
 *                       0 when the pod does not declare one
 * @param role           the pod's part: created with its siblings, or a driver / executor
 * @param appName        for drivers and executors, the application whose executor template sizes
 *                       the reservation (e.g. the SparkApplication name); else null
 * @param invalidReason  non-null when the pod's group labels cannot be read; the pod is reported
 *                       and not scheduled
 */
public record GroupMembership(String groupId, int minMembers, GroupRole role, String appName, String invalidReason) {
    public GroupMembership {
        Objects.requireNonNull(groupId, "groupId");
        role = role == null ? GroupRole.MEMBER : role;
    }

    public static GroupMembership of(String groupId, int minMembers) {
        return new GroupMembership(groupId, minMembers, GroupRole.MEMBER, null, null);
    }

    public static GroupMembership of(String groupId, int minMembers, GroupRole role, String appName) {
        return new GroupMembership(groupId, minMembers, role, appName, null);
    }

    public static GroupMembership invalid(String groupId, String reason) {
        return new GroupMembership(groupId, 0, GroupRole.MEMBER, null, reason);
    }

    public boolean isValid() {
        return invalidReason == null;
    }
}
