package io.kubenexus.scheduler.gang.lifecycle;

import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.framework.LoopHandle;
import io.kubenexus.scheduler.core.loop.Decision;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.preemption.PreemptionPlan;
import io.kubenexus.scheduler.core.queue.QueuedPod;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.gang.GangPlanner;
import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.gang.group.GroupMembership;
import io.kubenexus.scheduler.gang.group.GroupPlan;
import io.kubenexus.scheduler.gang.group.GroupRole;
import io.kubenexus.scheduler.gang.lifecycle.HeldRoom.Held;
import io.kubenexus.scheduler.gang.lifecycle.HeldRoom.Why;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Room for gangs that cannot be placed now, on the loop thread: a gang that finds no room asks the
 * loop's preemption for room on nominated nodes (whole lower-priority gangs go, see
 * {@link GangVictims}) and holds it while the victims leave; a gang that waited past its starvation
 * time ({@code gang.starvation.*}) holds room as it frees up. Both are {@link HeldRoom} stand-ins the
 * gang's own attempt plans into. A pod outside any gang may use a starving gang's held room only when
 * its declared run time ends before the gang could start anyway ({@link GangStartEstimate}): backfill.
 */
final class RoomForGangs {
    private static final Duration GROWTH_INTERVAL = Duration.ofSeconds(1);

    private final GangPlugin gang;
    final HeldRoom held;
    private Instant nextGrowth = Instant.MIN;
    private long backfills;

    RoomForGangs(GangPlugin gang) {
        this.gang = gang;
        this.held = new HeldRoom(gang.metrics);
    }

    private LoopHandle loop() {
        return gang.loop;
    }

    // ------------------------------------------------------------------ the gang's own attempt

    /**
     * Plans the gang with the room held for it counted as free. Placed: the hold is done. Waiting:
     * when the gang holds no room being made for it, it asks for preemption ({@code preemptors}: the
     * members to place together, a driver's executor stand-ins included) and holds the room on the
     * nominated nodes; else its hold is restored. The message says what was done.
     */
    GroupPlan plan(String groupId, List<PodInfo> preemptors, Supplier<GroupPlan> planner) {
        ClusterState state = loop().state();
        List<Held> lifted = held.lift(groupId, state);
        GroupPlan plan;
        try {
            plan = planner.get();
        } catch (RuntimeException e) {
            held.restore(lifted, state);
            throw e;
        }
        if (plan instanceof GroupPlan.Placed) {
            if (!lifted.isEmpty()) {
                held.publish(state);
            }
            return plan;
        }
        GroupPlan.Waiting waiting = (GroupPlan.Waiting) plan;
        boolean makingRoom = !lifted.isEmpty() && lifted.get(0).why() == Why.PREEMPTION;
        if (makingRoom) {
            held.restore(lifted, state);
            return new GroupPlan.Waiting(waiting.message() + "; room is being made by preemption and held for the gang",
                    waiting.helpfulEvents());
        }
        Optional<PreemptionPlan> preemption = preemptors.isEmpty() ? Optional.empty()
                : loop().preemptFor(preemptors, waiting.message());
        if (preemption.isEmpty()) {
            held.restore(lifted, state);
            return plan;
        }
        // The preemption's room replaces what starvation held: both hold for the same members.
        Instant now = loop().clock().instant();
        PreemptionPlan made = preemption.get();
        for (PodInfo preemptor : preemptors) {
            String node = made.nominatedNodes().get(preemptor.key());
            if (node != null && state.nodeIndex(node) >= 0) {
                held.hold(groupId, Why.PREEMPTION, preemptor.key(), HeldRoom.standIn(preemptor, node), now, state);
            }
        }
        held.publish(state);
        String note = "; preempting " + made.victims().size() + " lower-priority pod(s) on "
                + new TreeSet<>(made.nominatedNodes().values()) + ", the room is held for the gang until they are gone";
        if (loop().leading()) {
            for (PodInfo preemptor : preemptors) {
                if (!preemptor.isStandIn()) {
                    loop().events().warning(preemptor, "GangPreempting", "gang " + groupId + ": " + made.victims().size()
                            + " lower-priority pod(s) are evicted to make room for the whole gang on nodes "
                            + new TreeSet<>(made.nominatedNodes().values()) + "; the room is held for it");
                }
            }
        }
        return new GroupPlan.Waiting(waiting.message() + note, waiting.helpfulEvents());
    }

