package io.kubenexus.scheduler.kube.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs informer callbacks so that a bug in one is contained to the object it failed on: the
 * failure is logged naming the object and the informer goes on with the next. An exception on an
 * informer's thread would otherwise lose the event (fabric8 logs and drops it) or, in an item
 * store, stop the informer.
 */
final class InformerCallbacks {
    private static final Logger LOG = LoggerFactory.getLogger(InformerCallbacks.class);

    private InformerCallbacks() {
    }

    /** Runs {@code callback}; a RuntimeException it throws is logged with {@code what} and {@code object}. */
    static void contained(String what, Object object, Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.error("{} of {} failed; the informer goes on", what, describe(object), e);
        }
    }

    /** {@code kind namespace/name}, or what can be told of an object without metadata. Never throws. */
    static String describe(Object object) {
        try {
            if (object instanceof HasMetadata resource && resource.getMetadata() != null) {
                String namespace = resource.getMetadata().getNamespace();
                return resource.getKind() + " " + (namespace == null ? "" : namespace + "/")
                        + resource.getMetadata().getName();
            }
            return object == null ? "null" : object.getClass().getSimpleName() + " without metadata";
        } catch (RuntimeException e) {
            return "an unreadable object";
        }
    }
}
