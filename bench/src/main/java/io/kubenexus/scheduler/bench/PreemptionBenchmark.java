package io.kubenexus.scheduler.bench;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.loop.ProfileFilters;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodPhase;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.preemption.PreemptionEngine;
import io.kubenexus.scheduler.core.preemption.PreemptionOutcome;
import io.kubenexus.scheduler.core.preemption.VictimGroups;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.state.ResourceColumns;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One preemption question: {@link PreemptionEngine#plan} for a pod of priority 1000 that fits on no
 * node of {@link BenchClusters#synthetic} (30 bound pods of priority 0 per node) until victims go:
 * it asks one core more than the most free cpu of any node (at most the largest node's allocatable).
 * Every node large enough is a candidate;
 * kube-scheduler's bound (10% of the nodes, at least 100, with victims) stops the search. Measured:
 * resolvability over all nodes, then per candidate the victims taken off, the filters on that node,
 * the reprieve, and the exact restore of the state. The state is the same after every invocation.
 *
 * <p>Run: {@code java -jar benchmarks.jar PreemptionBenchmark -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class PreemptionBenchmark {
    private static final int PODS_PER_NODE = 30;

    @Param({"1000", "5000"})
    int nodes;

    private ClusterState state;
    private PreemptionEngine engine;
    private PodInfo preemptor;

    @Setup
    public void setUp() {
        state = BenchClusters.synthetic(nodes, PODS_PER_NODE, 42);
        ProfileFilters filters = new ProfileFilters(SchedulingProfile.defaults(SchedulerSettings.defaults()));
        // Among the nodes a small web pod may use (the GPU nodes' taint keeps it off them).
        java.util.BitSet usable = filters.feasible(BenchClusters.webPod("probe"), state, state.liveNodes());
        long mostFree = 0;
        long largest = 0;
        for (int n = usable.nextSetBit(0); n >= 0; n = usable.nextSetBit(n + 1)) {
            mostFree = Math.max(mostFree, state.allocatable(ResourceColumns.CPU, n) - state.requested(ResourceColumns.CPU, n));
            largest = Math.max(largest, state.allocatable(ResourceColumns.CPU, n));
        }
        // More than any node has free, no more than the largest node has: only evictions make room.
        long cpu = Math.min(mostFree + 1000, largest);
        PodInfo template = BenchClusters.webPod("urgent");
        PodInfo sized = BenchPods.pod("urgent", Map.of(ResourceNames.CPU, cpu, ResourceNames.MEMORY,
                template.requests().get(ResourceNames.MEMORY)), false, Map.of(), null);
        preemptor = new PodInfo(sized.key(), sized.uid(), sized.schedulerName(), null, PodPhase.PENDING, false, 1000,
                Instant.EPOCH, template.labels(), Map.of(), sized.requests(), sized.nonZeroRequests(), List.of(),
                template.nodeSelector(), null, List.of(), sized.qosClass(), List.of(), false, null, sized.containers());
        engine = new PreemptionEngine(filters, VictimGroups.NONE);
        PreemptionOutcome check = engine.plan(List.of(preemptor), state);
        if (!(check instanceof PreemptionOutcome.Planned planned)) {
            throw new IllegalStateException("the benchmark pod must preempt somewhere: " + check);
        }
        System.out.printf("%n%d nodes, %d pods; preemptor asks %d mcpu; plan: %s, %d victim(s)%n", state.nodeCount(),
                state.accountedPodCount(), cpu, planned.plan().nominatedNodes().values(),
                planned.plan().victims().size());
    }

    @Benchmark
    public PreemptionOutcome plan() {
        return engine.plan(List.of(preemptor), state);
    }
}
