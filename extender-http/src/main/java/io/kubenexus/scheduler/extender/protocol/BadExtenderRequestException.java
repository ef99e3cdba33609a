package io.kubenexus.scheduler.extender.protocol;

/**
 * A request body that is not a well-formed extender request. The message names the offending field
 * (in the Go field names kube-scheduler uses) and is answered to the caller as a 400.
 */
public final class BadExtenderRequestException extends Exception {
    public BadExtenderRequestException(String message) {
        super(message, null, false, false);
    }
}
