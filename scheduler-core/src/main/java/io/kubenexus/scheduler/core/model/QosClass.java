package io.kubenexus.scheduler.core.model;

/** Pod quality-of-service class, derived from requests and limits as the kubelet does. */
public enum QosClass {
    GUARANTEED, BURSTABLE, BEST_EFFORT
}
