package io.kubenexus.scheduler.gang.lifecycle;

import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.gang.group.GroupMembership;
import io.kubenexus.scheduler.gang.group.GroupPlan;
import io.kubenexus.scheduler.gang.group.GroupRole;
import io.kubenexus.scheduler.core.framework.LoopHandle;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.query.ExtenderBindResult;
import io.kubenexus.scheduler.core.query.ExtenderBindResult.Refused;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The gang plugin's permit for binds kube-scheduler decided (the extender): the extender protocol has
 * no permit/wait call, so a gang member's bind is held here (its future kept, no thread blocked)
 * until enough members are ready, then all are verified together on their chosen nodes and bound, or
 * all refused. A Spark driver is bound only with its executors' places reserved (the same
 * {@link Reservation}s, TTL and release as the loop's own drivers); an executor takes a place of its
 * group on its node. Held binds are refused when their hold limit passes and when leadership is lost.
 * Used only on the loop thread.
 */
final class GangExtenderBinds {
    /** A gang member's bind waiting for its siblings. */
    private record Held(PodInfo pod, String nodeName, String groupId, int minMembers, Instant since,
                        Instant deadline, Duration holdLimit, CompletableFuture<ExtenderBindResult> answer) {
    }

    private final GangPlugin gang;
    private final Map<PodKey, Held> held = new LinkedHashMap<>();
    /** Drivers bound through the extender with places reserved, by key: their group's places go with them. */
    private final Map<PodKey, String> drivers = new HashMap<>();

    GangExtenderBinds(GangPlugin gang) {
        this.gang = gang;
    }

    private LoopHandle loop() {
        return gang.loop;
    }

    /** See {@link io.kubenexus.scheduler.core.framework.PermitPlugin#permit}. */
    boolean permit(PodInfo pod, String nodeName, Duration holdLimit, CompletableFuture<ExtenderBindResult> answer) {
        PodKey key = pod.key();
        superseded(key);
        GroupMembership membership = gang.groups.membership(pod);
        if (membership == null) {
            return false;
        }
        if (!membership.isValid()) {
            answer.complete(new Refused(membership.invalidReason()));
            return true;
        }
        if (membership.role() == GroupRole.DRIVER) {
            return bindDriver(pod, nodeName, membership, answer);
        }
        if (membership.role() == GroupRole.EXECUTOR) {
            bindExecutor(pod, nodeName, membership.groupId(), answer);
            return true;
        }
        int min = gang.members.minimum(membership);
        if (min < 2) {
            return false;
        }
        Instant now = loop().clock().instant();
        held.put(key, new Held(pod, nodeName, membership.groupId(), min, now, now.plus(holdLimit), holdLimit, answer));
        releaseIfComplete(membership.groupId());
        return true;
    }

