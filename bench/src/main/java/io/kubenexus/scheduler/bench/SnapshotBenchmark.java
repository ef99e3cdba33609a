package io.kubenexus.scheduler.bench;

import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.PodPhase;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.state.ClusterView;
import io.kubenexus.scheduler.core.state.NodeChange;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one informer event costs the loop thread, and what publishing a {@link ClusterView} costs,
 * on a 5,000-node {@link ClusterState} holding 30 bound pods per node (150,000 pods,
 * {@link BenchClusters#synthetic}). Goal: at most 5 us per event.
 *
 * <p>Each benchmark has its own state (one cluster per fork) and keeps its size steady. Events go to
 * nodes in a seeded random order, so successive events do not find their node's columns in cache.
 * Pods arrive already translated (as the informer posts them), so translation is not measured.
 * <ul>
 *   <li>{@code podAdd}: {@link ClusterState#upsertPod} of a new bound pod (500m, 1Gi). The pod is
 *       removed again after each invocation, outside the measurement.</li>
 *   <li>{@code podDelete}: {@link ClusterState#removePod} of such a pod, added before each invocation
 *       outside the measurement (so its node's data is in cache: a best case).</li>
 *   <li>{@code podAddAndDelete}: both in one invocation with no fixture, reported per event (2
 *       operations per invocation); a cross-check of the two above without JMH's per-invocation
 *       fixtures.</li>
 *   <li>{@code podUpdateStatus}: {@link ClusterState#upsertPod} of a bound pod whose phase flips
 *       between Pending and Running on the same node, requests unchanged (the common status update).</li>
 *   <li>{@code podUpdateRequests}: {@link ClusterState#upsertPod} of a bound pod whose requests
 *       alternate between two sizes on the same node (an in-place resize: uncharge, then charge).</li>
 *   <li>{@code nodeUpdateLabels}: {@link ClusterState#upsertNode} of a node whose label
 *       {@code bench.kubenexus.io/cohort} alternates between two values other nodes share (the label
 *       index is updated; allocatable and taints are unchanged).</li>
 *   <li>{@code publish} ({@code changes} = K): {@link ClusterState#publish()} after K request updates
 *       on K distinct nodes, applied before each invocation outside the measurement; what is measured
 *       is the copy of the K dirty nodes into the persistent trie.</li>
 * </ul>
 * The event benchmarks do not publish; their dirty marks only set bits that are already set.
 *
 * <p>Run: {@code java -jar benchmarks.jar SnapshotBenchmark -prof gc}
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class SnapshotBenchmark {
    static final int NODES = 5_000;
    static final int PODS_PER_NODE = 30;
    static final String COHORT_LABEL = "bench.kubenexus.io/cohort";

    /** The cluster, node names in a seeded random order, and a cursor over them. */
    abstract static class Cluster {
        ClusterState state;
        String[] nodeOrder;
        int cursor;

        void build() {
            state = BenchClusters.synthetic(NODES, PODS_PER_NODE, 42);
            nodeOrder = new String[NODES];
            int[] indices = new int[NODES];
            for (int i = 0; i < NODES; i++) {
                indices[i] = i;
            }
            SplittableRandom random = new SplittableRandom(7);
            for (int i = NODES - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = indices[i];
                indices[i] = indices[j];
                indices[j] = swap;
            }
            for (int i = 0; i < NODES; i++) {
                nodeOrder[i] = state.node(indices[i]).name();
            }
        }

        /** The position of the next node in {@link #nodeOrder}, advancing the cursor. */
        int nextPosition() {
            int position = cursor;
            cursor = cursor + 1 == NODES ? 0 : cursor + 1;
            return position;
        }

        /** A new 500m/1Gi pod for every node, in {@link #nodeOrder}. */
        PodInfo[] extraPods() {
            PodInfo[] extra = new PodInfo[NODES];
            for (int i = 0; i < NODES; i++) {
                extra[i] = BenchClusters.servicePod(3, nodeOrder[i] + "-extra", nodeOrder[i], PodPhase.RUNNING);
            }
            return extra;
        }

        /** The accounted pod {@code <node>-<ordinal>} of every node, in {@link #nodeOrder}. */
        PodInfo[] boundPods(int ordinal) {
            PodInfo[] bound = new PodInfo[NODES];
            for (int i = 0; i < NODES; i++) {
                bound[i] = state.accountedPod(new PodKey(BenchClusters.NAMESPACE, nodeOrder[i] + "-" + ordinal));
            }
            return bound;
        }

        /** Each of {@code pods} with other requests (the next service size), same name and node. */
        static PodInfo[] resized(PodInfo[] pods) {
            PodInfo[] other = new PodInfo[pods.length];
            for (int i = 0; i < pods.length; i++) {
                PodInfo pod = pods[i];
                int size = 0;
                while (BenchClusters.servicePod(size, "probe", pod.nodeName(), PodPhase.RUNNING).requests()
                        .equals(pod.requests())) {
                    size++;
                }
                other[i] = BenchClusters.servicePod(size, pod.key().name(), pod.nodeName(), pod.phase());
            }
            return other;
        }
    }

    @State(Scope.Thread)
    public static class PodAdd extends Cluster {
        PodInfo[] extra;
        PodInfo next;

        @Setup(Level.Trial)
        public void setUp() {
            build();
            extra = extraPods();
        }

        @Setup(Level.Invocation)
        public void pick() {
            next = extra[nextPosition()];
        }

        @TearDown(Level.Invocation)
        public void undo() {
            state.removePod(next.key());
        }
    }

    @State(Scope.Thread)
    public static class PodDelete extends Cluster {
        PodInfo[] extra;
        PodKey next;

        @Setup(Level.Trial)
        public void setUp() {
            build();
            extra = extraPods();
        }

        @Setup(Level.Invocation)
        public void add() {
            PodInfo pod = extra[nextPosition()];
            state.upsertPod(pod);
            next = pod.key();
        }
    }

    @State(Scope.Thread)
    public static class PodChurn extends Cluster {
        PodInfo[] extra;

        @Setup(Level.Trial)
        public void setUp() {
            build();
            extra = extraPods();
        }
    }

    /** Two versions of one bound pod per node, and which one the state holds. */
    @State(Scope.Thread)
    public static class PodVersions extends Cluster {
        PodInfo[] current;
        PodInfo[] other;

        PodInfo flip() {
            int position = nextPosition();
            PodInfo pod = other[position];
            other[position] = current[position];
            current[position] = pod;
            return pod;
        }
    }

    @State(Scope.Thread)
    public static class PodStatus extends PodVersions {
        @Setup(Level.Trial)
        public void setUp() {
            build();
            current = boundPods(0);
            other = new PodInfo[NODES];
            for (int i = 0; i < NODES; i++) {
                PodInfo pod = current[i];
                other[i] = BenchClusters.copy(pod, pod.key().name(), pod.nodeName(),
                        pod.phase() == PodPhase.RUNNING ? PodPhase.PENDING : PodPhase.RUNNING);
            }
        }
    }

    @State(Scope.Thread)
    public static class PodResize extends PodVersions {
        @Setup(Level.Trial)
        public void setUp() {
            build();
            current = boundPods(1);
            other = resized(current);
        }
    }

    @State(Scope.Thread)
    public static class NodeLabels extends Cluster {
        NodeInfo[] current;
        NodeInfo[] other;

        @Setup(Level.Trial)
        public void setUp() {
            build();
            current = new NodeInfo[NODES];
            other = new NodeInfo[NODES];
            for (int i = 0; i < NODES; i++) {
                NodeInfo node = state.node(state.nodeIndex(nodeOrder[i]));
                current[i] = withLabel(node, COHORT_LABEL, i % 2 == 0 ? "blue" : "green");
                other[i] = withLabel(node, COHORT_LABEL, i % 2 == 0 ? "green" : "blue");
                state.upsertNode(current[i]);
            }
        }

        NodeInfo flip() {
            int position = nextPosition();
            NodeInfo node = other[position];
            other[position] = current[position];
            current[position] = node;
            return node;
        }

        private static NodeInfo withLabel(NodeInfo node, String key, String value) {
            Map<String, String> labels = new LinkedHashMap<>(node.labels());
            labels.put(key, value);
            return new NodeInfo(node.name(), labels, node.annotations(), node.allocatable(), node.taints(),
                    node.unschedulable(), node.ready());
        }
    }

    @State(Scope.Thread)
    public static class Publishing extends PodVersions {
        @Param({"1", "10", "100", "1000"})
        int changes;

        @Setup(Level.Trial)
        public void setUp() {
            build();
            current = boundPods(1);
            other = resized(current);
            state.publish();
        }

        @Setup(Level.Invocation)
        public void change() {
            for (int i = 0; i < changes; i++) {
                state.upsertPod(flip());
            }
        }
    }

    @Benchmark
    public boolean podAdd(PodAdd fixture) {
        return fixture.state.upsertPod(fixture.next);
    }

    @Benchmark
    public boolean podDelete(PodDelete fixture) {
        return fixture.state.removePod(fixture.next);
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public boolean podAddAndDelete(PodChurn fixture) {
        PodInfo pod = fixture.extra[fixture.nextPosition()];
        fixture.state.upsertPod(pod);
        return fixture.state.removePod(pod.key());
    }

    @Benchmark
    public boolean podUpdateStatus(PodStatus fixture) {
        return fixture.state.upsertPod(fixture.flip());
    }

    @Benchmark
    public boolean podUpdateRequests(PodResize fixture) {
        return fixture.state.upsertPod(fixture.flip());
    }

    @Benchmark
    public Set<NodeChange> nodeUpdateLabels(NodeLabels fixture) {
        return fixture.state.upsertNode(fixture.flip());
    }

    @Benchmark
    public ClusterView publish(Publishing fixture) {
        return fixture.state.publish();
    }
}
