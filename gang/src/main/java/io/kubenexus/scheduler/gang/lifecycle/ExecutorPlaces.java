package io.kubenexus.scheduler.gang.lifecycle;

import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.state.ResourceColumns;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The places held for executors their drivers have not created yet ({@link Reservation}s), each an
 * assumed placeholder in the cluster state: held, taken by an arriving executor (and given back if its
 * bind fails), filled by an executor that shows up bound, released with the driver, or expired.
 * Keeps the state and the reserved-capacity metric in step with its books. Used only on the loop thread.
 */
public final class ExecutorPlaces {
    private final SchedulerMetrics metrics;
    /** Places held, by the placeholder's key. */
    private final Map<PodKey, Reservation> held = new LinkedHashMap<>();
    /**
     * Places an executor took whose bind has not succeeded yet, by the executor's key: given back when
     * the bind fails or the executor is deleted first, so the room never goes to just anyone.
     */
    private final Map<PodKey, Reservation> taken = new HashMap<>();
    /**
     * Executors already matched against their group's places: they took one, or arrived bound and
     * filled one, so the places held always match the executors still expected.
     */
    private final Set<PodKey> counted = new HashSet<>();
    /** The highest executor ordinal seen per group (Spark's spark-exec-id), for rebuilding places. */
    private final Map<String, Integer> ordinals = new HashMap<>();
    /** No place expires before this (a lower bound; null when none is held). */
    private Instant earliestExpiry;
    private long expired;

    public ExecutorPlaces(SchedulerMetrics metrics) {
        this.metrics = metrics;
    }

    /** Holds a place: its placeholder must be assumed in the state already. */
    public void hold(Reservation reservation) {
        held.put(reservation.placeholder().key(), reservation);
        earliestExpiry = earliest(earliestExpiry, reservation.expiresAt());
    }

    /** The places held for {@code groupId}, in the order they were reserved. */
    public List<Reservation> of(String groupId) {
        List<Reservation> out = new ArrayList<>();
        for (Reservation reservation : held.values()) {
            if (reservation.groupId().equals(groupId)) {
                out.add(reservation);
            }
        }
        return out;
    }

    public boolean holdsPlaceholder(PodKey key) {
        return held.containsKey(key);
    }

    /** Drops the record of a placeholder (the caller forgets it in the state). */
    public void dropPlaceholder(PodKey key) {
        held.remove(key);
    }

    /** {@code executor} takes {@code reservation} (its placeholder already forgotten) until its bind answers. */
    public void take(PodKey executor, Reservation reservation, ClusterState state) {
        held.remove(reservation.placeholder().key());
        taken.put(executor, reservation);
        counted.add(executor);
        publish(state);
    }

    /** The executor's bind succeeded: its place is its own. Returns whether it had taken one. */
    public boolean confirm(PodKey executor) {
        return taken.remove(executor) != null;
    }

    /**
     * The executor took a place whose bind did not succeed (it failed, or the executor was deleted
     * first): the place is held again, with its original expiry, for the executor that comes next.
     */
    public void giveBack(PodKey executor, ClusterState state) {
        Reservation reservation = taken.remove(executor);
        if (reservation == null) {
            return;
        }
        counted.remove(executor);
        if (state.nodeIndex(reservation.placeholder().nodeName()) < 0) {
            return; // the node is gone: nothing to hold there
        }
        state.forget(executor);
        state.assume(reservation.placeholder());
        hold(reservation);
        publish(state);
    }

    /**
     * An executor of {@code groupId} is bound on {@code nodeName} without having taken a place: one
     * place fewer is needed, the one on its node if there is one. Returns whether room was freed on
     * another node. Counted once per executor.
     */
    public boolean fill(PodKey executor, String groupId, String nodeName, ClusterState state) {
        if (!counted.add(executor)) {
            return false;
        }
        Reservation chosen = null;
        for (Reservation reservation : held.values()) {
            if (reservation.groupId().equals(groupId)) {
                if (chosen == null || reservation.placeholder().nodeName().equals(nodeName)) {
                    chosen = reservation;
                }
                if (reservation.placeholder().nodeName().equals(nodeName)) {
                    break;
                }
            }
        }
        if (chosen == null) {
            return false;
        }
        held.remove(chosen.placeholder().key());
        boolean elsewhere = state.forget(chosen.placeholder().key()) && !chosen.placeholder().nodeName().equals(nodeName);
        publish(state);
        return elsewhere;
    }

