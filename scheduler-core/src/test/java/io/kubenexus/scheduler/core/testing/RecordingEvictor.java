package io.kubenexus.scheduler.core.testing;

import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.ports.Evictor;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records evictions and nominations as lines and answers each at once with a scripted outcome. */
public final class RecordingEvictor implements Evictor {
    private final List<String> evictions = new CopyOnWriteArrayList<>();
    private final List<String> nominations = new CopyOnWriteArrayList<>();
    private volatile EvictionResult answer = EvictionResult.EVICTED;

    @Override
    public CompletionStage<EvictionResult> evict(PodInfo victim, PodInfo preemptor, String nodeName) {
        evictions.add(victim.key().name() + " for " + preemptor.key().name() + " on " + nodeName);
        return CompletableFuture.completedFuture(answer);
    }

    @Override
    public CompletionStage<EvictionResult> nominate(PodInfo pod, String nodeName) {
        nominations.add(pod.key().name() + " -> " + nodeName);
        return CompletableFuture.completedFuture(EvictionResult.EVICTED);
    }

    public void answer(EvictionResult result) {
        this.answer = result;
    }

    /** "victim for preemptor on node", in order. */
    public List<String> evictions() {
        return List.copyOf(evictions);
    }

    /** "pod -> node" ("pod -> null" when cleared), in order. */
    public List<String> nominations() {
        return List.copyOf(nominations);
    }
}
