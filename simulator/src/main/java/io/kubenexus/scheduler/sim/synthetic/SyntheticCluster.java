package io.kubenexus.scheduler.sim.synthetic;

import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.model.ResourceNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Seeded generator of synthetic clusters for benchmarks, the demo and tests. The same settings
 * always produce the same nodes:
 *
 * <pre>{@code
 * List<NodeInfo> nodes = SyntheticCluster.builder().seed(1).nodes(50).gpuNodeFraction(0.2).build();
 * }</pre>
 *
 * <p>Node counts per shape are apportioned exactly from the weights (50 nodes at 20% GPU give 40
 * CPU and 10 GPU nodes, whatever the seed) so that a small demo cluster is never accidentally
 * GPU-less; the seed decides which node sits in which zone. Within a shape the nodes are spread
 * evenly over the zones, as cloud node groups balance across availability zones.
 *
 * <p>Every node carries the labels a real cloud node has ({@code kubernetes.io/hostname},
 * {@code kubernetes.io/os}, {@code kubernetes.io/arch}, {@code node.kubernetes.io/instance-type},
 * {@code topology.kubernetes.io/region} and {@code topology.kubernetes.io/zone}) plus
 * {@value #POOL_LABEL}; GPU nodes also carry {@value #GPU_PRODUCT_LABEL} and
 * {@value #GPU_COUNT_LABEL}. Nodes are Ready and schedulable.
 */
public final class SyntheticCluster {
    public static final String POOL_LABEL = "kubenexus.io/pool";
    public static final String HOSTNAME_LABEL = "kubernetes.io/hostname";
    public static final String OS_LABEL = "kubernetes.io/os";
    public static final String ARCH_LABEL = "kubernetes.io/arch";
    public static final String INSTANCE_TYPE_LABEL = "node.kubernetes.io/instance-type";
    public static final String REGION_LABEL = "topology.kubernetes.io/region";
    public static final String ZONE_LABEL = "topology.kubernetes.io/zone";
    public static final String GPU_PRODUCT_LABEL = "nvidia.com/gpu.product";
    public static final String GPU_COUNT_LABEL = "nvidia.com/gpu.count";
    /** What NVIDIA's GPU feature discovery puts on every GPU node; SparkApplications select on it. */
    public static final String GPU_PRESENT_LABEL = "nvidia.com/gpu.present";
    public static final String DEFAULT_REGION = "region-1";
    public static final List<String> DEFAULT_ZONES = List.of("region-1a", "region-1b", "region-1c");
    /** The default mix's share of GPU nodes. */
    public static final double DEFAULT_GPU_NODE_FRACTION = 0.2;

    private SyntheticCluster() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Settings of one synthetic cluster. Either {@link #gpuNodeFraction} (the demo's two shapes,
     * {@link NodeShape#DEMO_CPU} and {@link NodeShape#DEMO_GPU}) or {@link #shapes} (any mix).
     */
    public static final class Builder {
        private long seed = 1;
        private int nodes = 50;
        private Double gpuNodeFraction;
        private List<NodeShape> shapes;
        private String region = DEFAULT_REGION;
        private List<String> zones = DEFAULT_ZONES;

        private Builder() {
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** Total number of nodes, at least 0. */
        public Builder nodes(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("nodes: must not be negative, was " + count);
            }
            this.nodes = count;
            return this;
        }

        /** Share of {@link NodeShape#DEMO_GPU} nodes in the default mix, 0..1; default 0.2. */
        public Builder gpuNodeFraction(double fraction) {
            if (!(fraction >= 0 && fraction <= 1)) {
                throw new IllegalArgumentException("gpuNodeFraction: must be 0..1, was " + fraction);
            }
            this.gpuNodeFraction = fraction;
            return this;
        }

        /** A custom mix: node counts follow the shapes' weights; name prefixes must be distinct. */
        public Builder shapes(List<NodeShape> mix) {
            if (mix.isEmpty()) {
                throw new IllegalArgumentException("shapes: at least one shape is needed");
            }
            Set<String> prefixes = new HashSet<>();
            double total = 0;
            for (NodeShape shape : mix) {
                if (!prefixes.add(shape.namePrefix())) {
                    throw new IllegalArgumentException("shapes: name prefix '" + shape.namePrefix() + "' used twice");
                }
                total += shape.weight();
            }
            if (total <= 0) {
                throw new IllegalArgumentException("shapes: at least one shape needs a positive weight");
            }
            this.shapes = List.copyOf(mix);
            return this;
        }

        public Builder region(String name) {
            this.region = name;
            return this;
        }

        /** Availability zones the nodes are spread over; default three. */
        public Builder zones(List<String> names) {
            if (names.isEmpty()) {
                throw new IllegalArgumentException("zones: at least one zone is needed");
            }
            this.zones = List.copyOf(names);
            return this;
        }

        /** The nodes, grouped by shape in the order given, each group in name order. */
        public List<NodeInfo> build() {
            return buildNodes().stream().map(SyntheticNode::node).toList();
        }

        /** {@link #build()}'s nodes, each with the shape it was made from. */
        public List<SyntheticNode> buildNodes() {
            if (shapes != null && gpuNodeFraction != null) {
                throw new IllegalStateException("gpuNodeFraction applies to the default mix; set weights on the shapes instead");
            }
            List<NodeShape> mix = shapes != null ? shapes : defaultMix(
                    gpuNodeFraction == null ? DEFAULT_GPU_NODE_FRACTION : gpuNodeFraction);
            int[] counts = apportion(mix, nodes);
            List<SyntheticNode> result = new ArrayList<>(nodes);
            for (int s = 0; s < mix.size(); s++) {
                NodeShape shape = mix.get(s);
                // One stream per shape, so adding a shape does not move the zones of the others.
                SplittableRandom random = new SplittableRandom(SeedMixer.seedFor(seed, s));
                List<String> zoneOfNode = balancedZones(counts[s], random);
                for (int i = 0; i < counts[s]; i++) {
                    result.add(new SyntheticNode(node(shape, i, zoneOfNode.get(i)), shape));
                }
            }
            return List.copyOf(result);
        }

        private static List<NodeShape> defaultMix(double gpuFraction) {
            return List.of(NodeShape.DEMO_CPU.withWeight(1 - gpuFraction), NodeShape.DEMO_GPU.withWeight(gpuFraction));
        }

        /** Each zone gets floor or ceil of count/zones nodes; which ones is the seed's choice. */
        private List<String> balancedZones(int count, SplittableRandom random) {
            List<String> assignment = new ArrayList<>(count);
            int offset = random.nextInt(zones.size());
            for (int i = 0; i < count; i++) {
                assignment.add(zones.get((i + offset) % zones.size()));
            }
            // Fisher-Yates with the seeded stream (Collections.shuffle would want a java.util.Random).
            for (int i = count - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                String swap = assignment.get(i);
                assignment.set(i, assignment.get(j));
                assignment.set(j, swap);
            }
            return assignment;
        }

        private NodeInfo node(NodeShape shape, int ordinal, String zone) {
            String name = String.format("%s-%04d", shape.namePrefix(), ordinal);
            Map<String, String> labels = new LinkedHashMap<>(shape.labels());
            labels.put(HOSTNAME_LABEL, name);
            labels.put(OS_LABEL, "linux");
            labels.put(ARCH_LABEL, "amd64");
            labels.put(INSTANCE_TYPE_LABEL, shape.instanceType());
            labels.put(REGION_LABEL, region);
            labels.put(ZONE_LABEL, zone);
            labels.put(POOL_LABEL, shape.pool());
            Map<String, Long> allocatable = new LinkedHashMap<>();
            allocatable.put(ResourceNames.CPU, shape.cpuMilli());
            allocatable.put(ResourceNames.MEMORY, shape.memoryBytes());
            allocatable.put(ResourceNames.PODS, shape.pods());
            if (shape.gpus() > 0) {
                labels.put(GPU_PRODUCT_LABEL, shape.gpuProduct());
                labels.put(GPU_COUNT_LABEL, Integer.toString(shape.gpus()));
                labels.put(GPU_PRESENT_LABEL, "true");
                allocatable.put(ResourceNames.NVIDIA_GPU, (long) shape.gpus());
            }
            return new NodeInfo(name, labels, Map.of(), ResourceList.of(allocatable), shape.taints(), false, true);
        }
    }

    /**
     * Largest-remainder apportionment of {@code total} over the weights: every count is the floor
     * or the ceiling of its exact share, and the counts sum to {@code total}. Ties go to the
     * earlier shape, so the result does not depend on the seed.
     */
    static int[] apportion(List<NodeShape> mix, int total) {
        double weightSum = mix.stream().mapToDouble(NodeShape::weight).sum();
        int[] counts = new int[mix.size()];
        double[] remainders = new double[mix.size()];
        int assigned = 0;
        for (int i = 0; i < mix.size(); i++) {
            double exact = total * mix.get(i).weight() / weightSum;
            counts[i] = (int) Math.floor(exact);
            remainders[i] = exact - counts[i];
            assigned += counts[i];
        }
        while (assigned < total) {
            int best = -1;
            for (int i = 0; i < counts.length; i++) {
                if (mix.get(i).weight() > 0 && (best < 0 || remainders[i] > remainders[best] + 1e-9)) {
                    best = i;
                }
            }
            counts[best]++;
            remainders[best] = -1;
            assigned++;
        }
        return counts;
    }
}
