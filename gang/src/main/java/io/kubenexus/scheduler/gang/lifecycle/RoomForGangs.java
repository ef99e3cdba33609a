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
import io.kubenexus.scheduler.core.state.ResourceColumns;
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
    /** Nodes tried for a starving member's other constraints before giving up until the next growth. */
    private static final int TARGET_TRIES = 16;

    private final GangPlugin gang;
    final HeldRoom held;
    private Instant nextGrowth = Instant.MIN;
    private long grownAtGeneration = -1;
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
                held.hold(groupId, Why.PREEMPTION, preemptor, HeldRoom.standIn(preemptor, node), now, state);
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

    /**
     * Holds grow on every change of the cluster state (room freed is held before the next pod is
     * tried, so a stream of small pods cannot take it first) and at least every second.
     */
    void tick(Instant now) {
        expirePreemptionHolds(now);
        long generation = loop().state().generation();
        if (now.isBefore(nextGrowth) && generation == grownAtGeneration) {
            return;
        }
        nextGrowth = now.plus(GROWTH_INTERVAL);
        releaseWhatNoLongerStarves(now);
        if (gang.settings.starvation().enabled() && loop().leading()) {
            Duration shortest = gang.settings.starvation().shortest();
            for (Map.Entry<String, Instant> waiting : List.copyOf(gang.members.waiting().entrySet())) {
                if (!now.isBefore(waiting.getValue().plus(shortest))) {
                    grow(waiting.getKey(), waiting.getValue(), now);
                }
            }
        }
        grownAtGeneration = loop().state().generation();
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
            Held current = held.heldFor(groupId, member.key());
            if (current != null && current.complete()) {
                continue;
            }
            String target = current != null ? current.standIn().nodeName() : target(member, now);
            int node = target == null ? -1 : state.nodeIndex(target);
            if (node < 0) {
                if (current != null) {
                    held.drop(current, state); // its node is gone: a new one is chosen next time
                }
                continue;
            }
            ResourceList sofar = current == null ? null : current.standIn().requests();
            ResourceList more = collect(member.requests(), sofar, node, state);
            if (more == null || more.equals(sofar) || more.amounts().isEmpty()) {
                continue; // nothing to hold there yet: a hold is never empty, so it never pins a node
            }
            if (current != null) {
                held.drop(current, state);
            }
            held.hold(new Held(groupId, Why.STARVATION, member.key(), member.requests(),
                    HeldRoom.standIn(member, target, more), current == null ? now : current.since()), state);
            grew++;
        }
        if (grew == 0) {
            return;
        }
        held.publish(state);
        int holding = held.complete(groupId);
        if (holding >= needed.size()) {
            retry(groupId); // all the room is there: the gang is placed now, not after its backoff
        } else if (loop().leading()) {
            PodInfo first = firstReal(needed);
            if (first != null) {
                loop().events().warning(first, "StarvationRoomHeld", "gang " + groupId + ": waiting since "
                        + GangPlugin.duration(Duration.between(since, now)) + " (starves after "
                        + GangPlugin.duration(after) + "): holding " + heldAmounts(groupId) + " on "
                        + heldNodes(groupId) + " as it frees up; room complete for " + holding + " of " + needed.size()
                        + " member(s)");
            }
        }
    }

    /**
     * The node where a starving member's room is collected: among the nodes that could ever hold it
     * and that its other constraints allow, the one where it could fit earliest (by the declared run
     * times there), then the one with most of its room free. Null when none.
     */
    private String target(PodInfo member, Instant now) {
        ClusterState state = loop().state();
        List<Object[]> candidates = new ArrayList<>();
        BitSet nodes = state.liveNodes();
        for (int node = nodes.nextSetBit(0); node >= 0; node = nodes.nextSetBit(node + 1)) {
            double freeShare = freeShare(member.requests(), node, state);
            if (freeShare >= 0) {
                candidates.add(new Object[] {node, GangStartEstimate.whenFits(member, null, node, state, now), freeShare});
            }
        }
        candidates.sort(java.util.Comparator
                .comparing((Object[] c) -> (Instant) c[1], java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder()))
                .thenComparing(c -> -(double) c[2]));
        // The other filters (selectors, taints, affinity) judged with no resources asked: a few tries at most.
        PodInfo shape = HeldRoom.probe(member);
        for (int i = 0; i < Math.min(TARGET_TRIES, candidates.size()); i++) {
            BitSet onlyThere = new BitSet();
            onlyThere.set((int) candidates.get(i)[0]);
            loop().countAttempts(1);
            if (loop().algorithm().schedule(shape, state, onlyThere) instanceof Decision.Placed placed) {
                return placed.nodeName();
            }
        }
        return null;
    }

    /**
     * The mean share of {@code need} free on the node (0..1), or -1 when the node can never hold it: not
     * even with every pod gone but the stand-ins (held room and places, another member's included).
     */
    private static double freeShare(ResourceList need, int node, ClusterState state) {
        double share = 0;
        int counted = 0;
        for (Map.Entry<String, Long> request : need.amounts().entrySet()) {
            if (request.getValue() <= 0) {
                continue;
            }
            int column = state.columns().columnOf(request.getKey());
            if (column < 0 || state.allocatable(column, node) - state.reserved(column, node) < request.getValue()) {
                return -1;
            }
            long free = Math.max(0, state.allocatable(column, node) - state.requested(column, node));
            share += Math.min(1.0, (double) free / request.getValue());
            counted++;
        }
        return counted == 0 ? 1 : share / counted;
    }

    /**
     * The room to hold for a member on a node: what is held so far ({@code sofar}, null for a new hold)
     * plus what is free there, never more than its requests; null when a new hold finds no pod slot.
     */
    static ResourceList collect(ResourceList need, ResourceList sofar, int node, ClusterState state) {
        if (sofar == null && state.allocatable(ResourceColumns.PODS, node) - state.requested(ResourceColumns.PODS, node) < 1) {
            return null;
        }
        Map<String, Long> out = new java.util.TreeMap<>();
        for (Map.Entry<String, Long> request : need.amounts().entrySet()) {
            int column = state.columns().columnOf(request.getKey());
            long free = column < 0 ? 0 : Math.max(0, state.allocatable(column, node) - state.requested(column, node));
            long amount = Math.min(request.getValue(), (sofar == null ? 0 : sofar.get(request.getKey())) + free);
            if (amount > 0) {
                out.put(request.getKey(), amount);
            }
        }
        return ResourceList.of(out);
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
     * The starving gangs' stand-ins {@code pod} may use (for the loop's own attempts): only for a pod
     * of no gang whose declared run time ends before the gang could start anyway; never for a pod that
     * declares none.
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
        ClusterState state = loop().state();
        Instant latest = now;
        for (PodInfo member : needed(groupId)) {
            Held h = held.heldFor(groupId, member.key());
            if (h != null && h.complete()) {
                continue;
            }
            int node = h == null ? -1 : state.nodeIndex(h.standIn().nodeName());
            Instant fits = node >= 0 ? GangStartEstimate.whenFits(member, h.standIn().requests(), node, state, now)
                    : GangStartEstimate.earliest(member, state, now);
            if (fits == null) {
                return null;
            }
            latest = fits.isAfter(latest) ? fits : latest;
        }
        return latest;
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
        Set<String> groupsUsed = new TreeSet<>();
        for (Held h : lifted) {
            if (!h.standIn().nodeName().equals(placed.nodeName())) {
                held.restore(List.of(h), state);
                continue;
            }
            // Held again as far as there is room beside the backfilled pod; the rest is lent to it
            // and collected again when it frees.
            ResourceList kept = shrink(h.standIn().requests(), node, state);
            if (kept != null) {
                held.hold(new Held(h.groupId(), h.why(), h.member(), h.need(),
                        HeldRoom.reshaped(h.standIn(), kept), h.since()), state);
            }
            if (kept == null || !kept.equals(h.standIn().requests())) {
                groupsUsed.add(h.groupId());
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

    /** What of {@code heldBefore} still fits on the node now, or null when no pod slot is left. */
    private static ResourceList shrink(ResourceList heldBefore, int node, ClusterState state) {
        if (state.allocatable(ResourceColumns.PODS, node) - state.requested(ResourceColumns.PODS, node) < 1) {
            return null;
        }
        Map<String, Long> out = new java.util.TreeMap<>();
        for (Map.Entry<String, Long> amount : heldBefore.amounts().entrySet()) {
            int column = state.columns().columnOf(amount.getKey());
            long free = column < 0 ? 0 : Math.max(0, state.allocatable(column, node) - state.requested(column, node));
            long kept = Math.min(amount.getValue(), free);
            if (kept > 0) {
                out.put(amount.getKey(), kept);
            }
        }
        return ResourceList.of(out);
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

    private Set<String> heldNodes(String groupId) {
        Set<String> nodes = new TreeSet<>();
        held.of(groupId).forEach(h -> nodes.add(h.standIn().nodeName()));
        return nodes;
    }

    long backfills() {
        return backfills;
    }

    void sizes(Map<String, Integer> out) {
        held.sizes(out);
    }
}
