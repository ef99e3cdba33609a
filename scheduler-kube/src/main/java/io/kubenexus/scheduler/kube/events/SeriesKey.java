package io.kubenexus.scheduler.kube.events;

/** Events that are the same for aggregation: one pod (by UID), one reason, one message. */
record SeriesKey(String pod, String reason, String message) {
}
