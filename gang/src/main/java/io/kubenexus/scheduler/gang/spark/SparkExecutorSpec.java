package io.kubenexus.scheduler.gang.spark;

import io.kubenexus.scheduler.core.model.Toleration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The executor inputs of a SparkApplication (sparkoperator.k8s.io/v1beta2), already parsed.
 * Null means "not set": {@link SparkExecutorSizing} then applies Spark's or spark-operator's
 * default. Messages name the SparkApplication field ({@code spec.executor.memory}), so an adapter
 * can report them on the object as they are.
 *
 * <p>There is no PySpark memory here: SparkApplication has no field for
 * {@code spark.executor.pyspark.memory} (only {@code spec.sparkConf} can carry it).
 *
 * @param coresRequestMilli    {@code spec.executor.coreRequest} in millicores
 *                             ({@code spark.kubernetes.executor.request.cores})
 * @param cores                {@code spec.executor.cores} ({@code spark.executor.cores}), at least 1
 * @param memoryBytes          {@code spec.executor.memory} ({@code spark.executor.memory}); the
 *                             caller applies the default, {@link SparkExecutorSizing#DEFAULT_MEMORY_BYTES}.
 *                             Spark counts whole MiB, so it must be at least 1 MiB
 * @param memoryOverheadBytes  {@code spec.executor.memoryOverhead} ({@code spark.executor.memoryOverhead})
 * @param memoryOverheadFactor {@code spec.memoryOverheadFactor} ({@code spark.kubernetes.memoryOverheadFactor}),
 *                             in [0, 1) as Spark checks it
 * @param appType              {@code spec.type}: Java, Scala, Python or R
 * @param gpuName              {@code spec.executor.gpu.name}, e.g. {@code nvidia.com/gpu}
 * @param gpuQuantity          {@code spec.executor.gpu.quantity}
 * @param instances            {@code spec.executor.instances}
 * @param dynamicAllocation    {@code spec.dynamicAllocation.enabled}
 * @param initialExecutors     {@code spec.dynamicAllocation.initialExecutors}
 * @param minExecutors         {@code spec.dynamicAllocation.minExecutors}
 * @param nodeSelector         the executors' node selector (never null; empty when none)
 * @param tolerations          the executors' tolerations (never null; empty when none)
 */
public record SparkExecutorSpec(Long coresRequestMilli, Integer cores, long memoryBytes, Long memoryOverheadBytes,
                                Double memoryOverheadFactor, String appType, String gpuName, Long gpuQuantity,
                                Integer instances, boolean dynamicAllocation, Integer initialExecutors,
                                Integer minExecutors, Map<String, String> nodeSelector, List<Toleration> tolerations) {

    /** The values of {@code spec.type} (an enum in the CRD). */
    public static final Set<String> APP_TYPES = Set.of("Java", "Scala", "Python", "R");

    public SparkExecutorSpec {
        if (coresRequestMilli != null && coresRequestMilli < 0) {
            throw new IllegalArgumentException(
                    "spec.executor.coreRequest must not be negative, was " + coresRequestMilli + "m");
        }
        if (cores != null && cores < 1) {
            throw new IllegalArgumentException("spec.executor.cores must be at least 1, was " + cores);
        }
        if (memoryBytes <= 0) {
            throw new IllegalArgumentException("spec.executor.memory must be positive, was " + memoryBytes + " bytes");
        }
        if (memoryBytes < SparkMemory.MIB) {
            throw new IllegalArgumentException("spec.executor.memory must be at least 1 MiB (Spark counts whole MiB), was "
                    + memoryBytes + " bytes");
        }
        if (memoryOverheadBytes != null && memoryOverheadBytes < 0) {
            throw new IllegalArgumentException(
                    "spec.executor.memoryOverhead must not be negative, was " + memoryOverheadBytes + " bytes");
        }
        // Spark's own check on spark.kubernetes.memoryOverheadFactor; NaN fails it too.
        if (memoryOverheadFactor != null && !(memoryOverheadFactor >= 0 && memoryOverheadFactor < 1)) {
            throw new IllegalArgumentException(
                    "spec.memoryOverheadFactor must be at least 0 and below 1, was " + memoryOverheadFactor);
        }
        if (appType != null && !APP_TYPES.contains(appType)) {
            throw new IllegalArgumentException(
                    "spec.type must be one of Java, Scala, Python or R, was \"" + appType + "\"");
        }
        if (gpuQuantity != null && gpuQuantity < 0) {
            throw new IllegalArgumentException("spec.executor.gpu.quantity must not be negative, was " + gpuQuantity);
        }
        requireNotNegative("spec.executor.instances", instances);
        requireNotNegative("spec.dynamicAllocation.initialExecutors", initialExecutors);
        requireNotNegative("spec.dynamicAllocation.minExecutors", minExecutors);
        nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
        tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
    }

    /** PySpark and SparkR applications, for which Spark raises the default overhead factor. */
    public boolean isNonJvm() {
        return "Python".equals(appType) || "R".equals(appType);
    }

    private static void requireNotNegative(String field, Integer value) {
        if (value != null && value < 0) {
            throw new IllegalArgumentException(field + " must not be negative, was " + value);
        }
    }
}
