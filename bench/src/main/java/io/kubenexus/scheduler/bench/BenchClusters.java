package io.kubenexus.scheduler.bench;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.loop.Decision;
import io.kubenexus.scheduler.core.loop.SchedulingAlgorithm;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.PodPhase;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.core.model.TaintEffect;
import io.kubenexus.scheduler.core.model.Toleration;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.sim.synthetic.NodeShape;
import io.kubenexus.scheduler.sim.synthetic.SyntheticCluster;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Clusters and pods the benchmarks share: the seeded synthetic cluster filled with bound pods, the
 * Alibaba "openb" GPU trace (real nodes and the pods that were running in it), and the pods whose
 * placement is measured.
 *
 * <p>Bound pods share their request lists, containers and maps with a few templates, as the
 * informer's interning would, so a 10,000-node cluster with 300,000 pods fits a small heap.
 */
public final class BenchClusters {
    static final long MI = 1024L * 1024;
    static final long GI = 1024 * MI;
    /** System property naming the Alibaba trace directory. */
    static final String DATA_PROPERTY = "kubenexus.bench.data";
    /** Default trace directory, relative to the working directory (the repository root). */
    static final String DEFAULT_DATA_DIR = "../shared/data/alibaba-gpu-v2023";
    /** The trace's full node list (1,523 nodes, 1,213 of them with GPUs). */
    static final String OPENB_NODES = "openb_node_list_all_node.csv";
    static final String OPENB_PODS = "openb_pod_list_default.csv";
    static final String NAMESPACE = "bench";

    /** What small services ask for: (cpu millicores, memory bytes). */
    private static final long[][] SERVICE_SIZES = {
            {100, 128 * MI}, {200, 256 * MI}, {250, 512 * MI}, {500, GI}, {1000, 2 * GI}};
    private static final PodInfo[] SERVICE_TEMPLATES = new PodInfo[SERVICE_SIZES.length];
    /** A GPU pod as the filler puts on GPU nodes: 1 GPU, 4 cores, 32Gi. */
    private static final PodInfo GPU_TEMPLATE = BenchPods.pod("template-gpu",
            Map.of(ResourceNames.CPU, 4000L, ResourceNames.MEMORY, 32 * GI, ResourceNames.NVIDIA_GPU, 1L), false,
            Map.of(), null);

    static {
        for (int i = 0; i < SERVICE_SIZES.length; i++) {
            SERVICE_TEMPLATES[i] = BenchPods.pod("template-" + i,
                    Map.of(ResourceNames.CPU, SERVICE_SIZES[i][0], ResourceNames.MEMORY, SERVICE_SIZES[i][1]), false,
                    Map.of(), null);
        }
    }

    private BenchClusters() {
    }

    /**
     * The seeded synthetic cluster ({@link SyntheticCluster} default mix: 80% 32-core CPU nodes, 20%
     * tainted 8-GPU nodes) with {@code podsPerNode} bound, Running pods on every node: service pods
     * of 100m-1 cpu and 128Mi-2Gi drawn at random, and on GPU nodes 0-8 one-GPU pods among them, so
     * nodes differ in how full they are and scores differ.
     */
    static ClusterState synthetic(int nodes, int podsPerNode, long seed) {
        ClusterState state = new ClusterState();
        SplittableRandom random = new SplittableRandom(seed);
        for (NodeInfo node : SyntheticCluster.builder().seed(seed).nodes(nodes).build()) {
            state.upsertNode(node);
            filler(node, podsPerNode, random).forEach(state::upsertPod);
        }
        return state;
    }

    /**
     * The bound, Running pods {@link #synthetic} puts on {@code node}: service pods drawn at random
     * and, on GPU nodes, 0-8 one-GPU pods among them. Draws from {@code random} in the same order
     * for every caller, so the soak's fill equals the decision benchmark's for the same seed.
     */
    public static List<PodInfo> filler(NodeInfo node, int podsPerNode, SplittableRandom random) {
        int gpuPods = node.allocatable().get(ResourceNames.NVIDIA_GPU) > 0
                ? random.nextInt((int) node.allocatable().get(ResourceNames.NVIDIA_GPU) + 1) : 0;
        List<PodInfo> pods = new ArrayList<>(podsPerNode);
        for (int p = 0; p < podsPerNode; p++) {
            PodInfo template = p < gpuPods ? GPU_TEMPLATE : SERVICE_TEMPLATES[random.nextInt(SERVICE_TEMPLATES.length)];
            pods.add(copy(template, node.name() + "-" + p, node.name(), PodPhase.RUNNING));
        }
        return pods;
    }

