package io.kubenexus.scheduler.gang.group;

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
 * @param sizedByPodGroup the pod names a PodGroup object, which gives the group's size; the pod
 *                       waits for that object before it is placed
 */
public record GroupMembership(String groupId, int minMembers, GroupRole role, String appName, String invalidReason,
                              boolean sizedByPodGroup) {
    public GroupMembership {
        Objects.requireNonNull(groupId, "groupId");
        role = role == null ? GroupRole.MEMBER : role;
    }

    public static GroupMembership of(String groupId, int minMembers) {
        return new GroupMembership(groupId, minMembers, GroupRole.MEMBER, null, null, false);
    }

    public static GroupMembership of(String groupId, int minMembers, GroupRole role, String appName) {
        return new GroupMembership(groupId, minMembers, role, appName, null, false);
    }

    /** A member of the group a PodGroup object describes. */
    public static GroupMembership ofPodGroup(String groupId, GroupRole role, String appName) {
        return new GroupMembership(groupId, 0, role, appName, null, true);
    }

    public static GroupMembership invalid(String groupId, String reason) {
        return new GroupMembership(groupId, 0, GroupRole.MEMBER, null, reason, false);
    }

    public boolean isValid() {
        return invalidReason == null;
    }
}
