package io.kubenexus.scheduler.kube.binding;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
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
 * <p>Outcomes: 201 is BOUND; 404 is POD_GONE, and so is a 409 for a failed UID precondition
 * (our pod is gone, another took its name). Any other 409 is not believed blindly: an API server
 * also answers 409 on an optimistic-concurrency conflict while the pod is still unbound, and the
 * loop forgets a pod it was told is ALREADY_BOUND. So the pod is read back: bound (by anyone,
 * our own earlier bind whose answer was lost included) or being deleted is ALREADY_BOUND, gone
 * or replaced is POD_GONE, still unbound (or unreadable) is FAILED, which the loop retries with
 * backoff. Anything else is FAILED with the reason: 429 (its Retry-After is named in the detail;
 * the loop's backoff spaces the retry), 5xx, 403, a timeout (the bind may or may not have
 * applied: the informer shows which, and a retry of an applied bind gets a 409 read back as
 * ALREADY_BOUND), a full executor.
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
    private static final int TOO_MANY_REQUESTS = 429;

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
            BindResult result = classify(e);
            return isUnconfirmedConflict(e, result) ? readBack(pod, result.detail()) : result;
        } catch (RuntimeException e) {
            // Not an HTTP answer (connection refused, closed client): the loop retries with backoff.
            // Key-value pairs: structured fields pod and node in the executable's log lines.
            LOG.atWarn().addKeyValue("pod", pod.key()).addKeyValue("node", nodeName)
                    .log("binding {} to {} failed: {}", pod.key(), nodeName, e.toString());
            LOG.atDebug().addKeyValue("pod", pod.key()).setCause(e).log("binding failure detail");
            return BindResult.of(BindOutcome.FAILED, String.valueOf(e.getMessage()));
        }
    }

    private static BindResult notLeading(PodInfo pod, String nodeName) {
        LOG.atInfo().addKeyValue("pod", pod.key()).addKeyValue("node", nodeName)
                .log("not binding {} to {}: this replica stopped leading before the bind went out", pod.key(), nodeName);
        return BindResult.of(BindOutcome.FAILED, "not sent: this replica stopped leading before the bind went out");
    }

    private static boolean isUnconfirmedConflict(KubernetesClientException e, BindResult result) {
        return e.getCode() == HttpURLConnection.HTTP_CONFLICT && result.outcome() == BindOutcome.ALREADY_BOUND;
    }

    /** What a 409 meant, from the pod as the API shows it now. */
    private BindResult readBack(PodInfo ours, String conflict) {
        Pod current;
        try {
            current = client.pods().inNamespace(ours.key().namespace()).withName(ours.key().name()).get();
        } catch (RuntimeException e) {
            return BindResult.of(BindOutcome.FAILED, conflict + "; reading the pod back failed: " + e.getMessage());
        }
        if (current == null) {
            return BindResult.of(BindOutcome.POD_GONE, conflict + "; the pod is gone");
        }
        String uid = current.getMetadata() == null ? null : current.getMetadata().getUid();
        if (!ours.uid().isEmpty() && uid != null && !ours.uid().equals(uid)) {
            return BindResult.of(BindOutcome.POD_GONE, conflict + "; the pod was replaced (uid " + uid + ")");
        }
        String node = current.getSpec() == null ? null : current.getSpec().getNodeName();
        if (node != null && !node.isEmpty()) {
            return BindResult.of(BindOutcome.ALREADY_BOUND, conflict);
        }
        if (current.getMetadata() != null && current.getMetadata().getDeletionTimestamp() != null) {
            return BindResult.of(BindOutcome.ALREADY_BOUND, conflict);
        }
        return BindResult.of(BindOutcome.FAILED, conflict + "; the pod is still unbound, will retry");
    }

    static BindResult classify(KubernetesClientException e) {
        String message = e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage() : String.valueOf(e.getMessage());
        if (e.getCode() == TOO_MANY_REQUESTS) {
            Integer retryAfter = e.getStatus() != null && e.getStatus().getDetails() != null
                    ? e.getStatus().getDetails().getRetryAfterSeconds() : null;
            return BindResult.of(BindOutcome.FAILED, "throttled (429): " + message
                    + (retryAfter == null ? "" : "; Retry-After " + retryAfter + "s"));
        }
        return switch (e.getCode()) {
            case HttpURLConnection.HTTP_CONFLICT -> message.contains(UID_PRECONDITION_FAILED)
                    ? BindResult.of(BindOutcome.POD_GONE, message)
                    : BindResult.of(BindOutcome.ALREADY_BOUND, message);
            case HttpURLConnection.HTTP_NOT_FOUND -> BindResult.of(BindOutcome.POD_GONE, message);
            default -> BindResult.of(BindOutcome.FAILED, message);
        };
    }
}
