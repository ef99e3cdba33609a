package io.kubenexus.scheduler.kube.preemption;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.ports.Evictor;
import io.kubenexus.scheduler.kube.binding.BindGate;
import java.net.HttpURLConnection;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Preemption's API writes. A victim is evicted with a policy/v1 {@code Eviction} posted to
 * {@code pods/{name}/eviction}, its UID as precondition (a pod recreated under the name is not
 * touched), so the kubelet's graceful termination applies. When a PodDisruptionBudget refuses
 * (429), the pod is deleted with its own grace period, as kube-scheduler's preemption does: the
 * engine has already preferred nodes without budget violations and found none. A preemptor's
 * {@code status.nominatedNodeName} is set (or cleared) by a JSON merge patch of the status
 * subresource (the API server, and the mock, take merge patches there; only scalars are written).
 *
 * <p>Calls run on the injected executor (the binder's bounded pool) and never complete
 * exceptionally. Like binds, nothing is sent after the leadership term it was decided in ended.
 */
public final class KubernetesEvictor implements Evictor {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesEvictor.class);
    private static final int TOO_MANY_REQUESTS = 429;

    private final KubernetesClient client;
    private final Executor executor;
    private final BindGate gate;

    public KubernetesEvictor(KubernetesClient client, Executor executor, BindGate gate) {
        this.client = Objects.requireNonNull(client, "client");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.gate = Objects.requireNonNull(gate, "gate");
    }

    @Override
    public CompletionStage<EvictionResult> evict(PodInfo victim, PodInfo preemptor, String nodeName) {
        return async(() -> evictNow(victim, preemptor, nodeName));
    }

    @Override
    public CompletionStage<EvictionResult> nominate(PodInfo pod, String nodeName) {
        return async(() -> nominateNow(pod, nodeName));
    }

    private CompletionStage<EvictionResult> async(Supplier<EvictionResult> call) {
        long term = gate.term();
        try {
            return CompletableFuture.supplyAsync(() -> gate.isOpen(term) ? call.get()
                    : new EvictionResult(EvictionOutcome.FAILED, "not sent: this replica stopped leading"), executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(new EvictionResult(EvictionOutcome.FAILED,
                    "executor rejected the call: " + e.getMessage()));
        }
    }

    private EvictionResult evictNow(PodInfo victim, PodInfo preemptor, String nodeName) {
        String path = podPath(victim) + "/eviction";
        Eviction eviction = new EvictionBuilder()
                .withNewMetadata().withNamespace(victim.key().namespace()).withName(victim.key().name()).endMetadata()
                .withDeleteOptions(preconditions(victim))
                .build();
        try {
            client.raw(path, "POST", eviction);
            LOG.atInfo().addKeyValue("pod", victim.key()).addKeyValue("node", nodeName)
                    .log("evicted {} to make room for {} on {}", victim.key(), preemptor.key(), nodeName);
            return EvictionResult.EVICTED;
        } catch (KubernetesClientException e) {
            if (e.getCode() == TOO_MANY_REQUESTS) {
                return deleteRefused(victim, preemptor, nodeName, message(e));
            }
            return failure(victim, e);
        } catch (RuntimeException e) {
            return new EvictionResult(EvictionOutcome.FAILED, String.valueOf(e.getMessage()));
        }
    }

    /** The budget refused: delete with the pod's own grace period (kube-scheduler deletes victims outright). */
    private EvictionResult deleteRefused(PodInfo victim, PodInfo preemptor, String nodeName, String refusal) {
        try {
            client.raw(podPath(victim), "DELETE", preconditions(victim));
            LOG.atInfo().addKeyValue("pod", victim.key()).addKeyValue("node", nodeName)
                    .log("eviction of {} refused ({}); deleted it to make room for {} on {}", victim.key(), refusal,
                            preemptor.key(), nodeName);
            return new EvictionResult(EvictionOutcome.DELETED, refusal);
        } catch (KubernetesClientException e) {
            return failure(victim, e);
        } catch (RuntimeException e) {
            return new EvictionResult(EvictionOutcome.FAILED, String.valueOf(e.getMessage()));
        }
    }

    private EvictionResult nominateNow(PodInfo pod, String nodeName) {
        String patch = nodeName == null ? "{\"status\":{\"nominatedNodeName\":null}}"
                : "{\"status\":{\"nominatedNodeName\":\"" + nodeName + "\"}}";
        try {
            client.pods().inNamespace(pod.key().namespace()).withName(pod.key().name()).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            return EvictionResult.EVICTED;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                return new EvictionResult(EvictionOutcome.GONE, message(e));
            }
            LOG.atWarn().addKeyValue("pod", pod.key()).log("setting nominatedNodeName of {} failed: {}", pod.key(), message(e));
            return new EvictionResult(EvictionOutcome.FAILED, message(e));
        } catch (RuntimeException e) {
            return new EvictionResult(EvictionOutcome.FAILED, String.valueOf(e.getMessage()));
        }
    }

    private static EvictionResult failure(PodInfo victim, KubernetesClientException e) {
        if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
            return new EvictionResult(EvictionOutcome.GONE, message(e));
        }
        if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
            // The UID precondition failed: the pod we chose is gone, another took its name.
            return new EvictionResult(EvictionOutcome.GONE, message(e));
        }
        LOG.atWarn().addKeyValue("pod", victim.key()).log("evicting {} failed: {}", victim.key(), message(e));
        return new EvictionResult(EvictionOutcome.FAILED, message(e));
    }

    private static DeleteOptions preconditions(PodInfo victim) {
        DeleteOptionsBuilder options = new DeleteOptionsBuilder();
        if (!victim.uid().isEmpty()) {
            options.withNewPreconditions().withUid(victim.uid()).endPreconditions();
        }
        return options.build();
    }

    private static String podPath(PodInfo pod) {
        return "/api/v1/namespaces/" + pod.key().namespace() + "/pods/" + pod.key().name();
    }

    private static String message(KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : String.valueOf(e.getMessage());
    }
}
