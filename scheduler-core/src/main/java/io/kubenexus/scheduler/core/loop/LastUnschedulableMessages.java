package io.kubenexus.scheduler.core.loop;

import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.ports.EventSink;
import java.util.HashMap;
import java.util.Map;

/**
 * Passes every report on to the real sink and remembers, per pending pod, the last unschedulable
 * message sent for it: the text of its PodScheduled=False condition, for {@code /debug/explain}.
 * Forgotten when the pod is scheduled, bound or gone. Used only on the scheduling loop thread.
 */
final class LastUnschedulableMessages implements EventSink {
    private final EventSink sink;
    private final Map<PodKey, String> messages = new HashMap<>();

    LastUnschedulableMessages(EventSink sink) {
        this.sink = sink;
    }

    String message(PodKey key) {
        return messages.get(key);
    }

    void forget(PodKey key) {
        messages.remove(key);
    }

    int size() {
        return messages.size();
    }

    @Override
    public void scheduled(PodInfo pod, String nodeName) {
        messages.remove(pod.key());
        sink.scheduled(pod, nodeName);
    }

    @Override
    public void scheduled(PodInfo pod, String nodeName, String placement) {
        messages.remove(pod.key());
        sink.scheduled(pod, nodeName, placement);
    }

    @Override
    public void unschedulable(PodInfo pod, String message) {
        messages.put(pod.key(), message);
        sink.unschedulable(pod, message);
    }

    @Override
    public void invalid(PodInfo pod, String message) {
        messages.put(pod.key(), message);
        sink.invalid(pod, message);
    }

    @Override
    public void warning(PodInfo pod, String reason, String message) {
        sink.warning(pod, reason, message);
    }

    @Override
    public void bindFailed(PodInfo pod, String nodeName, String message) {
        sink.bindFailed(pod, nodeName, message);
    }

    @Override
    public void preempted(PodInfo victim, PodInfo preemptor, String nodeName) {
        sink.preempted(victim, preemptor, nodeName);
    }

    @Override
    public void preempting(PodInfo preemptor, String nodeName, java.util.List<PodInfo> victims) {
        sink.preempting(preemptor, nodeName, victims);
    }
}
