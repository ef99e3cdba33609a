package io.kubenexus.scheduler.gang.lifecycle;

import io.kubenexus.scheduler.gang.group.GroupMembership;
import io.kubenexus.scheduler.gang.group.GroupPolicy;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who belongs to which group, and where each member stands: pending (waiting to be placed) or bound
 * (holding resources: bound, or assumed with its bind under way). Also each group's PodGroup policy,
 * when the group waits since, and the summed requests of its pending members, kept as members come
 * and go so that a gang too big for the cluster is told in O(resources) whatever its size.
 * Used only on the scheduling loop thread.
 */
public final class GangMembers {
    private final Clock clock;
    private final SchedulerMetrics metrics;
    private final Map<PodKey, GroupMembership> memberships = new HashMap<>();
    private final Map<PodKey, ResourceList> pendingRequests = new HashMap<>();
    private final Map<String, Set<PodKey>> pending = new HashMap<>();
    private final Map<String, Set<PodKey>> bound = new HashMap<>();
    private final Map<String, Map<String, Long>> pendingDemand = new HashMap<>();
    private final Map<String, GroupPolicy> policies = new HashMap<>();
    /** When each group with pending members started waiting, for the wait-time histogram and time-outs. */
    private final Map<String, Instant> waitingSince = new HashMap<>();
    /** Members already warned about their group (a size they disagree on, a PodGroup not found): told once. */
    private final Set<PodKey> warned = new HashSet<>();

    public GangMembers(Clock clock, SchedulerMetrics metrics) {
        this.clock = clock;
        this.metrics = metrics;
    }

    // ------------------------------------------------------------------ membership

    /** The pod's membership as last tracked, or null. */
    public GroupMembership membership(PodKey key) {
        return memberships.get(key);
    }

    /** Records the pod's membership; returns the previous one (null when none). */
    public GroupMembership track(PodKey key, GroupMembership membership) {
        GroupMembership previous = memberships.put(key, membership);
        if (previous != null && !previous.groupId().equals(membership.groupId())) {
            leave(previous.groupId(), key);
        }
        return previous;
    }

    /** Forgets the pod's membership; returns it (null when none). */
    public GroupMembership untrack(PodKey key) {
        GroupMembership previous = memberships.remove(key);
        warned.remove(key);
        if (previous != null) {
            leave(previous.groupId(), key);
        }
        return previous;
    }

    /** Takes the pod out of its group's pending and bound members (a finished member no longer counts). */
    public void leave(String groupId, PodKey key) {
        removeFrom(pending, groupId, key);
        removeFrom(bound, groupId, key);
    }

    /**
     * Moves a member to pending ({@code requests} are its requests, summed into the group's demand) or
     * to bound ({@code requests} ignored).
     */
    public void move(String groupId, PodKey key, boolean toBound, ResourceList requests) {
        if (toBound) {
            // Bound first, so the last pending member's move counts as the group placed, not abandoned.
            bound.computeIfAbsent(groupId, g -> new LinkedHashSet<>()).add(key);
            Set<PodKey> waiting = pending.get(groupId);
            boolean lastPending = waiting != null && waiting.size() == 1 && waiting.contains(key);
            Instant since = lastPending ? waitingSince.remove(groupId) : null;
            removeFrom(pending, groupId, key);
            if (since != null) {
                metrics.groupWaited("placed", Duration.between(since, clock.instant()).toNanos());
            }
        } else {
            removeFrom(bound, groupId, key);
            ResourceList counted = requests == null ? ResourceList.EMPTY : requests;
            pending.computeIfAbsent(groupId, g -> new LinkedHashSet<>()).add(key);
            ResourceList before = pendingRequests.put(key, counted);
            if (!counted.equals(before)) {
                // A pod seen again with other requests (resized in place) is counted anew.
                Map<String, Long> demand = pendingDemand.computeIfAbsent(groupId, g -> new HashMap<>());
                if (before != null) {
                    add(demand, before, -1);
                }
                add(demand, counted, 1);
            }
            waitingSince.putIfAbsent(groupId, clock.instant());
        }
    }