    /** A bound service pod from the filler's templates (size 0..4, growing). */
    static PodInfo servicePod(int size, String name, String nodeName, PodPhase phase) {
        return copy(SERVICE_TEMPLATES[size], name, nodeName, phase);
    }

    /** The service sizes {@link #servicePod} accepts. */
    static int serviceSizes() {
        return SERVICE_SIZES.length;
    }

    /**
     * The pod whose decision is measured: a typical web service replica, 1 cpu and 2Gi, with a
     * nodeSelector on {@code kubernetes.io/os=linux}, tolerating nothing (so tainted GPU nodes are
     * filtered out).
     */
    public static PodInfo webPod(String name) {
        PodInfo template = BenchPods.pod(name, Map.of(ResourceNames.CPU, 1000L, ResourceNames.MEMORY, 2 * GI), false,
                Map.of(), null);
        return new PodInfo(template.key(), template.uid(), template.schedulerName(), null, PodPhase.PENDING, false, 0,
                Instant.EPOCH, Map.of("app", "web"), Map.of(), template.requests(), template.nonZeroRequests(),
                List.of(), Map.of(SyntheticCluster.OS_LABEL, "linux"), null, List.of(), template.qosClass(), List.of(),
                false, null, template.containers());
    }

    /** A pending pod with the given requests; tolerates the GPU taint when asked to. */
    static PodInfo pendingPod(String name, long cpuMilli, long memoryBytes, long gpus, boolean toleratesGpuTaint,
                              Map<String, Long> extra) {
        Map<String, Long> requests = new LinkedHashMap<>();
        requests.put(ResourceNames.CPU, cpuMilli);
        requests.put(ResourceNames.MEMORY, memoryBytes);
        if (gpus > 0) {
            requests.put(ResourceNames.NVIDIA_GPU, gpus);
        }
        requests.putAll(extra);
        PodInfo template = BenchPods.pod(name, requests, false, Map.of(), null);
        List<Toleration> tolerations = toleratesGpuTaint
                ? List.of(Toleration.exists(NodeShape.GPU_TAINT.key(), TaintEffect.NO_SCHEDULE)) : List.of();
        return new PodInfo(template.key(), template.uid(), template.schedulerName(), null, PodPhase.PENDING, false, 0,
                Instant.EPOCH, Map.of(), Map.of(), template.requests(), template.nonZeroRequests(), List.of(), Map.of(),
                null, tolerations, template.qosClass(), List.of(), false, null, template.containers());
    }

    /** {@code template} renamed and bound to {@code nodeName}, sharing everything else with it. */
    static PodInfo copy(PodInfo template, String name, String nodeName, PodPhase phase) {
        return new PodInfo(new PodKey(NAMESPACE, name), "uid-" + name, template.schedulerName(), nodeName, phase,
                false, template.priority(), template.createdAt(), template.labels(), template.annotations(),
                template.requests(), template.nonZeroRequests(), template.hostPorts(), template.nodeSelector(),
                template.nodeAffinity(), template.tolerations(), template.qosClass(), template.unsupportedConstraints(),
                false, null, template.containers());
    }

    // ---------------------------------------------------------------- the Alibaba trace

