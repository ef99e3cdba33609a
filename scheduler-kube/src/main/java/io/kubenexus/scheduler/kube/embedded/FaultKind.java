package io.kubenexus.scheduler.kube.embedded;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A fault the embedded API can inject ({@link FaultPlan}, {@link FaultInjector}). Each kind applies
 * to one class of request; {@link #optionName()} is its name in {@code --chaos-rates} and in the
 * demo's counts.
 */
public enum FaultKind {
    /** A bind answered 500 InternalError; nothing applied. */
    BIND_ERROR(Target.BIND),
    /**
     * A bind answered 409 Conflict although the pod is not bound (as an API server answers an
     * optimistic-concurrency conflict); nothing applied.
     */
    BIND_CONFLICT(Target.BIND),
    /** A bind answered 429 TooManyRequests with Retry-After; nothing applied. */
    BIND_THROTTLED(Target.BIND),
    /** A bind applied (the pod is bound) whose answer arrives after the client gave up. */
    BIND_TIMEOUT_APPLIED(Target.BIND),
    /** A bind never applied and never answered in time (the request was lost on the way). */
    BIND_TIMEOUT_LOST(Target.BIND),
    /** A write of a pod's status (the PodScheduled condition) answered 500; nothing applied. */
    STATUS_WRITE_ERROR(Target.STATUS_WRITE),
    /** An Event create or patch answered 500; nothing applied. */
    EVENT_WRITE_ERROR(Target.EVENT_WRITE),
    /** A watch closed by the server a little while after it opened; the client must resume. */
    WATCH_CLOSED(Target.WATCH),
    /**
     * A watch answered with an ERROR event 410 Gone ("too old resource version") and closed, as the
     * API server answers a resume from a compacted resourceVersion; the informer must relist.
     */
    WATCH_GONE(Target.WATCH),
    /** Any request answered late (within the client's timeout). */
    SLOW_RESPONSE(Target.ANY);

    /** The class of request a fault applies to. */
    public enum Target {
        BIND, STATUS_WRITE, EVENT_WRITE, WATCH, ANY
    }

    private final Target target;

    FaultKind(Target target) {
        this.target = target;
    }

    public Target target() {
        return target;
    }

    /** {@code bind-error}, {@code watch-gone}, ... */
    public String optionName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The kind named {@code optionName}; the message lists the valid names. */
    public static FaultKind byOptionName(String optionName) {
        for (FaultKind kind : values()) {
            if (kind.optionName().equals(optionName)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown fault kind \"" + optionName + "\"; known: " + names());
    }

    static String names() {
        return Arrays.stream(values()).map(FaultKind::optionName).collect(Collectors.joining(", "));
    }
}
