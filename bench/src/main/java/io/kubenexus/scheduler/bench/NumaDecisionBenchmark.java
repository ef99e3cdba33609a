package io.kubenexus.scheduler.bench;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.loop.Decision;
import io.kubenexus.scheduler.core.loop.SchedulingAlgorithm;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.sim.synthetic.SyntheticCluster;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.numa.GpuInterconnect;
import io.kubenexus.scheduler.numa.GpuIsland;
import io.kubenexus.scheduler.numa.NodeTopology;
import io.kubenexus.scheduler.numa.NumaPlugins;
import io.kubenexus.scheduler.numa.NumaRequest;
import io.kubenexus.scheduler.numa.NumaSettings;
import io.kubenexus.scheduler.numa.NumaZone;
import io.kubenexus.scheduler.numa.NumaZones;
import io.kubenexus.scheduler.numa.TopologyManagerPolicy;
import io.kubenexus.scheduler.numa.TopologyManagerScope;
import io.kubenexus.scheduler.numa.TopologySource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
 * One pod's full decision (filter and score over every node, no sampling) on 5,000 nodes with and
 * without NUMA topology: the same cluster, the same Guaranteed pod (4 cores, 16Gi), once with the
 * default profile and no topology, once with every node publishing 2 or 4 NUMA zones (kubelet
 * policy single-numa-node; GPU nodes with one NVLink island per zone) and the pod asking for
 * {@code single-numa}. Zones have random free amounts (what pods hold exclusively), so the filter
 * rejects some nodes and scores the rest. The goal: with topology within 2x of without.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar NumaDecisionBenchmark -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class NumaDecisionBenchmark {
    private static final long GI = 1024L * 1024 * 1024;

    @Param({"2", "4"})
    int zones;

    @Param({"5000"})
    int nodes;

    @Param({"without-topology", "with-topology"})
    String mode;

    /** The NUMA score's weight; 0 measures the NUMA filter alone. */
    @Param({"3"})
    int numaWeight;

    private ClusterState state;
    private SchedulingAlgorithm algorithm;
    private PodInfo pod;

    @Setup
    public void setUp() {
        boolean topology = mode.equals("with-topology");
        SchedulerSettings settings = SchedulerSettings.defaults();
        NumaSettings numa = NumaSettings.defaults().withWeight(numaWeight);
        state = new ClusterState();
        NumaZones numaZones = new NumaZones(numa);
        if (topology) {
            state.addExtension(numaZones);
        }
        SplittableRandom random = new SplittableRandom(42);
        List<NodeInfo> cluster = SyntheticCluster.builder().seed(42).nodes(nodes).build();
        for (NodeInfo node : cluster) {
            state.upsertNode(node);
            // 30 small pods per node (shared-pool CPU: not charged to zones), as in the other decision benchmarks.
            for (int p = 0; p < 30; p++) {
                state.upsertPod(BenchPods.pod(node.name() + "-" + p, Map.of("cpu", 250L, "memory", GI / 2), false,
                        Map.of(), node.name()));
            }
            if (topology) {
                numaZones.setTopology(node.name(), topologyOf(node, random), islandsOf(node), TopologySource.NODE_RESOURCE_TOPOLOGY);
            }
        }
        SchedulingProfile profile = topology ? NumaPlugins.profiles(numa).create(settings) : SchedulingProfile.defaults(settings);
        algorithm = new SchedulingAlgorithm(profile, 100);
        pod = BenchPods.pod("trainer", Map.of("cpu", 4000L, "memory", 16 * GI), true,
                topology ? Map.of(NumaRequest.POLICY_ANNOTATION, "single-numa") : Map.of(), null);
        Decision check = algorithm.schedule(pod, state);
        if (!(check instanceof Decision.Placed)) {
            throw new IllegalStateException("the benchmark pod must fit somewhere: " + check);
        }
    }

    /** The node's allocatable split evenly over the zones; each zone has 0-90% held exclusively. */
    private NodeTopology topologyOf(NodeInfo node, SplittableRandom random) {
        List<NumaZone> list = new ArrayList<>(zones);
        for (int z = 0; z < zones; z++) {
            Map<String, Long> capacity = new HashMap<>();
            Map<String, Long> available = new HashMap<>();
            long cores = node.allocatable().get("cpu") / 1000 / zones;
            capacity.put("cpu", cores * 1000);
            capacity.put("memory", node.allocatable().get("memory") / zones);
            long gpus = node.allocatable().get("nvidia.com/gpu") / zones;
            if (gpus > 0) {
                capacity.put("nvidia.com/gpu", gpus);
            }
            double held = random.nextDouble(0.9);
            capacity.forEach((name, amount) -> available.put(name, name.equals("cpu")
                    ? (long) (cores * (1 - held)) * 1000 : (long) (amount * (1 - held))));
            list.add(new NumaZone(z, capacity, capacity, available));
        }
        return new NodeTopology(list, TopologyManagerPolicy.SINGLE_NUMA_NODE, TopologyManagerScope.CONTAINER);
    }

    private GpuInterconnect islandsOf(NodeInfo node) {
        long gpus = node.allocatable().get("nvidia.com/gpu") / zones;
        if (gpus == 0) {
            return null;
        }
        List<GpuIsland> islands = new ArrayList<>(zones);
        for (int z = 0; z < zones; z++) {
            islands.add(new GpuIsland("nvl" + z, z, (int) gpus));
        }
        return new GpuInterconnect("nvidia.com/gpu", islands);
    }

    @Benchmark
    public Decision decide() {
        return algorithm.schedule(pod, state);
    }
}
