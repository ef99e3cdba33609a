package io.kubenexus.scheduler.bench.placement;

import io.kubenexus.scheduler.bench.BenchClusters;
import io.kubenexus.scheduler.bench.BenchClusters.OpenbTask;
import io.kubenexus.scheduler.core.config.GpuFragmentationSettings;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.config.ScoringStrategy;
import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.framework.ScorePlugin;
import io.kubenexus.scheduler.core.loop.Decision;
import io.kubenexus.scheduler.core.loop.SchedulingAlgorithm;
import io.kubenexus.scheduler.core.model.NodeAffinity;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.NodeSelectorOperator;
import io.kubenexus.scheduler.core.model.NodeSelectorRequirement;
import io.kubenexus.scheduler.core.model.NodeSelectorTerm;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.PodPhase;
import io.kubenexus.scheduler.core.model.QosClass;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.core.plugins.GpuFragmentation;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.plugins.WeightedScorePlugin;
import io.kubenexus.scheduler.core.state.ClusterSnapshot;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The inflating replay of the GPU-fragmentation literature on the Alibaba "openb" trace, used to
 * choose the GPU fragmentation score's default weight (docs/gpu-fragmentation.md): tasks drawn at
 * random with a seed, nothing departs, until the GPUs asked for reach the cluster's GPUs; each task
 * decided by {@link SchedulingAlgorithm} with a policy's profile and bound where it was placed.
 * Prints, per mix and seed, the GPUs left unallocated by each policy.
 *
 * <p>Mixes: {@code default} (tasks as the trace has them), {@code multi} (half the draws from the
 * multi-GPU tasks), {@code constrained} (a third of GPU tasks accept only one GPU model, drawn
 * uniformly among the models: rare models become scarce) and {@code constrained-by-size} (the same,
 * the model drawn in proportion to its GPUs). Policies: {@code LeastAllocated} and
 * {@code MostAllocated} (NodeResourcesFit over cpu, memory and GPUs, no fragmentation score),
 * {@code BestFitGpu} (fewest free GPUs left), and {@code default} (our default profile).
 *
 * <p>A measuring tool until the simulator's {@code simulate --replay inflate --baselines} replaces it.
 * Run: {@code java -cp bench/target/benchmarks.jar io.kubenexus.scheduler.bench.placement.InflateReplay
 * [mixes] [policies] [seeds]} from the repository root (comma-separated lists).
 */
public final class InflateReplay {
    static final String MODEL_LABEL = GpuFragmentationSettings.DEFAULT_MODEL_LABEL;
    static final List<String> MIXES = List.of("default", "multi", "constrained", "constrained-by-size");
    static final List<String> POLICIES = List.of("LeastAllocated", "MostAllocated", "BestFitGpu", "default");

    private final List<NodeInfo> nodes;
    private final List<OpenbTask> tasks;
    private final Map<String, Long> gpusByModel = new TreeMap<>();
    private final long clusterGpus;

    InflateReplay(List<NodeInfo> nodes, List<OpenbTask> tasks) {
        this.nodes = List.copyOf(nodes);
        this.tasks = List.copyOf(tasks);
        long total = 0;
        for (NodeInfo node : nodes) {
            long gpus = node.allocatable().get(ResourceNames.NVIDIA_GPU);
            if (gpus > 0) {
                gpusByModel.merge(node.labels().get(MODEL_LABEL), gpus, Long::sum);
                total += gpus;
            }
        }
        this.clusterGpus = total;
    }

