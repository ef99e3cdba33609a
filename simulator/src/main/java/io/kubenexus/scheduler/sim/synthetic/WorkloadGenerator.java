package io.kubenexus.scheduler.sim.synthetic;

import io.kubenexus.scheduler.core.model.TaintEffect;
import io.kubenexus.scheduler.core.model.Toleration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * Seeded stream of pending pods with a realistic mix, sized for the clusters
 * {@link SyntheticCluster} builds:
 * <ul>
 *   <li>small pods (the remainder, half {@link WorkloadClass#WEB}, half {@link WorkloadClass#BATCH}):
 *       100m-2 cpu, 128Mi-4Gi;</li>
 *   <li>{@link WorkloadClass#MEDIUM} (default 20%): 4-8 cpu, 8-32Gi;</li>
 *   <li>{@link WorkloadClass#GPU_TRAINING} (default 6%): 1, 2, 4 or 8 GPUs (40/30/20/10%) with
 *       8-12 cpu and 32-64Gi per GPU, so the largest fills a 96-core 768Gi 8-GPU node; they
 *       tolerate {@link NodeShape#GPU_TAINT} and select {@code kubenexus.io/pool=gpu};</li>
 *   <li>{@link WorkloadClass#OVERSIZED} (default 2%): 200 cpu, more than any node has, so they stay
 *       unschedulable and exercise "why pending" reporting.</li>
 * </ul>
 * Independently of the class, a share of pods (default 3%) gets the high priority (1000).
 *
 * <p>Stateless and thread-safe: pod {@code i} depends only on the settings and {@code i}, so
 * {@code pod(i)} always equals the {@code i}-th element of {@link #generate}.
 */
public final class WorkloadGenerator {
    public static final String WORKLOAD_CLASS_LABEL = "kubenexus.io/workload-class";
    public static final String APP_NAME_LABEL = "app.kubernetes.io/name";
    public static final String DEFAULT_NAMESPACE = "kubenexus-demo";
    public static final int DEFAULT_HIGH_PRIORITY = 1000;
    public static final long OVERSIZED_CPU_MILLI = 200_000;

    private static final long MI = 1024L * 1024;
    private static final long GI = 1024 * MI;
    private static final long[] WEB_CPU = {100, 200, 250, 500, 1000};
    private static final long[] WEB_MEMORY = {128 * MI, 256 * MI, 512 * MI, GI};
    private static final long[] BATCH_CPU = {500, 1000, 1500, 2000};
    private static final long[] BATCH_MEMORY = {512 * MI, GI, 2 * GI, 4 * GI};
    private static final long[] MEDIUM_CPU = {4000, 6000, 8000};
    private static final long[] MEDIUM_MEMORY = {8 * GI, 16 * GI, 24 * GI, 32 * GI};
    private static final long[] GPU_CPU_PER_GPU = {8000, 10000, 12000};
    private static final long[] GPU_MEMORY_PER_GPU = {32 * GI, 48 * GI, 64 * GI};
    private static final Toleration GPU_TOLERATION = Toleration.exists(NodeShape.GPU_TAINT.key(), TaintEffect.NO_SCHEDULE);

    private final long seed;
    private final String namespace;
    private final double mediumFraction;
    private final double gpuFraction;
    private final double oversizedFraction;
    private final double highPriorityFraction;
    private final int highPriority;

    private WorkloadGenerator(Builder builder) {
        this.seed = builder.seed;
        this.namespace = builder.namespace;
        this.mediumFraction = builder.mediumFraction;
        this.gpuFraction = builder.gpuFraction;
        this.oversizedFraction = builder.oversizedFraction;
        this.highPriorityFraction = builder.highPriorityFraction;
        this.highPriority = builder.highPriority;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The first {@code count} pods of the stream. */
    public List<PodSpecTemplate> generate(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count: must not be negative, was " + count);
        }
        List<PodSpecTemplate> pods = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            pods.add(pod(i));
        }
        return pods;
    }

    /** The endless stream of pods, from index 0. */
    public Stream<PodSpecTemplate> stream() {
        return LongStream.iterate(0, i -> i + 1).mapToObj(this::pod);
    }

    /** Pod number {@code index} of the stream. */
    public PodSpecTemplate pod(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("index: must not be negative, was " + index);
        }
        SplittableRandom random = new SplittableRandom(SeedMixer.seedFor(seed, index));
        WorkloadClass workloadClass = drawClass(random.nextDouble(), random);
        int priority = random.nextDouble() < highPriorityFraction ? highPriority : 0;
        String name = String.format("%s-%05d", workloadClass.label(), index);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(APP_NAME_LABEL, workloadClass.label());
        labels.put(WORKLOAD_CLASS_LABEL, workloadClass.label());
        return switch (workloadClass) {
            case WEB -> new PodSpecTemplate(name, namespace, pick(WEB_CPU, random), pick(WEB_MEMORY, random), 0,
                    priority, List.of(), Map.of(), labels, workloadClass);
            case BATCH -> new PodSpecTemplate(name, namespace, pick(BATCH_CPU, random), pick(BATCH_MEMORY, random), 0,
                    priority, List.of(), Map.of(), labels, workloadClass);
            case MEDIUM -> new PodSpecTemplate(name, namespace, pick(MEDIUM_CPU, random), pick(MEDIUM_MEMORY, random),
                    0, priority, List.of(), Map.of(), labels, workloadClass);
            case GPU_TRAINING -> {
                int gpus = drawGpuCount(random.nextDouble());
                yield new PodSpecTemplate(name, namespace, gpus * pick(GPU_CPU_PER_GPU, random),
                        gpus * pick(GPU_MEMORY_PER_GPU, random), gpus, priority, List.of(GPU_TOLERATION),
                        Map.of(SyntheticCluster.POOL_LABEL, "gpu"), labels, workloadClass);
            }
            case OVERSIZED -> new PodSpecTemplate(name, namespace, OVERSIZED_CPU_MILLI, 256 * GI, 0, priority,
                    List.of(), Map.of(), labels, workloadClass);
        };
    }

    private WorkloadClass drawClass(double draw, SplittableRandom random) {
        if (draw < oversizedFraction) {
            return WorkloadClass.OVERSIZED;
        }
        if (draw < oversizedFraction + gpuFraction) {
            return WorkloadClass.GPU_TRAINING;
        }
        if (draw < oversizedFraction + gpuFraction + mediumFraction) {
            return WorkloadClass.MEDIUM;
        }
        return random.nextBoolean() ? WorkloadClass.WEB : WorkloadClass.BATCH;
    }

    /** 1, 2, 4 or 8 GPUs with probabilities 40/30/20/10%: most jobs are small, a few take a whole node. */
    private static int drawGpuCount(double draw) {
        if (draw < 0.4) {
            return 1;
        }
        if (draw < 0.7) {
            return 2;
        }
        return draw < 0.9 ? 4 : 8;
    }

    private static long pick(long[] values, SplittableRandom random) {
        return values[random.nextInt(values.length)];
    }

    /** Settings; the class fractions must sum to at most 1, the rest are small pods. */
    public static final class Builder {
        private long seed = 1;
        private String namespace = DEFAULT_NAMESPACE;
        private double mediumFraction = 0.20;
        private double gpuFraction = 0.06;
        private double oversizedFraction = 0.02;
        private double highPriorityFraction = 0.03;
        private int highPriority = DEFAULT_HIGH_PRIORITY;

        private Builder() {
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public Builder namespace(String value) {
            if (value == null || !value.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || value.length() > 63) {
                throw new IllegalArgumentException("namespace: not a DNS-1123 label: '" + value + "'");
            }
            this.namespace = value;
            return this;
        }

        public Builder mediumFraction(double value) {
            this.mediumFraction = fraction("mediumFraction", value);
            return this;
        }

        public Builder gpuFraction(double value) {
            this.gpuFraction = fraction("gpuFraction", value);
            return this;
        }

        public Builder oversizedFraction(double value) {
            this.oversizedFraction = fraction("oversizedFraction", value);
            return this;
        }

        public Builder highPriorityFraction(double value) {
            this.highPriorityFraction = fraction("highPriorityFraction", value);
            return this;
        }

        public Builder highPriority(int value) {
            this.highPriority = value;
            return this;
        }

        public WorkloadGenerator build() {
            double classes = mediumFraction + gpuFraction + oversizedFraction;
            if (classes > 1 + 1e-9) {
                throw new IllegalArgumentException("mediumFraction + gpuFraction + oversizedFraction: must be at most 1, was "
                        + classes);
            }
            return new WorkloadGenerator(this);
        }

        private static double fraction(String key, double value) {
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException(key + ": must be 0..1, was " + value);
            }
            return value;
        }
    }
}
