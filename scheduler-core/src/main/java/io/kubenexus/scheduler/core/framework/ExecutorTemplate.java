package io.kubenexus.scheduler.core.framework;

import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.model.Toleration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The executors a driver will create, known before they exist: what one asks for, how many must
 * be reserved with the driver, and where they may go.
 *
 * @param requests      one executor's effective requests (memory includes the overhead)
 * @param count         executors to place with the driver
 * @param nodeSelector  the executors' nodeSelector (empty when unknown: the driver's is used)
 * @param tolerations   the executors' tolerations (empty when unknown: the driver's are used)
 * @param source        where the size came from ("SparkApplication spark-jobs/pi", "PodGroup ...",
 *                      "annotation ..."), for messages
 */
public record ExecutorTemplate(ResourceList requests, int count, Map<String, String> nodeSelector,
                               List<Toleration> tolerations, String source) {
    public ExecutorTemplate {
        Objects.requireNonNull(requests, "requests");
        if (count < 0) {
            throw new IllegalArgumentException("executor count must not be negative, was " + count);
        }
        nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
        tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
        Objects.requireNonNull(source, "source");
    }
}
