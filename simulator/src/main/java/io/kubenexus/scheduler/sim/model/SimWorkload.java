package io.kubenexus.scheduler.sim.model;

import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.core.model.PodKey;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The pods to replay, in the order the source lists them.
 *
 * @param source            where the pods came from (a file name), for the report
 * @param executorTemplates the executors of each Spark application by {@code namespace/app}, as the
 *                          Kubernetes adapter would read them from a SparkApplication
 * @param hasTimes          the source gave arrival times (the trace replay needs them)
 */
public record SimWorkload(String source, List<SimTask> tasks, Map<String, ExecutorTemplate> executorTemplates,
                          boolean hasTimes) {
    public SimWorkload {
        Objects.requireNonNull(source, "source");
        tasks = List.copyOf(tasks);
        executorTemplates = executorTemplates == null ? Map.of() : Map.copyOf(executorTemplates);
        Set<PodKey> keys = new HashSet<>();
        for (SimTask task : tasks) {
            if (!keys.add(task.pod().key())) {
                throw new IllegalArgumentException(source + ": pod " + task.pod().key() + " is listed twice");
            }
        }
    }

    /** Tasks whose GPU share was rounded up to one whole GPU. */
    public int sharedGpuTasks() {
        int count = 0;
        for (SimTask task : tasks) {
            if (task.sharedGpuRounded()) {
                count++;
            }
        }
        return count;
    }
}
