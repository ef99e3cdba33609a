package io.kubenexus.scheduler.gang.lifecycle;

import io.kubenexus.scheduler.core.model.InterPodConstraints;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.state.ResourceColumns;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Room held for gangs still waiting, as assumed stand-ins in the cluster state (the machinery of
 * executor places, ADR 0004), so no other pod takes it: room a preemption is making for a gang on its
 * nominated nodes, and room a starving gang collects as it frees up. One stand-in per member it stands
 * for, never more than the gang needs. The gang's own attempt lifts its stand-ins, plans against the
 * room they held and, placed, drops them; waiting, restores them. Used only on the loop thread.
 */
final class HeldRoom {
    /** Why a gang holds room; a gang holds for one reason at a time. */
    enum Why { PREEMPTION, STARVATION }

    /**
     * @param standIn the assumed stand-in (its node set): the room held so far for the member, which
     *                a starving gang's hold grows to the member's requests as room frees there
     * @param member  the member (or a driver's executor stand-in) it holds room for
     * @param need    the member's requests: the stand-in never holds more
     * @param since   when the group's hold for this reason began (a preemption's hold expires)
     */
    record Held(String groupId, Why why, PodKey member, ResourceList need, PodInfo standIn, Instant since) {
        /** Whether all the room the member needs is held. */
        boolean complete() {
            for (Map.Entry<String, Long> request : need.amounts().entrySet()) {
                if (standIn.requests().get(request.getKey()) < request.getValue()) {
                    return false;
                }
            }
            return true;
        }
    }

    private final SchedulerMetrics metrics;
    private final Map<String, List<Held>> byGroup = new LinkedHashMap<>();

    HeldRoom(SchedulerMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * A stand-in for {@code member} (same shape and node constraints, no labels and no inter-pod terms
     * as the executor places have none, marked as a stand-in so the state counts it as reserved), to be
     * placed on {@code nodeName} (null: not placed yet).
     */
    static PodInfo standIn(PodInfo member, String nodeName) {
        return standIn(member, nodeName, member.requests());
    }

    /** As {@link #standIn(PodInfo, String)}, holding {@code held} (at most the member's requests). */
    static PodInfo standIn(PodInfo member, String nodeName, ResourceList held) {
        return build(new PodKey(member.key().namespace(), member.key().name() + " (room held)"), member, nodeName, held,
                false);
    }

    /**
     * The member asking for nothing, for asking where its other constraints let it go: with its labels
     * and inter-pod terms, so a pod with affinity to its own kind may go where the member may.
     */
    static PodInfo probe(PodInfo member) {
        return build(new PodKey(member.key().namespace(), member.key().name() + " (room held)"), member, null,
                ResourceList.EMPTY, true);
    }

    /** The same stand-in holding {@code held} instead (a hold that shrinks or grows on its node). */
    static PodInfo reshaped(PodInfo standIn, ResourceList held) {
        return build(standIn.key(), standIn, standIn.nodeName(), held, false);
    }

    private static PodInfo build(PodKey key, PodInfo member, String nodeName, ResourceList held, boolean asMember) {
        Map<String, String> annotations = new HashMap<>(member.annotations());
        annotations.put(PodInfo.STAND_IN_ANNOTATION, "true");
        return new PodInfo(key, "",
                member.schedulerName(), nodeName, member.phase(), false, member.priority(), member.createdAt(),
                asMember ? member.labels() : Map.of(), Map.copyOf(annotations), held, held, member.hostPorts(),
                member.nodeSelector(), member.nodeAffinity(), member.tolerations(), member.qosClass(), List.of(),
                false, null, member.containers(), asMember ? member.interPod() : InterPodConstraints.NONE,
                member.preemptionPolicy(), null, null, asMember ? member.controllerUid() : null);
    }

    /** Holds room for {@code member} with {@code standIn} (node set), assuming it in the state. */
    void hold(String groupId, Why why, PodInfo member, PodInfo standIn, Instant since, ClusterState state) {
        hold(new Held(groupId, why, member.key(), member.requests(), standIn, since), state);
    }

    void hold(Held held, ClusterState state) {
        state.assume(held.standIn());
        byGroup.computeIfAbsent(held.groupId(), g -> new ArrayList<>()).add(held);
    }

    List<Held> of(String groupId) {
        return List.copyOf(byGroup.getOrDefault(groupId, List.of()));
    }

    /** Why the group holds room, or null when it holds none. */
    Why why(String groupId) {
        List<Held> held = byGroup.get(groupId);
        return held == null || held.isEmpty() ? null : held.get(0).why();
    }

    /** What is held for {@code member}, or null. */
    Held heldFor(String groupId, PodKey member) {
        for (Held held : byGroup.getOrDefault(groupId, List.of())) {
            if (held.member().equals(member)) {
                return held;
            }
        }
        return null;
    }

    /** Members whose room is held whole. */
    int complete(String groupId) {
        int complete = 0;
        for (Held held : byGroup.getOrDefault(groupId, List.of())) {
            complete += held.complete() ? 1 : 0;
        }
        return complete;
    }

    Set<String> groupIds() {
        return Set.copyOf(byGroup.keySet());
    }

    boolean any(Why why) {
        for (List<Held> held : byGroup.values()) {
            if (!held.isEmpty() && held.get(0).why() == why) {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes the group's stand-ins out of the state and the books, so its attempt sees the room as
     * free: the caller {@link #restore restores} them unless the gang is placed.
     */
    List<Held> lift(String groupId, ClusterState state) {
        List<Held> held = byGroup.remove(groupId);
        if (held == null) {
            return List.of();
        }
        held.forEach(h -> state.forget(h.standIn().key()));
        return held;
    }

    /** Holds again what {@link #lift} took, where the node still exists. */
    void restore(List<Held> lifted, ClusterState state) {
        for (Held held : lifted) {
            if (state.nodeIndex(held.standIn().nodeName()) >= 0) {
                hold(held, state);
            }
        }
    }

    /** Drops one stand-in (forgotten in the state): the hold shrinks. */
    void drop(Held held, ClusterState state) {
        List<Held> list = byGroup.get(held.groupId());
        if (list != null && list.remove(held)) {
            state.forget(held.standIn().key());
            if (list.isEmpty()) {
                byGroup.remove(held.groupId());
            }
        }
    }

    /** Releases all the group holds; returns how many stand-ins it held. */
    int release(String groupId, ClusterState state) {
        return lift(groupId, state).size();
    }

    /** Releases everything (a term ended: the next leader decides afresh). */
    void releaseAll(ClusterState state) {
        for (String groupId : List.copyOf(byGroup.keySet())) {
            release(groupId, state);
        }
    }

    /** The room held for starving gangs per resource, to the held-room gauge. */
    void publish(ClusterState state) {
        Map<String, Long> held = new HashMap<>();
        for (List<Held> list : byGroup.values()) {
            for (Held h : list) {
                if (h.why() == Why.STARVATION) {
                    h.standIn().requests().amounts().forEach((name, amount) -> held.merge(name, amount, Long::sum));
                }
            }
        }
        for (int column = 0; column < state.columns().count(); column++) {
            String name = state.columns().name(column);
            if (column != ResourceColumns.PODS) {
                metrics.starvationHeldRoom(name, held.getOrDefault(name, 0L));
            }
        }
    }

    int heldCount() {
        int count = 0;
        for (List<Held> list : byGroup.values()) {
            count += list.size();
        }
        return count;
    }

    void sizes(Map<String, Integer> out) {
        out.put("heldRoomGroups", byGroup.size());
        out.put("heldRoomStandIns", heldCount());
    }
}
