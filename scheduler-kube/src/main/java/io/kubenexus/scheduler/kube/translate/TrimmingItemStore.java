package io.kubenexus.scheduler.kube.translate;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSpecBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Volume;
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

/**
 * An informer item store that keeps a trimmed copy of each object: only what the translators,
 * the informer's resourceVersion bookkeeping and owner lookups need. Untrimmed pods cost tens of
 * KiB each (managed fields, env, mounts, last-applied annotations); at 150,000 pods that is
 * gigabytes of heap for fields the scheduler never reads.
 *
 * <p>Contract with the informer: {@link #put} copies, it never modifies the object passed in,
 * because the informer hands that same object to event handlers. Handlers see the full object for
 * watch events, but the trimmed copy for the deferred adds of the initial list, for resyncs and as
 * {@code oldObj} of updates; {@link PodTranslator} and {@link NodeTranslator} give the same result
 * for both (tested). Sub-objects the scheduler reads unchanged (resources, affinity, tolerations)
 * are shared with the original rather than copied: informer objects are read-only by convention.
 *
 * <p>Keys are fabric8's {@link Cache#metaNamespaceKeyFunc}: {@code namespace/name}, or
 * {@code name} for cluster-scoped objects. Thread-safe: the informer writes from one thread at a
 * time while readers may list concurrently.
 *
 * @param <T> the resource type
 */
public final class TrimmingItemStore<T extends HasMetadata> implements ItemStore<T> {
    private final ConcurrentHashMap<String, T> items = new ConcurrentHashMap<>();
    private final UnaryOperator<T> trimmer;

    public TrimmingItemStore(UnaryOperator<T> trimmer) {
        this.trimmer = Objects.requireNonNull(trimmer, "trimmer");
    }

    public static TrimmingItemStore<Pod> forPods() {
        return new TrimmingItemStore<>(TrimmingItemStore::trimPod);
    }

    public static TrimmingItemStore<Node> forNodes() {
        return new TrimmingItemStore<>(TrimmingItemStore::trimNode);
    }

    @Override
    public String getKey(T obj) {
        return Cache.metaNamespaceKeyFunc(obj);
    }

    @Override
    public T put(String key, T obj) {
        return items.put(key, trimmer.apply(obj));
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
     * A pod reduced to identity, owner references, scheduling fields and the status the scheduler
     * reads (phase, conditions, nominated node). Containers keep name, resources, ports and
     * restartPolicy; volumes only those naming a claim.
     */
    public static Pod trimPod(Pod pod) {
        Pod trimmed = new Pod();
        trimmed.setApiVersion(pod.getApiVersion());
        trimmed.setKind(pod.getKind());
        trimmed.setMetadata(trimMeta(pod.getMetadata(), RetainedAnnotations::forPod));
        PodSpec spec = pod.getSpec();
        if (spec != null) {
            PodSpec kept = new PodSpec();
            kept.setNodeName(spec.getNodeName());
            kept.setSchedulerName(spec.getSchedulerName());
            kept.setPriority(spec.getPriority());
            kept.setPriorityClassName(spec.getPriorityClassName());
            kept.setPreemptionPolicy(spec.getPreemptionPolicy());
            kept.setRuntimeClassName(spec.getRuntimeClassName());
            kept.setHostNetwork(spec.getHostNetwork());
            kept.setNodeSelector(copy(spec.getNodeSelector()));
            kept.setAffinity(spec.getAffinity());
            kept.setTolerations(copy(spec.getTolerations()));
            kept.setTopologySpreadConstraints(copy(spec.getTopologySpreadConstraints()));
            kept.setOverhead(copy(spec.getOverhead()));
            kept.setResources(spec.getResources());
            kept.setResourceClaims(copy(spec.getResourceClaims()));
            kept.setSchedulingGates(copy(spec.getSchedulingGates()));
            kept.setSchedulingGroup(spec.getSchedulingGroup());
            kept.setContainers(map(spec.getContainers(), TrimmingItemStore::trimContainer));
            kept.setInitContainers(map(spec.getInitContainers(), TrimmingItemStore::trimContainer));
            kept.setVolumes(claimVolumes(spec.getVolumes()));
            // Fields newer than this fabric8 model (e.g. future scheduling fields) land here.
            if (spec.getAdditionalProperties() != null) {
                spec.getAdditionalProperties().forEach(kept::setAdditionalProperty);
            }
            trimmed.setSpec(kept);
        }
        PodStatus status = pod.getStatus();
        if (status != null) {
            PodStatus kept = new PodStatus();
            kept.setPhase(status.getPhase());
            kept.setNominatedNodeName(status.getNominatedNodeName());
            List<PodCondition> conditions = copy(status.getConditions());
            kept.setConditions(conditions);
            trimmed.setStatus(kept);
        }
        return trimmed;
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

    private static Container trimContainer(Container container) {
        Container kept = new Container();
        kept.setName(container.getName());
        kept.setResources(container.getResources());
        List<ContainerPort> ports = copy(container.getPorts());
        kept.setPorts(ports);
        kept.setRestartPolicy(container.getRestartPolicy());
        return kept;
    }

    private static List<Volume> claimVolumes(List<Volume> volumes) {
        if (volumes == null) {
            return null;
        }
        List<Volume> claims = new ArrayList<>(0);
        for (Volume volume : volumes) {
            if (volume.getPersistentVolumeClaim() != null || volume.getEphemeral() != null) {
                Volume kept = new Volume();
                kept.setName(volume.getName());
                kept.setPersistentVolumeClaim(volume.getPersistentVolumeClaim());
                kept.setEphemeral(volume.getEphemeral());
                claims.add(kept);
            }
        }
        return claims;
    }

    private static <A, B> List<B> map(List<A> list, Function<A, B> mapper) {
        if (list == null) {
            return null;
        }
        List<B> mapped = new ArrayList<>(list.size());
        for (A item : list) {
            mapped.add(mapper.apply(item));
        }
        return mapped;
    }

    // fabric8 setters keep the collection they are given; copy so the trimmed object owns its own.
    private static <E> List<E> copy(List<E> list) {
        return list == null ? null : new ArrayList<>(list);
    }

    private static <K, V> Map<K, V> copy(Map<K, V> map) {
        return map == null ? null : new LinkedHashMap<>(map);
    }
}
