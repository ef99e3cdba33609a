package io.kubenexus.scheduler.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.sim.synthetic.NodeShape;
import io.kubenexus.scheduler.sim.synthetic.PodSpecTemplate;
import io.kubenexus.scheduler.sim.synthetic.SyntheticCluster;
import io.kubenexus.scheduler.sim.synthetic.SyntheticNode;
import io.kubenexus.scheduler.sim.synthetic.WorkloadClass;
import io.kubenexus.scheduler.kube.embedded.EmbeddedKubernetesApi;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two 32-core CPU nodes; a Spark driver is judged together with its executors. */
class PlacementAuditTest {
    private static final String NAMESPACE = "kubenexus-demo";
    private static final SchedulerSettings SETTINGS = SchedulerSettings.defaults();
    private static final long GI = 1024L * 1024 * 1024;
    /** Driver 1 core; 4 executors of 8 cores: needs more than one node, fits on two. */
    private static final SparkApp ETL = new SparkApp("spark-etl-001", NAMESPACE, "spark-00000000000000000000000000000001",
            SparkApp.Kind.CPU, new SparkApp.Size(1, 2048, 0), new SparkApp.Size(8, 8192, 0), 4, Map.of(), List.of());
    private static final SparkApp HUGE = new SparkApp("spark-huge-002", NAMESPACE, "spark-00000000000000000000000000000002",
            SparkApp.Kind.OVERSIZED, new SparkApp.Size(1, 2048, 0), new SparkApp.Size(48, 48 * 4096, 0), 2, Map.of(),
            List.of());

    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();
    private List<NodeInfo> nodes;
    private EmbeddedKubernetesApi api;
    private KubernetesClient client;

    @BeforeEach
    void startApi() {
        nodes = SyntheticCluster.builder().nodes(2).gpuNodeFraction(0).build();
        api = new EmbeddedKubernetesApi();
        client = api.client();
        nodes.forEach(n -> client.nodes().resource(DemoObjects.node(n)).create());
    }

    @AfterEach
    void stopApi() {
        api.close();
    }

    @Test
    void onTheEmptyClusterOnlyTooBigPodsAndGangsAreUnschedulable() {
        List<PodSpecTemplate> pods = List.of(pod("web-1", 1000), pod("oversized-2", 200_000));

        List<SyntheticNode> synthetic = SyntheticCluster.builder().nodes(2).gpuNodeFraction(0).buildNodes();

        assertThat(PlacementAudit.unschedulableOnEmptyCluster(pods, List.of(ETL, HUGE), List.of(), synthetic, SETTINGS))
                .isEqualTo(2);
    }

    @Test
    void onTheEmptyClusterNumaPodsThatFitANodeButNoZoneAreUnschedulable() {
        List<SyntheticNode> synthetic = SyntheticCluster.builder().nodes(2)
                .shapes(List.of(NodeShape.DEMO_GPU_NUMA.withWeight(1))).buildNodes();
        NumaWorkload.NumaPod fits = new NumaWorkload.NumaPod("numa-train-000", NAMESPACE, NumaWorkload.Kind.TRAINING,
                16_000, 64 * NodeShape.GI, 2, true, null, 0);
        NumaWorkload.NumaPod eightGpus = new NumaWorkload.NumaPod("numa-toowide-001", NAMESPACE,
                NumaWorkload.Kind.TOO_WIDE, 64_000, 256 * NodeShape.GI, 8, true, null, 0);
        NumaWorkload.NumaPod wideCpu = new NumaWorkload.NumaPod("numa-toowide-002", NAMESPACE,
                NumaWorkload.Kind.TOO_WIDE, 64_000, 256 * NodeShape.GI, 4, true, null, 0);

        assertThat(PlacementAudit.unschedulableOnEmptyCluster(List.of(), List.of(), List.of(fits, eightGpus, wideCpu),
                synthetic, SETTINGS)).isEqualTo(2);
    }

    @Test
    void aWaitingDriverWhoseWholeGangFitsWasMissed() {
        createDriver(ETL);

        assertThat(PlacementAudit.pendingThatWouldFit(client, NAMESPACE, List.of(ETL), SETTINGS, out())).isEqualTo(1);
        assertThat(progress()).contains("MISSED gang spark-etl-001: the driver and its 4 executors would fit together");
    }

    @Test
    void aWaitingDriverThatFitsAloneButNotWithItsExecutorsWasNotMissed() {
        // 24 of 32 cores taken on each node: 4 executors of 8 cores no longer fit, the 1-core driver would.
        bindFiller("filler-0", nodes.get(0).name());
        bindFiller("filler-1", nodes.get(1).name());
        createDriver(ETL);
        createDriver(HUGE);

        assertThat(PlacementAudit.pendingThatWouldFit(client, NAMESPACE, List.of(ETL, HUGE), SETTINGS, out())).isZero();
    }

    @Test
    void aPendingExecutorIsJudgedOnItsOwn() {
        client.pods().inNamespace(NAMESPACE)
                .resource(SparkObjects.executor(ETL, 1, SparkObjects.driver(ETL, SparkObjects.sparkApplication(ETL, "s"),
                        SETTINGS.schedulerName()), SETTINGS.schedulerName())).create();

        assertThat(PlacementAudit.pendingThatWouldFit(client, NAMESPACE, List.of(ETL), SETTINGS, out())).isEqualTo(1);
        assertThat(progress()).contains("MISSED kubenexus-demo/spark-etl-001-exec-1 would fit on");
    }

    private void createDriver(SparkApp app) {
        client.pods().inNamespace(NAMESPACE).resource(SparkObjects.driver(app,
                SparkObjects.sparkApplication(app, SETTINGS.schedulerName()), SETTINGS.schedulerName())).create();
    }

    private void bindFiller(String name, String node) {
        client.pods().inNamespace(NAMESPACE).resource(DemoObjects.pod(pod(name, 24_000), SETTINGS.schedulerName()))
                .create();
        client.bindings().inNamespace(NAMESPACE).resource(new BindingBuilder().withNewMetadata().withName(name)
                .endMetadata().withNewTarget().withKind("Node").withName(node).endTarget().build()).create();
    }

    private static PodSpecTemplate pod(String name, long cpuMilli) {
        return new PodSpecTemplate(name, NAMESPACE, cpuMilli, 2 * GI, 0, 0, List.of(), Map.of(), Map.of(),
                WorkloadClass.BATCH);
    }

    private PrintStream out() {
        return new PrintStream(progress, true, StandardCharsets.UTF_8);
    }

    private String progress() {
        return progress.toString(StandardCharsets.UTF_8);
    }
}
