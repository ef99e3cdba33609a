package io.kubenexus.scheduler.gang.group;

import io.kubenexus.scheduler.core.model.NodeAffinity;
import io.kubenexus.scheduler.core.model.QosClass;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.model.Toleration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The executors a driver will create, known before they exist: what one asks for, how many must
 * be reserved with the driver, and where they may go.
 *
 * <p>The <em>shape</em> of an executor is everything that decides where it may go besides its
 * requests: node selector, node affinity, tolerations, the annotations the scheduler reads (NUMA
 * policy) and the QoS class (the kubelet aligns NUMA resources of Guaranteed pods only). When
 * {@link #shapeKnown} is true those fields are the executors' own, even where empty (an executor
 * without a node selector really has none); when false they are not known and a stand-in takes the
 * driver's.
 *
 * @param requests      one executor's effective requests (memory includes the overhead; a GPU
 *                      request such as {@code nvidia.com/gpu} is one of them)
 * @param count         executors to place with the driver
 * @param nodeSelector  the executors' nodeSelector
 * @param tolerations   the executors' tolerations
 * @param source        where the size came from ("SparkApplication spark-jobs/pi", "PodGroup ...",
 *                      "annotation ..."), for messages
 * @param nodeAffinity  the executors' node affinity ({@link NodeAffinity#NONE} when they have none)
 * @param annotations   the executors' annotations that the scheduler reads (gang and NUMA keys, e.g.
 *                      {@code numa.scheduling.kubenexus.io/policy}), already checked; others dropped
 * @param qosClass      the QoS class the executor pods will have, or null when not known
 * @param shapeKnown    whether nodeSelector, tolerations, nodeAffinity, annotations and qosClass are
 *                      the executors' own (a SparkApplication's {@code spec.executor}) rather than unknown
 */
public record ExecutorTemplate(ResourceList requests, int count, Map<String, String> nodeSelector,
                               List<Toleration> tolerations, String source, NodeAffinity nodeAffinity,
                               Map<String, String> annotations, QosClass qosClass, boolean shapeKnown) {
    public ExecutorTemplate {
        Objects.requireNonNull(requests, "requests");
        if (count < 0) {
            throw new IllegalArgumentException("executor count must not be negative, was " + count);
        }
        nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
        tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
        Objects.requireNonNull(source, "source");
        nodeAffinity = nodeAffinity == null ? NodeAffinity.NONE : nodeAffinity;
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    /**
     * A template that knows the executors' size, and at most their node selector and tolerations:
     * the shape counts as known when either is non-empty (as stand-ins have always been built), with
     * no node affinity, no annotations and the QoS class left to the driver's.
     */
    public ExecutorTemplate(ResourceList requests, int count, Map<String, String> nodeSelector,
                            List<Toleration> tolerations, String source) {
        this(requests, count, nodeSelector, tolerations, source, NodeAffinity.NONE, Map.of(), null,
                nodeSelector != null && !nodeSelector.isEmpty() || tolerations != null && !tolerations.isEmpty());
    }

    /** The same executors, {@code newCount} of them (e.g. min-available - 1 when the group says so). */
    public ExecutorTemplate withCount(int newCount) {
        return new ExecutorTemplate(requests, newCount, nodeSelector, tolerations, source, nodeAffinity, annotations,
                qosClass, shapeKnown);
    }

    /** The same executors with the shape given; what a translator adds to a sized template. */
    public ExecutorTemplate withShape(Map<String, String> executorNodeSelector, List<Toleration> executorTolerations,
                                      NodeAffinity executorNodeAffinity, Map<String, String> executorAnnotations,
                                      QosClass executorQosClass) {
        return new ExecutorTemplate(requests, count, executorNodeSelector, executorTolerations, source,
                executorNodeAffinity, executorAnnotations, executorQosClass, true);
    }
}
