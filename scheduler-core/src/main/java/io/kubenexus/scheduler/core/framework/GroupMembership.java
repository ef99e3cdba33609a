package io.kubenexus.scheduler.core.framework;

import java.util.Objects;

/**
 * The group a pod must be scheduled with.
 *
 * @param groupId        {@code namespace/name} of the group; members share it
 * @param minMembers     how many members must be placed together, as this pod declares it (the
 *                       group uses the largest value its members declare); 0 when the pod does
 *                       not declare one and relies on its siblings
 * @param invalidReason  non-null when the pod's group labels cannot be read; the pod is reported
 *                       and not scheduled
 */
public record GroupMembership(String groupId, int minMembers, String invalidReason) {
    public GroupMembership {
        Objects.requireNonNull(groupId, "groupId");
    }

    public static GroupMembership of(String groupId, int minMembers) {
        return new GroupMembership(groupId, minMembers, null);
    }

    public static GroupMembership invalid(String groupId, String reason) {
        return new GroupMembership(groupId, 0, reason);
    }

    public boolean isValid() {
        return invalidReason == null;
    }
}
