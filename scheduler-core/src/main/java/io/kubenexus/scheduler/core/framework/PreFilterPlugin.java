package io.kubenexus.scheduler.core.framework;

import io.kubenexus.scheduler.core.state.ClusterSnapshot;

/** Checks a pod once per cycle before any node is looked at. */
public interface PreFilterPlugin extends SchedulingPlugin {
    /** Returns success, or why no node can take the pod. Called only from the scheduling loop. */
    Status preFilter(PodContext pod, ClusterSnapshot snapshot);
}