    private void removeFrom(Map<String, Set<PodKey>> members, String groupId, PodKey key) {
        Set<PodKey> keys = members.get(groupId);
        if (keys == null || !keys.remove(key)) {
            return;
        }
        if (members == pending) {
            ResourceList counted = pendingRequests.remove(key);
            Map<String, Long> demand = pendingDemand.get(groupId);
            if (counted != null && demand != null) {
                add(demand, counted, -1);
            }
        }
        if (keys.isEmpty()) {
            members.remove(groupId);
            if (members == pending) {
                pendingDemand.remove(groupId);
                // Nothing waits any more; if nothing is bound either, the group was given up.
                Instant since = waitingSince.remove(groupId);
                if (since != null && !bound.containsKey(groupId)) {
                    metrics.groupWaited("abandoned", Duration.between(since, clock.instant()).toNanos());
                }
            }
        }
    }

    public Set<PodKey> pending(String groupId) {
        return pending.getOrDefault(groupId, Set.of());
    }

    public Set<PodKey> bound(String groupId) {
        return bound.getOrDefault(groupId, Set.of());
    }

    /** The summed requests of the group's pending members, kept as they come and go: O(resources). */
    public ResourceList pendingDemand(String groupId) {
        Map<String, Long> demand = pendingDemand.get(groupId);
        return demand == null ? ResourceList.EMPTY : ResourceList.of(Map.copyOf(demand));
    }

    /** Groups with a pending or bound member. */
    public Set<String> groupIds() {
        Set<String> ids = new HashSet<>(pending.keySet());
        ids.addAll(bound.keySet());
        return ids;
    }

    public int waitingGroups() {
        return pending.size();
    }

    /** Every tracked membership (for rebuilding after a restart); read only. */
    public Map<PodKey, GroupMembership> memberships() {
        return java.util.Collections.unmodifiableMap(memberships);
    }

    // ------------------------------------------------------------------ policies and sizes

    /** A PodGroup object was added or changed ({@code policy}) or deleted (null). */
    public void policy(String groupId, GroupPolicy policy) {
        if (policy == null) {
            policies.remove(groupId);
        } else {
            policies.put(groupId, policy);
        }
    }

    public GroupPolicy policy(String groupId) {
        return policies.get(groupId);
    }

    /** The largest min-available its PodGroup object or any member declares (0 when none does). */
    public int minimum(String groupId) {
        GroupPolicy policy = policies.get(groupId);
        int min = policy == null ? 0 : policy.minMembers();
        for (Map<String, Set<PodKey>> members : List.of(pending, bound)) {
            for (PodKey key : members.getOrDefault(groupId, Set.of())) {
                GroupMembership membership = memberships.get(key);
                if (membership != null) {
                    min = Math.max(min, membership.minMembers());
                }
            }
        }
        return min;
    }

    /** The group's min-available, counting {@code membership}'s own declaration too. */
    public int minimum(GroupMembership membership) {
        return Math.max(minimum(membership.groupId()), membership.minMembers());
    }

    public Instant waitingSince(String groupId) {
        return waitingSince.get(groupId);
    }

    /** Restarts the group's wait (after a time-out); returns when it began. */
    public Instant restartWait(String groupId, Instant now) {
        return waitingSince.put(groupId, now);
    }

    /** Groups waiting, with when each began. */
    public Map<String, Instant> waiting() {
        return java.util.Collections.unmodifiableMap(waitingSince);
    }

    /** Whether the member is told about its group for the first time (then true once). */
    public boolean warnOnce(PodKey key) {
        return warned.add(key);
    }

    public void sizes(Map<String, Integer> out) {
        out.put("memberships", memberships.size());
        out.put("pendingGroups", pending.size());
        out.put("boundGroups", bound.size());
        out.put("warnedMembers", warned.size());
        out.put("policies", policies.size());
        out.put("groupWaitingSince", waitingSince.size());
    }

    private static void add(Map<String, Long> into, ResourceList requests, int sign) {
        requests.amounts().forEach((name, amount) -> {
            long sum = into.getOrDefault(name, 0L) + sign * amount;
            if (sum == 0) {
                into.remove(name);
            } else {
                into.put(name, sum);
            }
        });
    }
}
