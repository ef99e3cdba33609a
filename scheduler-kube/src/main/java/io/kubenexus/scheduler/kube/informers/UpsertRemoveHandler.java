package io.kubenexus.scheduler.kube.informers;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * An informer handler for consumers that only want each object's latest version: an add and an
 * update both {@link #upsert} it (the old version of an update is dropped), a delete
 * {@link #remove}s it whether or not its final state is known. Called on the informer's thread;
 * an exception from {@code upsert} or {@code remove} is contained to its object where the informer
 * calls in ({@code onAdd}, {@code onUpdate}, {@code onDelete}: logged, the informer goes on), never
 * left to end the informer's thread.
 */
public interface UpsertRemoveHandler<T> extends ResourceEventHandler<T> {

    /** The object is new or changed. */
    void upsert(T object);

    /** The object is gone (its last known state). */
    void remove(T object);

    /** A handler that passes the latest versions to {@code upsert} and deletions to {@code remove}. */
    static <T> UpsertRemoveHandler<T> of(Consumer<? super T> upsert, Consumer<? super T> remove) {
        Objects.requireNonNull(upsert, "upsert");
        Objects.requireNonNull(remove, "remove");
        return new UpsertRemoveHandler<>() {
            // Contained where the informer calls in (onAdd, onUpdate, onDelete below), not here, so
            // that a wrapper such as ContainedHandler sees the failure and can keep it to its object.
            @Override
            public void upsert(T object) {
                upsert.accept(object);
            }

            @Override
            public void remove(T object) {
                remove.accept(object);
            }
        };
    }

    @Override
    default void onAdd(T object) {
        InformerCallbacks.contained("add", object, () -> upsert(object));
    }

    @Override
    default void onUpdate(T oldObject, T newObject) {
        InformerCallbacks.contained("update", newObject, () -> upsert(newObject));
    }

    @Override
    default void onDelete(T object, boolean deletedFinalStateUnknown) {
        InformerCallbacks.contained("delete", object, () -> remove(object));
    }
}