    public static void main(String[] args) {
        Path dir = Path.of(System.getProperty("kubenexus.bench.data", "../shared/data/alibaba-gpu-v2023"));
        List<String> mixes = args.length > 0 ? List.of(args[0].split(",")) : MIXES;
        List<String> policies = args.length > 1 ? List.of(args[1].split(",")) : POLICIES;
        List<Long> seeds = args.length > 2 ? List.of(args[2].split(",")).stream().map(Long::parseLong).toList()
                : List.of(1L, 2L);
        InflateReplay replay = new InflateReplay(BenchClusters.openbNodes(dir), BenchClusters.openbTasks(dir));
        System.out.printf("cluster: %d nodes, %d GPUs; unallocated GPUs at 100%% arrived GPU demand%n",
                replay.nodes.size(), replay.clusterGpus);
        for (String mix : mixes) {
            for (long seed : seeds) {
                StringBuilder line = new StringBuilder(String.format("%-20s seed %d:", mix, seed));
                for (String policy : policies) {
                    Outcome outcome = replay.run(mix, seed, policy);
                    line.append(String.format("  %s %d (%.2f%%, %d failed)", policy, outcome.unallocatedGpus(),
                            100.0 * outcome.unallocatedGpus() / replay.clusterGpus, outcome.failedTasks()));
                }
                System.out.println(line);
            }
        }
    }

    /** GPUs left unallocated when the arrived demand reached the cluster's GPUs, and tasks that fit nowhere. */
    record Outcome(long unallocatedGpus, int failedTasks) {
    }

    Outcome run(String mix, long seed, String policy) {
        ClusterState state = new ClusterState();
        nodes.forEach(state::upsertNode);
        SchedulingAlgorithm algorithm = new SchedulingAlgorithm(profile(policy), 100);
        long allocated = 0;
        int failed = 0;
        int i = 0;
        for (Task task : draw(mix, seed)) {
            PodInfo pod = pod("task-" + i++, task, null);
            if (algorithm.schedule(pod, state) instanceof Decision.Placed placed) {
                state.upsertPod(pod("task-" + (i - 1), task, placed.nodeName()));
                allocated += task.gpus();
            } else {
                failed++;
            }
        }
        return new Outcome(clusterGpus - allocated, failed);
    }

    /** A drawn task: the trace's requests and, in the constrained mixes, the one model it accepts. */
    record Task(long cpuMilli, long memoryBytes, long gpus, String model) {
    }

