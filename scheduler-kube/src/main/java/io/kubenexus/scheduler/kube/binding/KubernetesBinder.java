package io.kubenexus.scheduler.kube.binding;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.ports.BindOutcome;
import io.kubenexus.scheduler.core.ports.BindResult;
import io.kubenexus.scheduler.core.ports.Binder;
import java.net.HttpURLConnection;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds through the pods/binding subresource, as kube-scheduler's DefaultBinder does: a
 * {@code v1/Binding} named after the pod with {@code target: {kind: Node, name: node}}. The
 * pod's UID goes in the Binding's metadata as a precondition, so a pod deleted and recreated under
 * the same name while we decided is not bound by mistake.
 *
 * <p>Outcomes: 201 is BOUND; 409 is ALREADY_BOUND (bound by someone else, or being deleted),
 * except a failed UID precondition, which means our pod is gone (POD_GONE); 404 is POD_GONE;
 * anything else (timeouts, 5xx, 403, a full executor) is FAILED with the reason.
 *
 * <p>The HTTP call runs on the injected executor, a bounded pool owned by the caller, so the
 * scheduling loop never waits on the network. The returned stage never completes exceptionally.
 *
 * <p>A {@link BindGate} keeps a bind from going out after the leadership term it was decided in
 * ended: the term is taken when the loop asks, and checked again just before the request is sent
 * (a bind may wait in the pool's queue). A refused bind is FAILED, so the loop requeues the pod and
 * whoever leads next decides it. A request already sent is left to finish: the API server binds a
 * pod once, and the next leader sees the result through its informer or as a 409.
 */
public final class KubernetesBinder implements Binder {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesBinder.class);
    /** The API server's wording when the Binding's UID precondition does not match the pod. */
    private static final String UID_PRECONDITION_FAILED = "Precondition failed: UID in precondition";

    private final KubernetesClient client;
    private final Executor executor;
    private final BindGate gate;

    /** A binder that binds whenever asked (no leader election). */
    public KubernetesBinder(KubernetesClient client, Executor executor) {
        this(client, executor, BindGate.ALWAYS_OPEN);
    }

    public KubernetesBinder(KubernetesClient client, Executor executor, BindGate gate) {
        this.client = Objects.requireNonNull(client, "client");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.gate = Objects.requireNonNull(gate, "gate");
    }

    @Override
    public CompletionStage<BindResult> bind(PodInfo pod, String nodeName) {
        long term = gate.term();
        try {
            return CompletableFuture.supplyAsync(() -> gate.isOpen(term) ? bindNow(pod, nodeName) : notLeading(pod, nodeName),
                    executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(
                    BindResult.of(BindOutcome.FAILED, "bind executor rejected the call: " + e.getMessage()));
        }
    }

    private BindResult bindNow(PodInfo pod, String nodeName) {
        Binding binding = new BindingBuilder()
                .withNewMetadata()
                    .withNamespace(pod.key().namespace())
                    .withName(pod.key().name())
                    .withUid(pod.uid().isEmpty() ? null : pod.uid())
                .endMetadata()
                .withNewTarget().withKind("Node").withName(nodeName).endTarget()
                .build();
        try {
            // POST pods/{name}/binding, the subresource kube-scheduler's DefaultBinder uses (RBAC:
            // pods/binding create); raw() still maps error answers to KubernetesClientException.
            client.raw("/api/v1/namespaces/" + pod.key().namespace() + "/pods/" + pod.key().name() + "/binding",
                    "POST", binding);
            return BindResult.BOUND;
        } catch (KubernetesClientException e) {
            return classify(e);
        } catch (RuntimeException e) {
            // Not an HTTP answer (connection refused, closed client): the loop retries with backoff.
            LOG.warn("binding {} to {} failed: {}", pod.key(), nodeName, e.toString());
            LOG.debug("binding failure detail", e);
            return BindResult.of(BindOutcome.FAILED, String.valueOf(e.getMessage()));
        }
    }

    private static BindResult notLeading(PodInfo pod, String nodeName) {
        LOG.info("not binding {} to {}: this replica stopped leading before the bind went out", pod.key(), nodeName);
        return BindResult.of(BindOutcome.FAILED, "not sent: this replica stopped leading before the bind went out");
    }

    static BindResult classify(KubernetesClientException e) {
        String message = e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage() : String.valueOf(e.getMessage());
        return switch (e.getCode()) {
            case HttpURLConnection.HTTP_CONFLICT -> message.contains(UID_PRECONDITION_FAILED)
                    ? BindResult.of(BindOutcome.POD_GONE, message)
                    : BindResult.of(BindOutcome.ALREADY_BOUND, message);
            case HttpURLConnection.HTTP_NOT_FOUND -> BindResult.of(BindOutcome.POD_GONE, message);
            default -> BindResult.of(BindOutcome.FAILED, message);
        };
    }
}
