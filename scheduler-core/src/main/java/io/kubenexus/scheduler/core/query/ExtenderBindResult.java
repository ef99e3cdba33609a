package io.kubenexus.scheduler.core.query;

import java.util.Objects;

/** How the extender's bind verb ended for one pod: bound by us, or refused with an error for kube-scheduler. */
public sealed interface ExtenderBindResult {

    /** The API bound the pod to {@code nodeName}. */
    record Bound(String nodeName) implements ExtenderBindResult {
        public Bound {
            Objects.requireNonNull(nodeName, "nodeName");
        }
    }

    /**
     * Not bound; {@code error} goes back to kube-scheduler as the bind's {@code Error} (it then
     * retries the pod). Nothing of the pod stays assumed or held.
     */
    record Refused(String error) implements ExtenderBindResult {
        public Refused {
            Objects.requireNonNull(error, "error");
        }
    }
}
