package io.kubenexus.scheduler.kube.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a handler's failure to the object it was handling: an exception from {@code delegate} (a
 * bug, since handlers report bad objects themselves) is logged and dropped, so the informer thread,
 * or the hand-over of a whole list at sync, goes on with the next object.
 *
 * <p>Logged once per object and failure (ERROR with the stack); the same failure again for the same
 * object, e.g. at every update an exporter publishes, is logged at DEBUG. An object handled without
 * failure, or removed, is forgotten, so only objects failing now are remembered.
 *
 * <p>Adds and updates reach the delegate as {@code onAdd} (the latest version only), deletions as
 * {@code onDelete}. Thread-safe as the delegate is.
 */
public final class ContainedHandler<T extends HasMetadata> implements UpsertRemoveHandler<T> {
    private static final Logger LOG = LoggerFactory.getLogger(ContainedHandler.class);

    private final String kind;
    private final ResourceEventHandler<T> delegate;
    /** The failure last logged, by object. */
    private final Map<String, String> failing = new ConcurrentHashMap<>();

    /** @param kind names the objects in the log, e.g. {@code PodGroup scheduling.x-k8s.io/v1alpha1} */
    public ContainedHandler(String kind, ResourceEventHandler<T> delegate) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public void upsert(T object) {
        try {
            if (delegate instanceof UpsertRemoveHandler<T> latest) {
                latest.upsert(object); // its own onAdd would contain the failure before it reaches us
            } else {
                delegate.onAdd(object);
            }
        } catch (RuntimeException e) {
            failed(object, "handling it", e);
            return;
        }
        if (!failing.isEmpty()) {
            failing.remove(key(object));
        }
    }

    @Override
    public void remove(T object) {
        onDelete(object, false);
    }

    @Override
    public void onDelete(T object, boolean deletedFinalStateUnknown) {
        try {
            if (delegate instanceof UpsertRemoveHandler<T> latest) {
                latest.remove(object);
            } else {
                delegate.onDelete(object, deletedFinalStateUnknown);
            }
        } catch (RuntimeException e) {
            failed(object, "handling its deletion", e);
        } finally {
            if (!failing.isEmpty()) {
                failing.remove(key(object));
            }
        }
    }

    /** How many objects failed the last time they were handled (diagnostics and tests). */
    public int failingObjects() {
        return failing.size();
    }

    private void failed(T object, String what, Throwable e) {
        String key = key(object);
        String failure = what + ": " + e;
        if (failure.equals(failing.put(key, failure))) {
            LOG.debug("{} {}: {} failed again", kind, key, what, e);
        } else {
            LOG.error("{} {}: {} failed; other objects are not affected", kind, key, what, e);
        }
    }

    private static String key(HasMetadata object) {
        ObjectMeta meta = object == null ? null : object.getMetadata();
        if (meta == null) {
            return "<unnamed>";
        }
        return (meta.getNamespace() == null ? "" : meta.getNamespace() + "/") + meta.getName();
    }
}
