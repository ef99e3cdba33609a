package io.kubenexus.scheduler.sim.replay;

import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.core.model.NodeAffinity;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.gang.GangLabels;
import io.kubenexus.scheduler.sim.importer.TaskPods;
import io.kubenexus.scheduler.sim.model.SimCluster;
import io.kubenexus.scheduler.sim.model.SimTask;
import io.kubenexus.scheduler.sim.model.SimWorkload;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The arrival sequence every policy of one simulation replays, fixed before any runs so that all
 * see the same tasks in the same order.
 *
 * @param gpuTarget inflate: arrivals stop once their GPU demand reaches this many GPUs
 * @param mix       inflate: how the draw reshaped the workload's mix
 */
public record ReplayPlan(ReplayMode mode, List<SimTask> arrivals, long gpuTarget,
                         Map<String, ExecutorTemplate> executorTemplates, TaskMix mix) {
    public ReplayPlan {
        mix = mix == null ? TaskMix.AS_IS : mix;
        Objects.requireNonNull(mode, "mode");
        arrivals = List.copyOf(arrivals);
        executorTemplates = executorTemplates == null ? Map.of() : Map.copyOf(executorTemplates);
    }

    /** How arrivals are timed. */
    public enum ReplayMode {
        /** The workload's own arrival and departure times. */
        TRACE,
        /**
         * Tasks drawn at random (with replacement, seeded) from the workload, none departing, until
         * their GPU demand reaches a share of the cluster's GPUs: the replay of Weng et al. (ATC '23).
         */
        INFLATE;

        public String apiName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static ReplayMode fromApiName(String name) {
            for (ReplayMode mode : values()) {
                if (mode.apiName().equals(name)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("unknown replay '" + name + "' (expected trace or inflate)");
        }
    }

    /** The workload as it is, in its own time. */
    public static ReplayPlan trace(SimWorkload workload) {
        if (!workload.hasTimes()) {
            throw new IllegalArgumentException(workload.source() + ": has no arrival times (creation_time); "
                    + "replay it with --replay inflate");
        }
        return new ReplayPlan(ReplayMode.TRACE, workload.tasks(), 0, workload.executorTemplates(), TaskMix.AS_IS);
    }

    /**
     * Draws tasks with {@code seed} until their whole-GPU demand reaches {@code load} times the
     * cluster's GPUs. Each draw is a new pod ({@code <name>-<draw>}); nothing departs.
     */
    public static ReplayPlan inflate(SimWorkload workload, SimCluster cluster, double load, long seed) {
        return inflate(workload, cluster, load, seed, TaskMix.AS_IS);
    }

    /** The same, drawing the {@code mix} asked for (see {@link TaskMix}). */
    public static ReplayPlan inflate(SimWorkload workload, SimCluster cluster, double load, long seed, TaskMix mix) {
        if (!(load > 0) || load > 10) {
            throw new IllegalArgumentException("--load: must be more than 0 and at most 10, was " + load);
        }
        long clusterGpus = cluster.totalGpus();
        if (clusterGpus == 0) {
            throw new IllegalArgumentException(cluster.source() + ": the cluster has no GPUs; the inflating replay "
                    + "fills GPUs (use --replay trace)");
        }
        List<SimTask> candidates = new ArrayList<>();
        for (SimTask task : workload.tasks()) {
            if (!task.followers().isEmpty() || inGroup(task.pod())) {
                throw new IllegalArgumentException(workload.source() + ": " + task.pod().key() + " belongs to a gang or "
                        + "Spark application; the inflating replay draws single pods (use --replay trace)");
            }
            candidates.add(task);
        }
        if (candidates.stream().noneMatch(task -> task.gpus() > 0)) {
            throw new IllegalArgumentException(workload.source() + ": no task asks for a GPU; the inflating replay "
                    + "fills GPUs (use --replay trace)");
        }
        List<SimTask> multiGpu = candidates.stream().filter(task -> task.gpus() > 1).toList();
        List<SimTask> others = candidates.stream().filter(task -> task.gpus() <= 1).toList();
        if (mix.multiGpuShare() != null && ((mix.multiGpuShare() > 0 && multiGpu.isEmpty())
                || (mix.multiGpuShare() < 1 && others.isEmpty()))) {
            throw new IllegalArgumentException(workload.source() + ": --multi-gpu-share " + mix.multiGpuShare()
                    + " needs tasks with more than one GPU and tasks with at most one");
        }
        ModelDraw models = mix.gpuSpecShare() == null ? null : new ModelDraw(cluster);
        long target = (long) Math.ceil(load * clusterGpus);
        SplittableRandom random = new SplittableRandom(seed);
        List<SimTask> drawn = new ArrayList<>();
        long demand = 0;
        while (demand < target) {
            SimTask task;
            if (mix.multiGpuShare() == null) {
                task = candidates.get(random.nextInt(candidates.size()));
            } else {
                List<SimTask> from = random.nextDouble() < mix.multiGpuShare() ? multiGpu : others;
                task = from.get(random.nextInt(from.size()));
            }
            int draw = drawn.size();
            PodInfo pod = renamed(task.pod(), new PodKey(task.pod().key().namespace(),
                    task.pod().key().name() + "-" + draw), Instant.EPOCH.plusMillis(draw));
            if (models != null && task.gpus() > 0 && !pod.nodeAffinity().hasRequired()
                    && random.nextDouble() < mix.gpuSpecShare()) {
                pod = withAffinity(pod, TaskPods.gpuModelAffinity(List.of(models.draw(task.gpus(), random))));
            }
            drawn.add(new SimTask(pod, 0, SimTask.NEVER, task.sharedGpuRounded()));
            demand += task.gpus();
        }
        return new ReplayPlan(ReplayMode.INFLATE, drawn, target, workload.executorTemplates(), mix);
    }

    private static boolean inGroup(PodInfo pod) {
        Map<String, String> labels = pod.labels();
        return labels.containsKey(GangLabels.NAME) || labels.containsKey(GangLabels.ALIAS_NAME)
                || labels.containsKey(GangLabels.POD_GROUP) || labels.containsKey(GangLabels.SPARK_ROLE)
                || pod.schedulingGroup() != null;
    }

    /**
     * GPU models drawn in proportion to the cluster's GPUs of each, among the models with a node of
     * at least the task's GPUs (so a constrained task can still fit on an empty cluster).
     */
    private static final class ModelDraw {
        private final Map<String, Long> gpusByModel = new java.util.TreeMap<>();
        private final Map<String, Long> largestNode = new java.util.TreeMap<>();

        ModelDraw(SimCluster cluster) {
            for (NodeInfo node : cluster.nodes()) {
                String model = node.labels().get(TaskPods.GPU_MODEL_LABEL);
                long gpus = node.allocatable().get(ResourceNames.NVIDIA_GPU);
                if (model != null && gpus > 0) {
                    gpusByModel.merge(model, gpus, Long::sum);
                    largestNode.merge(model, gpus, Math::max);
                }
            }
            if (gpusByModel.isEmpty()) {
                throw new IllegalArgumentException(cluster.source() + ": --gpu-spec-share needs GPU nodes with a "
                        + "model label (" + TaskPods.GPU_MODEL_LABEL + ")");
            }
        }

        String draw(long gpus, SplittableRandom random) {
            long total = 0;
            for (Map.Entry<String, Long> model : gpusByModel.entrySet()) {
                if (largestNode.get(model.getKey()) >= gpus) {
                    total += model.getValue();
                }
            }
            if (total == 0) {
                return gpusByModel.keySet().iterator().next(); // no node is large enough for it anywhere
            }
            long pick = random.nextLong(total);
            for (Map.Entry<String, Long> model : gpusByModel.entrySet()) {
                if (largestNode.get(model.getKey()) >= gpus) {
                    pick -= model.getValue();
                    if (pick < 0) {
                        return model.getKey();
                    }
                }
            }
            throw new IllegalStateException("unreachable: the pick is below the total");
        }
    }

    private static PodInfo withAffinity(PodInfo pod, NodeAffinity affinity) {
        return new PodInfo(pod.key(), pod.uid(), pod.schedulerName(), pod.nodeName(), pod.phase(), pod.terminating(),
                pod.priority(), pod.createdAt(), pod.labels(), pod.annotations(), pod.requests(), pod.nonZeroRequests(),
                pod.hostPorts(), pod.nodeSelector(), affinity, pod.tolerations(), pod.qosClass(),
                pod.unsupportedConstraints(), pod.schedulingGated(), pod.schedulingGroup(), pod.containers(),
                pod.interPod(), pod.preemptionPolicy(), pod.declaredRunTime(), pod.startedAt(), pod.controllerUid());
    }

    static PodInfo renamed(PodInfo pod, PodKey key, Instant createdAt) {
        return new PodInfo(key, key.namespace() + "/" + key.name(), pod.schedulerName(), pod.nodeName(), pod.phase(),
                pod.terminating(), pod.priority(), createdAt, pod.labels(), pod.annotations(), pod.requests(),
                pod.nonZeroRequests(), pod.hostPorts(), pod.nodeSelector(), pod.nodeAffinity(), pod.tolerations(),
                pod.qosClass(), pod.unsupportedConstraints(), pod.schedulingGated(), pod.schedulingGroup(),
                pod.containers(), pod.interPod(), pod.preemptionPolicy(), pod.declaredRunTime(), pod.startedAt(),
                pod.controllerUid());
    }
}
