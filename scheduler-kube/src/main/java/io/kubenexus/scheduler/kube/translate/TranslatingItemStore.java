package io.kubenexus.scheduler.kube.translate;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * An informer item store that translates each object once, as the informer stores it, and keeps
 * that translation instead of a copy of the object. What the informer itself needs back (the key,
 * the resourceVersion it compares to decide whether an object changed, the namespace for its
 * index) stays in a stub: a bare object with only name, namespace, uid and resourceVersion.
 *
 * <p>Why: the scheduler reads pods only through their translation ({@code PodInfo}), which the
 * scheduling loop keeps anyway; a trimmed fabric8 copy beside it cost 6.7 KB per pod (every model
 * object carries its own maps and lists), a stub and an entry cost a few hundred bytes. The
 * translation is the same object the loop keeps, so it is held once.
 *
 * <p>Handlers: fabric8 hands watch events the full object, but the adds of the initial list (and
 * resyncs) are read back from the store, so they see the stub. Handlers therefore ask
 * {@link #translation} for what was stored under the object's key: for a stub, and for a full
 * object whose version is the stored one, that is the stored translation; for an object the store
 * has moved past (a newer version, or deleted since), the handler's own object is translated, or
 * null is returned for a stub of a deleted object (its delete event follows).
 *
 * <p>Thread-safe: the informer writes from one thread while handlers read from another.
 *
 * @param <T> the resource type
 * @param <R> its translation
 */
public final class TranslatingItemStore<T extends HasMetadata, R> implements ItemStore<T> {
    private final ConcurrentHashMap<String, Entry<T, R>> items = new ConcurrentHashMap<>();
    private final Supplier<T> stubs;
    private final Function<T, R> translator;

    private record Entry<T, R>(T stub, R translation) {
    }

    /** A store of pods, each kept as its translation and a stub. */
    public static <R> TranslatingItemStore<Pod, R> forPods(Function<Pod, R> translator) {
        return new TranslatingItemStore<>(() -> {
            Pod stub = new Pod();
            stub.setAdditionalProperties(Collections.emptyMap());
            return stub;
        }, translator);
    }

    /**
     * @param stubs      makes an empty object of the resource type (e.g. {@code Pod::new})
     * @param translator translates a full object; must not throw (report bad input in {@code R})
     */
    public TranslatingItemStore(Supplier<T> stubs, Function<T, R> translator) {
        this.stubs = Objects.requireNonNull(stubs, "stubs");
        this.translator = Objects.requireNonNull(translator, "translator");
    }

    @Override
    public String getKey(T obj) {
        return Cache.metaNamespaceKeyFunc(obj);
    }

    @Override
    public T put(String key, T obj) {
        Entry<T, R> previous = items.put(key, new Entry<>(stub(obj), translator.apply(obj)));
        return previous == null ? null : previous.stub();
    }

    @Override
    public T remove(String key) {
        Entry<T, R> removed = items.remove(key);
        return removed == null ? null : removed.stub();
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet().stream();
    }

    @Override
    public Stream<T> values() {
        return items.values().stream().map(Entry::stub);
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public T get(String key) {
        Entry<T, R> entry = items.get(key);
        return entry == null ? null : entry.stub();
    }

    /**
     * The translation of {@code obj} as a handler received it: the stored one when {@code obj} is
     * the stored stub or the stored version; otherwise {@code obj} translated anew, or null when
     * {@code obj} is a stub the store no longer holds (the object was deleted or replaced since).
     */
    public R translation(T obj) {
        Entry<T, R> entry = items.get(getKey(obj));
        if (entry != null && (entry.stub() == obj || sameVersion(entry.stub(), obj))) {
            return entry.translation();
        }
        return isStub(obj) ? null : translator.apply(obj);
    }

    /** Whether {@code obj} is one of this store's stubs (the informer hands them to handlers). */
    boolean isStub(T obj) {
        Entry<T, R> entry = items.get(getKey(obj));
        if (entry != null && entry.stub() == obj) {
            return true;
        }
        // A stub of a version no longer stored: stubs share one (empty) map instance.
        ObjectMeta meta = obj.getMetadata();
        return meta != null && meta.getAdditionalProperties() == STUB_PROPERTIES;
    }

    /** Every stub's metadata holds this very (empty, unmodifiable) map: how a stub is told apart. */
    private static final Map<String, Object> STUB_PROPERTIES = Collections.unmodifiableMap(new LinkedHashMap<>());

    private static boolean sameVersion(HasMetadata stored, HasMetadata obj) {
        String version = obj.getMetadata() == null ? null : obj.getMetadata().getResourceVersion();
        return version != null && version.equals(stored.getMetadata().getResourceVersion());
    }

    private T stub(T obj) {
        T stub = stubs.get();
        ObjectMeta meta = obj.getMetadata();
        ObjectMeta kept = new ObjectMeta();
        if (meta != null) {
            kept.setName(meta.getName());
            kept.setNamespace(meta.getNamespace() == null ? null : meta.getNamespace().intern());
            kept.setUid(meta.getUid());
            kept.setResourceVersion(meta.getResourceVersion());
        }
        // fabric8 model objects allocate their maps and lists up front; a stub needs none of them.
        kept.setLabels(null);
        kept.setAnnotations(null);
        kept.setFinalizers(null);
        kept.setManagedFields(null);
        kept.setOwnerReferences(null);
        kept.setAdditionalProperties(STUB_PROPERTIES);
        stub.setMetadata(kept);
        return stub;
    }
}