    // ------------------------------------------------------------------ time

    void tick(Instant now) {
        expirePreemptionHolds(now);
        if (now.isBefore(nextGrowth)) {
            return;
        }
        nextGrowth = now.plus(GROWTH_INTERVAL);
        releaseWhatNoLongerStarves(now);
        if (gang.settings.starvation().enabled() && loop().leading()) {
            for (Map.Entry<String, Instant> waiting : List.copyOf(gang.members.waiting().entrySet())) {
                grow(waiting.getKey(), waiting.getValue(), now);
            }
        }
    }

    /** Room made by a preemption whose victims never left (stuck terminating): released after the reservation TTL. */
    private void expirePreemptionHolds(Instant now) {
        for (String groupId : held.groupIds()) {
            List<Held> hold = held.of(groupId);
            if (!hold.isEmpty() && hold.get(0).why() == Why.PREEMPTION
                    && !now.isBefore(hold.get(0).since().plus(gang.settings.reservationTtl()))) {
                held.release(groupId, loop().state());
                loop().onClusterEvent(ClusterEventType.ASSIGNED_POD_REMOVED);
            }
        }
    }

    private void releaseWhatNoLongerStarves(Instant now) {
        for (String groupId : held.groupIds()) {
            if (held.why(groupId) != Why.STARVATION) {
                continue;
            }
            Instant since = gang.members.waitingSince(groupId);
            List<PodInfo> needed = needed(groupId);
            Duration after = needed.isEmpty() ? null : gang.settings.starvation().starvesAfter(priority(needed));
            if (since == null || after == null || now.isBefore(since.plus(after))) {
                held.release(groupId, loop().state());
                held.publish(loop().state());
                loop().onClusterEvent(ClusterEventType.ASSIGNED_POD_REMOVED);
            }
        }
    }

    /** A gang that waited past its starvation time holds the room it still lacks wherever it frees up. */
    private void grow(String groupId, Instant since, Instant now) {
        if (held.why(groupId) == Why.PREEMPTION) {
            return;
        }
        List<PodInfo> needed = needed(groupId);
        if (needed.isEmpty()) {
            return;
        }
        Duration after = gang.settings.starvation().starvesAfter(priority(needed));
        if (after == null || now.isBefore(since.plus(after))) {
            return;
        }
        ClusterState state = loop().state();
        int grew = 0;
        for (PodInfo member : needed) {
            if (held.holdsFor(groupId, member.key())) {
                continue;
            }
            PodInfo standIn = HeldRoom.standIn(member, null);
            loop().countAttempts(1);
            if (loop().algorithm().schedule(standIn, state) instanceof Decision.Placed placed) {
                held.hold(groupId, Why.STARVATION, member.key(), standIn.withNodeName(placed.nodeName()), now, state);
                grew++;
            }
        }
        if (grew == 0) {
            return;
        }
        held.publish(state);
        int holding = held.of(groupId).size();
        if (holding >= needed.size()) {
            retry(groupId); // all the room is there: the gang is placed now, not after its backoff
        } else if (loop().leading()) {
            PodInfo first = firstReal(needed);
            if (first != null) {
                loop().events().warning(first, "StarvationRoomHeld", "gang " + groupId + ": waiting since "
                        + GangPlugin.duration(Duration.between(since, now)) + " (starves after "
                        + GangPlugin.duration(after) + "): room held for " + holding + " of " + needed.size()
                        + " member(s) as it frees up (" + heldAmounts(groupId) + ")");
            }
        }
    }

