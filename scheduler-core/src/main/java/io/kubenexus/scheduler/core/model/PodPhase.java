package io.kubenexus.scheduler.core.model;

/** Pod phases of the Kubernetes API. */
public enum PodPhase {
    PENDING, RUNNING, SUCCEEDED, FAILED, UNKNOWN;

    public static PodPhase fromApiName(String name) {
        if (name == null || name.isEmpty()) {
            return PENDING;
        }
        return switch (name) {
            case "Pending" -> PENDING;
            case "Running" -> RUNNING;
            case "Succeeded" -> SUCCEEDED;
            case "Failed" -> FAILED;
            default -> UNKNOWN;
        };
    }

    /** Succeeded and failed pods hold no resources on their node. */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED;
    }
}
