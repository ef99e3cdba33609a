package io.kubenexus.scheduler.bench;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.loop.Decision;
import io.kubenexus.scheduler.core.loop.SchedulingAlgorithm;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.plugins.GpuFragmentation;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.state.ClusterState;
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
 * One pod's full decision: {@link SchedulingAlgorithm#schedule} with
 * {@link SchedulingProfile#defaults} and {@code percentageOfNodesToScore} 100, so every feasible
 * node is filtered and scored, no sampling. Measured: the pre-filter, the six filters, the three
 * score plugins with normalisation, and the tie-break, for the same pending pod against an
 * unchanging state (the decision is not assumed, so every invocation sees the same cluster).
 *
 * <p>The pod: a web replica asking for 1 cpu and 2Gi, nodeSelector {@code kubernetes.io/os=linux},
 * tolerating nothing. The clusters ({@code cluster} parameter):
 * <ul>
 *   <li>{@code synthetic-N}: {@link BenchClusters#synthetic} with N nodes and 30 bound pods per node;
 *       the 20% GPU nodes carry the {@code nvidia.com/gpu} NoSchedule taint, so 80% of the nodes are
 *       feasible and scored;</li>
 *   <li>{@code openb-1523}: the 1,523 real nodes of the Alibaba GPU trace (2023, "openb") holding the
 *       trace's Running tasks, see {@link BenchClusters#openb}. The trace directory is the system
 *       property {@value BenchClusters#DATA_PROPERTY} (default {@value BenchClusters#DEFAULT_DATA_DIR}
 *       relative to the working directory); the benchmark fails at setup, naming the path, when it is
 *       missing.</li>
 * </ul>
 *
 * <p>Goals: p50 at most 50 us at 5,000 nodes and 100 us at 10,000. Run with {@code -prof gc}: the
 * decision must allocate nothing per node, so {@code gc.alloc.rate.norm} (B/op) is the same for
 * 1,000, 5,000 and 10,000 nodes (the pod's context and the {@code Decision} only).
 *
 * <p>Run: {@code java -jar benchmarks.jar DecisionBenchmark -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class DecisionBenchmark {
    private static final int PODS_PER_NODE = 30;

    @Param({"synthetic-1000", "synthetic-5000", "synthetic-10000", "openb-1523"})
    String cluster;

    /**
     * {@code scoring.pluginWeights.GpuFragmentation}: the default (30), or 0 for the profile without the
     * GPU fragmentation pre-filter and score, to compare both in one session.
     */
    @Param({"30", "0"})
    int gpuFragmentationWeight;

    private ClusterState state;
    private SchedulingAlgorithm algorithm;
    private PodInfo pod;

    @Setup
    public void setUp() {
        if (cluster.startsWith("synthetic-")) {
            state = BenchClusters.synthetic(Integer.parseInt(cluster.substring("synthetic-".length())), PODS_PER_NODE, 42);
        } else if (cluster.equals("openb-1523")) {
            BenchClusters.OpenbCluster openb = BenchClusters.openb(BenchClusters.dataDirectory());
            state = openb.state();
            System.out.printf("%nopenb: %d nodes (%d with GPUs), %d of %d running tasks placed%n", state.nodeCount(),
                    openb.gpuNodes(), openb.placedTasks(), openb.runningTasks());
        } else {
            throw new IllegalArgumentException("cluster: unknown '" + cluster + "'");
        }
        SchedulerSettings settings = SchedulerSettings.defaults()
                .withPluginWeights(Map.of(GpuFragmentation.NAME, gpuFragmentationWeight));
        algorithm = new SchedulingAlgorithm(SchedulingProfile.defaults(settings), 100);
        pod = BenchClusters.webPod("web-0");
        Decision check = algorithm.schedule(pod, state);
        if (!(check instanceof Decision.Placed placed)) {
            throw new IllegalStateException("the benchmark pod must fit somewhere: " + check);
        }
        System.out.printf("%n%s: %d nodes, %d pods, %d feasible and scored%n", cluster, state.nodeCount(),
                state.accountedPodCount(), placed.feasibleNodes());
    }

    @Benchmark
    public Decision decide() {
        return algorithm.schedule(pod, state);
    }
}
