package io.kubenexus.scheduler.kube.groups;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubenexus.scheduler.gang.group.GroupPolicy;
import io.kubenexus.scheduler.gang.GangLabels;
import io.kubenexus.scheduler.kube.informers.UpsertRemoveHandler;
import io.kubenexus.scheduler.kube.translate.Translation;
import io.kubenexus.scheduler.kube.translate.TrimmingItemStore;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the status of scheduler-plugins PodGroups ({@code scheduling.x-k8s.io/v1alpha1}) current,
 * as scheduler-plugins' PodGroup controller does (pkg/controllers/podgroup_controller.go), for the
 * groups this scheduler places. A group's members are the pods of its namespace labelled
 * {@code scheduling.x-k8s.io/pod-group: <name>}; the group is ours when at least one member names
 * our scheduler (so a cluster that also runs the scheduler-plugins controller does not get two
 * writers for its own groups), and stays ours once we wrote its status, so a group whose pods are
 * all deleted goes back to Pending as upstream's does.
 *
 * <p>Status, from the members as the pod informer sees them ({@link #desired}):
 * <ul>
 *   <li>{@code running}, {@code succeeded}, {@code failed}: members in pod phase Running, Succeeded,
 *       Failed;</li>
 *   <li>{@code phase}: Pending while fewer than minMember members exist; then Scheduling until
 *       running + succeeded reach minMember (a bound pod still starting counts as Scheduling, as
 *       upstream); then Running; Failed once a member failed and failed + running + succeeded
 *       reach minMember; Finished once succeeded reaches minMember. Finished and Failed are final:
 *       the group is not touched again. Unknown is never written (upstream never writes it either);</li>
 *   <li>{@code occupiedBy}: set once, when minMember members exist, to the owners of a member, as
 *       upstream's fillOccupiedObj: {@code namespace/ownerName} of each owner reference, sorted,
 *       comma-joined. Upstream takes the first pod its lister returns; we take the first member by
 *       name that has owners, so the value does not depend on list order;</li>
 *   <li>{@code scheduleStartTime}: set once, when the group is first seen with a member not yet
 *       bound. Upstream's controller no longer writes it (older coscheduling PostBind set it when
 *       the first member was bound and the gang was not yet complete).</li>
 * </ul>
 *
 * <p>Writes are JSON merge patches of the status subresource, sent only when the computed status
 * differs from the object's, and only while this replica leads ({@link #setLeader}). Informer
 * callbacks only mark groups dirty; the work runs on the injected executor, one drain at a time.
 * A failed write is retried after a delay; a group deleted meanwhile is dropped.
 */
public final class PodGroupStatusUpdater implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PodGroupStatusUpdater.class);
    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(5);
    private static final String POD_GROUP_INDEX = "kubenexus/pod-group";
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_INSTANT;

    /** scheduler-plugins' PodGroupPhase values (apis/scheduling/v1alpha1/types.go). */
    public enum Phase {
        PENDING("Pending"),
        SCHEDULING("Scheduling"),
        RUNNING("Running"),
        FINISHED("Finished"),
        FAILED("Failed"),
        UNKNOWN("Unknown");

        private final String wireName;

        Phase(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        /** Finished and Failed: upstream's controller stops reconciling the group. */
        public boolean isFinal() {
            return this == FINISHED || this == FAILED;
        }

        /** The phase named {@code wireName}, or null for none or an unknown name. */
        public static Phase fromWire(String wireName) {
            for (Phase phase : values()) {
                if (phase.wireName.equals(wireName)) {
                    return phase;
                }
            }
            return null;
        }
    }

    /**
     * The fields of a PodGroup's status this updater owns.
     *
     * @param phase              wire name, or null when unset
     * @param scheduleStartTime  RFC 3339, or null when unset
     */
    public record PodGroupStatus(String phase, String occupiedBy, int running, int succeeded, int failed,
                                 String scheduleStartTime) {
    }

    /** What the status needs of one member pod. */
    record Member(String name, String schedulerName, String nodeName, String phase, List<String> owners) {
    }

    private final KubernetesClient client;
    private final String schedulerName;
    private final PodGroupTranslator translator;
    private final Clock clock;
    private final Duration retryDelay;
    private final ObjectMapper mapper = new ObjectMapper();

    /** Latest scheduler-plugins PodGroup objects by {@code namespace/name}. */
    private final Map<String, GenericKubernetesResource> podGroups = new ConcurrentHashMap<>();
    /** The status last written per group, until the informer shows it (its cache lags our writes). */
    private final Map<String, Written> written = new ConcurrentHashMap<>();
    /** uid of each PodGroup whose status we wrote: it stays ours when its pods are gone. */
    private final Map<String, String> owned = new ConcurrentHashMap<>();
    /** Last write failure logged per group, so a persistent failure is logged once. */
    private final Map<String, String> failuresLogged = new ConcurrentHashMap<>();
    private final DirtyKeys dirty;
    private volatile boolean leader;
    private volatile boolean podsSynced;
    private volatile boolean closed;
    private volatile SharedIndexInformer<Pod> podInformer;

    public PodGroupStatusUpdater(KubernetesClient client, String schedulerName, PodGroupTranslator translator,
                                 Executor executor, Clock clock) {
        this(client, schedulerName, translator, executor, clock, DEFAULT_RETRY_DELAY);
    }

    /**
     * @param schedulerName groups with at least one member naming this scheduler are ours
     * @param executor      runs the status computations and writes; never an informer thread
     * @param clock         scheduleStartTime
     * @param retryDelay    wait before retrying a failed write
     */
    public PodGroupStatusUpdater(KubernetesClient client, String schedulerName, PodGroupTranslator translator,
                                 Executor executor, Clock clock, Duration retryDelay) {
        this.client = Objects.requireNonNull(client, "client");
        this.schedulerName = Objects.requireNonNull(schedulerName, "schedulerName");
        this.translator = Objects.requireNonNull(translator, "translator");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retryDelay = Objects.requireNonNull(retryDelay, "retryDelay");
        this.dirty = new DirtyKeys(executor, this::reconcile, "updating the status of PodGroup");
    }

    /**
     * Receives the scheduler-plugins PodGroups (see
     * {@link GroupSourceInformers#addSchedulerPluginsPodGroupHandler}): adds and updates as
     * {@code onAdd}, deletes as {@code onDelete}.
     */
    public ResourceEventHandler<GenericKubernetesResource> podGroupHandler() {
        return UpsertRemoveHandler.of(this::podGroupUpserted, this::podGroupRemoved);
    }

    private void podGroupUpserted(GenericKubernetesResource podGroup) {
        String key = PodGroupTranslator.key(podGroup);
        podGroups.put(key, podGroup);
        markDirty(key);
    }

    private void podGroupRemoved(GenericKubernetesResource podGroup) {
        String key = PodGroupTranslator.key(podGroup);
        podGroups.remove(key);
        written.remove(key);
        owned.remove(key);
        failuresLogged.remove(key);
    }

    /**
     * Watches the pods that carry the PodGroup label (only those: a label-selected watch) and
     * starts writing once they have listed. The stage completes when the pods have synced.
     */
    public synchronized CompletionStage<Void> start() {
        if (podInformer != null) {
            throw new IllegalStateException("already started");
        }
        podInformer = client.pods().inAnyNamespace().withLabel(GangLabels.POD_GROUP).runnableInformer(0);
        podInformer.itemStore(new TrimmingItemStore<>(PodGroupStatusUpdater::trimPod));
        podInformer.addIndexers(Map.of(POD_GROUP_INDEX, PodGroupStatusUpdater::groupKeys));
        podInformer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                groupKeys(pod).forEach(PodGroupStatusUpdater.this::markDirty);
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
                groupKeys(oldPod).forEach(PodGroupStatusUpdater.this::markDirty);
                groupKeys(newPod).forEach(PodGroupStatusUpdater.this::markDirty);
            }

            @Override
            public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
                groupKeys(pod).forEach(PodGroupStatusUpdater.this::markDirty);
            }
        });
        return podInformer.start().thenRun(() -> {
            podsSynced = true;
            markAllDirty();
        });
    }

    /** Only the leader writes; on becoming leader every known group is brought up to date. */
    public void setLeader(boolean isLeader) {
        leader = isLeader;
        if (isLeader) {
            markAllDirty();
        }
    }

    /** Stops the pod informer; later events and queued work are ignored. The executor is the caller's. */
    @Override
    public void close() {
        closed = true;
        dirty.close();
        SharedIndexInformer<Pod> informer;
        synchronized (this) {
            informer = podInformer;
        }
        if (informer != null) {
            informer.stop();
        }
    }

    // ------------------------------------------------------------------ status (pure)

    /**
     * The status the group should have: {@code current} itself when it is final (Finished,
     * Failed), else computed from the members. {@code occupiedBy} and {@code scheduleStartTime}
     * are set once and then kept.
     */
    static PodGroupStatus desired(int minMember, List<Member> members, PodGroupStatus current, Instant now) {
        Phase currentPhase = Phase.fromWire(current.phase());
        if (currentPhase != null && currentPhase.isFinal()) {
            return current;
        }
        int running = 0;
        int succeeded = 0;
        int failed = 0;
        boolean waitingToBind = false;
        for (Member member : members) {
            switch (member.phase() == null ? "" : member.phase()) {
                case "Running" -> running++;
                case "Succeeded" -> succeeded++;
                case "Failed" -> failed++;
                default -> {
                }
            }
            boolean unbound = member.nodeName() == null || member.nodeName().isEmpty();
            boolean done = "Succeeded".equals(member.phase()) || "Failed".equals(member.phase());
            waitingToBind |= unbound && !done;
        }

        Phase phase;
        if (members.size() < minMember) {
            phase = Phase.PENDING;
        } else if (succeeded >= minMember) {
            phase = Phase.FINISHED;
        } else if (failed != 0 && failed + running + succeeded >= minMember) {
            phase = Phase.FAILED;
        } else if (running + succeeded >= minMember) {
            phase = Phase.RUNNING;
        } else {
            phase = Phase.SCHEDULING;
        }

        String occupiedBy = current.occupiedBy();
        if ((occupiedBy == null || occupiedBy.isEmpty()) && members.size() >= minMember) {
            occupiedBy = members.stream()
                    .filter(member -> !member.owners().isEmpty())
                    .min(Comparator.comparing(Member::name))
                    .map(member -> String.join(",", member.owners()))
                    .orElse(null);
        }
        String scheduleStartTime = current.scheduleStartTime();
        if (scheduleStartTime == null && waitingToBind) {
            scheduleStartTime = RFC3339.format(now.truncatedTo(ChronoUnit.SECONDS));
        }
        return new PodGroupStatus(phase.wireName(), occupiedBy, running, succeeded, failed, scheduleStartTime);
    }

    /** The status fields of a PodGroup object as stored (absent counts read as 0, as Go's omitempty). */
    @SuppressWarnings("unchecked")
    static PodGroupStatus statusOf(GenericKubernetesResource podGroup) {
        Object raw = podGroup.getAdditionalProperties().get("status");
        Map<String, Object> status = raw instanceof Map ? (Map<String, Object>) raw : Map.of();
        return new PodGroupStatus(text(status.get("phase")), text(status.get("occupiedBy")), count(status.get("running")),
                count(status.get("succeeded")), count(status.get("failed")), text(status.get("scheduleStartTime")));
    }

    // ------------------------------------------------------------------ work queue

    private void markAllDirty() {
        podGroups.keySet().forEach(this::markDirty);
    }

    private void markDirty(String key) {
        dirty.mark(key);
    }

    private void reconcile(String key) {
        if (!leader || !podsSynced || closed) {
            return; // becoming leader or syncing marks everything again
        }
        GenericKubernetesResource podGroup = podGroups.get(key);
        if (podGroup == null) {
            return;
        }
        Translation<GroupPolicy> policy = translator.fromSchedulerPlugins(podGroup);
        if (!policy.isValid()) {
            return; // GroupSourceInformers reports it
        }
        List<Member> members = members(key);
        String uid = podGroup.getMetadata().getUid();
        boolean ours = Objects.equals(owned.get(key), uid)
                || members.stream().anyMatch(member -> schedulerName.equals(member.schedulerName()));
        if (!ours) {
            return; // not a group we schedule
        }
        PodGroupStatus stored = statusOf(podGroup);
        Written last = written.get(key);
        if (last != null && (!Objects.equals(last.uid(), uid) || last.status().equals(stored))) {
            written.remove(key, last); // a new object of the same name, or the cache caught up
            last = null;
        }
        // While the cache lags our last write, keep what we set once rather than minting it again.
        PodGroupStatus base = last == null ? stored : new PodGroupStatus(stored.phase(),
                firstNonEmpty(stored.occupiedBy(), last.status().occupiedBy()), stored.running(), stored.succeeded(),
                stored.failed(), firstNonEmpty(stored.scheduleStartTime(), last.status().scheduleStartTime()));
        PodGroupStatus target = desired(policy.orElseThrow().minMembers(), members, base, clock.instant());
        if (target.equals(stored) || (last != null && target.equals(last.status()))) {
            return;
        }
        write(key, podGroup, uid, target);
    }

    private void write(String key, GenericKubernetesResource podGroup, String uid, PodGroupStatus target) {
        ObjectMeta meta = podGroup.getMetadata();
        String patch = mergePatch(target);
        try {
            client.genericKubernetesResources(GroupSourceInformers.SCHEDULER_PLUGINS_POD_GROUPS)
                    .inNamespace(meta.getNamespace()).withName(meta.getName()).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            written.put(key, new Written(uid, target));
            owned.put(key, String.valueOf(uid));
            failuresLogged.remove(key);
            LOG.debug("PodGroup {} status: {}", key, target);
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                return; // deleted meanwhile; its delete event follows
            }
            String message = e.getCode() + " " + e.getMessage();
            if (!message.equals(failuresLogged.put(key, message))) {
                LOG.warn("writing the status of PodGroup {} failed ({}); retrying every {}", key, message, retryDelay);
            }
            dirty.markLater(key, retryDelay);
        }
    }

    private String mergePatch(PodGroupStatus status) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("phase", status.phase());
        if (status.occupiedBy() != null) {
            fields.put("occupiedBy", status.occupiedBy());
        }
        fields.put("running", status.running());
        fields.put("succeeded", status.succeeded());
        fields.put("failed", status.failed());
        if (status.scheduleStartTime() != null) {
            fields.put("scheduleStartTime", status.scheduleStartTime());
        }
        try {
            return mapper.writeValueAsString(Map.of("status", fields));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("status patch not serializable", e);
        }
    }

    private List<Member> members(String key) {
        List<Member> members = new ArrayList<>();
        for (Pod pod : podInformer.getIndexer().byIndex(POD_GROUP_INDEX, key)) {
            PodSpec spec = pod.getSpec();
            PodStatus status = pod.getStatus();
            List<String> owners = new ArrayList<>();
            List<OwnerReference> references = pod.getMetadata().getOwnerReferences();
            if (references != null) {
                for (OwnerReference reference : references) {
                    owners.add(pod.getMetadata().getNamespace() + "/" + reference.getName());
                }
            }
            owners.sort(null);
            members.add(new Member(pod.getMetadata().getName(), spec == null ? null : spec.getSchedulerName(),
                    spec == null ? null : spec.getNodeName(), status == null ? null : status.getPhase(), owners));
        }
        return members;
    }

    // ------------------------------------------------------------------ helpers

    /** {@code namespace/<pod-group label>}, the key of the PodGroup a pod belongs to. */
    private static List<String> groupKeys(Pod pod) {
        ObjectMeta meta = pod.getMetadata();
        String group = meta == null || meta.getLabels() == null ? null : meta.getLabels().get(GangLabels.POD_GROUP);
        return group == null || group.isEmpty() ? List.of() : List.of(meta.getNamespace() + "/" + group);
    }

    /** Only what the status needs: identity, the group label, owners, scheduler, node and phase. */
    private static Pod trimPod(Pod pod) {
        ObjectMeta meta = pod.getMetadata();
        ObjectMeta keptMeta = new ObjectMeta();
        if (meta != null) {
            keptMeta.setName(meta.getName());
            keptMeta.setNamespace(meta.getNamespace());
            keptMeta.setUid(meta.getUid());
            keptMeta.setResourceVersion(meta.getResourceVersion());
            String group = meta.getLabels() == null ? null : meta.getLabels().get(GangLabels.POD_GROUP);
            if (group != null) {
                keptMeta.setLabels(Map.of(GangLabels.POD_GROUP, group));
            }
            if (meta.getOwnerReferences() != null && !meta.getOwnerReferences().isEmpty()) {
                keptMeta.setOwnerReferences(List.copyOf(meta.getOwnerReferences()));
            }
        }
        Pod kept = new Pod();
        kept.setMetadata(keptMeta);
        if (pod.getSpec() != null) {
            PodSpec spec = new PodSpec();
            spec.setSchedulerName(pod.getSpec().getSchedulerName());
            spec.setNodeName(pod.getSpec().getNodeName());
            kept.setSpec(spec);
        }
        if (pod.getStatus() != null) {
            PodStatus status = new PodStatus();
            status.setPhase(pod.getStatus().getPhase());
            kept.setStatus(status);
        }
        return kept;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static int count(Object value) {
        return value instanceof Number number ? number.intValue() : 0;
    }

    private static String firstNonEmpty(String first, String second) {
        return first != null && !first.isEmpty() ? first : second;
    }

    private record Written(String uid, PodGroupStatus status) {
    }
}
