package io.kubenexus.scheduler.extender.protocol;

import java.util.Objects;

/**
 * The outcome of a bind call: the pod was bound, or it was not and {@link #error} says why.
 *
 * <p>An unbound verdict is a normal outcome, not a failure of the call: it is answered with HTTP 200
 * and the text in {@code ExtenderBindingResult.Error}, which makes kube-scheduler forget the assumed
 * pod and retry it later.
 *
 * @param error empty when bound; otherwise the reason the pod was not bound
 */
public record BindVerdict(String error) {
    private static final BindVerdict BOUND = new BindVerdict("");

    public BindVerdict {
        Objects.requireNonNull(error, "error");
    }

    /** The pod is bound to the node it was asked for. */
    public static BindVerdict bound() {
        return BOUND;
    }

    /** The pod was not bound; {@code reason} must not be blank, or the scheduler would take it as bound. */
    public static BindVerdict refused(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a refused bind needs a reason");
        }
        return new BindVerdict(reason);
    }

    public boolean isBound() {
        return error.isEmpty();
    }
}
