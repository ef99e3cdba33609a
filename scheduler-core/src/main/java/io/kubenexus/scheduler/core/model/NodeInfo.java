package io.kubenexus.scheduler.core.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A node as the scheduler sees it, translated once from the API object. Immutable.
 *
 * @param allocatable what pods may use, in the scheduler's units (includes {@code pods})
 * @param ready       the node's Ready condition is True. The scheduler does not filter on it:
 *                    like kube-scheduler it relies on the node lifecycle controller's
 *                    {@code node.kubernetes.io/not-ready} taint; it is kept for status and metrics.
 * @param annotations only the annotations the scheduler reads (topology, interconnect)
 * @param capacity    the node's {@code status.capacity} (for capacity metrics; scheduling reads
 *                    {@code allocatable}). The same instance as {@code allocatable} when the two are
 *                    equal or capacity is unknown, so most nodes pay nothing for it.
 */
public record NodeInfo(
        String name,
        Map<String, String> labels,
        Map<String, String> annotations,
        ResourceList allocatable,
        List<Taint> taints,
        boolean unschedulable,
        boolean ready,
        ResourceList capacity) {

    /** A node whose capacity is not known apart from its allocatable (capacity reads as allocatable). */
    public NodeInfo(String name, Map<String, String> labels, Map<String, String> annotations,
                    ResourceList allocatable, List<Taint> taints, boolean unschedulable, boolean ready) {
        this(name, labels, annotations, allocatable, taints, unschedulable, ready, null);
    }

    public NodeInfo {
        Objects.requireNonNull(name, "name");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        allocatable = allocatable == null ? ResourceList.EMPTY : allocatable;
        taints = taints == null ? List.of() : List.copyOf(taints);
        capacity = capacity == null || capacity.equals(allocatable) ? allocatable : capacity;
    }
}
