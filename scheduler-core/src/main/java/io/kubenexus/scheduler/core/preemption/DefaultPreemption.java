package io.kubenexus.scheduler.core.preemption;

import io.kubenexus.scheduler.core.framework.LoopHandle;
import io.kubenexus.scheduler.core.framework.PodEventsPlugin;
import io.kubenexus.scheduler.core.framework.PostFilterPlugin;
import io.kubenexus.scheduler.core.loop.Decision;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * kube-scheduler's DefaultPreemption for a single pod that fits nowhere: runs the engine through the
 * {@link PreemptionCoordinator}, which evicts and nominates, and keeps the nominated room until the
 * pod is bound or deleted or its time is up. The loop registers it after every other plugin, for
 * every entry point (run, demo, simulator, bench, tests); it acts only once preemption is configured.
 */
public final class DefaultPreemption implements PostFilterPlugin, PodEventsPlugin {
    public static final String NAME = "DefaultPreemption";

    private final PreemptionCoordinator coordinator;
    /** Why the last attempt made no room, per pod, until the loop reads it for the message. */
    private final Map<PodKey, String> noRoom = new HashMap<>();
    private LoopHandle loop;

    public DefaultPreemption(PreemptionCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void attach(LoopHandle handle) {
        this.loop = handle;
        coordinator.attach(handle);
    }

    @Override
    public String postFilter(PodInfo pod, Decision.Unschedulable why) {
        noRoom.remove(pod.key());
        if (why.unresolvable() || !coordinator.enabled()) {
            return null; // a pre-filter refused the pod itself (no eviction helps), or preemption is off
        }
        PreemptionOutcome outcome = coordinator.preempt(java.util.List.of(pod), why.message(), true);
        if (outcome instanceof PreemptionOutcome.Planned planned) {
            return planned.plan().nominatedNodes().get(pod.key());
        }
        // Said in the message when it changes what the user should expect: the pod will not preempt,
        // or it waits for victims already leaving. "No victims" adds nothing to the filters' reasons
        // (and is counted in the metrics).
        if (outcome instanceof PreemptionOutcome.Waiting
                || outcome instanceof PreemptionOutcome.Refused refused && refused.notEligible()) {
            noRoom.put(pod.key(), outcome.describe());
        }
        return null;
    }

    @Override
    public String whyNoRoom(PodInfo pod) {
        return noRoom.remove(pod.key());
    }

    @Override
    public String podUpdated(PodInfo pod) {
        if (pod.isAssigned()) {
            release(pod.key()); // bound, on its nominated node or elsewhere
        }
        return null;
    }

    @Override
    public void podRemoved(PodKey key) {
        noRoom.remove(key);
        release(key);
    }

    @Override
    public void tick(Instant now) {
        NominatedPods nominated = coordinator.nominated();
        if (nominated.size() == 0) {
            return;
        }
        coordinator.expireNominations(now);
    }

    @Override
    public Instant nextWakeUp() {
        return coordinator.nominated().nextExpiry();
    }

    @Override
    public void leadershipLost() {
        coordinator.nominated().clear();
        noRoom.clear();
        loop.metrics().nominatedPods(0);
    }

    @Override
    public void sizes(Map<String, Integer> out) {
        out.put("nominatedPods", coordinator.nominated().size());
        out.put("preemptionNotes", noRoom.size());
    }

    private void release(PodKey key) {
        if (coordinator.nominated().release(key) != null) {
            loop.metrics().nominatedPods(coordinator.nominated().size());
        }
    }
}
