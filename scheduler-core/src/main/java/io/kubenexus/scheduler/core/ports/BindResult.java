package io.kubenexus.scheduler.core.ports;

/** The result of binding a pod; {@code detail} is the API's message when it failed. */
public record BindResult(BindOutcome outcome, String detail) {
    public static final BindResult BOUND = new BindResult(BindOutcome.BOUND, "");

    public static BindResult of(BindOutcome outcome, String detail) {
        return new BindResult(outcome, detail == null ? "" : detail);
    }
}
