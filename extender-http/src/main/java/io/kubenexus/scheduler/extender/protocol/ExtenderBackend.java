package io.kubenexus.scheduler.extender.protocol;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubenexus.scheduler.core.query.NodeVictims;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * What kube-scheduler's extender verbs ask of this scheduler. {@link ExtenderRoutes} decodes and
 * validates the wire format and calls these methods only with well-formed arguments; the
 * implementation answers over the scheduler's own state.
 *
 * <p>Thread model: every method may be called on a Vert.x event loop and must not block it. Do the
 * work elsewhere (for example hand it to the scheduling loop) and complete the returned stage from
 * any thread; the answer is written back on the request's own context. Calls for different pods run
 * concurrently. A stage completed exceptionally (or a method that throws) is answered with HTTP 500,
 * which kube-scheduler treats as an extender error.
 *
 * <p>kube-scheduler calls the extender only for pods that request one of its {@code managedResources}
 * (all pods when that list is empty), so the implementation need not re-check that. With
 * {@code ignorable: false} an error here fails the pod's scheduling attempt; with {@code ignorable:
 * true} kube-scheduler would carry on without the answer.
 */
public interface ExtenderBackend {

    /**
     * Which of {@code nodeNames} may run {@code pod}. Every name in the verdicts must come from
     * {@code nodeNames}.
     *
     * @param pod the pod as kube-scheduler sent it
     * @param nodeNames the candidate nodes, in kube-scheduler's order, never null
     */
    CompletionStage<FilterVerdicts> filter(Pod pod, List<String> nodeNames);

    /**
     * Scores for {@code pod} on {@code nodeNames}, each already in 0..10 (kube-scheduler's
     * {@code MaxExtenderPriority}; it multiplies them by the extender's weight). A node left out of the
     * map gets no score from this extender. Names outside {@code nodeNames} or scores outside 0..10
     * fail the call.
     */
    CompletionStage<Map<String, Integer>> prioritize(Pod pod, List<String> nodeNames);

    /**
     * Binds the pod to {@code node} through the API server, or refuses. May hold the answer (a gang
     * member waits for its group), but must answer before kube-scheduler's {@code httpTimeout}. Called
     * at most once per scheduling attempt; kube-scheduler retries a refused pod in a later attempt, so
     * a repeated call for the same {@code uid} must be safe.
     *
     * @param uid the pod's UID as sent; may be empty
     */
    CompletionStage<BindVerdict> bind(String namespace, String name, String uid, String node);

    /**
     * Which of the proposed preemptions this scheduler accepts, and with which victims.
     * {@code victimUidsByNode} maps each candidate node to the UIDs of the pods kube-scheduler would
     * evict there. The answer maps accepted nodes (taken from the argument) to the victims this
     * scheduler chooses there, pods on that node, with their budget violations; they may differ from
     * the proposed ones (kube-scheduler evicts what the extender answers). Nodes left out are rejected.
     */
    CompletionStage<Map<String, NodeVictims>> preempt(Pod pod, Map<String, List<String>> victimUidsByNode);
}