    /** The trace directory from {@value #DATA_PROPERTY}, or the default; fails naming what to set. */
    static Path dataDirectory() {
        Path dir = Path.of(System.getProperty(DATA_PROPERTY, DEFAULT_DATA_DIR)).toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve(OPENB_NODES)) || !Files.isRegularFile(dir.resolve(OPENB_PODS))) {
            throw new IllegalStateException("the Alibaba GPU trace (" + OPENB_NODES + ", " + OPENB_PODS
                    + ") is not in " + dir + ": run from the repository root, or pass -D" + DATA_PROPERTY
                    + "=<directory of cluster-trace-gpu-v2023/csv> to java (bench/run.sh does)");
        }
        return dir;
    }

    /**
     * The openb cluster: every node of {@value #OPENB_NODES} (columns sn,cpu_milli,memory_mib,gpu,model)
     * with the standard labels, {@code nvidia.com/gpu} allocatable and the model as
     * {@value SyntheticCluster#GPU_PRODUCT_LABEL} on GPU nodes, no taints (the trace runs CPU tasks on
     * GPU nodes too), 110 pod slots. Then the trace's Running tasks of {@value #OPENB_PODS}, in file
     * (creation) order, each placed by the default profile as the loop would place it and bound there;
     * GPU-sharing tasks ({@code gpu_milli} < 1000) are rounded up to one whole GPU. Tasks that no
     * longer fit are skipped.
     */
    static OpenbCluster openb(Path dir) {
        ClusterState state = new ClusterState();
        int gpuNodes = 0;
        for (NodeInfo node : openbNodes(dir)) {
            if (node.allocatable().get(ResourceNames.NVIDIA_GPU) > 0) {
                gpuNodes++;
            }
            state.upsertNode(node);
        }
        SchedulingAlgorithm algorithm = new SchedulingAlgorithm(SchedulingProfile.defaults(SchedulerSettings.defaults()), 100);
        Map<String, PodInfo> templates = new HashMap<>();
        int running = 0;
        int placed = 0;
        for (OpenbTask task : openbTasks(dir)) {
            if (!task.phase().equals("Running")) {
                continue;
            }
            running++;
            PodInfo template = templates.computeIfAbsent(task.cpuMilli() + "/" + task.memoryBytes() + "/" + task.gpus(),
                    key -> pendingPod("template", task.cpuMilli(), task.memoryBytes(), task.gpus(), false, Map.of()));
            PodInfo pod = copy(template, task.name(), null, PodPhase.PENDING);
            if (algorithm.schedule(pod, state) instanceof Decision.Placed onNode) {
                state.upsertPod(copy(template, task.name(), onNode.nodeName(), PodPhase.RUNNING));
                placed++;
            }
        }
        return new OpenbCluster(state, gpuNodes, running, placed);
    }

    /**
     * Every node of {@value #OPENB_NODES} (columns sn,cpu_milli,memory_mib,gpu,model) with the standard
     * labels, {@code nvidia.com/gpu} allocatable and the model as {@value SyntheticCluster#GPU_PRODUCT_LABEL}
     * on GPU nodes, no taints, 110 pod slots.
     */
    public static List<NodeInfo> openbNodes(Path dir) {
        List<NodeInfo> nodes = new ArrayList<>();
        for (String[] row : csv(dir.resolve(OPENB_NODES))) {
            String name = row[0];
            long gpus = Long.parseLong(row[3]);
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put(SyntheticCluster.HOSTNAME_LABEL, name);
            labels.put(SyntheticCluster.OS_LABEL, "linux");
            labels.put(SyntheticCluster.ARCH_LABEL, "amd64");
            labels.put(SyntheticCluster.POOL_LABEL, gpus > 0 ? "gpu" : "cpu");
            Map<String, Long> allocatable = new LinkedHashMap<>();
            allocatable.put(ResourceNames.CPU, Long.parseLong(row[1]));
            allocatable.put(ResourceNames.MEMORY, Long.parseLong(row[2]) * MI);
            allocatable.put(ResourceNames.PODS, NodeShape.DEFAULT_MAX_PODS);
            if (gpus > 0) {
                labels.put(SyntheticCluster.GPU_PRODUCT_LABEL, row[4]);
                labels.put(SyntheticCluster.GPU_COUNT_LABEL, Long.toString(gpus));
                allocatable.put(ResourceNames.NVIDIA_GPU, gpus);
            }
            nodes.add(new NodeInfo(name, labels, Map.of(), ResourceList.of(allocatable), List.of(), false, true));
        }
        return nodes;
    }

    /**
     * One task of {@value #OPENB_PODS}: its requests, with GPU-sharing tasks ({@code gpu_milli} < 1000)
     * rounded up to one whole GPU, and its phase.
     */
    public record OpenbTask(String name, long cpuMilli, long memoryBytes, long gpus, String phase) {
    }

    /** Every task of {@value #OPENB_PODS}, in file order. */
    public static List<OpenbTask> openbTasks(Path dir) {
        List<OpenbTask> tasks = new ArrayList<>();
        for (String[] row : csv(dir.resolve(OPENB_PODS))) {
            long gpus = Long.parseLong(row[3]);
            if (gpus == 0 && Long.parseLong(row[4]) > 0) {
                gpus = 1;
            }
            tasks.add(new OpenbTask(row[0], Long.parseLong(row[1]), Long.parseLong(row[2]) * MI, gpus, row[7]));
        }
        return tasks;
    }

    /** The openb cluster and how much of the trace's running work it holds. */
    record OpenbCluster(ClusterState state, int gpuNodes, int runningTasks, int placedTasks) {
    }

    private static List<String[]> csv(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            List<String[]> rows = new ArrayList<>(lines.size());
            for (String line : lines.subList(1, lines.size())) {
                if (!line.isBlank()) {
                    rows.add(line.split(",", -1));
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
