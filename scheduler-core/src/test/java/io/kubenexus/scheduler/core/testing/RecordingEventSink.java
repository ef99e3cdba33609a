package io.kubenexus.scheduler.core.testing;

import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.ports.EventSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what the scheduler told users, as "Reason pod: message" lines. */
public final class RecordingEventSink implements EventSink {
    private final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void scheduled(PodInfo pod, String nodeName) {
        lines.add("Scheduled " + pod.key().name() + ": " + nodeName);
    }

    @Override
    public void scheduled(PodInfo pod, String nodeName, String placement) {
        lines.add("Scheduled " + pod.key().name() + ": " + nodeName + (placement == null ? "" : " (" + placement + ")"));
    }

    @Override
    public void unschedulable(PodInfo pod, String message) {
        lines.add("FailedScheduling " + pod.key().name() + ": " + message);
    }

    @Override
    public void invalid(PodInfo pod, String message) {
        lines.add("Invalid " + pod.key().name() + ": " + message);
    }

    @Override
    public void warning(PodInfo pod, String reason, String message) {
        lines.add(reason + " " + pod.key().name() + ": " + message);
    }

    @Override
    public void bindFailed(PodInfo pod, String nodeName, String message) {
        lines.add("BindFailed " + pod.key().name() + ": " + message);
    }

    @Override
    public void preempted(PodInfo victim, PodInfo preemptor, String nodeName) {
        lines.add("Preempted " + victim.key().name() + ": by " + preemptor.key() + " on node " + nodeName);
    }

    @Override
    public void preempting(PodInfo preemptor, String nodeName, List<PodInfo> victims) {
        lines.add("Preempting " + preemptor.key().name() + ": " + victims.stream().map(v -> v.key().name()).sorted().toList()
                + " on node " + nodeName);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public List<String> linesAbout(String podName) {
        return lines.stream().filter(l -> l.split(" ")[1].replace(":", "").equals(podName)).toList();
    }
}
