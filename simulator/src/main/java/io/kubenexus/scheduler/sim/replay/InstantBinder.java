package io.kubenexus.scheduler.sim.replay;

import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodPhase;
import io.kubenexus.scheduler.core.ports.BindResult;
import io.kubenexus.scheduler.core.ports.Binder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Binds at once, in virtual time: the answer is BOUND before the call returns, and the pod is shown
 * to the loop bound and running, as the informer would show it after the kubelet started it. Called
 * on the replay's thread (the loop runs there).
 */
final class InstantBinder implements Binder {
    private final Ledger ledger;
    private final List<PodInfo> newlyBound = new ArrayList<>();
    private SchedulingLoop loop;

    InstantBinder(Ledger ledger) {
        this.ledger = ledger;
    }

    void attach(SchedulingLoop schedulingLoop) {
        this.loop = schedulingLoop;
    }

    @Override
    public CompletionStage<BindResult> bind(PodInfo pod, String nodeName) {
        PodInfo bound = pod.withNodeName(nodeName).withPhase(PodPhase.RUNNING);
        ledger.bound(bound, nodeName);
        newlyBound.add(bound);
        loop.onPodUpserted(bound);
        return CompletableFuture.completedFuture(BindResult.BOUND);
    }

    /** The pods bound since the last call, in bind order. */
    List<PodInfo> drainNewlyBound() {
        List<PodInfo> out = List.copyOf(newlyBound);
        newlyBound.clear();
        return out;
    }
}
