package io.kubenexus.scheduler.kube.informers;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Feeds every namespace's labels to the scheduling loop ({@link ClusterState#upsertNamespace},
 * {@link ClusterState#removeNamespace}, posted with {@link SchedulingLoop#onStateUpdate} as
 * {@link ClusterEventType#NAMESPACE_LABELS_CHANGED}): inter-pod affinity terms with a
 * {@code namespaceSelector} choose namespaces by them, and a pod waiting on such a term is retried
 * when they change. Only changes of the labels are posted (a namespace's status or annotations
 * changing, or the re-post of the whole list at sync, retries nothing).
 *
 * <p>Every namespace gets the label {@value #NAME_LABEL} = its name, as the API server sets it on
 * every namespace since Kubernetes 1.22: selectors name single namespaces by it, and an older
 * server or a mock that leaves it out must not make them select nothing.
 *
 * <p>Watched as an optional resource ({@link OptionalResourceInformer}): a scheduler whose
 * ClusterRole predates this (403 on namespaces) still schedules, with one warning; namespace
 * selectors then see namespaces without labels until the grant is added (looked for again every
 * {@code absentRecheck}). A bug with one namespace costs only that namespace
 * ({@link ContainedHandler}).
 *
 * <p>{@link #start()} completes (never exceptionally) once the namespaces were listed and posted,
 * found forbidden, or after {@code syncTimeout}: call it before the pods' sync barrier so the first
 * decisions already see them. Thread-safe.
 */
public final class NamespaceInformer implements AutoCloseable {
    public static final ResourceDefinitionContext NAMESPACES = new ResourceDefinitionContext.Builder()
            .withGroup("").withVersion("v1").withKind("Namespace").withPlural("namespaces").withNamespaced(false)
            .build();
    /** The label the API server keeps on every namespace, its value the namespace's name. */
    public static final String NAME_LABEL = "kubernetes.io/metadata.name";

    public static final Duration DEFAULT_SYNC_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_ABSENT_RECHECK = Duration.ofMinutes(5);

    private final SchedulingLoop loop;
    private final OptionalResourceSet informers;
    /** The labels last posted, by namespace: what the loop's state holds once it has applied them. */
    private final Map<String, Map<String, String>> posted = new HashMap<>();

    public NamespaceInformer(KubernetesClient client, SchedulingLoop loop) {
        this(client, loop, DEFAULT_SYNC_TIMEOUT, DEFAULT_ABSENT_RECHECK);
    }

    /**
     * @param syncTimeout   longest {@link #start()} waits for the namespaces to list
     * @param absentRecheck how often namespaces are looked for again while forbidden
     */
    public NamespaceInformer(KubernetesClient client, SchedulingLoop loop, Duration syncTimeout,
                             Duration absentRecheck) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.informers = new OptionalResourceSet("kubenexus-namespaces", List.of(new OptionalResourceInformer(
                client, NAMESPACES, "; namespace selectors of inter-pod affinity see no namespace labels",
                new OptionalResourceInformer.Timing(syncTimeout, absentRecheck),
                UpsertRemoveHandler.of(this::upsert, this::remove))));
    }

    /** Lists and watches the namespaces. */
    public CompletionStage<Void> start() {
        return informers.start();
    }

    /**
     * The labels last posted to the loop for {@code namespace} (diagnostics and tests), or null when
     * none were (unknown namespace, or deleted).
     */
    public synchronized Map<String, String> posted(String namespace) {
        return posted.get(namespace);
    }

    /** Stops the informer and the re-checks. Call before closing the client (and, in tests, the API). */
    @Override
    public void close() {
        informers.close();
    }

    // Synchronized: the informer thread and the sync hand-over may deliver one namespace at once, and
    // what is posted last must be the newest labels.
    private synchronized void upsert(GenericKubernetesResource namespace) {
        String name = nameOf(namespace);
        if (name == null) {
            return;
        }
        Map<String, String> labels = labelsOf(name, namespace.getMetadata().getLabels());
        if (labels.equals(posted.put(name, labels))) {
            return;
        }
        loop.onStateUpdate(ClusterEventType.NAMESPACE_LABELS_CHANGED, state -> state.upsertNamespace(name, labels));
    }

    private synchronized void remove(GenericKubernetesResource namespace) {
        String name = nameOf(namespace);
        if (name != null && posted.remove(name) != null) {
            loop.onStateUpdate(ClusterEventType.NAMESPACE_LABELS_CHANGED, state -> state.removeNamespace(name));
        }
    }

    private static String nameOf(GenericKubernetesResource namespace) {
        return namespace == null || namespace.getMetadata() == null ? null : namespace.getMetadata().getName();
    }

    /** The namespace's labels with {@value #NAME_LABEL}; entries no API server could produce (nulls) are left out. */
    static Map<String, String> labelsOf(String name, Map<String, String> declared) {
        Map<String, String> labels = new HashMap<>();
        if (declared != null) {
            declared.forEach((key, value) -> {
                if (key != null && value != null) {
                    labels.put(key.intern(), value.intern());
                }
            });
        }
        labels.put(NAME_LABEL, name);
        return Map.copyOf(labels);
    }
}
