package io.kubenexus.scheduler.sim.replay;

import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.ports.Evictor;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Preemption in the virtual cluster: a victim is deleted at once (no grace period in virtual time),
 * its room freed in the ledger and the loop told, as the informer would. The virtual cluster has no
 * pod status, so a nomination is only counted. Called on the replay's thread (the loop runs there).
 */
final class VirtualEvictor implements Evictor {
    private final Ledger ledger;
    private final Set<PodKey> evicted = new LinkedHashSet<>();
    private SchedulingLoop loop;

    VirtualEvictor(Ledger ledger) {
        this.ledger = ledger;
    }

    void attach(SchedulingLoop schedulingLoop) {
        this.loop = schedulingLoop;
    }

    @Override
    public CompletionStage<EvictionResult> evict(PodInfo victim, PodInfo preemptor, String nodeName) {
        if (ledger.departed(victim.key()) == null) {
            return CompletableFuture.completedFuture(new EvictionResult(EvictionOutcome.GONE, "not bound"));
        }
        evicted.add(victim.key());
        loop.onPodRemoved(victim.key());
        return CompletableFuture.completedFuture(EvictionResult.EVICTED);
    }

    @Override
    public CompletionStage<EvictionResult> nominate(PodInfo pod, String nodeName) {
        return CompletableFuture.completedFuture(EvictionResult.EVICTED);
    }

    /** The pods evicted so far, in order. */
    Set<PodKey> evicted() {
        return Set.copyOf(evicted);
    }
}