    List<Task> draw(String mix, long seed) {
        if (!MIXES.contains(mix)) {
            throw new IllegalArgumentException("mix: unknown '" + mix + "' (known: " + String.join(", ", MIXES) + ")");
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<OpenbTask> multi = tasks.stream().filter(t -> t.gpus() >= 2).toList();
        List<OpenbTask> others = tasks.stream().filter(t -> t.gpus() < 2).toList();
        List<String> models = new ArrayList<>(gpusByModel.keySet());
        List<Task> drawn = new ArrayList<>();
        long demand = 0;
        while (demand < clusterGpus) {
            OpenbTask task = mix.equals("multi")
                    ? (random.nextBoolean() ? multi.get(random.nextInt(multi.size())) : others.get(random.nextInt(others.size())))
                    : tasks.get(random.nextInt(tasks.size()));
            String model = null;
            if (mix.startsWith("constrained") && task.gpus() > 0 && random.nextInt(3) == 0) {
                model = mix.equals("constrained") ? models.get(random.nextInt(models.size())) : modelBySize(random);
            }
            drawn.add(new Task(task.cpuMilli(), task.memoryBytes(), task.gpus(), model));
            demand += task.gpus();
        }
        return drawn;
    }

    private String modelBySize(SplittableRandom random) {
        long pick = random.nextLong(clusterGpus);
        for (Map.Entry<String, Long> entry : gpusByModel.entrySet()) {
            pick -= entry.getValue();
            if (pick < 0) {
                return entry.getKey();
            }
        }
        throw new IllegalStateException("no GPU model");
    }

    static SchedulingProfile profile(String policy) {
        SchedulerSettings defaults = SchedulerSettings.defaults();
        Map<String, Integer> withGpus = Map.of(ResourceNames.CPU, 1, ResourceNames.MEMORY, 1, ResourceNames.NVIDIA_GPU, 1);
        Map<String, Integer> noFragmentation = Map.of(GpuFragmentation.NAME, 0);
        return switch (policy) {
            case "LeastAllocated" -> SchedulingProfile.defaults(defaults.withScoring(ScoringStrategy.LEAST_ALLOCATED, withGpus)
                    .withPluginWeights(noFragmentation));
            case "MostAllocated" -> SchedulingProfile.defaults(defaults.withScoring(ScoringStrategy.MOST_ALLOCATED, withGpus)
                    .withPluginWeights(noFragmentation));
            case "BestFitGpu" -> SchedulingProfile.defaults(defaults.withPluginWeights(
                            Map.of(GpuFragmentation.NAME, 0, "NodeResourcesFit", 0)))
                    .with(null, new WeightedScorePlugin(new BestFitGpu(), 1));
            case "default" -> SchedulingProfile.defaults(defaults);
            default -> {
                if (policy.startsWith("GpuFragmentation=")) {
                    int weight = Integer.parseInt(policy.substring("GpuFragmentation=".length()));
                    yield SchedulingProfile.defaults(defaults.withPluginWeights(Map.of(GpuFragmentation.NAME, weight)));
                }
                throw new IllegalArgumentException("policy: unknown '" + policy + "' (known: "
                        + String.join(", ", POLICIES) + ", GpuFragmentation=<weight>)");
            }
        };
    }

    static PodInfo pod(String name, Task task, String nodeName) {
        Map<String, Long> requests = new LinkedHashMap<>();
        requests.put(ResourceNames.CPU, task.cpuMilli());
        requests.put(ResourceNames.MEMORY, task.memoryBytes());
        if (task.gpus() > 0) {
            requests.put(ResourceNames.NVIDIA_GPU, task.gpus());
        }
        ResourceList list = ResourceList.of(requests);
        NodeAffinity affinity = task.model() == null ? null : new NodeAffinity(List.of(new NodeSelectorTerm(List.of(
                new NodeSelectorRequirement(MODEL_LABEL, NodeSelectorOperator.IN, List.of(task.model()))), List.of())),
                List.of());
        return new PodInfo(new PodKey("replay", name), "uid-" + name, SchedulerSettings.DEFAULT_SCHEDULER_NAME, nodeName,
                nodeName == null ? PodPhase.PENDING : PodPhase.RUNNING, false, 0, Instant.EPOCH, Map.of(), Map.of(),
                list, list, List.of(), Map.of(), affinity, List.of(), QosClass.BURSTABLE, List.of(), false, null, List.of());
    }

    /** Best fit on GPUs: the fewer free GPUs a node keeps after the pod, the better. */
    static final class BestFitGpu implements ScorePlugin {
        @Override
        public String name() {
            return "BestFitGpu";
        }

        @Override
        public void score(PodContext pod, ClusterSnapshot snapshot, int[] nodes, int count, long[] scores) {
            int column = snapshot.columns().columnOf(ResourceNames.NVIDIA_GPU);
            long[] free = column < 0 ? null : snapshot.unrequestedColumn(column);
            long request = 0;
            for (int j = 0; j < pod.requestColumns().length; j++) {
                if (pod.requestColumns()[j] == column) {
                    request = pod.requestAmounts()[j];
                }
            }
            for (int i = 0; i < count; i++) {
                scores[i] = free == null ? 0 : Math.max(0, free[nodes[i]] - request);
            }
        }

        @Override
        public void normalize(PodContext pod, long[] scores, int count) {
            long max = 0;
            for (int i = 0; i < count; i++) {
                max = Math.max(max, scores[i]);
            }
            for (int i = 0; i < count; i++) {
                scores[i] = max == 0 ? MAX_NODE_SCORE : MAX_NODE_SCORE - MAX_NODE_SCORE * scores[i] / max;
            }
        }
    }
}
