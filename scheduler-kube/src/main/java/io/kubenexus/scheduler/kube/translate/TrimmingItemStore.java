package io.kubenexus.scheduler.kube.translate;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSpecBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An informer item store that keeps a trimmed copy of each object: only what the translators and
 * the informer's resourceVersion bookkeeping need. Used for nodes (and the PodGroup status
 * updater's few pods); the main pod cache keeps translations instead ({@link TranslatingItemStore}).
 *
 * <p>Contract with the informer: {@link #put} copies, it never modifies the object passed in,
 * because the informer hands that same object to event handlers. Handlers see the full object for
 * watch events, but the trimmed copy for the deferred adds of the initial list, for resyncs and as
 * {@code oldObj} of updates; {@link NodeTranslator} gives the same result for both (tested).
 * Sub-objects the scheduler reads unchanged are shared with the original rather than copied:
 * informer objects are read-only by convention.
 *
 * <p>Keys are fabric8's {@link Cache#metaNamespaceKeyFunc}: {@code namespace/name}, or
 * {@code name} for cluster-scoped objects. Thread-safe: the informer writes from one thread at a
 * time while readers may list concurrently.
 *
 * @param <T> the resource type
 */
public final class TrimmingItemStore<T extends HasMetadata> implements ItemStore<T> {
    private static final Logger LOG = LoggerFactory.getLogger(TrimmingItemStore.class);
    private final ConcurrentHashMap<String, T> items = new ConcurrentHashMap<>();
    private final UnaryOperator<T> trimmer;

    public TrimmingItemStore(UnaryOperator<T> trimmer) {
        this.trimmer = Objects.requireNonNull(trimmer, "trimmer");
    }

    public static TrimmingItemStore<Node> forNodes() {
        return new TrimmingItemStore<>(TrimmingItemStore::trimNode);
    }

    @Override
    public String getKey(T obj) {
        return Cache.metaNamespaceKeyFunc(obj);
    }

    /** Never throws (it runs on the informer's thread): an object the trimmer fails on is kept whole. */
    @Override
    public T put(String key, T obj) {
        T kept;
        try {
            kept = trimmer.apply(obj);
        } catch (RuntimeException e) {
            LOG.error("{} cannot be trimmed (a trimmer bug); kept whole", key, e);
            kept = obj;
        }
        return items.put(key, kept);
    }

    @Override
    public T remove(String key) {
        return items.remove(key);
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet().stream();
    }

    @Override
    public Stream<T> values() {
        return items.values().stream();
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public T get(String key) {
        return items.get(key);
    }

    /**
     * A node without managed fields, images, addresses, daemon endpoints and system info; spec,
     * allocatable, capacity and conditions are kept.
     */
    public static Node trimNode(Node node) {
        Node trimmed = new Node();
        trimmed.setApiVersion(node.getApiVersion());
        trimmed.setKind(node.getKind());
        trimmed.setMetadata(trimMeta(node.getMetadata(), RetainedAnnotations::forNode));
        if (node.getSpec() != null) {
            trimmed.setSpec(new NodeSpecBuilder(node.getSpec()).build());
        }
        NodeStatus status = node.getStatus();
        if (status != null) {
            NodeStatus kept = new NodeStatus();
            kept.setAllocatable(copy(status.getAllocatable()));
            kept.setCapacity(copy(status.getCapacity()));
            kept.setConditions(copy(status.getConditions()));
            trimmed.setStatus(kept);
        }
        return trimmed;
    }

    private static ObjectMeta trimMeta(ObjectMeta meta, Function<Map<String, String>, Map<String, String>> annotations) {
        if (meta == null) {
            return null;
        }
        ObjectMeta kept = new ObjectMeta();
        kept.setName(meta.getName());
        kept.setNamespace(meta.getNamespace());
        kept.setUid(meta.getUid());
        kept.setResourceVersion(meta.getResourceVersion());
        kept.setGeneration(meta.getGeneration());
        kept.setCreationTimestamp(meta.getCreationTimestamp());
        kept.setDeletionTimestamp(meta.getDeletionTimestamp());
        kept.setDeletionGracePeriodSeconds(meta.getDeletionGracePeriodSeconds());
        kept.setLabels(copy(meta.getLabels()));
        Map<String, String> retained = annotations.apply(meta.getAnnotations());
        kept.setAnnotations(retained.isEmpty() ? null : new LinkedHashMap<>(retained));
        List<OwnerReference> owners = copy(meta.getOwnerReferences());
        kept.setOwnerReferences(owners);
        return kept;
    }

    // fabric8 setters keep the collection they are given; copy so the trimmed object owns its own.
    private static <E> List<E> copy(List<E> list) {
        return list == null ? null : new ArrayList<>(list);
    }

    private static <K, V> Map<K, V> copy(Map<K, V> map) {
        return map == null ? null : new LinkedHashMap<>(map);
    }
}
