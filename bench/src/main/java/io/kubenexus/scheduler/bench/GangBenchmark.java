package io.kubenexus.scheduler.bench;

import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.gang.group.GroupMembership;
import io.kubenexus.scheduler.gang.lifecycle.GangMembers;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.gang.group.GroupPlan;
import io.kubenexus.scheduler.core.loop.SchedulingAlgorithm;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.PodPhase;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.gang.GangPlanner;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * Planning one whole gang with {@link GangPlanner#packing} (MostAllocated, every feasible node
 * scored) on the 5,000-node synthetic cluster with 30 bound pods per node
 * ({@link BenchClusters#synthetic}: 4,000 CPU nodes, 1,000 tainted 8-GPU nodes).
 *
 * <p>Measured: one {@link GangPlanner#plan} call with every member pending and min-available equal
 * to the group size: the aggregate capacity check, then for a feasible group one full decision per
 * member, each assumed before the next. Not measured: undoing a successful plan
 * ({@link ClusterState#forget} of each member) after each invocation, so every invocation plans
 * against the same cluster.
 *
 * <p>Members made from one template share its request lists and the rest, as the pod translator's
 * copies do ({@code CanonicalValues} in scheduler-kube). Groups ({@code group} parameter):
 * <ul>
 *   <li>{@code spark-1+100}: a Spark driver (1 cpu, 4Gi) and 100 identical executors (4 cpu, 16Gi).
 *       Goal: at most 2 ms.</li>
 *   <li>{@code mixed-1+52}: a training job of mixed sizes: a launcher (1 cpu, 2Gi), 4 workers with 8
 *       GPUs (48 cpu, 384Gi), 16 with 2 GPUs (12 cpu, 96Gi), all tolerating the GPU taint, and 32
 *       CPU data loaders (4 cpu, 16Gi).</li>
 *   <li>{@code impossible-1024x8gpu}: 1,024 workers with 8 GPUs each: 8,192 GPUs, more than the 8,000
 *       the cluster has in all. Rejected by the aggregate check, without per-node work; its cost is
 *       summing the members' requests, O(members). Goal: at most 10 us.</li>
 *   <li>{@code impossible-1024x8gpu-distinct}: the same with every member's request objects its own
 *       (members of one template share them when translated from the API; this is the worst case).</li>
 *   <li>{@code impossible-1+100-mig}: a driver and 100 executors asking for
 *       {@code nvidia.com/mig-1g.10gb}, which no node offers. Rejected by the aggregate check.
 *       Goal: at most 10 us.</li>
 * </ul>
 *
 * <p>Run: {@code java -jar benchmarks.jar GangBenchmark -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class GangBenchmark {
    private static final int NODES = 5_000;
    private static final int PODS_PER_NODE = 30;
    private static final long GI = BenchClusters.GI;

    @Param({"spark-1+100", "mixed-1+52", "impossible-1024x8gpu", "impossible-1024x8gpu-distinct",
            "impossible-1+100-mig"})
    String group;

    private ClusterState state;
    private GangPlanner planner;
    private SchedulingAlgorithm loopAlgorithm;
    private String groupId;
    private List<PodInfo> members;
    private GroupPlan plan;
    /** The members' summed requests as the gang plugin keeps them (GangMembers), member by member. */
    private ResourceList keptDemand;

    @Setup(Level.Trial)
    public void setUp() {
        state = BenchClusters.synthetic(NODES, PODS_PER_NODE, 42);
        SchedulerSettings settings = SchedulerSettings.defaults();
        planner = GangPlanner.packing(settings);
        loopAlgorithm = new SchedulingAlgorithm(SchedulingProfile.defaults(settings), 100);
        groupId = "bench/" + group;
        members = members(group);
        GangMembers books = new GangMembers(java.time.Clock.systemUTC(), SchedulerMetrics.NONE);
        for (PodInfo member : members) {
            books.track(member.key(), GroupMembership.of(groupId, members.size()));
            books.move(groupId, member.key(), false, member.requests());
        }
        keptDemand = books.pendingDemand(groupId);
        boolean feasible = !group.startsWith("impossible");
        GroupPlan check = plan();
        if (feasible && check instanceof GroupPlan.Placed placed) {
            System.out.printf("%n%s: %d members placed on %d nodes%n", group, placed.nodes().size(),
                    new HashSet<>(placed.nodes().values()).size());
            plan = check;
            undo();
        } else if (!feasible && check instanceof GroupPlan.Waiting waiting && waiting.message().contains("the whole cluster has")) {
            System.out.printf("%n%s: %s%n", group, waiting.message());
        } else {
            throw new IllegalStateException(group + ": unexpected plan " + check);
        }
    }

    private static List<PodInfo> members(String group) {
        List<PodInfo> members = new ArrayList<>();
        switch (group) {
            case "spark-1+100" -> {
                members.add(BenchClusters.pendingPod("driver", 1000, 4 * GI, 0, false, Map.of()));
                copies(members, 100, "exec-", BenchClusters.pendingPod("exec", 4000, 16 * GI, 0, false, Map.of()));
            }
            case "mixed-1+52" -> {
                members.add(BenchClusters.pendingPod("launcher", 1000, 2 * GI, 0, false, Map.of()));
                copies(members, 4, "worker-8gpu-", BenchClusters.pendingPod("w8", 48_000, 384 * GI, 8, true, Map.of()));
                copies(members, 16, "worker-2gpu-", BenchClusters.pendingPod("w2", 12_000, 96 * GI, 2, true, Map.of()));
                copies(members, 32, "loader-", BenchClusters.pendingPod("loader", 4000, 16 * GI, 0, false, Map.of()));
            }
            case "impossible-1024x8gpu" -> copies(members, 1024, "worker-",
                    BenchClusters.pendingPod("worker", 48_000, 384 * GI, 8, true, Map.of()));
            case "impossible-1024x8gpu-distinct" -> {
                // Every member with request objects of its own: what a gang costs when its members'
                // translations share nothing (they do share when translated from the API).
                for (int i = 0; i < 1024; i++) {
                    members.add(BenchClusters.pendingPod("worker-" + i, 48_000, 384 * GI, 8, true, Map.of()));
                }
            }
            case "impossible-1+100-mig" -> {
                members.add(BenchClusters.pendingPod("driver", 1000, 4 * GI, 0, false, Map.of()));
                copies(members, 100, "exec-", BenchClusters.pendingPod("exec", 4000, 16 * GI, 0, true,
                        Map.of("nvidia.com/mig-1g.10gb", 1L)));
            }
            default -> throw new IllegalArgumentException("group: unknown '" + group + "'");
        }
        return List.copyOf(members);
    }

    /**
     * {@code count} members made from one template, sharing its request lists, tolerations and the
     * rest as the pod translator makes copies of one template share them.
     */
    private static void copies(List<PodInfo> members, int count, String prefix, PodInfo template) {
        for (int i = 0; i < count; i++) {
            members.add(BenchClusters.copy(template, prefix + i, null, PodPhase.PENDING));
        }
    }

    private GroupPlan plan() {
        return planner.plan(groupId, members.size(), members, 0, state, loopAlgorithm);
    }

    @TearDown(Level.Invocation)
    public void undo() {
        if (plan instanceof GroupPlan.Placed placed) {
            for (PodKey key : placed.nodes().keySet()) {
                state.forget(key);
            }
        }
        plan = null;
    }

    @Benchmark
    public GroupPlan planGang() {
        plan = plan();
        return plan;
    }

    /**
     * As the loop plans a gang whose every pending member is in the attempt: with the summed demand
     * the gang plugin keeps as members come and go, so an impossible gang is told in O(resources).
     */
    @Benchmark
    public GroupPlan planGangWithKeptDemand() {
        plan = planner.plan(groupId, members.size(), members, 0, keptDemand, state, loopAlgorithm);
        return plan;
    }
}
