package io.kubenexus.scheduler.kube.groups;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.gang.group.GroupPolicy;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.gang.lifecycle.GangPlugin;
import io.kubenexus.scheduler.kube.informers.ContainedHandler;
import io.kubenexus.scheduler.kube.informers.OptionalResourceInformer;
import io.kubenexus.scheduler.kube.informers.OptionalResourceSet;
import io.kubenexus.scheduler.kube.informers.UpsertRemoveHandler;
import io.kubenexus.scheduler.kube.translate.Translation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the objects that size groups, in every namespace, and posts what they say to the
 * {@link SchedulingLoop}: scheduler-plugins PodGroups ({@code scheduling.x-k8s.io/v1alpha1}) and
 * Kubernetes PodGroups ({@code scheduling.k8s.io}, of the one version discovery chose at start-up:
 * {@link WorkloadApiVersion}) as {@link GroupPolicy}s, Spark
 * operator SparkApplications ({@code sparkoperator.k8s.io/v1beta2}) as {@link ExecutorTemplate}s.
 * A deleted object posts null. Callbacks only translate and enqueue.
 *
 * <p><b>Optional APIs.</b> None of these CRDs has to be installed. Each source first lists one item;
 * a 404 (CRD not installed) or 403 (not granted to the scheduler) turns the source off with one log
 * line, and it is looked for again every {@code absentRecheck} (minutes, not a tight loop), so an
 * operator installed later is picked up. Other errors are left to the informer, which retries
 * with its own backoff. (That lifecycle is {@link OptionalResourceInformer}'s.)
 *
 * <p><b>Bad objects</b> are logged once per resourceVersion (WARN, naming the object and the
 * field) and skipped: the last readable version of the object stays in force. A bug while handling
 * one object (translating it, or in a consumer added with
 * {@link #addSchedulerPluginsPodGroupHandler}) is contained to that object and logged once.
 *
 * <p><b>One group, two PodGroups.</b> Both PodGroup APIs name groups {@code namespace/name}. If both
 * define the same group, the one changed last applies; deleting it restores the other.
 *
 * <p>{@link #start()} completes once every installed source has listed (and its contents were
 * posted) or was found absent, or after {@code syncTimeout}, whichever comes first: a slow or
 * broken optional API never holds up the scheduler's start for long.
 */
public final class GroupSourceInformers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupSourceInformers.class);

    public static final ResourceDefinitionContext SCHEDULER_PLUGINS_POD_GROUPS = new ResourceDefinitionContext.Builder()
            .withGroup("scheduling.x-k8s.io").withVersion("v1alpha1").withKind("PodGroup").withPlural("podgroups")
            .withNamespaced(true).build();
    /** Kubernetes' v1alpha2 PodGroups; {@link WorkloadApiVersion#podGroups()} has every version. */
    public static final ResourceDefinitionContext KUBERNETES_POD_GROUPS = WorkloadApiVersion.V1ALPHA2.podGroups();
    public static final ResourceDefinitionContext SPARK_APPLICATIONS = new ResourceDefinitionContext.Builder()
            .withGroup("sparkoperator.k8s.io").withVersion("v1beta2").withKind("SparkApplication")
            .withPlural("sparkapplications").withNamespaced(true).build();

    public static final Duration DEFAULT_SYNC_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_ABSENT_RECHECK = Duration.ofMinutes(5);

    private final KubernetesClient client;
    private final SchedulingLoop loop;
    /** Where group policies and executor templates go: the loop's gang plugin. */
    private final GangPlugin gangs;
    private final PodGroupTranslator podGroups;
    private final SparkApplicationTranslator sparkApplications;
    private final OptionalResourceInformer.Timing timing;
    private final Supplier<Optional<WorkloadApiVersion>> kubernetesPodGroupApi;
    private final List<Source> sources = new ArrayList<>();
    private final List<ResourceEventHandler<GenericKubernetesResource>> schedulerPluginsHandlers = new ArrayList<>();
    private final List<ResourceEventHandler<GenericKubernetesResource>> kubernetesHandlers = new ArrayList<>();
    private final PolicyBook policies = new PolicyBook();
    /** Built by {@link #start()}, once the Kubernetes PodGroup version is known. */
    private OptionalResourceSet informers;
    private Optional<WorkloadApiVersion> kubernetesPodGroupVersion = Optional.empty();
    private boolean started;
    private boolean closed;

    public GroupSourceInformers(KubernetesClient client, SchedulingLoop loop, PodGroupTranslator podGroups,
                                SparkApplicationTranslator sparkApplications) {
        this(client, loop, podGroups, sparkApplications, DEFAULT_SYNC_TIMEOUT, DEFAULT_ABSENT_RECHECK);
    }

    /**
     * Reads Kubernetes' PodGroups as v1alpha2, without asking discovery (tools and tests that know
     * their cluster).
     *
     * @param syncTimeout    longest {@link #start()} waits for the sources to list
     * @param absentRecheck  how often a source whose CRD is missing (or forbidden) is looked for again
     */
    public GroupSourceInformers(KubernetesClient client, SchedulingLoop loop, PodGroupTranslator podGroups,
                                SparkApplicationTranslator sparkApplications, Duration syncTimeout,
                                Duration absentRecheck) {
        this(client, loop, podGroups, sparkApplications, syncTimeout, absentRecheck,
                () -> Optional.of(WorkloadApiVersion.V1ALPHA2));
    }

    /**
     * @param kubernetesPodGroupApi asked once by {@link #start()}: the version of Kubernetes'
     *                              PodGroups to read, or empty when the cluster serves none (e.g.
     *                              {@link WorkloadApiDiscovery#discover()})
     */
    public GroupSourceInformers(KubernetesClient client, SchedulingLoop loop, PodGroupTranslator podGroups,
                                SparkApplicationTranslator sparkApplications, Duration syncTimeout,
                                Duration absentRecheck, Supplier<Optional<WorkloadApiVersion>> kubernetesPodGroupApi) {
        this.client = Objects.requireNonNull(client, "client");
        this.loop = Objects.requireNonNull(loop, "loop");
        this.gangs = GangPlugin.of(loop);
        this.podGroups = Objects.requireNonNull(podGroups, "podGroups");
        this.sparkApplications = Objects.requireNonNull(sparkApplications, "sparkApplications");
        this.timing = new OptionalResourceInformer.Timing(syncTimeout, absentRecheck);
        this.kubernetesPodGroupApi = Objects.requireNonNull(kubernetesPodGroupApi, "kubernetesPodGroupApi");
    }

    /**
     * Also hands every scheduler-plugins PodGroup, raw and valid or not, to {@code handler} (e.g. the
     * {@link PodGroupStatusUpdater}): adds and updates (and the re-post at sync) as
     * {@code onAdd}, deletes as {@code onDelete}. Called on informer threads. Call before
     * {@link #start()}.
     */
    public synchronized void addSchedulerPluginsPodGroupHandler(ResourceEventHandler<GenericKubernetesResource> handler) {
        if (started) {
            throw new IllegalStateException("handlers must be added before start()");
        }
        // Each consumer's bug stays its own: the others (and the policy) still get the object.
        schedulerPluginsHandlers.add(new ContainedHandler<>(SCHEDULER_PLUGINS_POD_GROUPS.getKind() + " "
                + SCHEDULER_PLUGINS_POD_GROUPS.getGroup() + "/" + SCHEDULER_PLUGINS_POD_GROUPS.getVersion() + " consumer",
                Objects.requireNonNull(handler, "handler")));
    }

    /**
     * Like {@link #addSchedulerPluginsPodGroupHandler}, for Kubernetes' PodGroups of the version
     * read (e.g. the {@link KubernetesPodGroupConditions}). Call before {@link #start()}.
     */
    public synchronized void addKubernetesPodGroupHandler(ResourceEventHandler<GenericKubernetesResource> handler) {
        if (started) {
            throw new IllegalStateException("handlers must be added before start()");
        }
        kubernetesHandlers.add(new ContainedHandler<>("PodGroup " + WorkloadApiVersion.GROUP + " consumer",
                Objects.requireNonNull(handler, "handler")));
    }

    /**
     * Asks which Kubernetes PodGroup version to read, then looks for each source and watches those
     * that exist. The stage completes (never exceptionally) when every source has synced or was
     * found absent, or after the sync timeout.
     */
    public synchronized CompletionStage<Void> start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        Optional<WorkloadApiVersion> version;
        try {
            version = Objects.requireNonNull(kubernetesPodGroupApi.get(), "no answer");
        } catch (RuntimeException e) {
            LOG.warn("finding the Kubernetes PodGroup version failed ({}); they are not read", e.toString());
            version = Optional.empty();
        }
        kubernetesPodGroupVersion = version;
        sources.add(new PodGroupSource(SCHEDULER_PLUGINS_POD_GROUPS, podGroups::fromSchedulerPlugins, schedulerPluginsHandlers));
        version.ifPresent(read -> sources.add(new PodGroupSource(read.podGroups(),
                object -> podGroups.fromKubernetes(object, read), kubernetesHandlers)));
        sources.add(new SparkApplicationSource());
        informers = new OptionalResourceSet("kubenexus-group-sources",
                sources.stream().map(source -> source.informer).toList());
        if (closed) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        return informers.start();
    }

    /** The version of Kubernetes' PodGroups read; empty before {@link #start()} or when the cluster serves none. */
    public synchronized Optional<WorkloadApiVersion> kubernetesPodGroupVersion() {
        return kubernetesPodGroupVersion;
    }

    /** Kinds currently watched, e.g. {@code PodGroup scheduling.x-k8s.io/v1alpha1} (absent ones are not). */
    public synchronized Set<String> watchedSources() {
        Set<String> watched = new LinkedHashSet<>();
        for (Source source : sources) {
            if (source.informer.watching()) {
                watched.add(source.kind);
            }
        }
        return watched;
    }

    /** Stops the informers and the re-checks. Call before closing the client (and, in tests, the API). */
    @Override
    public void close() {
        OptionalResourceSet started;
        synchronized (this) {
            closed = true;
            started = informers;
        }
        if (started != null) {
            started.close();
        }
    }

    // ------------------------------------------------------------------ sources

    /**
     * One watched API: translates its objects for the loop; {@link OptionalResourceInformer} looks
     * for the API and watches it while it is there.
     */
    private abstract class Source implements UpsertRemoveHandler<GenericKubernetesResource> {
        final String kind;
        final OptionalResourceInformer informer;
        /** resourceVersion last warned about, by {@code namespace/name}, so a bad object is logged once. */
        private final Map<String, String> warnedVersions = new ConcurrentHashMap<>();

        Source(ResourceDefinitionContext context) {
            this.informer = new OptionalResourceInformer(client, context, "", timing, this);
            this.kind = informer.kind();
        }

        /** Logs a bad object once per resourceVersion; {@code message} already names the object. */
        void warnOnce(GenericKubernetesResource object, String message) {
            String key = PodGroupTranslator.key(object);
            String version = String.valueOf(object.getMetadata() == null ? null : object.getMetadata().getResourceVersion());
            if (!version.equals(warnedVersions.put(key, version))) {
                LOG.warn("{}; ignored until it changes", message);
            }
        }

        void forget(GenericKubernetesResource object) {
            warnedVersions.remove(PodGroupTranslator.key(object));
        }
    }

    private final class PodGroupSource extends Source {
        private final Function<GenericKubernetesResource, Translation<GroupPolicy>> translate;
        private final List<ResourceEventHandler<GenericKubernetesResource>> rawHandlers;

        PodGroupSource(ResourceDefinitionContext context,
                       Function<GenericKubernetesResource, Translation<GroupPolicy>> translate,
                       List<ResourceEventHandler<GenericKubernetesResource>> rawHandlers) {
            super(context);
            this.translate = translate;
            this.rawHandlers = rawHandlers;
        }

        @Override
        public void upsert(GenericKubernetesResource object) {
            Translation<GroupPolicy> translated;
            try {
                translated = translate.apply(object);
            } catch (RuntimeException e) {
                // A translator bug: reported like a bad object, the stack at DEBUG.
                translated = Translation.invalid(kind + " " + PodGroupTranslator.key(object) + " cannot be read: " + e);
                LOG.debug("translating {} {} failed", kind, PodGroupTranslator.key(object), e);
            }
            if (translated instanceof Translation.Valid<GroupPolicy> valid) {
                forget(object);
                policies.put(kind, valid.value());
            } else {
                warnOnce(object, translated.errorOrNull());
            }
            rawHandlers.forEach(handler -> handler.onAdd(object));
        }

        @Override
        public void remove(GenericKubernetesResource object) {
            forget(object);
            policies.remove(kind, PodGroupTranslator.key(object));
            rawHandlers.forEach(handler -> handler.onDelete(object, false));
        }
    }

    private final class SparkApplicationSource extends Source {
        SparkApplicationSource() {
            super(SPARK_APPLICATIONS);
        }

        @Override
        public void upsert(GenericKubernetesResource app) {
            ObjectMeta meta = app.getMetadata();
            Translation<ExecutorTemplate> translated;
            try {
                translated = sparkApplications.translate(app);
            } catch (RuntimeException e) {
                // A translator bug must not take the informer thread down with it.
                translated = Translation.invalid(e.toString());
                LOG.debug("translating {} {} failed", kind, PodGroupTranslator.key(app), e);
            }
            if (meta == null || meta.getName() == null) {
                return; // the API server always names objects; nothing to key a template by
            }
            if (translated instanceof Translation.Valid<ExecutorTemplate> valid) {
                forget(app);
                gangs.onExecutorTemplate(meta.getNamespace(), meta.getName(), valid.value());
            } else {
                String message = translated.errorOrNull();
                String object = kind + " " + PodGroupTranslator.key(app);
                warnOnce(app, message.contains(PodGroupTranslator.key(app)) ? message : object + ": " + message);
            }
        }

        @Override
        public void remove(GenericKubernetesResource app) {
            forget(app);
            ObjectMeta meta = app.getMetadata();
            if (meta != null && meta.getName() != null) {
                gangs.onExecutorTemplate(meta.getNamespace(), meta.getName(), null);
            }
        }
    }

    /**
     * The policy of each group by the API that defined it, so two PodGroups naming one group (one
     * per API) do not erase each other: the last changed applies, and deleting it restores the other.
     */
    private final class PolicyBook {
        private final Map<String, LinkedHashMap<String, GroupPolicy>> byGroup = new HashMap<>();
        private final Set<String> conflictsLogged = new LinkedHashSet<>();

        synchronized void put(String kind, GroupPolicy policy) {
            LinkedHashMap<String, GroupPolicy> definitions = byGroup.computeIfAbsent(policy.groupId(), id -> new LinkedHashMap<>());
            definitions.remove(kind); // re-insert: the last changed is last
            definitions.put(kind, policy);
            if (definitions.size() > 1 && conflictsLogged.add(policy.groupId())) {
                LOG.warn("group {} is defined by PodGroups of both {}; the one changed last applies",
                        policy.groupId(), String.join(" and ", definitions.keySet()));
            }
            gangs.onGroupPolicy(policy.groupId(), policy);
        }

        synchronized void remove(String kind, String groupId) {
            LinkedHashMap<String, GroupPolicy> definitions = byGroup.get(groupId);
            GroupPolicy remaining = null;
            if (definitions != null) {
                definitions.remove(kind);
                for (GroupPolicy policy : definitions.values()) {
                    remaining = policy;
                }
                if (definitions.isEmpty()) {
                    byGroup.remove(groupId);
                    conflictsLogged.remove(groupId);
                }
            }
            gangs.onGroupPolicy(groupId, remaining);
        }
    }
}
