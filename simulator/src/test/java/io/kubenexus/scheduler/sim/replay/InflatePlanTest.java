package io.kubenexus.scheduler.sim.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubenexus.scheduler.gang.group.GangSettings;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.numa.NumaSettings;
import io.kubenexus.scheduler.sim.importer.WorkloadFile;
import io.kubenexus.scheduler.sim.model.SimCluster;
import io.kubenexus.scheduler.sim.model.SimTask;
import io.kubenexus.scheduler.sim.model.SimWorkload;
import io.kubenexus.scheduler.sim.policy.Policy;
import io.kubenexus.scheduler.sim.report.PolicyResult;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class InflatePlanTest {
    private static final SimCluster CLUSTER = WorkloadFile.cluster("""
            nodes: [{name: g, count: 4, cpu: 32, memory: 128Gi, gpus: 8}]
            """, "cluster.yaml");
    private static final SimWorkload TASKS = WorkloadFile.workload("""
            pods:
              - {name: one, cpu: 2, memory: 4Gi, gpus: 1}
              - {name: four, cpu: 8, memory: 16Gi, gpus: 4}
              - {name: cpu, cpu: 1, memory: 1Gi}
            """, "tasks.yaml", CLUSTER, SchedulerSettings.DEFAULT_SCHEDULER_NAME);

    @Test
    void drawsUntilTheArrivedGpuDemandReachesTheLoadAndNoFurther() {
        ReplayPlan plan = ReplayPlan.inflate(TASKS, CLUSTER, 1.0, 7);

        long demand = plan.arrivals().stream().mapToLong(SimTask::gpus).sum();
        long beforeLast = demand - plan.arrivals().get(plan.arrivals().size() - 1).gpus();
        assertThat(plan.gpuTarget()).isEqualTo(32);
        assertThat(demand).isGreaterThanOrEqualTo(32);
        assertThat(beforeLast).isLessThan(32);
        assertThat(new HashSet<>(plan.arrivals().stream().map(t -> t.pod().key()).toList()))
                .as("every draw is a pod of its own").hasSize(plan.arrivals().size());
        assertThat(plan.arrivals()).allSatisfy(t -> assertThat(t.departureSeconds()).isEqualTo(SimTask.NEVER));
    }

    @Test
    void theSameSeedDrawsTheSameTasksAndAnotherSeedOthers() {
        List<String> first = names(ReplayPlan.inflate(TASKS, CLUSTER, 2.0, 7));
        assertThat(names(ReplayPlan.inflate(TASKS, CLUSTER, 2.0, 7))).isEqualTo(first);
        assertThat(names(ReplayPlan.inflate(TASKS, CLUSTER, 2.0, 8))).isNotEqualTo(first);
    }

    @Test
    void beyondTheClusterTheRestFailsAndEveryGpuIsTaken() {
        Policy bestFit = Policy.baseline(Policy.BEST_FIT_GPU,
                Policy.of(Policy.DEFAULT, SchedulerSettings.defaults(), GangSettings.defaults(), NumaSettings.defaults()));
        PolicyResult result = new Replay(bestFit, CLUSTER, ReplayPlan.inflate(TASKS, CLUSTER, 1.5, 3)).run();

        // 1- and 4-GPU tasks on 8-GPU nodes, best fit: nodes fill exactly, nothing is stranded.
        assertThat(result.unallocatedGpus()).isZero();
        assertThat(result.failedTasks()).isPositive();
        assertThat(result.firstFailureAtDemand()).isBetween(1.0, 1.5);
        assertThat(result.samples()).isNotEmpty();
        assertThat(result.samples().get(result.samples().size() - 1).gpu()).isEqualTo(1.0);
    }

    @Test
    void workloadsTheInflatingReplayCannotDrawAreRefused() {
        SimWorkload gang = WorkloadFile.workload("""
                gangs: [{name: g, members: [{name: m, count: 2, cpu: 1, gpus: 1}]}]
                """, "gang.yaml", CLUSTER, SchedulerSettings.DEFAULT_SCHEDULER_NAME);
        assertThatThrownBy(() -> ReplayPlan.inflate(gang, CLUSTER, 1.0, 1))
                .hasMessageContaining("belongs to a gang or Spark application");
        SimWorkload cpuOnly = WorkloadFile.workload("pods: [{name: c, cpu: 1}]\n", "cpu.yaml", CLUSTER,
                SchedulerSettings.DEFAULT_SCHEDULER_NAME);
        assertThatThrownBy(() -> ReplayPlan.inflate(cpuOnly, CLUSTER, 1.0, 1)).hasMessageContaining("no task asks for a GPU");
        assertThatThrownBy(() -> ReplayPlan.inflate(TASKS, CLUSTER, 0, 1)).hasMessageContaining("--load");
        SimWorkload untimed = new SimWorkload("untimed", TASKS.tasks(), null, false);
        assertThatThrownBy(() -> ReplayPlan.trace(untimed)).hasMessageContaining("replay it with --replay inflate");
    }

    @Test
    void aMixDrawsMultiGpuTasksAtTheirShareAndConstrainsGpuTasksToModelsLargeEnough() {
        SimCluster models = WorkloadFile.cluster("""
                nodes:
                  - {name: t4, count: 6, cpu: 32, memory: 128Gi, gpus: 2, labels: {nvidia.com/gpu.product: T4}}
                  - {name: a100, count: 4, cpu: 64, memory: 256Gi, gpus: 8, labels: {nvidia.com/gpu.product: A100}}
                """, "models.yaml");
        SimWorkload tasks = WorkloadFile.workload("""
                pods:
                  - {name: one, cpu: 2, memory: 4Gi, gpus: 1}
                  - {name: four, cpu: 8, memory: 16Gi, gpus: 4}
                  - {name: cpu, cpu: 1, memory: 1Gi}
                """, "tasks.yaml", models, SchedulerSettings.DEFAULT_SCHEDULER_NAME);
        ReplayPlan plan = ReplayPlan.inflate(tasks, models, 10.0, 5, new TaskMix(0.5, 1.0 / 3));

        List<SimTask> drawn = plan.arrivals();
        long multi = drawn.stream().filter(t -> t.gpus() > 1).count();
        assertThat((double) multi / drawn.size()).isBetween(0.4, 0.6);
        List<SimTask> gpuTasks = drawn.stream().filter(t -> t.gpus() > 0).toList();
        List<SimTask> constrained = gpuTasks.stream().filter(t -> t.pod().nodeAffinity().hasRequired()).toList();
        assertThat((double) constrained.size() / gpuTasks.size()).isBetween(0.25, 0.42);
        // A 4-GPU task only gets a model some node has 4 GPUs of.
        assertThat(constrained.stream().filter(t -> t.gpus() == 4)).allSatisfy(t -> assertThat(t.pod().nodeAffinity()
                .required().get(0).matchExpressions().get(0).values()).containsExactly("A100"));
        assertThat(drawn.stream().filter(t -> t.gpus() == 0)).allSatisfy(t ->
                assertThat(t.pod().nodeAffinity().hasRequired()).isFalse());
        assertThat(plan.mix().describe()).isEqualTo("multi-GPU tasks 50% of tasks, model constraint on 33% of GPU tasks");
        // Without a mix the draw is the plain one.
        assertThat(names(ReplayPlan.inflate(tasks, models, 1.0, 5, TaskMix.AS_IS)))
                .isEqualTo(names(ReplayPlan.inflate(tasks, models, 1.0, 5)));
        assertThatThrownBy(() -> new TaskMix(1.5, null)).hasMessage("--multi-gpu-share: must be 0..1, was 1.5");
    }

    private static List<String> names(ReplayPlan plan) {
        return plan.arrivals().stream().map(t -> t.pod().key().name()).map(n -> n.substring(0, n.lastIndexOf('-'))).toList();
    }
}
