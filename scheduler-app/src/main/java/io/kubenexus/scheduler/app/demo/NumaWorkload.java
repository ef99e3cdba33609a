package io.kubenexus.scheduler.app.demo;

import io.kubenexus.scheduler.sim.synthetic.NodeShape;
import io.kubenexus.scheduler.numa.NumaPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Seeded pods that care about NUMA placement, sized for the demo's topology nodes
 * ({@link NodeShape#DEMO_GPU_NUMA}: 2 zones x {48 cores, 512Gi, 4 GPUs}; {@link NodeShape#DEMO_CPU_NUMA}:
 * 4 zones x {16 cores, 64Gi}):
 * <ul>
 *   <li>{@link Kind#TRAINING}: Guaranteed, whole cores, 1, 2 or 4 GPUs, {@code single-numa};</li>
 *   <li>{@link Kind#ISOLATED}: Guaranteed, 1 or 2 GPUs, {@code isolated};</li>
 *   <li>{@link Kind#CPU_WIDE}: Guaranteed CPU pods of 20-32 cores and 80-128Gi, {@code restricted}: two
 *       of the four zones, for cpu and memory alike;</li>
 *   <li>{@link Kind#BEST_EFFORT}: Guaranteed CPU pods of 4-8 cores, {@code best-effort};</li>
 *   <li>{@link Kind#PLAIN_GUARANTEED}: Guaranteed GPU pods without annotations, which the kubelet still
 *       aligns on {@code single-numa-node} nodes;</li>
 *   <li>{@link Kind#GANG}: small training gangs (pod-group labels), members {@code single-numa} with
 *       2 GPUs;</li>
 *   <li>{@link Kind#TOO_WIDE}: {@code single-numa} pods that fit a GPU node's totals but no zone (8 GPUs,
 *       or 4 GPUs with 64 cores): they must stay pending, never be bound misaligned.</li>
 * </ul>
 * Pod {@code i} depends only on the seed and {@code i}.
 */
final class NumaWorkload {
    static final String NAME_PREFIX = "numa";
    private static final long GI = NodeShape.GI;
    /** Share of each kind among the single pods, in {@link Kind} order (gangs are added on top). */
    private static final double[] KIND_SHARES = {0.34, 0.08, 0.16, 0.12, 0.22, 0, 0.08};
    private static final int GANG_SIZE = 3;

    private final long seed;
    private final String namespace;

    /** What a NUMA pod is for; each kind has its own size range and policy. */
    enum Kind {
        TRAINING("train", NumaPolicy.SINGLE_NUMA),
        ISOLATED("isolated", NumaPolicy.ISOLATED),
        CPU_WIDE("wide", NumaPolicy.RESTRICTED),
        BEST_EFFORT("pref", NumaPolicy.BEST_EFFORT),
        PLAIN_GUARANTEED("plain", null),
        GANG("gang", NumaPolicy.SINGLE_NUMA),
        TOO_WIDE("toowide", NumaPolicy.SINGLE_NUMA);

        private final String label;
        private final NumaPolicy policy;

        Kind(String label, NumaPolicy policy) {
            this.label = label;
            this.policy = policy;
        }

        String label() {
            return label;
        }

        /** The annotation's policy, or null for pods without one. */
        NumaPolicy policy() {
            return policy;
        }
    }

    /**
     * One pod to create: one container, requests equal to limits when {@code guaranteed}.
     *
     * @param gang         the pod group's name, or null
     * @param minAvailable the pod group's size, 0 without a group
     */
    record NumaPod(String name, String namespace, Kind kind, long cpuMilli, long memoryBytes, int gpus,
                   boolean guaranteed, String gang, int minAvailable) {
        NumaPod {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
        }

        NumaPolicy policy() {
            return kind.policy();
        }
    }

    NumaWorkload(long seed, String namespace) {
        this.seed = seed;
        this.namespace = Objects.requireNonNull(namespace, "namespace");
    }

    /**
     * {@code singles} single pods and {@code gangs} gangs of {@value #GANG_SIZE}, the gangs spread
     * evenly among the singles (members of a gang next to each other, as a job controller creates them).
     */
    List<NumaPod> generate(int singles, int gangs) {
        List<NumaPod> pods = new ArrayList<>(singles + gangs * GANG_SIZE);
        int nextGang = 0;
        for (int i = 0; i <= singles; i++) {
            while (nextGang < gangs && (long) (nextGang + 1) * singles / (gangs + 1) <= i) {
                pods.addAll(gang(nextGang++));
            }
            if (i < singles) {
                pods.add(single(i));
            }
        }
        return pods;
    }

    NumaPod single(int index) {
        SplittableRandom random = new SplittableRandom(mix(seed, index));
        Kind kind = drawKind(random.nextDouble());
        String name = String.format("%s-%s-%03d", NAME_PREFIX, kind.label(), index);
        return switch (kind) {
            case TRAINING -> {
                int gpus = pick(new int[] {1, 1, 2, 2, 4}, random);
                yield gpuPod(name, kind, gpus * pick(new long[] {6, 8, 10}, random) * 1000,
                        gpus * pick(new long[] {32, 64, 96}, random) * GI, gpus);
            }
            case ISOLATED -> gpuPod(name, kind, pick(new long[] {8, 12}, random) * 1000, 64 * GI,
                    pick(new int[] {1, 2}, random));
            case CPU_WIDE -> new NumaPod(name, namespace, kind, pick(new long[] {20, 24, 28, 32}, random) * 1000,
                    pick(new long[] {80, 96, 112, 128}, random) * GI, 0, true, null, 0);
            case BEST_EFFORT -> new NumaPod(name, namespace, kind, pick(new long[] {4, 6, 8}, random) * 1000,
                    pick(new long[] {16, 24, 32}, random) * GI, 0, true, null, 0);
            case PLAIN_GUARANTEED -> {
                int gpus = pick(new int[] {1, 2}, random);
                yield gpuPod(name, kind, gpus * 8000L, gpus * 48 * GI, gpus);
            }
            case TOO_WIDE -> random.nextBoolean() ? gpuPod(name, kind, 64_000, 256 * GI, 8)
                    : gpuPod(name, kind, 64_000, 256 * GI, 4);
            case GANG -> throw new IllegalStateException("gangs are drawn by gang()");
        };
    }

    List<NumaPod> gang(int index) {
        String group = String.format("%s-%s-%02d", NAME_PREFIX, Kind.GANG.label(), index);
        List<NumaPod> members = new ArrayList<>(GANG_SIZE);
        for (int m = 0; m < GANG_SIZE; m++) {
            members.add(new NumaPod(group + "-" + m, namespace, Kind.GANG, 16_000, 128 * GI, 2, true, group,
                    GANG_SIZE));
        }
        return members;
    }

    private NumaPod gpuPod(String name, Kind kind, long cpuMilli, long memoryBytes, int gpus) {
        return new NumaPod(name, namespace, kind, cpuMilli, memoryBytes, gpus, true, null, 0);
    }

    private static Kind drawKind(double draw) {
        double sum = 0;
        Kind[] kinds = Kind.values();
        for (int k = 0; k < kinds.length; k++) {
            sum += KIND_SHARES[k];
            if (draw < sum) {
                return kinds[k];
            }
        }
        return Kind.TRAINING;
    }

    private static long pick(long[] values, SplittableRandom random) {
        return values[random.nextInt(values.length)];
    }

    private static int pick(int[] values, SplittableRandom random) {
        return values[random.nextInt(values.length)];
    }

    /** SplitMix64 over the seed and index, so pod {@code i} is independent of the others. */
    private static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index + 0x2545F4914F6CDD1DL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