    /**
     * The members the gang must place together now (largest first), a driver's executor stand-ins
     * included; empty while members are missing (a gang waiting for its pods holds nothing).
     */
    List<PodInfo> needed(String groupId) {
        List<PodInfo> pods = new ArrayList<>();
        for (PodKey key : gang.members.pending(groupId)) {
            PodInfo pod = loop().queuedPod(key);
            GroupMembership membership = gang.members.membership(key);
            if (pod == null || membership == null) {
                continue;
            }
            if (membership.role() == GroupRole.DRIVER) {
                ExecutorTemplate template = gang.executorTemplate(pod, membership);
                List<PodInfo> out = new ArrayList<>();
                out.add(pod);
                if (template != null) {
                    out.addAll(ExecutorSizing.standIns(pod, template, 0));
                }
                return out;
            }
            if (membership.role() == GroupRole.MEMBER) {
                pods.add(pod);
            }
        }
        int min = gang.members.minimum(groupId);
        int missing = min - gang.members.bound(groupId).size();
        if (min < 2 || missing <= 0 || pods.size() < missing) {
            return List.of();
        }
        return largestFirst(pods, missing);
    }

    /** The {@code count} largest of {@code pods}: the members a gang must place to reach min-available. */
    static List<PodInfo> largestFirst(List<PodInfo> pods, int count) {
        List<PodInfo> sorted = new ArrayList<>(pods);
        sorted.sort(GangPlanner.LARGEST_FIRST);
        return List.copyOf(sorted.subList(0, Math.max(0, Math.min(count, sorted.size()))));
    }

    private void retry(String groupId) {
        for (PodKey key : gang.members.pending(groupId)) {
            QueuedPod entry = loop().claim(key);
            if (entry != null) {
                loop().retryNow(entry);
            }
        }
    }

    /** The group is gone (no member waits): whatever is held for it is released. */
    void groupGone(String groupId) {
        if (held.release(groupId, loop().state()) > 0) {
            held.publish(loop().state());
            loop().onClusterEvent(ClusterEventType.ASSIGNED_POD_REMOVED);
        }
    }

    /**
     * The next moment time alone changes something: a waiting gang starts to starve, or room made by
     * a preemption expires. Null when none (growth of a starving gang's hold rides on the loop's ticks).
     */
    Instant nextWakeUp() {
        Instant next = null;
        for (String groupId : held.groupIds()) {
            List<Held> hold = held.of(groupId);
            if (!hold.isEmpty() && hold.get(0).why() == Why.PREEMPTION) {
                next = ExecutorPlaces.earliest(next, hold.get(0).since().plus(gang.settings.reservationTtl()));
            }
        }
        if (!gang.settings.starvation().enabled()) {
            return next;
        }
        Instant now = loop().clock().instant();
        for (Map.Entry<String, Instant> waiting : gang.members.waiting().entrySet()) {
            Duration after = held.why(waiting.getKey()) == null ? starvesAfter(waiting.getKey()) : null;
            if (after != null && waiting.getValue().plus(after).isAfter(now)) {
                next = ExecutorPlaces.earliest(next, waiting.getValue().plus(after));
            }
        }
        return next;
    }

    private Duration starvesAfter(String groupId) {
        int priority = Integer.MIN_VALUE;
        for (PodKey key : gang.members.pending(groupId)) {
            PodInfo pod = loop().queuedPod(key);
            if (pod != null) {
                priority = Math.max(priority, pod.priority());
            }
        }
        return priority == Integer.MIN_VALUE ? null : gang.settings.starvation().starvesAfter(priority);
    }

    void leadershipLost() {
        held.releaseAll(loop().state());
        held.publish(loop().state());
    }

    // ------------------------------------------------------------------ backfill

    /**
     * The starving gangs' stand-ins {@code pod} may use: only for a pod of no gang whose declared run
     * time ends before the gang could start anyway; never for a pod that declares none.
     */
    List<PodInfo> usableBy(PodInfo pod) {
        if (pod.declaredRunTime() == null || !held.any(Why.STARVATION)) {
            return List.of();
        }
        GroupMembership membership = gang.groups.membership(pod);
        if (membership != null && membership.isValid()) {
            return List.of();
        }
        Instant now = loop().clock().instant();
        Instant ends = now.plus(pod.declaredRunTime());
        List<PodInfo> out = new ArrayList<>();
        for (String groupId : held.groupIds()) {
            if (held.why(groupId) != Why.STARVATION) {
                continue;
            }
            Instant start = gangStart(groupId, now);
            if (start != null && !ends.isAfter(start)) {
                held.of(groupId).forEach(h -> out.add(h.standIn()));
            }
        }
        return out;
    }

