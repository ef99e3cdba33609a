package io.kubenexus.scheduler.core.ports;

/** How a bind call ended. */
public enum BindOutcome {
    BOUND,
    /** The API says the pod is already bound (HTTP 409): someone else bound it; do not retry. */
    ALREADY_BOUND,
    /** The pod no longer exists (HTTP 404). */
    POD_GONE,
    /** Any other failure (timeout, 5xx, 403...): forget the assumption and retry with backoff. */
    FAILED
}
