package io.kubenexus.scheduler.app.demo;

import io.kubenexus.scheduler.core.model.TaintEffect;
import io.kubenexus.scheduler.core.model.Toleration;
import io.kubenexus.scheduler.sim.synthetic.NodeShape;
import io.kubenexus.scheduler.sim.synthetic.SyntheticCluster;
import io.kubenexus.scheduler.sim.synthetic.WorkloadGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded stream of Spark applications sized like real jobs, for the demo's clusters
 * ({@link NodeShape#DEMO_CPU}, {@link NodeShape#DEMO_GPU}):
 * <ul>
 *   <li>every driver: 1-2 cores, 2-8g;</li>
 *   <li>{@link SparkApp.Kind#CPU} (the remainder): 2-16 executors of 1-8 cores with 2-8g per core,
 *       kept within 4-32g;</li>
 *   <li>{@link SparkApp.Kind#GPU} (default 15%): 2-8 executors of 4-8 cores, 16-32g and 1 or 2
 *       {@code nvidia.com/gpu}, tolerating {@link NodeShape#GPU_TAINT} and selecting
 *       {@code kubenexus.io/pool=gpu} like the demo's training pods;</li>
 *   <li>{@link SparkApp.Kind#OVERSIZED} (default 10%): executors of {@value #OVERSIZED_EXECUTOR_CORES}
 *       cores, more than a CPU node has, without the GPU toleration: the gang never fits and its
 *       driver must wait holding nothing.</li>
 * </ul>
 *
 * <p>Stateless: application {@code i} depends only on the settings and {@code i}, so
 * {@code app(i)} equals the {@code i}-th element of {@link #generate}. The stream is independent of
 * {@link WorkloadGenerator}'s for the same seed.
 */
final class SparkWorkload {
    static final int OVERSIZED_EXECUTOR_CORES = 48;
    private static final long GI_IN_MIB = 1024;
    private static final int[] DRIVER_CORES = {1, 1, 2};
    private static final long[] DRIVER_MEMORY_GI = {2, 4, 4, 8};
    private static final int[] CPU_INSTANCES = {2, 2, 3, 4, 4, 6, 8, 8, 12, 16};
    private static final int[] CPU_CORES = {1, 2, 2, 4, 4, 8};
    private static final long[] CPU_MEMORY_GI_PER_CORE = {2, 4, 4, 8};
    private static final int[] GPU_INSTANCES = {2, 2, 4, 4, 8};
    private static final int[] GPU_CORES = {4, 8};
    private static final long[] GPU_MEMORY_GI = {16, 32};
    private static final int[] OVERSIZED_INSTANCES = {2, 4, 8};
    private static final Toleration GPU_TOLERATION = Toleration.exists(NodeShape.GPU_TAINT.key(), TaintEffect.NO_SCHEDULE);
    /** Keeps this stream apart from the pod stream drawn with the same user seed. */
    private static final long STREAM_SALT = 0x5A7C_0DE5_9A1E_2B3FL;

    private final long seed;
    private final String namespace;
    private final double gpuFraction;
    private final double oversizedFraction;

    private SparkWorkload(Builder builder) {
        this.seed = builder.seed;
        this.namespace = builder.namespace;
        this.gpuFraction = builder.gpuFraction;
        this.oversizedFraction = builder.oversizedFraction;
    }

    static Builder builder() {
        return new Builder();
    }

    /** The first {@code count} applications of the stream. */
    List<SparkApp> generate(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count: must not be negative, was " + count);
        }
        List<SparkApp> apps = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            apps.add(app(i));
        }
        return apps;
    }

    /** Application number {@code index} of the stream. */
    SparkApp app(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("index: must not be negative, was " + index);
        }
        SplittableRandom random = new SplittableRandom(mix64(mix64(seed ^ STREAM_SALT) ^ mix64(index)));
        double draw = random.nextDouble();
        SparkApp.Kind kind = draw < oversizedFraction ? SparkApp.Kind.OVERSIZED
                : draw < oversizedFraction + gpuFraction ? SparkApp.Kind.GPU : SparkApp.Kind.CPU;
        String name = String.format(Locale.ROOT, "spark-%s-%03d", kind.label(), index);
        String appId = String.format(Locale.ROOT, "spark-%016x%016x", random.nextLong(), random.nextLong());
        SparkApp.Size driver = new SparkApp.Size(pick(DRIVER_CORES, random), pick(DRIVER_MEMORY_GI, random) * GI_IN_MIB, 0);
        return switch (kind) {
            case CPU -> {
                int cores = pick(CPU_CORES, random);
                long memoryGi = Math.max(4, Math.min(32, cores * pick(CPU_MEMORY_GI_PER_CORE, random)));
                yield new SparkApp(name, namespace, appId, kind, driver,
                        new SparkApp.Size(cores, memoryGi * GI_IN_MIB, 0), pick(CPU_INSTANCES, random), Map.of(), List.of());
            }
            case GPU -> {
                int gpus = random.nextDouble() < 0.7 ? 1 : 2;
                SparkApp.Size executor = new SparkApp.Size(pick(GPU_CORES, random),
                        pick(GPU_MEMORY_GI, random) * GI_IN_MIB, gpus);
                yield new SparkApp(name, namespace, appId, kind, driver, executor, pick(GPU_INSTANCES, random),
                        Map.of(SyntheticCluster.POOL_LABEL, "gpu"), List.of(GPU_TOLERATION));
            }
            case OVERSIZED -> new SparkApp(name, namespace, appId, kind, driver,
                    new SparkApp.Size(OVERSIZED_EXECUTOR_CORES, 4 * OVERSIZED_EXECUTOR_CORES * GI_IN_MIB, 0),
                    pick(OVERSIZED_INSTANCES, random), Map.of(), List.of());
        };
    }

    private static int pick(int[] values, SplittableRandom random) {
        return values[random.nextInt(values.length)];
    }

    private static long pick(long[] values, SplittableRandom random) {
        return values[random.nextInt(values.length)];
    }

    /** SplitMix64's finaliser: nearby raw seeds would give SplittableRandoms with shifted outputs. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Settings; the kind fractions must sum to at most 1, the rest are CPU applications. */
    static final class Builder {
        private long seed = 1;
        private String namespace = WorkloadGenerator.DEFAULT_NAMESPACE;
        private double gpuFraction = 0.15;
        private double oversizedFraction = 0.10;

        private Builder() {
        }

        Builder seed(long value) {
            this.seed = value;
            return this;
        }

        Builder namespace(String value) {
            if (value == null || !value.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || value.length() > 63) {
                throw new IllegalArgumentException("namespace: not a DNS-1123 label: '" + value + "'");
            }
            this.namespace = value;
            return this;
        }

        Builder gpuFraction(double value) {
            this.gpuFraction = fraction("gpuFraction", value);
            return this;
        }

        Builder oversizedFraction(double value) {
            this.oversizedFraction = fraction("oversizedFraction", value);
            return this;
        }

        SparkWorkload build() {
            if (gpuFraction + oversizedFraction > 1 + 1e-9) {
                throw new IllegalArgumentException("gpuFraction + oversizedFraction: must be at most 1, was "
                        + (gpuFraction + oversizedFraction));
            }
            return new SparkWorkload(this);
        }

        private static double fraction(String key, double value) {
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException(key + ": must be 0..1, was " + value);
            }
            return value;
        }
    }
}