    /**
     * Held members of {@code groupId} plus those bound reach min-available: all are verified together,
     * largest first, each assumed before the next; all are bound or all refused.
     */
    private void releaseIfComplete(String groupId) {
        List<Held> members = heldOf(groupId);
        int min = members.stream().mapToInt(Held::minMembers).max().orElse(0);
        int bound = gang.boundMembers(groupId).size();
        if (members.size() + bound < min) {
            return;
        }
        members.sort(Comparator.comparingLong((Held h) -> -h.pod().requests().get("cpu"))
                .thenComparingLong(h -> -h.pod().requests().get("memory"))
                .thenComparing(h -> h.pod().key()));
        List<PodKey> assumed = new ArrayList<>();
        for (Held member : members) {
            String refusal = loop().assumeIfFits(member.pod(), member.nodeName());
            if (refusal != null) {
                assumed.forEach(loop().state()::forget);
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
            loop().sendExternalBind(member.pod(), member.nodeName(), member.answer(), null);
        }
    }

    /**
     * A driver is verified on its node, then its executors' stand-ins are planned against the same
     * state; they stay as reservations and the driver is bound, or nothing is held and it is refused.
     * Returns false (bind it plainly) when the executors cannot be sized.
     */
    private boolean bindDriver(PodInfo driver, String nodeName, GroupMembership membership,
                               CompletableFuture<ExtenderBindResult> answer) {
        ExecutorTemplate template = gang.executorTemplate(driver, membership);
        if (template == null || template.count() == 0) {
            return false;
        }
        // Everything that may throw comes before the driver is assumed, so a failure leaves nothing behind.
        String groupId = membership.groupId();
        List<PodInfo> standIns = ExecutorSizing.standIns(driver, template, 0);
        String refusal = loop().assumeIfFits(driver, nodeName);
        if (refusal != null) {
            answer.complete(new Refused(refusal));
            return true;
        }
        ClusterState state = loop().state();
        GroupPlan plan;
        try {
            plan = gang.planner.plan(groupId, standIns.size(), standIns, 0, state, loop().algorithm());
        } catch (RuntimeException e) {
            standIns.forEach(s -> state.forget(s.key())); // the planner's contract does not hold when it throws
            state.forget(driver.key());
            throw e;
        }
        if (plan instanceof GroupPlan.Waiting waiting) {
            state.forget(driver.key());
            answer.complete(new Refused("driver and " + template.count() + " executor(s) sized by "
                    + template.source() + ": " + waiting.message()));
            return true;
        }
        GroupPlan.Placed placed = (GroupPlan.Placed) plan;
        Instant expiry = loop().clock().instant().plus(gang.settings.reservationTtl());
        for (PodInfo standIn : standIns) {
            gang.places.hold(new Reservation(standIn.withNodeName(placed.nodes().get(standIn.key())), groupId,
                    driver, expiry));
        }
        gang.places.publish(state);
        drivers.put(driver.key(), groupId);
        loop().sendExternalBind(driver, nodeName, answer, () -> {
            drivers.remove(driver.key());
            gang.release(groupId);
        });
        return true;
    }

    /**
     * An executor takes a place of its group on its node when one is there and fits it. Else it binds
     * like any pod, and when it does fit where kube-scheduler put it, it still takes one of its group's
     * places elsewhere: one executor more has come, so one place fewer is needed (as for an executor
     * that shows up bound). Either place comes back if the bind fails.
     */
    private void bindExecutor(PodInfo executor, String nodeName, String groupId,
                              CompletableFuture<ExtenderBindResult> answer) {
        ClusterState state = loop().state();
        List<Reservation> places = gang.places.of(groupId);
        for (Reservation reservation : places) {
            if (!reservation.placeholder().nodeName().equals(nodeName)) {
                continue;
            }
            state.forget(reservation.placeholder().key());
            if (loop().assumeIfFits(executor, nodeName) == null) {
                gang.places.take(executor.key(), reservation, state);
                loop().sendExternalBind(executor, nodeName, answer, () -> gang.giveBack(executor.key()));
                return;
            }
            state.assume(reservation.placeholder()); // held again for an executor it fits
            break;
        }
        String refusal = loop().assumeIfFits(executor, nodeName);
        if (refusal != null) {
            answer.complete(new Refused(refusal));
            return;
        }
        Reservation elsewhere = places.stream().filter(r -> !r.placeholder().nodeName().equals(nodeName)).findFirst()
                .orElse(null);
        if (elsewhere == null) {
            loop().sendExternalBind(executor, nodeName, answer, null);
            return;
        }
        state.forget(elsewhere.placeholder().key());
        gang.places.take(executor.key(), elsewhere, state);
        loop().onClusterEvent(ClusterEventType.ASSIGNED_POD_REMOVED); // room freed on another node
        loop().sendExternalBind(executor, nodeName, answer, () -> gang.giveBack(executor.key()));
    }

    /** A newer bind request for the pod: the held one is answered and dropped. */
    void superseded(PodKey key) {
        Held previous = held.remove(key);
        if (previous != null) {
            previous.answer().complete(new Refused("replaced by a newer bind request for " + key));
        }
    }

    /** Held binds past their limit are refused; nothing of theirs was assumed. */
    void expireHolds(Instant now) {
        if (held.isEmpty()) {
            return;
        }
        for (Held member : List.copyOf(held.values())) {
            if (member.deadline().isAfter(now) || !held.containsKey(member.pod().key())) {
                continue;
            }
            int ready = heldOf(member.groupId()).size() + gang.boundMembers(member.groupId()).size();
            held.remove(member.pod().key());
            member.answer().complete(new Refused("gang " + member.groupId() + ": " + ready + " of "
                    + member.minMembers() + " members ready to bind after " + GangPlugin.duration(member.holdLimit())));
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
            gang.release(groupId);
        }
    }

    /** A driver bound through the extender that finished releases its group's places. */
    void podUpdated(PodInfo pod) {
        if (pod.phase().isTerminal()) {
            String groupId = drivers.remove(pod.key());
            if (groupId != null) {
                gang.release(groupId);
            }
        }
    }

    void sizes(Map<String, Integer> out) {
        out.put("extenderHeldBinds", held.size());
        out.put("extenderDrivers", drivers.size());
    }

    boolean holds(PodKey key) {
        return held.containsKey(key);
    }

    PodInfo heldPod(PodKey key) {
        Held member = held.get(key);
        return member == null ? null : member.pod();
    }

    /** Group ids with binds held, each with the start of each hold. */
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
}
