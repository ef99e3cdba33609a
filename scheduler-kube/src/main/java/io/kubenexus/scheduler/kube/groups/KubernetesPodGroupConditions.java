package io.kubenexus.scheduler.kube.groups;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.kubenexus.scheduler.gang.group.GroupPolicy;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.ports.EventSink;
import io.kubenexus.scheduler.kube.informers.UpsertRemoveHandler;
import io.kubenexus.scheduler.kube.translate.Translation;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the scheduling condition of Kubernetes' own PodGroups current, as kube-scheduler does
 * (pkg/scheduler's submitPodGroupAlgorithmResult and updatePodGroupCondition): condition
 * {@code PodGroupInitiallyScheduled} on v1beta1 PodGroups, {@code PodGroupScheduled} on v1alpha2
 * ({@link WorkloadApiVersion#scheduledCondition()}).
 *
 * <p>It sits in front of the scheduler's {@link EventSink}, so it sees the loop's outcomes for each
 * member pod (a pod whose {@code spec.schedulingGroup.podGroupName} names a PodGroup it knows) and
 * passes every call on unchanged:
 * <ul>
 *   <li>a member bound: {@code True}, reason {@code Scheduled}. The loop binds no member of a gang
 *       before the whole gang has places, so the first bound member means the group was placed;</li>
 *   <li>a member that cannot be placed: {@code False}, reason {@code Unschedulable}, with the loop's
 *       message (for a gang the group's: "gang ml/train: 2/4 members ...");</li>
 *   <li>a member whose spec cannot be read, or a PodGroup whose spec cannot be read (a missing or
 *       negative minCount, an unknown or double policy): {@code False}, reason {@code SchedulerError},
 *       with the problem.</li>
 * </ul>
 * As kube-scheduler, a condition that is True is never set False again (v1beta1 documents it as
 * terminal), {@code lastTransitionTime} changes only when the status does, and
 * {@code observedGeneration} is the PodGroup's generation. Unlike kube-scheduler, a gang still
 * waiting for members reports Unschedulable with the count (kube-scheduler holds such pods in
 * PreEnqueue and writes nothing).
 *
 * <p>Writes replace {@code status.conditions} with a JSON patch of the status subresource (a merge
 * patch would append to the list on the embedded API), only when the condition changes, only while
 * this replica leads ({@link #setLeader}), on the injected executor; a failed write is retried after
 * a delay, a deleted PodGroup is dropped. Callbacks from the loop and the informer only record.
 */
public final class KubernetesPodGroupConditions implements EventSink {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesPodGroupConditions.class);
    public static final String REASON_SCHEDULED = "Scheduled";
    public static final String REASON_UNSCHEDULABLE = "Unschedulable";
    public static final String REASON_SCHEDULER_ERROR = "SchedulerError";
    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(5);
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_INSTANT;

    /** The condition wanted on a group: status {@code True} or {@code False}, reason and message. */
    record Wanted(boolean scheduled, String reason, String message) {
    }

    private final KubernetesClient client;
    private final EventSink delegate;
    private final PodGroupTranslator translator;
    private final Clock clock;
    private final Duration retryDelay;
    private final ObjectMapper mapper = new ObjectMapper();

    /** Latest PodGroup objects by {@code namespace/name}. */
    private final Map<String, GenericKubernetesResource> podGroups = new ConcurrentHashMap<>();
    /** The condition last asked for, per group; written when it differs from the object's. */
    private final Map<String, Wanted> wanted = new ConcurrentHashMap<>();
    /** The condition last written per group, while the informer may still show the old one. */
    private final Map<String, Wanted> written = new ConcurrentHashMap<>();
    private final Map<String, String> failuresLogged = new ConcurrentHashMap<>();
    private final DirtyKeys dirty;
    private volatile boolean leader;
    private volatile boolean closed;

    public KubernetesPodGroupConditions(KubernetesClient client, EventSink delegate, PodGroupTranslator translator,
                                        Executor executor, Clock clock) {
        this(client, delegate, translator, executor, clock, DEFAULT_RETRY_DELAY);
    }

    /**
     * @param delegate   receives every call unchanged (the Kubernetes event sink)
     * @param executor   runs the writes; never an informer thread or the loop
     * @param clock      lastTransitionTime
     * @param retryDelay wait before retrying a failed write
     */
    public KubernetesPodGroupConditions(KubernetesClient client, EventSink delegate, PodGroupTranslator translator,
                                        Executor executor, Clock clock, Duration retryDelay) {
        this.client = Objects.requireNonNull(client, "client");
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.translator = Objects.requireNonNull(translator, "translator");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retryDelay = Objects.requireNonNull(retryDelay, "retryDelay");
        this.dirty = new DirtyKeys(executor, this::reconcile, "updating the conditions of PodGroup");
    }

    /** Receives Kubernetes' PodGroups (see {@link GroupSourceInformers#addKubernetesPodGroupHandler}). */
    public ResourceEventHandler<GenericKubernetesResource> podGroupHandler() {
        return UpsertRemoveHandler.of(this::podGroupUpserted, this::podGroupRemoved);
    }

    /** Only the leader writes; on becoming leader every wanted condition is checked again. */
    public void setLeader(boolean isLeader) {
        leader = isLeader;
        if (isLeader) {
            wanted.keySet().forEach(this::markDirty);
        }
    }

    /** Later events and queued work are ignored. The executor is the caller's. */
    public void close() {
        closed = true;
        dirty.close();
    }

    // ------------------------------------------------------------------ EventSink

    @Override
    public void scheduled(PodInfo pod, String nodeName) {
        delegate.scheduled(pod, nodeName);
        want(pod, new Wanted(true, REASON_SCHEDULED, ""));
    }

    @Override
    public void scheduled(PodInfo pod, String nodeName, String placement) {
        delegate.scheduled(pod, nodeName, placement);
        want(pod, new Wanted(true, REASON_SCHEDULED, ""));
    }

    @Override
    public void unschedulable(PodInfo pod, String message) {
        delegate.unschedulable(pod, message);
        want(pod, new Wanted(false, REASON_UNSCHEDULABLE, message));
    }

    @Override
    public void invalid(PodInfo pod, String message) {
        delegate.invalid(pod, message);
        want(pod, new Wanted(false, REASON_SCHEDULER_ERROR, "pod " + pod.key().name() + ": " + message));
    }

    @Override
    public void warning(PodInfo pod, String reason, String message) {
        delegate.warning(pod, reason, message);
    }

    @Override
    public void bindFailed(PodInfo pod, String nodeName, String message) {
        delegate.bindFailed(pod, nodeName, message);
    }

    @Override
    public void preempted(PodInfo victim, PodInfo preemptor, String nodeName) {
        delegate.preempted(victim, preemptor, nodeName);
    }

    @Override
    public void preempting(PodInfo preemptor, String nodeName, java.util.List<PodInfo> victims) {
        delegate.preempting(preemptor, nodeName, victims);
    }

    private void want(PodInfo pod, Wanted condition) {
        if (pod.schedulingGroup() == null) {
            return;
        }
        String key = pod.key().namespace() + "/" + pod.schedulingGroup();
        if (podGroups.containsKey(key)) { // a PodGroup of the version we read, not only a name
            want(key, condition);
        }
    }

    private void want(String key, Wanted condition) {
        Wanted previous = wanted.put(key, condition);
        if (!condition.equals(previous)) {
            markDirty(key);
        }
    }

    // ------------------------------------------------------------------ PodGroup objects

    private void podGroupUpserted(GenericKubernetesResource podGroup) {
        String key = PodGroupTranslator.key(podGroup);
        podGroups.put(key, podGroup);
        Translation<GroupPolicy> policy = translator.fromKubernetes(podGroup);
        if (!policy.isValid()) {
            want(key, new Wanted(false, REASON_SCHEDULER_ERROR, policy.errorOrNull()));
        } else if (wanted.containsKey(key)) {
            markDirty(key); // the object changed (e.g. someone else wrote the status): check it again
        }
    }

    private void podGroupRemoved(GenericKubernetesResource podGroup) {
        String key = PodGroupTranslator.key(podGroup);
        podGroups.remove(key);
        wanted.remove(key);
        written.remove(key);
        failuresLogged.remove(key);
    }

    // ------------------------------------------------------------------ work queue

    private void markDirty(String key) {
        dirty.mark(key);
    }

    private void reconcile(String key) {
        GenericKubernetesResource podGroup = podGroups.get(key);
        Wanted condition = wanted.get(key);
        if (!leader || closed || podGroup == null || condition == null) {
            return; // becoming leader marks every group again
        }
        WorkloadApiVersion version = WorkloadApiVersion.ofApiVersion(podGroup.getApiVersion());
        if (version == null) {
            return;
        }
        List<Map<String, Object>> conditions = conditions(podGroup);
        Map<String, Object> existing = find(conditions, version.scheduledCondition());
        if (existing != null && "True".equals(existing.get("status")) && !condition.scheduled()) {
            return; // initially scheduled is terminal: never back to False
        }
        Long generation = podGroup.getMetadata() == null ? null : podGroup.getMetadata().getGeneration();
        if (existing != null && matches(existing, condition, generation)) {
            written.remove(key);
            return;
        }
        if (condition.equals(written.get(key))) {
            return; // written; the informer has not shown it yet
        }
        String status = condition.scheduled() ? "True" : "False";
        Map<String, Object> updated = new LinkedHashMap<>();
        updated.put("type", version.scheduledCondition());
        updated.put("status", status);
        if (generation != null && generation > 0) {
            updated.put("observedGeneration", generation);
        }
        boolean sameStatus = existing != null && status.equals(existing.get("status"))
                && existing.get("lastTransitionTime") != null;
        updated.put("lastTransitionTime", sameStatus ? existing.get("lastTransitionTime")
                : RFC3339.format(clock.instant().truncatedTo(ChronoUnit.SECONDS)));
        updated.put("reason", condition.reason());
        updated.put("message", condition.message());
        List<Map<String, Object>> replaced = new ArrayList<>(conditions.size() + 1);
        boolean placed = false;
        for (Map<String, Object> other : conditions) {
            if (version.scheduledCondition().equals(other.get("type"))) {
                replaced.add(updated);
                placed = true;
            } else {
                replaced.add(other);
            }
        }
        if (!placed) {
            replaced.add(updated);
        }
        write(key, podGroup, version, condition, replaced);
    }

    private void write(String key, GenericKubernetesResource podGroup, WorkloadApiVersion version, Wanted condition,
                       List<Map<String, Object>> conditions) {
        ObjectMeta meta = podGroup.getMetadata();
        boolean hasStatus = podGroup.getAdditionalProperties().get("status") instanceof Map;
        // JSON patch "add" replaces an existing member: the whole list is sent, never appended to.
        Map<String, Object> operation = hasStatus
                ? Map.of("op", "add", "path", "/status/conditions", "value", conditions)
                : Map.of("op", "add", "path", "/status", "value", Map.of("conditions", conditions));
        try {
            client.genericKubernetesResources(version.podGroups()).inNamespace(meta.getNamespace())
                    .withName(meta.getName()).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON), mapper.writeValueAsString(List.of(operation)));
            written.put(key, condition);
            failuresLogged.remove(key);
            LOG.debug("PodGroup {} {}: {} {} {}", key, version.scheduledCondition(), condition.scheduled(),
                    condition.reason(), condition.message());
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                return; // deleted meanwhile; its delete event follows
            }
            String message = e.getCode() + " " + e.getMessage();
            if (!message.equals(failuresLogged.put(key, message))) {
                LOG.warn("writing condition {} of PodGroup {} failed ({}); retrying every {}",
                        version.scheduledCondition(), key, message, retryDelay);
            }
            dirty.markLater(key, retryDelay);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("condition patch not serializable", e);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** {@code status.conditions} of the object as stored; entries that are not objects are dropped. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> conditions(GenericKubernetesResource podGroup) {
        Object status = podGroup.getAdditionalProperties().get("status");
        Object list = status instanceof Map<?, ?> map ? map.get("conditions") : null;
        List<Map<String, Object>> conditions = new ArrayList<>();
        if (list instanceof List<?> entries) {
            for (Object entry : entries) {
                if (entry instanceof Map<?, ?>) {
                    conditions.add((Map<String, Object>) entry);
                }
            }
        }
        return conditions;
    }

    private static Map<String, Object> find(List<Map<String, Object>> conditions, String type) {
        for (Map<String, Object> condition : conditions) {
            if (type.equals(condition.get("type"))) {
                return condition;
            }
        }
        return null;
    }

    private static boolean matches(Map<String, Object> existing, Wanted condition, Long generation) {
        Object observed = existing.get("observedGeneration");
        boolean generationCurrent = generation == null || generation <= 0
                || observed instanceof Number number && number.longValue() == generation;
        return (condition.scheduled() ? "True" : "False").equals(existing.get("status"))
                && condition.reason().equals(existing.get("reason"))
                && condition.message().equals(String.valueOf(existing.getOrDefault("message", "")))
                && generationCurrent;
    }
}
