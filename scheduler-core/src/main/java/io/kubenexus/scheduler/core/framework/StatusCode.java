package io.kubenexus.scheduler.core.framework;

/** Outcome codes on the hot path, as in kube-scheduler's framework. */
public enum StatusCode {
    SUCCESS,
    /** Cannot be placed now; a cluster change may help. */
    UNSCHEDULABLE,
    /** No cluster change can help this pod as it is (e.g. it uses a constraint we do not evaluate). */
    UNSCHEDULABLE_AND_UNRESOLVABLE,
    /** A bug or bad input; reported, the pod is retried with backoff. */
    ERROR
}