    /** The executor is gone or no longer counts against its group's places. */
    public void uncount(PodKey executor) {
        counted.remove(executor);
    }

    /** Releases every place of the group; returns whether any was held. */
    public boolean release(String groupId, ClusterState state) {
        taken.values().removeIf(r -> r.groupId().equals(groupId));
        ordinals.remove(groupId);
        boolean released = false;
        for (Iterator<Reservation> it = held.values().iterator(); it.hasNext(); ) {
            Reservation reservation = it.next();
            if (reservation.groupId().equals(groupId)) {
                it.remove();
                state.forget(reservation.placeholder().key());
                released = true;
            }
        }
        if (released) {
            publish(state);
        }
        return released;
    }

    /** Releases every place (a term ended). */
    public void releaseAll(ClusterState state) {
        held.values().forEach(r -> state.forget(r.placeholder().key()));
        held.clear();
        taken.clear();
        earliestExpiry = null;
        publish(state);
    }

    /**
     * Releases the places past their expiry; returns them by group (empty when none). A lower bound
     * of the earliest expiry is kept, so the check costs nothing while none is due.
     */
    public Map<String, List<Reservation>> expire(Instant now, ClusterState state) {
        if (earliestExpiry == null || earliestExpiry.isAfter(now)) {
            return Map.of();
        }
        Map<String, List<Reservation>> out = new LinkedHashMap<>();
        Instant next = null;
        for (Iterator<Reservation> it = held.values().iterator(); it.hasNext(); ) {
            Reservation reservation = it.next();
            if (reservation.expiresAt().isAfter(now)) {
                next = earliest(next, reservation.expiresAt());
                continue;
            }
            it.remove();
            state.forget(reservation.placeholder().key());
            out.computeIfAbsent(reservation.groupId(), g -> new ArrayList<>()).add(reservation);
        }
        earliestExpiry = next;
        if (!out.isEmpty()) {
            out.values().forEach(released -> {
                expired += released.size();
                metrics.reservationsExpired(released.size());
            });
            publish(state);
        }
        return out;
    }

    /** No place expires before this, or null. */
    public Instant nextExpiry() {
        return earliestExpiry;
    }

    /** Records an executor's ordinal (Spark's spark-exec-id). */
    public void sawOrdinal(String groupId, int ordinal) {
        if (ordinal > 0) {
            ordinals.merge(groupId, ordinal, Math::max);
        }
    }

    public void forgetOrdinals(String groupId) {
        ordinals.remove(groupId);
    }

    public int highestOrdinal(String groupId) {
        return ordinals.getOrDefault(groupId, 0);
    }

    public int heldCount() {
        return held.size();
    }

    public long expiredCount() {
        return expired;
    }

    public Set<String> groupIds() {
        Set<String> ids = new HashSet<>();
        held.values().forEach(r -> ids.add(r.groupId()));
        return ids;
    }

    /** Publishes the capacity held, per resource, to the reserved-capacity gauge. */
    public void publish(ClusterState state) {
        Map<String, Long> reserved = new HashMap<>();
        for (Reservation reservation : held.values()) {
            reservation.placeholder().requests().amounts().forEach((name, amount) -> reserved.merge(name, amount, Long::sum));
        }
        for (int column = 0; column < state.columns().count(); column++) {
            String name = state.columns().name(column);
            if (column != ResourceColumns.PODS) {
                metrics.reservedCapacity(name, reserved.getOrDefault(name, 0L));
            }
        }
    }

    public void sizes(Map<String, Integer> out) {
        out.put("reservations", held.size());
        out.put("takenReservations", taken.size());
        out.put("countedExecutors", counted.size());
        out.put("executorOrdinals", ordinals.size());
    }

    static Instant earliest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }
}
