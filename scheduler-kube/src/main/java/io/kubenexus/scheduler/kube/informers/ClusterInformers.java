package io.kubenexus.scheduler.kube.informers;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.kube.translate.ExecutorResourcesAnnotation;
import io.kubenexus.scheduler.kube.translate.NodeTranslator;
import io.kubenexus.scheduler.kube.translate.PodTranslator;
import io.kubenexus.scheduler.kube.translate.Translation;
import io.kubenexus.scheduler.kube.translate.TranslatingItemStore;
import io.kubenexus.scheduler.kube.translate.TrimmingItemStore;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches nodes and pods (every namespace) with fabric8 informers and posts what they report,
 * translated once, to the {@link SchedulingLoop}. Callbacks only translate and enqueue.
 *
 * <p>Every pod is watched: our pending pods to schedule, and every assigned pod of any scheduler
 * so node capacity is accounted. The node cache holds trimmed copies ({@link TrimmingItemStore}); the
 * pod cache holds each pod's translation and a placeholder ({@link TranslatingItemStore}): pods are
 * translated once, when the informer stores them.
 *
 * <p>Nothing read from an object may throw on an informer thread: translation failures become an
 * invalid-object report for that object alone (pods: {@link SchedulingLoop#onPodInvalid}, still
 * charged where they run; nodes: left out and logged), and a bug in a translator, handler or
 * listener is contained to the object it failed on ({@link InformerCallbacks}).
 *
 * <p>Start-up barrier: once both informers have listed, the full cache contents are posted again
 * and then {@link SchedulingLoop#onCachesSynced()}: since the loop applies events in order, every
 * pod bound before a restart is charged before the first decision.
 */
public final class ClusterInformers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterInformers.class);

    private final KubernetesClient client;
    private final SchedulingLoop loop;
    private final NodeTranslator nodeTranslator;
    /** Pods are kept as their translations (shared with the loop) and placeholders, not as copies. */
    private final TranslatingItemStore<Pod, TranslatedPod> podStore;
    private SharedIndexInformer<Node> nodeInformer;
    private SharedIndexInformer<Pod> podInformer;
    /** Others who read nodes (NUMA topology annotations), so nodes are watched once. */
    private final List<ResourceEventHandler<Node>> nodeListeners = new CopyOnWriteArrayList<>();

    public ClusterInformers(KubernetesClient client, SchedulingLoop loop, PodTranslator podTranslator,
                            NodeTranslator nodeTranslator) {
        this.client = client;
        this.loop = loop;
        this.nodeTranslator = nodeTranslator;
        this.podStore = TranslatingItemStore.forPods(
                TranslatedPod.translator(podTranslator, new ExecutorResourcesAnnotation()),
                (pod, failure) -> TranslatedPod.unreadable(podTranslator, pod, failure));
    }

    /**
     * Also hands every node the informer delivers to {@code listener}: adds (and the re-post at sync,
     * before the sync barrier) as {@code onAdd}, updates as {@code onUpdate}, deletes as
     * {@code onDelete}. Objects may be trimmed copies (annotations with {@code kubenexus.io/} in the
     * key are kept). Called on the informer thread: listeners must not block or throw. Call before
     * {@link #start()}.
     */
    public synchronized void addNodeListener(ResourceEventHandler<Node> listener) {
        if (nodeInformer != null) {
            throw new IllegalStateException("node listeners must be added before start()");
        }
        nodeListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Starts both informers; the returned stage completes after the sync barrier was posted. */
    public synchronized CompletionStage<Void> start() {
        nodeInformer = client.nodes().runnableInformer(0);
        nodeInformer.itemStore(TrimmingItemStore.forNodes());
        nodeInformer.addEventHandler(new NodeHandler());
        podInformer = client.pods().inAnyNamespace().runnableInformer(0);
        podInformer.itemStore(podStore);
        podInformer.addEventHandler(UpsertRemoveHandler.of(this::postPod, this::removePod));
        CompletableFuture<Void> nodes = nodeInformer.start().toCompletableFuture();
        CompletableFuture<Void> pods = podInformer.start().toCompletableFuture();
        return CompletableFuture.allOf(nodes, pods).thenRun(() -> {
            // One object that fails here must not keep the loop from ever syncing.
            nodeInformer.getStore().list().forEach(node -> {
                InformerCallbacks.contained("sync", node, () -> postNode(node));
                notifyListeners("sync", node, listener -> listener.onAdd(node));
            });
            podInformer.getStore().list().forEach(pod -> InformerCallbacks.contained("sync", pod, () -> postPod(pod)));
            LOG.info("informers synced: {} nodes, {} pods", nodeInformer.getStore().list().size(),
                    podInformer.getStore().list().size());
            loop.onCachesSynced();
        });
    }

    /** Stops the informers. Call before closing the client (and, in tests, before the API server). */
    @Override
    public synchronized void close() {
        if (podInformer != null) {
            podInformer.stop();
        }
        if (nodeInformer != null) {
            nodeInformer.stop();
        }
    }

    private void postNode(Node node) {
        Translation<io.kubenexus.scheduler.core.model.NodeInfo> translated = nodeTranslator.translate(node);
        if (translated instanceof Translation.Valid<io.kubenexus.scheduler.core.model.NodeInfo> valid) {
            loop.onNodeUpserted(valid.value());
        } else {
            // A node we cannot read is left out rather than guessed at; the reason is logged once per change.
            String name = node == null || node.getMetadata() == null ? null : node.getMetadata().getName();
            LOG.warn("node {} ignored: {}", name, translated.errorOrNull());
            if (name != null) {
                loop.onNodeRemoved(name);
            }
        }
    }

    /** Hands a node event to every listener, each contained: one listener's bug must not starve the others. */
    private void notifyListeners(String what, Node node,
                                 java.util.function.Consumer<ResourceEventHandler<Node>> event) {
        for (ResourceEventHandler<Node> listener : nodeListeners) {
            InformerCallbacks.contained(what + " (node listener)", node, () -> event.accept(listener));
        }
    }

    private void postPod(Pod pod) {
        TranslatedPod translated = podStore.translation(pod);
        if (translated != null) { // null: a placeholder of a pod deleted since; its delete follows
            translated.postTo(loop);
        }
    }

    private final class NodeHandler implements ResourceEventHandler<Node> {
        @Override
        public void onAdd(Node node) {
            InformerCallbacks.contained("add", node, () -> postNode(node));
            notifyListeners("add", node, listener -> listener.onAdd(node));
        }

        @Override
        public void onUpdate(Node oldNode, Node newNode) {
            InformerCallbacks.contained("update", newNode, () -> postNode(newNode));
            notifyListeners("update", newNode, listener -> listener.onUpdate(oldNode, newNode));
        }

        @Override
        public void onDelete(Node node, boolean deletedFinalStateUnknown) {
            InformerCallbacks.contained("delete", node, () -> loop.onNodeRemoved(node.getMetadata().getName()));
            notifyListeners("delete", node, listener -> listener.onDelete(node, deletedFinalStateUnknown));
        }
    }

    private void removePod(Pod pod) {
        String namespace = pod.getMetadata().getNamespace();
        loop.onPodRemoved(new PodKey(namespace == null ? "" : namespace, pod.getMetadata().getName()));
    }
}
