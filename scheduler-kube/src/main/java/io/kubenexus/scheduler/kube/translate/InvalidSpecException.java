package io.kubenexus.scheduler.kube.translate;

/**
 * Unwinds a translation at the first bad field; never leaves this package (translators turn it
 * into a {@link Translation.Invalid}). Stackless because it describes user data, not a bug.
 */
final class InvalidSpecException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidSpecException(String message) {
        super(message, null, false, false);
    }
}
