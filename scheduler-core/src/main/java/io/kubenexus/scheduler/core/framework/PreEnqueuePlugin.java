package io.kubenexus.scheduler.core.framework;

import io.kubenexus.scheduler.core.queue.QueuedPod;

/**
 * Keeps a pod from being tried until what it depends on can be known (kube-scheduler's PreEnqueue):
 * e.g. a gang member that names a PodGroup object the informer has not delivered yet. A pod that must
 * wait goes back to backoff untried, and is told why.
 */
public interface PreEnqueuePlugin extends LifecyclePlugin {
    /** Null when the pod may be tried now; else why it waits (shown in its event and condition). */
    String mustWait(QueuedPod entry);
}
