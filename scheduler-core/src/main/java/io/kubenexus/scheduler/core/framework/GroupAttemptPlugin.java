package io.kubenexus.scheduler.core.framework;

import io.kubenexus.scheduler.core.queue.QueuedPod;

/**
 * Takes over the attempt for a pod that must be placed with others (a gang, a driver with the places
 * of its executors): the plugin claims the siblings it needs through the {@link LoopHandle}, places
 * them together against the live state, and ends the attempt with {@link LoopHandle#bind} or
 * {@link LoopHandle#unschedulable} for each, or hands a pod back with {@link LoopHandle#scheduleAlone}.
 * A plugin that throws costs only the pods of the attempt: the loop undoes what it assumed.
 */
public interface GroupAttemptPlugin extends LifecyclePlugin {
    /** Whether the plugin decided the attempt; false leaves the pod to be placed on its own. */
    boolean attempt(QueuedPod entry);

    /** Groups with members waiting, for the loop's counters. */
    default int waitingGroups() {
        return 0;
    }
}
