package io.kubenexus.scheduler.core.loop;

import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.framework.ExecutorTemplate;
import io.kubenexus.scheduler.core.framework.GroupMembership;
import io.kubenexus.scheduler.core.framework.GroupPlan;
import io.kubenexus.scheduler.core.framework.GroupRole;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.Quantities;
import io.kubenexus.scheduler.core.ports.BindOutcome;
import io.kubenexus.scheduler.core.ports.BindResult;
import io.kubenexus.scheduler.core.query.ExtenderBindResult;
import io.kubenexus.scheduler.core.query.ExtenderBindResult.Bound;
import io.kubenexus.scheduler.core.query.ExtenderBindResult.Refused;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The extender's gang-aware bind: kube-scheduler chose the node, this decides whether and when the
 * bind goes out. The extender protocol has no permit/wait call, so a gang member's bind is held here
 * (its future kept, no thread blocked) until enough members are ready, then all are verified together
 * on their chosen nodes and bound, or all refused. A Spark driver is bound only with its executors'
 * places reserved (the same {@link Reservation}s, TTL and release as the loop's own drivers); an
 * executor takes a place of its group on its node.
 *
 * <p>Only the leader binds. Held binds are refused when their hold limit passes (checked on the
 * loop's iterations, see {@link #nextDeadline}) and when leadership is lost. Used only on the
 * scheduling loop thread.
 */
final class ExtenderBinds {
    /** A gang member's bind waiting for its siblings. */
    private record Held(PodInfo pod, String nodeName, String groupId, int minMembers, Instant since,
                        Instant deadline, Duration holdLimit, CompletableFuture<ExtenderBindResult> answer) {
    }

    /** A bind sent to the API; {@code onFailure} undoes what came with it (a driver's places, an executor's). */
    private record Sent(PodInfo pod, String nodeName, CompletableFuture<ExtenderBindResult> answer, Runnable onFailure) {
    }

    private final SchedulingLoop loop;
    private final Map<PodKey, Held> held = new LinkedHashMap<>();
    private final Map<PodKey, Sent> sent = new HashMap<>();
    /** Drivers bound through the extender with places reserved, by key: their group's places go with them. */
    private final Map<PodKey, String> drivers = new HashMap<>();

    ExtenderBinds(SchedulingLoop loop) {
        this.loop = loop;
    }

    /** See {@link SchedulingLoop#bindFor}. */
    void bind(PodInfo pod, String nodeName, Duration holdLimit, CompletableFuture<ExtenderBindResult> answer) {
        PodKey key = pod.key();
        if (!loop.isLeader()) {
            answer.complete(new Refused("not the leader: this replica is standing by and binds nothing; retry"));
            return;
        }
        Held previous = held.remove(key);
        if (previous != null) {
            previous.answer().complete(new Refused("replaced by a newer bind request for " + key));
        }
        if (sent.containsKey(key)) {
            answer.complete(new Refused("a bind of " + key + " is already under way"));
            return;
        }
        PodInfo accounted = loop.state.accountedPod(key);
        if (accounted != null) {
            // Bound already (a retry after a lost answer) or being bound by the loop itself: assuming it
            // again would replace its charge with one a failed bind could then forget.
            boolean boundThere = !loop.state.isAssumed(key) && nodeName.equals(accounted.nodeName());
            answer.complete(boundThere ? new Bound(nodeName) : new Refused(key + " is already "
                    + (loop.state.isAssumed(key) ? "being bound to " : "bound to ") + accounted.nodeName()));
            return;
        }
        if (onlyNode(nodeName) == null) {
            answer.complete(new Refused("node " + nodeName + " is unknown to kubenexus-scheduler"));
            return;
        }
        GroupMembership membership = loop.groups.membership(pod);
        if (membership != null && !membership.isValid()) {
            answer.complete(new Refused(membership.invalidReason()));
            return;
        }
        if (membership != null && membership.role() == GroupRole.DRIVER) {
            bindDriver(pod, nodeName, membership, answer);
        } else if (membership != null && membership.role() == GroupRole.EXECUTOR) {
            bindExecutor(pod, nodeName, membership.groupId(), answer);
        } else if (membership != null && loop.groupMinimum(membership) >= 2) {
            Instant now = loop.clock.instant();
            held.put(key, new Held(pod, nodeName, membership.groupId(), loop.groupMinimum(membership), now,
                    now.plus(holdLimit), holdLimit, answer));
            releaseIfComplete(membership.groupId());
        } else {
            bindPlain(pod, nodeName, answer, null);
        }
    }

    /** Verified on its node alone, assumed, bound. */
    private void bindPlain(PodInfo pod, String nodeName, CompletableFuture<ExtenderBindResult> answer,
                           Runnable onFailure) {
        String refusal = assumeIfFits(pod, nodeName);
        if (refusal != null) {
            answer.complete(new Refused(refusal));
            return;
        }
        send(pod, nodeName, answer, onFailure);
    }

    /** Assumes the pod on the node when it passes the filters there; else says why not. */
    private String assumeIfFits(PodInfo pod, String nodeName) {
        ClusterState state = loop.state;
        Decision decision = loop.algorithm.schedule(pod, state, onlyNode(nodeName));
        if (decision instanceof Decision.Unschedulable refused) {
            return refused.message();
        }
        state.assume(pod.withNodeName(nodeName));
        return null;
    }

    /**
     * Held members of {@code groupId} plus those bound reach min-available: all are verified together,
     * largest first, each assumed before the next; all are bound or all refused.
     */
    private void releaseIfComplete(String groupId) {
        List<Held> members = heldOf(groupId);
        int min = members.stream().mapToInt(Held::minMembers).max().orElse(0);
        int bound = loop.boundGroupMembers(groupId).size();
        if (members.size() + bound < min) {
            return;
        }
        members.sort(Comparator.comparingLong((Held h) -> -h.pod().requests().get("cpu"))
                .thenComparingLong(h -> -h.pod().requests().get("memory"))
                .thenComparing(h -> h.pod().key()));
        List<PodKey> assumed = new ArrayList<>();
        for (Held member : members) {
            String refusal = assumeIfFits(member.pod(), member.nodeName());
            if (refusal != null) {
                assumed.forEach(loop.state::forget);
                String message = "gang " + groupId + ": " + member.pod().key() + " does not fit on "
                        + member.nodeName() + " with the other members placed: " + refusal
                        + "; none of the " + members.size() + " members was bound";
                for (Held refused : members) {
                    held.remove(refused.pod().key());
                    refused.answer().complete(new Refused(message));
                }
                return;
            }
            assumed.add(member.pod().key());
        }
        for (Held member : members) {
            held.remove(member.pod().key());
            send(member.pod(), member.nodeName(), member.answer(), null);
        }
    }

    /**
     * A driver is verified on its node, then its executors' stand-ins are planned against the same
     * state; they stay as reservations and the driver is bound, or nothing is held and it is refused.
     */
    private void bindDriver(PodInfo driver, String nodeName, GroupMembership membership,
                            CompletableFuture<ExtenderBindResult> answer) {
        ExecutorTemplate template = loop.executorTemplate(driver, membership);
        if (template == null || template.count() == 0) {
            bindPlain(driver, nodeName, answer, null);
            return;
        }
        // Everything that may throw comes before the driver is assumed, so a failure leaves nothing behind.
        String groupId = membership.groupId();
        List<PodInfo> standIns = loop.standIns(driver, template, 0);
        String refusal = assumeIfFits(driver, nodeName);
        if (refusal != null) {
            answer.complete(new Refused(refusal));
            return;
        }
        ClusterState state = loop.state;
        GroupPlan plan;
        try {
            plan = loop.groupPlanner.plan(groupId, standIns.size(), standIns, 0, state, loop.algorithm);
        } catch (RuntimeException e) {
            standIns.forEach(s -> state.forget(s.key())); // the planner's contract does not hold when it throws
            state.forget(driver.key());
            throw e;
        }
        if (plan instanceof GroupPlan.Waiting waiting) {
            state.forget(driver.key());
            answer.complete(new Refused("driver and " + template.count() + " executor(s) sized by "
                    + template.source() + ": " + waiting.message()));
            return;
        }
        GroupPlan.Placed placed = (GroupPlan.Placed) plan;
        Instant expiry = loop.clock.instant().plus(loop.reservationTtl());
        for (PodInfo standIn : standIns) {
            loop.holdReservation(new Reservation(standIn.withNodeName(placed.nodes().get(standIn.key())), groupId,
                    driver, expiry));
        }
        loop.reservationsChanged();
        drivers.put(driver.key(), groupId);
        send(driver, nodeName, answer, () -> {
            drivers.remove(driver.key());
            loop.releaseReservations(groupId);
        });
    }

    /**
     * An executor takes a place of its group on its node when one is there and fits it. Else it binds
     * like any pod, and when it does fit where kube-scheduler put it, it still takes one of its group's
     * places elsewhere: one executor more has come, so one place fewer is needed (as the loop does for
     * an executor that shows up bound). Either place comes back if the bind fails.
     */
    private void bindExecutor(PodInfo executor, String nodeName, String groupId,
                              CompletableFuture<ExtenderBindResult> answer) {
        ClusterState state = loop.state;
        List<Reservation> places = loop.reservationsOf(groupId);
        for (Reservation reservation : places) {
            if (!reservation.placeholder().nodeName().equals(nodeName)) {
                continue;
            }
            state.forget(reservation.placeholder().key());
            if (assumeIfFits(executor, nodeName) == null) {
                loop.takeReservation(executor.key(), reservation);
                send(executor, nodeName, answer, () -> loop.giveBackTakenReservation(executor.key()));
                return;
            }
            state.assume(reservation.placeholder()); // held again for an executor it fits
            break;
        }
        String refusal = assumeIfFits(executor, nodeName);
        if (refusal != null) {
            answer.complete(new Refused(refusal));
            return;
        }
        Reservation elsewhere = places.stream().filter(r -> !r.placeholder().nodeName().equals(nodeName)).findFirst()
                .orElse(null);
        if (elsewhere == null) {
            send(executor, nodeName, answer, null);
            return;
        }
        state.forget(elsewhere.placeholder().key());
        loop.takeReservation(executor.key(), elsewhere);
        loop.queue.onClusterEvent(ClusterEventType.ASSIGNED_POD_REMOVED); // room freed on another node
        send(executor, nodeName, answer, () -> loop.giveBackTakenReservation(executor.key()));
    }

    /** The pod is assumed on the node; the API call runs off the loop thread and its answer comes back to it. */
    private void send(PodInfo pod, String nodeName, CompletableFuture<ExtenderBindResult> answer, Runnable onFailure) {
        Sent entry = new Sent(pod, nodeName, answer, onFailure);
        sent.put(pod.key(), entry);
        try {
            loop.binder.bind(pod, nodeName).whenComplete((result, error) -> {
                BindResult outcome = error != null || result == null
                        ? BindResult.of(BindOutcome.FAILED, String.valueOf(error == null ? "no result" : error.getMessage()))
                        : result;
                loop.post(() -> completed(entry, outcome));
            });
        } catch (RuntimeException e) {
            loop.post(() -> completed(entry, BindResult.of(BindOutcome.FAILED, "binder failed: " + e)));
        }
    }

    private void completed(Sent entry, BindResult result) {
        PodKey key = entry.pod().key();
        if (sent.get(key) == entry) {
            sent.remove(key);
        }
        if (result.outcome() == BindOutcome.BOUND) {
            // The assumption stays until the informer shows the pod bound.
            entry.answer().complete(new Bound(entry.nodeName()));
            return;
        }
        if (loop.state.forget(key)) {
            loop.queue.onClusterEvent(ClusterEventType.ASSIGNED_POD_REMOVED);
        }
        if (entry.onFailure() != null) {
            entry.onFailure().run();
        }
        entry.answer().complete(new Refused("binding " + key + " to " + entry.nodeName() + " failed ("
                + result.outcome() + "): " + result.detail()));
    }

    /** Held binds past their limit are refused; nothing of theirs was assumed. */
    void expireHolds() {
        if (held.isEmpty()) {
            return;
        }
        Instant now = loop.clock.instant();
        for (Held member : List.copyOf(held.values())) {
            if (member.deadline().isAfter(now) || !held.containsKey(member.pod().key())) {
                continue;
            }
            int ready = heldOf(member.groupId()).size() + loop.boundGroupMembers(member.groupId()).size();
            held.remove(member.pod().key());
            member.answer().complete(new Refused("gang " + member.groupId() + ": " + ready + " of "
                    + member.minMembers() + " members ready to bind after " + Quantities.duration(member.holdLimit())));
        }
    }

    /** When the next held bind runs out of time, or null. */
    Instant nextDeadline() {
        Instant next = null;
        for (Held member : held.values()) {
            if (next == null || member.deadline().isBefore(next)) {
                next = member.deadline();
            }
        }
        return next;
    }

    /** Leadership lost: every held bind is refused (binds already sent finish as the bind gate decides). */
    void leadershipLost() {
        for (Held member : List.copyOf(held.values())) {
            member.answer().complete(new Refused("not the leader any more: gang " + member.groupId()
                    + " is no longer held here; retry"));
        }
        held.clear();
        drivers.clear(); // their places lapse with the term
    }

    /** The pod is gone: a held bind of it is refused, a driver's places are released. */
    void podRemoved(PodKey key) {
        Held member = held.remove(key);
        if (member != null) {
            member.answer().complete(new Refused("pod " + key + " was deleted"));
        }
        String groupId = drivers.remove(key);
        if (groupId != null) {
            loop.releaseReservations(groupId);
        }
    }

    /** A driver bound through the extender that finished releases its group's places. */
    void podUpdated(PodInfo pod) {
        if (pod.phase().isTerminal()) {
            String groupId = drivers.remove(pod.key());
            if (groupId != null) {
                loop.releaseReservations(groupId);
            }
        }
    }

    /** The sizes of its books, for {@link SchedulingLoop#bookkeepingSizes()}. */
    void sizes(Map<String, Integer> out) {
        out.put("extenderHeldBinds", held.size());
        out.put("extenderSentBinds", sent.size());
        out.put("extenderDrivers", drivers.size());
    }

    /**
     * After a bind attempt of {@code key} failed with an internal error: an assumption it may have
     * left that no held or sent bind owns is forgotten, so the room is not lost until a restart.
     */
    void abandon(PodKey key) {
        if (!held.containsKey(key) && !sent.containsKey(key) && loop.state.isAssumed(key)) {
            loop.state.forget(key);
        }
    }

    /** The held bind of {@code key}, or null. */
    PodInfo heldPod(PodKey key) {
        Held member = held.get(key);
        return member == null ? null : member.pod();
    }

    /** Whether a bind of {@code key} is held or under way here. */
    boolean inFlight(PodKey key) {
        return held.containsKey(key) || sent.containsKey(key);
    }

    /** Group ids with binds held, each with its held count and earliest hold start. */
    Map<String, List<Instant>> heldSinceByGroup() {
        Map<String, List<Instant>> out = new LinkedHashMap<>();
        held.values().forEach(h -> out.computeIfAbsent(h.groupId(), g -> new ArrayList<>()).add(h.since()));
        return out;
    }

    /** The largest min-available held members of the group declare (0 when none is held). */
    int heldMinimum(String groupId) {
        return heldOf(groupId).stream().mapToInt(Held::minMembers).max().orElse(0);
    }

    private List<Held> heldOf(String groupId) {
        List<Held> members = new ArrayList<>();
        for (Held member : held.values()) {
            if (member.groupId().equals(groupId)) {
                members.add(member);
            }
        }
        return members;
    }

    private BitSet onlyNode(String nodeName) {
        int index = nodeName == null ? -1 : loop.state.nodeIndex(nodeName);
        if (index < 0 || !loop.state.liveNodes().get(index)) {
            return null;
        }
        BitSet only = new BitSet();
        only.set(index);
        return only;
    }
}