    /** The earliest the gang could start: when the room it still lacks frees up (null: unknown). */
    Instant gangStart(String groupId, Instant now) {
        List<PodInfo> lacking = new ArrayList<>();
        for (PodInfo member : needed(groupId)) {
            if (!held.holdsFor(groupId, member.key())) {
                lacking.add(member);
            }
        }
        return GangStartEstimate.earliestStart(lacking, loop().state(), now);
    }

    /**
     * A pod of no gang, with a declared run time, while starving gangs hold room: placed in free room
     * if it fits there, else in held room it may use (the hold shrinks by what no longer fits beside
     * it and grows back as room frees). Returns whether the attempt was decided here.
     */
    boolean backfill(QueuedPod entry) {
        PodInfo pod = entry.pod();
        if (pod.declaredRunTime() == null || !held.any(Why.STARVATION)) {
            return false;
        }
        LoopHandle loop = loop();
        ClusterState state = loop.state();
        List<PodInfo> usable = usableBy(pod);
        if (usable.isEmpty()) {
            return false;
        }
        long start = System.nanoTime();
        loop.countAttempts(1);
        if (loop.algorithm().schedule(pod, state) instanceof Decision.Placed free) {
            state.assume(pod.withNodeName(free.nodeName())); // free room first: the held room stays whole
            loop.bind(pod, free.nodeName(), System.nanoTime() - start);
            return true;
        }
        Set<PodKey> usableKeys = new HashSet<>();
        usable.forEach(s -> usableKeys.add(s.key()));
        List<Held> lifted = new ArrayList<>();
        for (String groupId : held.groupIds()) {
            for (Held h : held.of(groupId)) {
                if (usableKeys.contains(h.standIn().key())) {
                    lifted.add(h);
                    held.drop(h, state);
                }
            }
        }
        Decision decision;
        try {
            loop.countAttempts(1);
            decision = loop.algorithm().schedule(pod, state);
        } catch (RuntimeException e) {
            held.restore(lifted, state);
            throw e;
        }
        if (!(decision instanceof Decision.Placed placed)) {
            held.restore(lifted, state);
            return false; // the loop places it as usual (and tells it why it waits)
        }
        state.assume(pod.withNodeName(placed.nodeName()));
        int node = state.nodeIndex(placed.nodeName());
        BitSet onlyThere = new BitSet();
        onlyThere.set(node);
        Set<String> groupsUsed = new TreeSet<>();
        for (Held h : lifted) {
            if (!h.standIn().nodeName().equals(placed.nodeName())) {
                held.restore(List.of(h), state);
            } else if (loop.algorithm().schedule(h.standIn().withNodeName(null), state, onlyThere) instanceof Decision.Placed) {
                held.restore(List.of(h), state); // still room for it beside the backfilled pod
            } else {
                groupsUsed.add(h.groupId()); // lent to the pod, held again when it frees
            }
        }
        held.publish(state);
        loop.bind(pod, placed.nodeName(), System.nanoTime() - start);
        if (groupsUsed.isEmpty()) {
            return true;
        }
        backfills++;
        loop.metrics().backfilled();
        if (loop.leading()) {
            loop.events().warning(pod, "Backfilled", "placed on " + placed.nodeName() + " in room held for starving gang(s) "
                    + groupsUsed + ": its declared run time (activeDeadlineSeconds " + GangPlugin.duration(pod.declaredRunTime())
                    + ") ends before they could start");
        }
        return true;
    }

    // ------------------------------------------------------------------ helpers

    private static int priority(List<PodInfo> members) {
        int priority = Integer.MIN_VALUE;
        for (PodInfo member : members) {
            priority = Math.max(priority, member.priority());
        }
        return priority;
    }

    private static PodInfo firstReal(List<PodInfo> members) {
        for (PodInfo member : members) {
            if (!member.isStandIn()) {
                return member;
            }
        }
        return null;
    }

    private String heldAmounts(String groupId) {
        Map<String, Long> amounts = new java.util.TreeMap<>();
        for (Held h : held.of(groupId)) {
            h.standIn().requests().amounts().forEach((name, amount) -> amounts.merge(name, amount, Long::sum));
        }
        return ResourceList.of(amounts).toString();
    }

    long backfills() {
        return backfills;
    }

    void sizes(Map<String, Integer> out) {
        held.sizes(out);
    }
}
