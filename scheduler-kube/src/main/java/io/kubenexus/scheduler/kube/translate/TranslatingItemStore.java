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
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An informer item store that translates each object once, as the informer stores it, and keeps
 * that translation instead of a copy of the object. What the informer itself needs back (the key,
 * the resourceVersion it compares to decide whether an object changed, the namespace for its
 * index) stays in a placeholder: a bare object with only name, namespace, uid and resourceVersion.
 *
 * <p>Why: the scheduler reads pods only through their translation ({@code PodInfo}), which the
 * scheduling loop keeps anyway; a trimmed fabric8 copy beside it cost 6.7 KB per pod (every model
 * object carries its own maps and lists), a placeholder and an entry cost a few hundred bytes. The
 * translation is the same object the loop keeps, so it is held once.
 *
 * <p>Handlers: fabric8 hands watch events the full object, but the adds of the initial list (and
 * resyncs) are read back from the store, so they see the placeholder. Handlers therefore ask
 * {@link #translation} for what was stored under the object's key: for a placeholder, and for a full
 * object whose version is the stored one, that is the stored translation; for an object the store
 * has moved past (a newer version, or deleted since), the handler's own object is translated, or
 * null is returned for a placeholder of a deleted object (its delete event follows).
 *
 * <p>Never throws from {@link #put}: it runs on the informer's thread, where an exception fails the
 * initial list (the informer never syncs) or ends the watch thread (no later object is stored). A
 * translator that throws anyway (a bug) is logged, and the object is kept with what
 * {@code unreadable} makes of it (for pods: the accounting view and the error).
 *
 * <p>Thread-safe: the informer writes from one thread while handlers read from another.
 *
 * @param <T> the resource type
 * @param <R> its translation
 */
public final class TranslatingItemStore<T extends HasMetadata, R> implements ItemStore<T> {
    private static final Logger LOG = LoggerFactory.getLogger(TranslatingItemStore.class);
    private final ConcurrentHashMap<String, Entry<T, R>> items = new ConcurrentHashMap<>();
    private final Supplier<T> placeholders;
    private final Function<T, R> translator;
    private final BiFunction<T, RuntimeException, R> unreadable;

    private record Entry<T, R>(T placeholder, R translation) {
    }

    /** A store of pods, each kept as its translation and a placeholder; a pod the translator throws on is kept as null. */
    public static <R> TranslatingItemStore<Pod, R> forPods(Function<Pod, R> translator) {
        return forPods(translator, (pod, failure) -> null);
    }

    /**
     * A store of pods, each kept as its translation and a placeholder.
     *
     * @param unreadable what to keep of a pod the translator threw on
     */
    public static <R> TranslatingItemStore<Pod, R> forPods(Function<Pod, R> translator,
                                                           BiFunction<Pod, RuntimeException, R> unreadable) {
        return new TranslatingItemStore<>(() -> {
            Pod placeholder = new Pod();
            placeholder.setAdditionalProperties(Collections.emptyMap());
            return placeholder;
        }, translator, unreadable);
    }

    /**
     * @param placeholders makes an empty object of the resource type (e.g. {@code Pod::new})
     * @param translator translates a full object; should not throw (report bad input in {@code R})
     * @param unreadable what to keep of an object the translator threw on anyway; may return null
     */
    public TranslatingItemStore(Supplier<T> placeholders, Function<T, R> translator,
                                BiFunction<T, RuntimeException, R> unreadable) {
        this.placeholders = Objects.requireNonNull(placeholders, "placeholders");
        this.translator = Objects.requireNonNull(translator, "translator");
        this.unreadable = Objects.requireNonNull(unreadable, "unreadable");
    }

    @Override
    public String getKey(T obj) {
        return Cache.metaNamespaceKeyFunc(obj);
    }

    @Override
    public T put(String key, T obj) {
        Entry<T, R> previous = items.put(key, new Entry<>(placeholder(obj), translate(obj)));
        return previous == null ? null : previous.placeholder();
    }

    @Override
    public T remove(String key) {
        Entry<T, R> removed = items.remove(key);
        return removed == null ? null : removed.placeholder();
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet().stream();
    }

    @Override
    public Stream<T> values() {
        return items.values().stream().map(Entry::placeholder);
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public T get(String key) {
        Entry<T, R> entry = items.get(key);
        return entry == null ? null : entry.placeholder();
    }

    /**
     * The translation of {@code obj} as a handler received it: the stored one when {@code obj} is
     * the stored placeholder or the stored version; otherwise {@code obj} translated anew, or null when
     * {@code obj} is a placeholder the store no longer holds (the object was deleted or replaced since).
     */
    public R translation(T obj) {
        Entry<T, R> entry = items.get(getKey(obj));
        if (entry != null && (entry.placeholder() == obj || sameVersion(entry.placeholder(), obj))) {
            return entry.translation();
        }
        return isPlaceholder(obj) ? null : translate(obj);
    }

    /** The translator's answer, contained: a translator bug must not escape onto the informer's thread. */
    private R translate(T obj) {
        try {
            return translator.apply(obj);
        } catch (RuntimeException e) {
            String name = obj == null || obj.getMetadata() == null ? null
                    : obj.getMetadata().getNamespace() + "/" + obj.getMetadata().getName();
            LOG.error("{} cannot be translated (a translator bug); kept as unreadable", name, e);
            try {
                return unreadable.apply(obj, e);
            } catch (RuntimeException again) {
                LOG.error("{}: no unreadable stand-in either; kept without a translation", name, again);
                return null;
            }
        }
    }

    /** Whether {@code obj} is one of this store's placeholders (the informer hands them to handlers). */
    boolean isPlaceholder(T obj) {
        Entry<T, R> entry = items.get(getKey(obj));
        if (entry != null && entry.placeholder() == obj) {
            return true;
        }
        // A placeholder of a version no longer stored: placeholders share one (empty) map instance.
        ObjectMeta meta = obj.getMetadata();
        return meta != null && meta.getAdditionalProperties() == PLACEHOLDER_PROPERTIES;
    }

    /** Every placeholder's metadata holds this very (empty, unmodifiable) map: how a placeholder is told apart. */
    private static final Map<String, Object> PLACEHOLDER_PROPERTIES = Collections.unmodifiableMap(new LinkedHashMap<>());

    private static boolean sameVersion(HasMetadata stored, HasMetadata obj) {
        String version = obj.getMetadata() == null ? null : obj.getMetadata().getResourceVersion();
        return version != null && version.equals(stored.getMetadata().getResourceVersion());
    }

    private T placeholder(T obj) {
        T placeholder = placeholders.get();
        ObjectMeta meta = obj.getMetadata();
        ObjectMeta kept = new ObjectMeta();
        if (meta != null) {
            kept.setName(meta.getName());
            kept.setNamespace(meta.getNamespace() == null ? null : meta.getNamespace().intern());
            kept.setUid(meta.getUid());
            kept.setResourceVersion(meta.getResourceVersion());
        }
        // fabric8 model objects allocate their maps and lists up front; a placeholder needs none of them.
        kept.setLabels(null);
        kept.setAnnotations(null);
        kept.setFinalizers(null);
        kept.setManagedFields(null);
        kept.setOwnerReferences(null);
        kept.setAdditionalProperties(PLACEHOLDER_PROPERTIES);
        placeholder.setMetadata(kept);
        return placeholder;
    }
}
