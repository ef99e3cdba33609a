package io.kubenexus.scheduler.kube.topology;

/**
 * Unwinds a topology parser at the first bad field; parsers turn it into a
 * {@link io.kubenexus.scheduler.kube.translate.Translation.Invalid}. Stackless because it describes
 * published data, not a bug.
 */
final class MalformedTopologyException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedTopologyException(String message) {
        super(message, null, false, false);
    }
}
