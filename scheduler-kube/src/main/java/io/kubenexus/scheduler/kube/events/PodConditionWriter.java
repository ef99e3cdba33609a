package io.kubenexus.scheduler.kube.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each pending pod's {@code PodScheduled} condition equal to the scheduler's latest verdict
 * with as few writes as possible.
 *
 * <p>Writes for one pod run one at a time and coalesce: while a write is in flight, newer verdicts
 * only replace the wanted one, and the writer sends the latest when it is done. A verdict equal
 * to the last one written is not sent at all, and before writing the writer reads the pod and
 * skips the patch if the API already shows it. The patch is a JSON patch (RFC 6902) on the status
 * subresource: replace at the condition's index, guarded by a test of that entry's type, or add
 * the condition. Strategic merge would be the API server's natural choice, but the embedded mock
 * does not support it, and a JSON merge patch would replace the whole list (or, on the mock,
 * append a duplicate).
 *
 * <p>Thread-safe. Requests come from the scheduling loop and never block it.
 */
final class PodConditionWriter {
    private static final Logger LOG = LoggerFactory.getLogger(PodConditionWriter.class);
    static final String POD_SCHEDULED = "PodScheduled";
    private static final int MAX_ATTEMPTS = 5;

    /** What the condition should say. */
    record Verdict(String status, String reason, String message) {
    }

    private static final class PodState {
        final PodKey key;
        Verdict wanted;
        Verdict written;
        boolean writing;

        PodState(PodKey key) {
            this.key = key;
        }
    }

    private final KubernetesClient client;
    private final Executor executor;
    private final Clock clock;
    private final Cache<String, PodState> pods;
    private final ObjectMapper mapper = new ObjectMapper();

    PodConditionWriter(KubernetesClient client, Executor executor, Clock clock, Duration ttl, int maxPods) {
        this.client = Objects.requireNonNull(client, "client");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pods = Caffeine.newBuilder()
                .expireAfterAccess(ttl)
                .maximumSize(maxPods)
                .ticker(new ClockTicker(clock))
                .executor(Runnable::run)
                .build();
    }

    void request(PodInfo pod, Verdict verdict) {
        PodState state = pods.get(identity(pod), id -> new PodState(pod.key()));
        synchronized (state) {
            state.wanted = verdict;
            if (state.writing || verdict.equals(state.written)) {
                return;
            }
            state.writing = true;
        }
        try {
            executor.execute(() -> drain(state));
        } catch (RejectedExecutionException e) {
            synchronized (state) {
                state.writing = false;
            }
            LOG.debug("condition write for {} dropped: executor rejected it", pod.key());
        }
    }

    /** The pod was bound; the API server sets PodScheduled=True itself. */
    void forget(PodInfo pod) {
        pods.invalidate(identity(pod));
    }

    private void drain(PodState state) {
        while (true) {
            Verdict target;
            synchronized (state) {
                target = state.wanted;
                if (target == null || target.equals(state.written)) {
                    state.writing = false;
                    return;
                }
            }
            boolean done = write(state.key, target);
            synchronized (state) {
                if (!done) {
                    // Leave it to the next verdict (the loop retries the pod) rather than spin here.
                    state.writing = false;
                    return;
                }
                state.written = target;
            }
        }
    }

    /** True when the API shows the verdict or no longer needs it (pod gone or bound). */
    private boolean write(PodKey key, Verdict verdict) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                Pod pod = client.pods().inNamespace(key.namespace()).withName(key.name()).get();
                if (pod == null || pod.getSpec() != null && pod.getSpec().getNodeName() != null
                        && !pod.getSpec().getNodeName().isEmpty()) {
                    return true;
                }
                String patch = patchFor(pod, verdict);
                if (patch == null) {
                    return true;
                }
                client.pods().inNamespace(key.namespace()).withName(key.name()).subresource("status")
                        .patch(PatchContext.of(PatchType.JSON), patch);
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                    return true;
                }
                // 409/422: the conditions changed between read and patch (the test op failed); read
                // again. 429, 5xx and no answer (code 0: a timeout, a reset) are transient: try again,
                // since an unschedulable pod may not be tried (and reported) again for minutes.
                if (!isRetriable(e.getCode()) || attempt == MAX_ATTEMPTS) {
                    LOG.warn("could not set PodScheduled on {} ({} attempts): {}", key, attempt, e.getMessage());
                    return false;
                }
            } catch (RuntimeException e) {
                if (attempt == MAX_ATTEMPTS) {
                    LOG.warn("could not set PodScheduled on {} ({} attempts)", key, attempt, e);
                    return false;
                }
            }
        }
        return false;
    }

    private static boolean isRetriable(int code) {
        return code == HttpURLConnection.HTTP_CONFLICT || code == 422 || code == 429 || code == 0 || code >= 500;
    }

    /** The JSON patch that makes the pod show {@code verdict}, or null if it already does. */
    String patchFor(Pod pod, Verdict verdict) {
        List<PodCondition> conditions = pod.getStatus() == null ? null : pod.getStatus().getConditions();
        ArrayNode ops = mapper.createArrayNode();
        String now = ApiTimes.time(clock.instant());
        if (conditions != null) {
            for (int i = 0; i < conditions.size(); i++) {
                PodCondition existing = conditions.get(i);
                if (!POD_SCHEDULED.equals(existing.getType())) {
                    continue;
                }
                if (verdict.status().equals(existing.getStatus()) && verdict.reason().equals(existing.getReason())
                        && verdict.message().equals(existing.getMessage())) {
                    return null;
                }
                // lastTransitionTime moves only when the status does (API server's UpdatePodCondition).
                String transition = verdict.status().equals(existing.getStatus())
                        && existing.getLastTransitionTime() != null ? existing.getLastTransitionTime() : now;
                ops.addObject().put("op", "test").put("path", "/status/conditions/" + i + "/type")
                        .put("value", POD_SCHEDULED);
                ops.addObject().put("op", "replace").put("path", "/status/conditions/" + i)
                        .set("value", condition(verdict, transition));
                return ops.toString();
            }
        }
        if (pod.getStatus() == null) {
            ObjectNode status = mapper.createObjectNode();
            status.putArray("conditions").add(condition(verdict, now));
            ops.addObject().put("op", "add").put("path", "/status").set("value", status);
        } else if (conditions == null || conditions.isEmpty()) {
            // fabric8 reads an absent list as empty; "add" of the member creates or replaces it.
            ArrayNode list = mapper.createArrayNode().add(condition(verdict, now));
            ops.addObject().put("op", "add").put("path", "/status/conditions").set("value", list);
        } else {
            ops.addObject().put("op", "add").put("path", "/status/conditions/-").set("value", condition(verdict, now));
        }
        return ops.toString();
    }

    private ObjectNode condition(Verdict verdict, String lastTransitionTime) {
        ObjectNode condition = mapper.createObjectNode();
        condition.put("type", POD_SCHEDULED);
        condition.put("status", verdict.status());
        condition.putNull("lastProbeTime");
        condition.put("lastTransitionTime", lastTransitionTime);
        condition.put("reason", verdict.reason());
        condition.put("message", verdict.message());
        return condition;
    }

    private static String identity(PodInfo pod) {
        return pod.uid().isEmpty() ? pod.key().toString() : pod.uid();
    }
}
