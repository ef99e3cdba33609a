package io.kubenexus.scheduler.core.preemption;

import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Room made by preemption, kept for its preemptor: while a pod is nominated to a node, decisions for
 * pods of lower or equal priority see it there as if it ran (kube-scheduler adds nominated pods when
 * filtering others), so they cannot take the room its victims free. Higher-priority pods ignore it.
 * A nomination ends when the pod is bound (anywhere) or deleted, or after a bounded time.
 *
 * <p>Owned by the scheduling loop; loop thread only. The holds are charged to the state only for the
 * length of one attempt ({@link #holdFor} ... {@link #unhold}) under keys no API pod can have, so
 * nothing else ever sees them and they can never collide with the pod's own charge.
 */
public final class NominatedPods {
    /** Appended to a nominated pod's name for its hold: '@' is not allowed in pod names. */
    static final String HOLD_SUFFIX = "@nominated";

    /** A pod's nomination: where, and until when the room is kept. */
    public record Nomination(PodInfo pod, String nodeName, Instant expires) {
    }

    private final Map<PodKey, Nomination> byPod = new LinkedHashMap<>();

    public void nominate(PodInfo pod, String nodeName, Instant expires) {
        byPod.put(pod.key(), new Nomination(pod, nodeName, expires));
    }

    /** Ends a nomination; returns it, or null when the pod had none. */
    public Nomination release(PodKey key) {
        return byPod.remove(key);
    }

    public Nomination nomination(PodKey key) {
        return byPod.get(key);
    }

    public int size() {
        return byPod.size();
    }

    /** Ends and returns the nominations on {@code nodeName} of pods with priority below {@code priority}. */
    public List<Nomination> releaseLowerOn(String nodeName, int priority, PodKey except) {
        List<Nomination> out = new ArrayList<>();
        byPod.values().removeIf(n -> {
            boolean lower = n.nodeName().equals(nodeName) && n.pod().priority() < priority && !n.pod().key().equals(except);
            if (lower) {
                out.add(n);
            }
            return lower;
        });
        return out;
    }

    /** Ends and returns the nominations whose time is up at {@code now}. */
    public List<Nomination> releaseExpired(Instant now) {
        List<Nomination> out = new ArrayList<>();
        byPod.values().removeIf(n -> {
            boolean expired = !n.expires().isAfter(now);
            if (expired) {
                out.add(n);
            }
            return expired;
        });
        return out;
    }

    public Instant nextExpiry() {
        Instant next = null;
        for (Nomination n : byPod.values()) {
            next = next == null || n.expires().isBefore(next) ? n.expires() : next;
        }
        return next;
    }

    public void clear() {
        byPod.clear();
    }

    /**
     * Charges, for one attempt on behalf of {@code decider}, the nominated pods it must not take the
     * room of: every other pod of equal or higher priority nominated to a live node and not placed
     * yet. Returns the hold keys to pass to {@link #unhold}.
     */
    public List<PodKey> holdFor(PodInfo decider, ClusterState state) {
        return holdFor(decider, decider.priority(), state);
    }

    /**
     * As {@link #holdFor(PodInfo, ClusterState)}, yielding only to nominations of at least
     * {@code priority}: for a pod about to take room reserved for it at a higher priority than its own
     * (a Spark executor's place, reserved with its driver), which a nomination the reservation
     * outranked must not refuse it.
     */
    public List<PodKey> holdFor(PodInfo decider, int priority, ClusterState state) {
        if (byPod.isEmpty()) {
            return List.of();
        }
        List<PodKey> held = new ArrayList<>();
        for (Nomination n : byPod.values()) {
            PodInfo pod = n.pod();
            int node = state.nodeIndex(n.nodeName());
            if (pod.key().equals(decider.key()) || pod.priority() < priority
                    || node < 0 || !state.liveNodes().get(node) || state.accountedPod(pod.key()) != null) {
                continue;
            }
            PodInfo hold = holdOf(pod, n.nodeName());
            state.assume(hold);
            held.add(hold.key());
        }
        return held;
    }

    /** Takes the holds of {@link #holdFor} off again. */
    public void unhold(List<PodKey> held, ClusterState state) {
        for (PodKey key : held) {
            state.forget(key);
        }
    }

    private static PodInfo holdOf(PodInfo pod, String nodeName) {
        return new PodInfo(new PodKey(pod.key().namespace(), pod.key().name() + HOLD_SUFFIX), pod.uid(),
                pod.schedulerName(), nodeName, pod.phase(), false, pod.priority(), pod.createdAt(), pod.labels(),
                pod.annotations(), pod.requests(), pod.nonZeroRequests(), pod.hostPorts(), pod.nodeSelector(),
                pod.nodeAffinity(), pod.tolerations(), pod.qosClass(), pod.unsupportedConstraints(),
                pod.schedulingGated(), pod.schedulingGroup(), pod.containers(), pod.interPod(), pod.preemptionPolicy(),
                pod.declaredRunTime(), pod.startedAt(), pod.controllerUid());
    }
}
