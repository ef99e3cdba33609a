package io.kubenexus.scheduler.sim.synthetic;

import io.kubenexus.scheduler.core.model.Taint;
import io.kubenexus.scheduler.core.model.TaintEffect;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One kind of node in a synthetic cluster: its size, its pool, and how large a share of the
 * cluster's nodes it makes up.
 *
 * @param namePrefix   nodes are named {@code <namePrefix>-0000}, {@code <namePrefix>-0001}, ...
 * @param instanceType value of {@code node.kubernetes.io/instance-type}
 * @param pool         value of {@code kubenexus.io/pool} (e.g. cpu, gpu)
 * @param cpuMilli     allocatable cpu in millicores
 * @param memoryBytes  allocatable memory in bytes
 * @param pods         allocatable pod slots (the kubelet's max-pods, 110 by default)
 * @param gpus         allocatable {@code nvidia.com/gpu}; 0 for a CPU-only node
 * @param gpuProduct   value of {@code nvidia.com/gpu.product} on GPU nodes, as NVIDIA's GPU feature
 *                     discovery publishes it; ignored when {@code gpus} is 0
 * @param labels       extra labels, added to the standard ones {@link SyntheticCluster} sets
 * @param taints       taints every node of this shape carries
 * @param weight       relative share of the cluster's nodes (weights need not sum to 1)
 * @param numa         how the node's resources split over NUMA zones, as its topology exporter
 *                     publishes them; null for a node that publishes no topology. Its totals must
 *                     equal the node's cpu, memory and GPUs.
 */
public record NodeShape(
        String namePrefix,
        String instanceType,
        String pool,
        long cpuMilli,
        long memoryBytes,
        long pods,
        int gpus,
        String gpuProduct,
        Map<String, String> labels,
        List<Taint> taints,
        double weight,
        NumaLayout numa) {

    public static final long GI = 1024L * 1024 * 1024;
    /** The kubelet's default {@code --max-pods}. */
    public static final long DEFAULT_MAX_PODS = 110;
    /** The taint GPU node pools conventionally carry so that only pods asking for GPUs land there. */
    public static final Taint GPU_TAINT = new Taint("nvidia.com/gpu", "present", TaintEffect.NO_SCHEDULE);
    public static final String DEFAULT_GPU_PRODUCT = "NVIDIA-A100-SXM4-80GB";

    /** The demo's general-purpose node: 32 cores, 128Gi, 110 pods; 80% of the default mix. */
    public static final NodeShape DEMO_CPU = cpu("cpu-node", "kn.standard-32", 32, 128, 0.8);
    /** The demo's training node: 96 cores, 768Gi, 8 GPUs, tainted; 20% of the default mix. */
    public static final NodeShape DEMO_GPU = gpu("gpu-node", "kn.gpu-a100x8", 96, 768, 8, DEFAULT_GPU_PRODUCT, 0.2);
    /**
     * A two-socket training node publishing its NUMA topology: 2 zones x {48 cores, 512Gi, 4 GPUs in
     * one NVLink island}, kubelet {@code single-numa-node} with container scope; tainted like
     * {@link #DEMO_GPU}. Weight 0: add it to a mix with {@link #withWeight}.
     */
    public static final NodeShape DEMO_GPU_NUMA = gpu("gpu-numa-node", "kn.gpu-2s-a100x8", 96, 1024, 8,
            DEFAULT_GPU_PRODUCT, 0).withNuma(NumaLayout.gpuSockets(2, 48, 512, 4));
    /**
     * A CPU node with four NUMA zones publishing its topology: 4 zones x {16 cores, 64Gi}, kubelet
     * {@code restricted} with pod scope. Weight 0: add it to a mix with {@link #withWeight}.
     */
    public static final NodeShape DEMO_CPU_NUMA = cpu("cpu-numa-node", "kn.cpu-4n-64", 64, 256, 0)
            .withNuma(NumaLayout.cpuZones(4, 16, 64));

    public NodeShape {
        Objects.requireNonNull(namePrefix, "namePrefix");
        Objects.requireNonNull(instanceType, "instanceType");
        Objects.requireNonNull(pool, "pool");
        if (!namePrefix.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
            throw new IllegalArgumentException("namePrefix: not a DNS-1123 label prefix: '" + namePrefix + "'");
        }
        if (cpuMilli <= 0 || memoryBytes <= 0 || pods <= 0) {
            throw new IllegalArgumentException("node shape " + namePrefix + ": cpu, memory and pods must be positive");
        }
        if (gpus < 0) {
            throw new IllegalArgumentException("node shape " + namePrefix + ": gpus must not be negative, was " + gpus);
        }
        if (gpus > 0 && (gpuProduct == null || gpuProduct.isBlank())) {
            throw new IllegalArgumentException("node shape " + namePrefix + ": a GPU shape needs a gpuProduct");
        }
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("node shape " + namePrefix + ": weight must be a finite number >= 0, was " + weight);
        }
        gpuProduct = gpus == 0 ? "" : gpuProduct;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        taints = taints == null ? List.of() : List.copyOf(taints);
        if (numa != null && (numa.totalCpuMilli() != cpuMilli || numa.totalMemoryBytes() != memoryBytes
                || numa.totalGpus() != gpus)) {
            throw new IllegalArgumentException("node shape " + namePrefix + ": its NUMA zones hold "
                    + numa.totalCpuMilli() + "m cpu, " + numa.totalMemoryBytes() + " bytes and " + numa.totalGpus()
                    + " GPUs, the node " + cpuMilli + "m, " + memoryBytes + " bytes and " + gpus);
        }
    }

    /** A shape without NUMA topology. */
    public NodeShape(String namePrefix, String instanceType, String pool, long cpuMilli, long memoryBytes, long pods,
                     int gpus, String gpuProduct, Map<String, String> labels, List<Taint> taints, double weight) {
        this(namePrefix, instanceType, pool, cpuMilli, memoryBytes, pods, gpus, gpuProduct, labels, taints, weight,
                null);
    }

    /** A CPU-only shape in pool {@code cpu}, untainted, with the default pod limit. */
    public static NodeShape cpu(String namePrefix, String instanceType, int cores, int memoryGi, double weight) {
        return new NodeShape(namePrefix, instanceType, "cpu", cores * 1000L, memoryGi * GI, DEFAULT_MAX_PODS,
                0, "", Map.of(), List.of(), weight);
    }

    /** A GPU shape in pool {@code gpu}, carrying {@link #GPU_TAINT}, with the default pod limit. */
    public static NodeShape gpu(String namePrefix, String instanceType, int cores, int memoryGi, int gpus,
                                String gpuProduct, double weight) {
        return new NodeShape(namePrefix, instanceType, "gpu", cores * 1000L, memoryGi * GI, DEFAULT_MAX_PODS,
                gpus, gpuProduct, Map.of(), List.of(GPU_TAINT), weight);
    }

    public NodeShape withWeight(double newWeight) {
        return new NodeShape(namePrefix, instanceType, pool, cpuMilli, memoryBytes, pods, gpus, gpuProduct, labels,
                taints, newWeight, numa);
    }

    /** The same shape publishing this NUMA topology (null: none). */
    public NodeShape withNuma(NumaLayout layout) {
        return new NodeShape(namePrefix, instanceType, pool, cpuMilli, memoryBytes, pods, gpus, gpuProduct, labels,
                taints, weight, layout);
    }
}
