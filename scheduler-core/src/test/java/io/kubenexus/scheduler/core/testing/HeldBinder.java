package io.kubenexus.scheduler.core.testing;

import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.ports.BindOutcome;
import io.kubenexus.scheduler.core.ports.BindResult;
import io.kubenexus.scheduler.core.ports.Binder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A binder whose calls stay open until the test answers them, in any order: how a test makes a
 * bind result arrive late (after the pod was deleted and recreated, after a failover).
 */
public final class HeldBinder implements Binder {
    /** One bind call the loop made and the test has not answered yet. */
    public record Call(PodInfo pod, String nodeName, CompletableFuture<BindResult> answer) {
        public void answer(BindOutcome outcome) {
            answer.complete(BindResult.of(outcome, outcome == BindOutcome.BOUND ? "" : "held " + outcome));
        }
    }

    private final List<Call> open = new ArrayList<>();
    private final List<Call> all = new ArrayList<>();

    @Override
    public synchronized CompletionStage<BindResult> bind(PodInfo pod, String nodeName) {
        Call call = new Call(pod, nodeName, new CompletableFuture<>());
        open.add(call);
        all.add(call);
        return call.answer();
    }

    /** The oldest open call for a pod of this name (any incarnation); fails if there is none. */
    public synchronized Call take(String podName) {
        for (int i = 0; i < open.size(); i++) {
            if (open.get(i).pod().key().name().equals(podName)) {
                return open.remove(i);
            }
        }
        throw new AssertionError("no open bind call for " + podName + "; open: " + open);
    }

    /** Every call made, answered or not, in order. */
    public synchronized List<Call> calls() {
        return List.copyOf(all);
    }

    public synchronized int openCount() {
        return open.size();
    }
}
