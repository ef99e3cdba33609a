package io.kubenexus.scheduler.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.sim.synthetic.PodSpecTemplate;
import io.kubenexus.scheduler.sim.synthetic.SyntheticCluster;
import io.kubenexus.scheduler.sim.synthetic.WorkloadClass;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CacheAuditTest {
    private static final long GI = 1024L * 1024 * 1024;

    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();
    private final ClusterState state = new ClusterState();
    private List<NodeInfo> nodes;

    @BeforeEach
    void twoNodesWithOnePod() {
        nodes = SyntheticCluster.builder().nodes(2).gpuNodeFraction(0).build();
        nodes.forEach(state::upsertNode);
        state.upsertPod(pod("web-1", 2000, 4 * GI).toPodInfo("kubenexus-scheduler", Instant.EPOCH)
                .withNodeName(node(0)));
    }

    @Test
    void aViewEqualToTheApiHasNoMismatch() {
        assertThat(mismatches()).isZero();
    }

    @Test
    void reservedExecutorPlacesAreLeftOutOfTheComparison() {
        reserve(4000, 8 * GI);

        assertThat(mismatches()).isZero();
        assertThat(progress()).contains("1 executor place(s) reserved in the scheduler's view");
    }

    @Test
    void aPlaceThatIsNoStandInIsAMismatch() {
        // Assumed like a reservation but not marked as one: the view cannot explain it.
        state.assume(pod("lost-bind", 4000, 8 * GI).toPodInfo("kubenexus-scheduler", Instant.EPOCH).withNodeName(node(1)));

        assertThat(mismatches()).isEqualTo(1);
        assertThat(progress()).contains("CACHE MISMATCH " + node(1) + " cpu: scheduler 4000, API 0");
    }

    @Test
    void aPodTheSchedulerDoesNotKnowIsAMismatchEvenWithReservations() {
        reserve(4000, 8 * GI);

        int mismatches = CacheAudit.mismatches(state.publish(), Map.of(
                        node(0), apiRequests("2", 4 * GI, 1),
                        node(1), apiRequests("2", 4 * GI, 1)),
                new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertThat(mismatches).isEqualTo(1);
        assertThat(progress()).contains("CACHE MISMATCH " + node(1) + " cpu: scheduler 0, API 2000");
    }

    /** The scheduler holds a place on node 1 that is no pod in the API. */
    private void reserve(long cpuMilli, long memory) {
        PodInfo executor = pod("spark-etl-001-driver executor 1 (not created yet)", cpuMilli, memory)
                .toPodInfo("kubenexus-scheduler", Instant.EPOCH);
        // As the loop makes its stand-ins: marked, so that the state counts them as reserved.
        PodInfo standIn = new PodInfo(executor.key(), "", executor.schedulerName(), node(1), executor.phase(), false,
                executor.priority(), executor.createdAt(), Map.of(), Map.of(PodInfo.STAND_IN_ANNOTATION, "true"),
                executor.requests(), executor.nonZeroRequests(), List.of(), executor.nodeSelector(), null,
                executor.tolerations(), executor.qosClass(), List.of(), false, null, List.of());
        state.assume(standIn);
    }

    private int mismatches() {
        return CacheAudit.mismatches(state.publish(), Map.of(node(0), apiRequests("2", 4 * GI, 1)),
                new PrintStream(progress, true, StandardCharsets.UTF_8));
    }

    private static Map<String, BigDecimal> apiRequests(String cores, long memory, int pods) {
        return Map.of("cpu", new BigDecimal(cores), "memory", BigDecimal.valueOf(memory), "pods", BigDecimal.valueOf(pods));
    }

    private static PodSpecTemplate pod(String name, long cpuMilli, long memory) {
        return new PodSpecTemplate(name, "kubenexus-demo", cpuMilli, memory, 0, 0, List.of(), Map.of(), Map.of(),
                WorkloadClass.WEB);
    }

    private String node(int index) {
        return nodes.get(index).name();
    }

    private String progress() {
        return progress.toString(StandardCharsets.UTF_8);
    }
}
