package io.kubenexus.scheduler.core.ports;

import io.kubenexus.scheduler.core.model.PodInfo;
import java.util.concurrent.CompletionStage;

/**
 * Binds a pod to a node in the API. Called from the scheduling loop; must not block it: the call
 * runs asynchronously and its result comes back to the loop as an event. Never completes
 * exceptionally: failures are {@link BindOutcome#FAILED} results.
 */
public interface Binder {
    CompletionStage<BindResult> bind(PodInfo pod, String nodeName);
}
