package io.kubenexus.scheduler.app.demo;

import io.kubenexus.scheduler.core.model.Toleration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One Spark application of the demo, as its SparkApplication asks for it: a driver and
 * {@code executors} executors of one size, placed together as the gang
 * {@code <name>} of {@code 1 + executors} members.
 *
 * @param name                 the SparkApplication's name; pods are {@code <name>-driver} and
 *                             {@code <name>-exec-<n>}
 * @param appId                Spark's application id ({@code spark-app-selector}), e.g.
 *                             {@code spark-0f3c...}
 * @param kind                 which size range it was drawn from
 * @param executors            {@code spec.executor.instances}
 * @param executorNodeSelector {@code spec.executor.nodeSelector} (the GPU pool for GPU applications)
 * @param executorTolerations  {@code spec.executor.tolerations}
 * @param priorityClassName    {@code spec.driver.priorityClassName} and {@code spec.executor.priorityClassName},
 *                             or null (the demo's classes: {@link DemoPriorities})
 */
record SparkApp(String name, String namespace, String appId, Kind kind, Size driver, Size executor, int executors,
                Map<String, String> executorNodeSelector, List<Toleration> executorTolerations,
                String priorityClassName) {

    /** An application of no priority class (priority 0). */
    SparkApp(String name, String namespace, String appId, Kind kind, Size driver, Size executor, int executors,
             Map<String, String> executorNodeSelector, List<Toleration> executorTolerations) {
        this(name, namespace, appId, kind, driver, executor, executors, executorNodeSelector, executorTolerations, null);
    }

    /** Size ranges of {@link SparkWorkload}. */
    enum Kind {
        /** An ETL or SQL job on the CPU pool. */
        CPU("etl"),
        /** Executors with {@code nvidia.com/gpu} (RAPIDS), pinned to the GPU pool. */
        GPU("gpu"),
        /** Executors larger than any node they may use: the gang can never be placed. */
        OVERSIZED("huge");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** Lower-case name used in application names. */
        String label() {
            return label;
        }
    }

    /**
     * What one driver or executor asks Spark for; the pod requests {@link #memoryRequestMiB()}.
     *
     * @param cores     {@code cores} (Spark's {@code spark.driver.cores} / {@code spark.executor.cores})
     * @param memoryMiB {@code memory}, the JVM heap, in MiB
     * @param gpus      {@code gpu.quantity} of {@code nvidia.com/gpu}; 0 for none
     */
    record Size(int cores, long memoryMiB, int gpus) {
        /** Spark's {@code MEMORY_OVERHEAD_MIN_MIB}. */
        static final long MIN_OVERHEAD_MIB = 384;
        /** Spark 3.x's overhead factor for JVM jobs ({@code spark.kubernetes.memoryOverheadFactor}). */
        static final double JVM_OVERHEAD_FACTOR = 0.10;

        Size {
            if (cores < 1 || memoryMiB < 1 || gpus < 0) {
                throw new IllegalArgumentException("cores and memory must be positive, gpus not negative: " + cores
                        + " cores, " + memoryMiB + " MiB, " + gpus + " gpus");
            }
        }

        /** As Spark's BasicExecutorFeatureStep: max((int) (factor x memory), 384 MiB). */
        long overheadMiB() {
            return Math.max((long) (JVM_OVERHEAD_FACTOR * memoryMiB), MIN_OVERHEAD_MIB);
        }

        /** The pod's memory request (and limit): heap plus overhead. */
        long memoryRequestMiB() {
            return memoryMiB + overheadMiB();
        }

        /** As a SparkApplication writes it: {@code 4g}, or {@code 1536m} when not whole gibibytes. */
        String sparkMemory() {
            return memoryMiB % 1024 == 0 ? memoryMiB / 1024 + "g" : memoryMiB + "m";
        }
    }

    SparkApp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(executor, "executor");
        if (executors < 1) {
            throw new IllegalArgumentException("application " + name + ": at least one executor, was " + executors);
        }
        executorNodeSelector = executorNodeSelector == null ? Map.of() : Map.copyOf(executorNodeSelector);
        executorTolerations = executorTolerations == null ? List.of() : List.copyOf(executorTolerations);
    }

    /** The gang's size: the driver and all its executors. */
    int minAvailable() {
        return 1 + executors;
    }

    String driverPodName() {
        return name + "-driver";
    }

    /** Executor {@code id}, counted from 1 as Spark does. */
    String executorPodName(int id) {
        return name + "-exec-" + id;
    }
}
