package io.kubenexus.scheduler.gang.spark;

import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.model.ResourceNames;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Sizes a SparkApplication's executors as Spark 3.3 to 3.5 on Kubernetes will request them, so a
 * driver can be placed together with room for its executors before they exist.
 *
 * <ul>
 *   <li>CPU: {@code spark.kubernetes.executor.request.cores} if set, else
 *       {@code spark.executor.cores} (default 1) whole cores (BasicExecutorFeatureStep).</li>
 *   <li>Memory, in whole MiB: executor memory + overhead, where the overhead is the explicit
 *       {@code memoryOverhead}, else {@code max((int) (factor * memoryMiB), 384)}
 *       (ResourceProfile.calculateOverHeadMemory). The factor is
 *       {@code spark.kubernetes.memoryOverheadFactor} when set, else 0.4 for Python and R
 *       applications and 0.1 otherwise (BasicDriverFeatureStep passes that to the executors).</li>
 *   <li>GPU: {@code {gpu.name: gpu.quantity}}, which spark-operator's webhook adds to the executor
 *       container; like the webhook, a missing name or a zero quantity adds nothing.</li>
 *   <li>Count: {@code instances}, spark-operator's default 1 when unset; with dynamic allocation
 *       the executors Spark starts with, the largest of {@code instances},
 *       {@code initialExecutors} and {@code minExecutors} that are set, else 0
 *       (Utils.getDynamicAllocationInitialExecutors).</li>
 * </ul>
 *
 * <p>Not modelled: off-heap memory ({@code spark.memory.offHeap.*}) and PySpark memory, which a
 * SparkApplication can only set through {@code spec.sparkConf}; custom ResourceProfiles; Spark 4's
 * {@code spark.executor.minMemoryOverhead} (384 MiB is its default, so results agree unless set).
 *
 * <p>Stateless and safe to call from any thread.
 */
public final class SparkExecutorSizing {
    /** spark.executor.memory's default (1g), which spark-operator also writes into the spec. */
    public static final long DEFAULT_MEMORY_BYTES = 1024 * SparkMemory.MIB;
    /** spark.executor.cores' default. */
    public static final int DEFAULT_CORES = 1;
    /**
     * spark-operator's default for spec.executor.instances when dynamic allocation is off (its
     * defaulting writes 1; Spark alone would start 2).
     */
    public static final int DEFAULT_INSTANCES = 1;
    /** ResourceProfile.MEMORY_OVERHEAD_MIN_MIB: the floor of a factor-derived overhead. */
    public static final long MEMORY_OVERHEAD_MIN_MIB = 384;
    /** spark.kubernetes.memoryOverheadFactor's default for JVM applications. */
    public static final double JVM_MEMORY_OVERHEAD_FACTOR = 0.10;
    /** Constants.NON_JVM_MEMORY_OVERHEAD_FACTOR: the default for Python and R applications. */
    public static final double NON_JVM_MEMORY_OVERHEAD_FACTOR = 0.40;

    private SparkExecutorSizing() {
    }

    /**
     * The executors to reserve with the driver: one executor's requests and how many there will
     * be, with the executors' node selector and tolerations.
     *
     * @param source where the spec came from, e.g. {@code SparkApplication spark-jobs/pi}
     * @throws IllegalArgumentException naming the field when the executor cannot be sized
     */
    public static ExecutorTemplate template(SparkExecutorSpec spec, String source) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(source, "source");
        Map<String, Long> requests = new HashMap<>(4);
        requests.put(ResourceNames.CPU, cpuMilli(spec));
        requests.put(ResourceNames.MEMORY, memoryBytes(spec));
        if (spec.gpuName() != null && !spec.gpuName().isBlank() && spec.gpuQuantity() != null
                && spec.gpuQuantity() > 0) {
            requests.put(spec.gpuName(), spec.gpuQuantity());
        }
        return new ExecutorTemplate(ResourceList.of(requests), count(spec), spec.nodeSelector(), spec.tolerations(),
                source);
    }

    /** One executor's CPU request in millicores. */
    public static long cpuMilli(SparkExecutorSpec spec) {
        if (spec.coresRequestMilli() != null) {
            return spec.coresRequestMilli();
        }
        return (spec.cores() == null ? DEFAULT_CORES : spec.cores()) * 1000L;
    }

    /** One executor's memory request in bytes: memory and overhead, each in whole MiB as Spark counts them. */
    public static long memoryBytes(SparkExecutorSpec spec) {
        long memoryMiB = spec.memoryBytes() / SparkMemory.MIB;
        long totalMiB = memoryMiB + memoryOverheadMiB(spec, memoryMiB);
        if (totalMiB < 0 || totalMiB > Long.MAX_VALUE / SparkMemory.MIB) {
            throw new IllegalArgumentException("spec.executor.memory: executor memory plus overhead is too large ("
                    + memoryMiB + " MiB + overhead)");
        }
        return totalMiB * SparkMemory.MIB;
    }

    /** The memory overhead factor Spark applies when no explicit overhead is set. */
    public static double memoryOverheadFactor(SparkExecutorSpec spec) {
        if (spec.memoryOverheadFactor() != null) {
            return spec.memoryOverheadFactor();
        }
        return spec.isNonJvm() ? NON_JVM_MEMORY_OVERHEAD_FACTOR : JVM_MEMORY_OVERHEAD_FACTOR;
    }

    /** The executors Spark starts with. */
    public static int count(SparkExecutorSpec spec) {
        if (!spec.dynamicAllocation()) {
            return spec.instances() == null ? DEFAULT_INSTANCES : spec.instances();
        }
        // initialExecutors falls back to minExecutors, which defaults to 0.
        return Math.max(orZero(spec.instances()), Math.max(orZero(spec.initialExecutors()), orZero(spec.minExecutors())));
    }

    private static long memoryOverheadMiB(SparkExecutorSpec spec, long memoryMiB) {
        if (spec.memoryOverheadBytes() != null) {
            return spec.memoryOverheadBytes() / SparkMemory.MIB;
        }
        // (int) as Spark's .toInt: truncates, and saturates for absurd sizes exactly as Scala does.
        return Math.max((int) (memoryOverheadFactor(spec) * memoryMiB), MEMORY_OVERHEAD_MIN_MIB);
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
