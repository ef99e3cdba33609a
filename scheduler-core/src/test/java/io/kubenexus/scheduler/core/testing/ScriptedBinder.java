package io.kubenexus.scheduler.core.testing;

import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.ports.BindOutcome;
import io.kubenexus.scheduler.core.ports.BindResult;
import io.kubenexus.scheduler.core.ports.Binder;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A binder whose answers tests script: by default every bind succeeds at once; outcomes queued
 * with {@link #thenAnswer} are used first, in order.
 */
public final class ScriptedBinder implements Binder {
    private final Map<String, String> bindings = new LinkedHashMap<>();
    private final Queue<BindResult> script = new ArrayDeque<>();

    public synchronized ScriptedBinder thenAnswer(BindOutcome outcome) {
        script.add(BindResult.of(outcome, outcome == BindOutcome.BOUND ? "" : "scripted " + outcome));
        return this;
    }

    private boolean hold;

    /** Binds from now on never answer (a slow API server). */
    public synchronized ScriptedBinder hold() {
        hold = true;
        return this;
    }

    @Override
    public synchronized CompletionStage<BindResult> bind(PodInfo pod, String nodeName) {
        if (hold) {
            return new CompletableFuture<>();
        }
        BindResult result = script.isEmpty() ? BindResult.BOUND : script.poll();
        if (result.outcome() == BindOutcome.BOUND) {
            bindings.put(pod.key().name(), nodeName);
        }
        return CompletableFuture.completedFuture(result);
    }

    /** Pod name to node name of every successful bind, in order. */
    public synchronized Map<String, String> bindings() {
        return new LinkedHashMap<>(bindings);
    }
}
