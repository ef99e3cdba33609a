package io.kubenexus.scheduler.bench;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.loop.Decision;
import io.kubenexus.scheduler.core.loop.SchedulingAlgorithm;
import io.kubenexus.scheduler.core.model.InterPodConstraints;
import io.kubenexus.scheduler.core.model.LabelSelector;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodAffinityTerm;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.TopologySpreadConstraint;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.sim.synthetic.SyntheticCluster;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * One pod's full decision (as {@link DecisionBenchmark}) with inter-pod constraints, beside the plain
 * decision on the same cluster: 5,000 synthetic nodes with 30 bound pods each, every pod labelled
 * {@code app=svc-<0..49>}, and one {@code app=web} replica on every 20th node.
 *
 * <p>The pod ({@code pod} parameter), a web replica ({@code app=web}, 1 cpu, 2Gi, Linux nodes):
 * <ul>
 *   <li>{@code plain}: no inter-pod constraints (both plugins add a uniform 0);</li>
 *   <li>{@code antiAffinity}: required anti-affinity to {@code app=web} on {@code kubernetes.io/hostname};</li>
 *   <li>{@code zoneSpread}: DoNotSchedule maxSkew 1 on {@code topology.kubernetes.io/zone} over {@code app=web}.</li>
 * </ul>
 * Goal: the constrained decisions within 2x of plain. The counts are kept incrementally, so the
 * decision never scans the 150,000 pods.
 *
 * <p>Run: {@code java -jar benchmarks.jar InterPodDecisionBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class InterPodDecisionBenchmark {
    private static final int NODES = 5_000;
    private static final int PODS_PER_NODE = 30;
    private static final int APPS = 50;
    private static final int WEB_EVERY = 20;

    @Param({"plain", "antiAffinity", "zoneSpread"})
    String pod;

    private ClusterState state;
    private SchedulingAlgorithm algorithm;
    private PodInfo pending;

    @Setup
    public void setUp() {
        state = new ClusterState();
        SplittableRandom random = new SplittableRandom(42);
        int n = 0;
        for (NodeInfo node : SyntheticCluster.builder().seed(42).nodes(NODES).build()) {
            state.upsertNode(node);
            int p = 0;
            for (PodInfo filler : BenchClusters.filler(node, PODS_PER_NODE, random)) {
                String app = n % WEB_EVERY == 0 && p == 0 ? "web" : "svc-" + random.nextInt(APPS);
                state.upsertPod(withInterPod(filler, Map.of("app", app), InterPodConstraints.NONE));
                p++;
            }
            n++;
        }
        LabelSelector web = new LabelSelector(Map.of("app", "web"), List.of());
        InterPodConstraints constraints = switch (pod) {
            case "plain" -> InterPodConstraints.NONE;
            case "antiAffinity" -> new InterPodConstraints(List.of(), List.of(),
                    List.of(new PodAffinityTerm(web, Set.of(), null, SyntheticCluster.HOSTNAME_LABEL)), List.of(),
                    List.of());
            case "zoneSpread" -> new InterPodConstraints(List.of(), List.of(), List.of(), List.of(),
                    List.of(new TopologySpreadConstraint(1, SyntheticCluster.ZONE_LABEL, true, web, null, null, null)));
            default -> throw new IllegalArgumentException("pod: unknown '" + pod + "'");
        };
        pending = withInterPod(BenchClusters.webPod("web-new"), Map.of("app", "web"), constraints);
        algorithm = new SchedulingAlgorithm(SchedulingProfile.defaults(SchedulerSettings.defaults()), 100);
        Decision check = algorithm.schedule(pending, state);
        if (!(check instanceof Decision.Placed placed)) {
            throw new IllegalStateException("the benchmark pod must fit somewhere: " + check);
        }
        System.out.printf("%n%s: %d nodes, %d pods, %d feasible%n", pod, state.nodeCount(),
                state.accountedPodCount(), placed.feasibleNodes());
    }

    @Benchmark
    public Decision decide() {
        return algorithm.schedule(pending, state);
    }

    private static PodInfo withInterPod(PodInfo p, Map<String, String> labels, InterPodConstraints constraints) {
        return new PodInfo(p.key(), p.uid(), p.schedulerName(), p.nodeName(), p.phase(), p.terminating(), p.priority(),
                p.createdAt(), labels, p.annotations(), p.requests(), p.nonZeroRequests(), p.hostPorts(),
                p.nodeSelector(), p.nodeAffinity(), p.tolerations(), p.qosClass(), p.unsupportedConstraints(),
                p.schedulingGated(), p.schedulingGroup(), p.containers(), constraints, p.preemptionPolicy(),
                p.declaredRunTime(), p.startedAt(), p.controllerUid());
    }
}
