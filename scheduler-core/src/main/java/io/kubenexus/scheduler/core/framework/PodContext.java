package io.kubenexus.scheduler.core.framework;

import io.kubenexus.scheduler.core.model.PodInfo;
import java.util.HashMap;
import java.util.Map;

/**
 * One pod's scheduling cycle: the pod, its requests as a sparse vector over the snapshot's
 * resource columns (the implicit {@code pods: 1} included), and scratch data that plugins share
 * within the cycle. Built by {@link io.kubenexus.scheduler.core.state.ClusterState#podContext}.
 *
 * <p>A context lives for exactly one decision and is never reused after the cluster changes:
 * plugins cache per-cycle results in it (e.g. the nodes matching required affinity) that a label
 * update would make stale.
 */
public final class PodContext {
    private final PodInfo pod;
    private final int[] requestColumns;
    private final long[] requestAmounts;
    private final long nonZeroCpuMilli;
    private final long nonZeroMemoryBytes;
    private Map<Object, Object> cycleData;

    public PodContext(PodInfo pod, int[] requestColumns, long[] requestAmounts,
                      long nonZeroCpuMilli, long nonZeroMemoryBytes) {
        this.pod = pod;
        this.requestColumns = requestColumns;
        this.requestAmounts = requestAmounts;
        this.nonZeroCpuMilli = nonZeroCpuMilli;
        this.nonZeroMemoryBytes = nonZeroMemoryBytes;
    }

    public PodInfo pod() {
        return pod;
    }

    /** Resource columns the pod requests a positive amount of; do not modify. */
    public int[] requestColumns() {
        return requestColumns;
    }

    /** Amounts parallel to {@link #requestColumns()}; do not modify. */
    public long[] requestAmounts() {
        return requestAmounts;
    }

    public long nonZeroCpuMilli() {
        return nonZeroCpuMilli;
    }

    public long nonZeroMemoryBytes() {
        return nonZeroMemoryBytes;
    }

    /** Per-cycle data keyed by the plugin that owns it (e.g. a compiled selector). */
    @SuppressWarnings("unchecked")
    public <T> T cycleData(Object key) {
        return cycleData == null ? null : (T) cycleData.get(key);
    }

    public void putCycleData(Object key, Object value) {
        if (cycleData == null) {
            cycleData = new HashMap<>(4);
        }
        cycleData.put(key, value);
    }
}
