package io.kubenexus.scheduler.bench.harness;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.PrintStream;

/**
 * The harness's own watch on the workload namespace, independent of the scheduler: the first event
 * that shows a pod with {@code spec.nodeName} set is when the pod was bound, as any API client
 * would observe it.
 */
final class BindingWatcher implements Watcher<Pod> {
    private final PodTimeline timeline;
    private final PrintStream progress;
    private volatile boolean closed;

    BindingWatcher(PodTimeline timeline, PrintStream progress) {
        this.timeline = timeline;
        this.progress = progress;
    }

    @Override
    public void eventReceived(Action action, Pod pod) {
        long now = System.nanoTime();
        if ((action == Action.ADDED || action == Action.MODIFIED) && pod.getSpec() != null
                && pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty()) {
            timeline.boundSeen(pod.getMetadata().getName(), now);
        }
    }

    @Override
    public void onClose(WatcherException cause) {
        closed = true;
        progress.println("harness: the binding watch closed: " + cause.getMessage());
    }

    @Override
    public void onClose() {
        closed = true;
    }

    boolean closed() {
        return closed;
    }
}
