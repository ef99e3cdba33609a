package io.kubenexus.scheduler.bench;

import io.kubenexus.scheduler.gang.lifecycle.GangPlugin;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.ports.BindOutcome;
import io.kubenexus.scheduler.core.ports.BindResult;
import io.kubenexus.scheduler.core.ports.EventSink;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.query.ClusterOverview;
import io.kubenexus.scheduler.core.query.OverviewRequest;
import io.kubenexus.scheduler.sim.synthetic.SyntheticCluster;
import io.kubenexus.scheduler.gang.GangLabels;
import io.kubenexus.scheduler.gang.GangPlanner;
import io.kubenexus.scheduler.numa.NumaPlugins;
import io.kubenexus.scheduler.numa.NumaSettings;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One cluster page snapshot ({@link SchedulingLoop#overview}) on the loop, as each open page asks
 * every 2 seconds: the node table, the gang summary and the pending pods by reason.
 *
 * <p>Cluster: the synthetic mix ({@link BenchClusters#synthetic}'s nodes and fill: 80% 32-core CPU
 * nodes, 20% tainted 8-GPU nodes, {@code podsPerNode} bound Running pods on each), plus
 * {@code pending} pods of ours that fit nowhere (unschedulable, each with its FailedScheduling
 * message) and 100 gangs of 4 with one member each (waiting for the rest).
 *
 * <p>Measured: posting the question, the loop answering it ({@code runUntilIdle} on this thread),
 * the answer. The loop has no thread of its own here, so nothing else competes.
 * {@link #gangSummaryAlone} is the gang part alone ({@code SchedulingLoop.groups}, as
 * {@code /debug/gangs} asks it).
 *
 * <p>Run: {@code java -jar benchmarks.jar ClusterOverviewBenchmark -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ClusterOverviewBenchmark {
    @Param({"5000"})
    public int nodes;

    @Param({"30"})
    public int podsPerNode;

    @Param({"2000"})
    public int pending;

    private SchedulingLoop loop;
    private final OverviewRequest request = new OverviewRequest(SyntheticCluster.POOL_LABEL, null, 500);

    @Setup
    public void setUp() {
        SchedulerSettings settings = SchedulerSettings.defaults();
        io.kubenexus.scheduler.core.plugins.SchedulingProfile.Factory profiles = NumaPlugins.profiles(NumaSettings.defaults());
        loop = GangPlugin.newLoop(settings, profiles.create(settings), new GangLabels(),
                GangPlanner.packing(settings, profiles), io.kubenexus.scheduler.gang.group.GangSettings.defaults(),
                (pod, node) -> CompletableFuture.completedFuture(BindResult.of(BindOutcome.BOUND, "")), EventSink.NONE,
                SchedulerMetrics.NONE, Clock.systemUTC());
        loop.onLeadershipChanged(true);
        SplittableRandom random = new SplittableRandom(42);
        for (NodeInfo node : SyntheticCluster.builder().seed(42).nodes(nodes).build()) {
            loop.onNodeUpserted(node);
            BenchClusters.filler(node, podsPerNode, random).forEach(loop::onPodUpserted);
        }
        for (int i = 0; i < pending; i++) {
            loop.onPodUpserted(BenchClusters.pendingPod("too-big-" + i, 1_000_000, 1L << 30, 0, false, Map.of()));
        }
        for (int g = 0; g < 100; g++) {
            PodInfo p = BenchClusters.pendingPod("gang-" + g + "-0", 1000, 1L << 30, 0, false, Map.of());
            loop.onPodUpserted(new PodInfo(p.key(), p.uid(), p.schedulerName(), null, p.phase(), false, 0, p.createdAt(),
                    Map.of(GangLabels.NAME, "gang-" + g, GangLabels.MIN_AVAILABLE, "4"), Map.of(), p.requests(),
                    p.nonZeroRequests(), List.of(), Map.of(), null, p.tolerations(), p.qosClass(), List.of(), false, null,
                    p.containers()));
        }
        loop.onCachesSynced();
        loop.runUntilIdle();
    }

    @Benchmark
    public ClusterOverview overview() {
        CompletableFuture<ClusterOverview> answer = loop.overview(request);
        loop.runUntilIdle();
        return answer.join();
    }

    /** The part of {@link #overview} that {@code /debug/gangs} also pays: one pass over every accounted pod. */
    @Benchmark
    public List<io.kubenexus.scheduler.core.query.GroupSummary> gangSummaryAlone() {
        CompletableFuture<List<io.kubenexus.scheduler.core.query.GroupSummary>> answer = loop.groups();
        loop.runUntilIdle();
        return answer.join();
    }

    @TearDown
    public void tearDown() {
        loop.close();
    }
}
