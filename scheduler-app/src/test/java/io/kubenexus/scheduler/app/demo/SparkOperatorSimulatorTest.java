package io.kubenexus.scheduler.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kubenexus.scheduler.core.model.TaintEffect;
import io.kubenexus.scheduler.core.model.Toleration;
import io.kubenexus.scheduler.gang.GangLabels;
import io.kubenexus.scheduler.kube.embedded.EmbeddedKubernetesApi;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against the embedded API; the test plays the scheduler and binds drivers itself. */
class SparkOperatorSimulatorTest {
    private static final String NAMESPACE = "kubenexus-demo";
    private static final String SCHEDULER = "kubenexus-scheduler";
    private static final String APP_ID = "spark-0123456789abcdef0123456789abcdef";

    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();
    private EmbeddedKubernetesApi api;
    private KubernetesClient client;
    private SparkOperatorSimulator simulator;

    @BeforeEach
    void startApi() {
        api = new EmbeddedKubernetesApi();
        client = api.client();
        simulator = new SparkOperatorSimulator(client, NAMESPACE, SCHEDULER,
                new PrintStream(progress, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stopApi() {
        simulator.close();
        api.close();
    }

    @Test
    void submissionStoresTheSparkApplicationAndItsDriverButNoExecutor() {
        simulator.submit(etl(3));

        GenericKubernetesResource stored = client.genericKubernetesResources(SparkObjects.SPARK_APPLICATIONS)
                .inNamespace(NAMESPACE).withName("spark-etl-001").get();
        assertThat(stored.getApiVersion()).isEqualTo("sparkoperator.k8s.io/v1beta2");
        assertThat(stored.getKind()).isEqualTo("SparkApplication");
        assertThat((String) stored.get("spec", "type")).isEqualTo("Scala");
        assertThat((String) stored.get("spec", "sparkVersion")).isEqualTo("3.5.3");
        assertThat((Integer) stored.get("spec", "driver", "cores")).isEqualTo(1);
        assertThat((String) stored.get("spec", "driver", "memory")).isEqualTo("4g");
        assertThat((String) stored.get("spec", "driver", "schedulerName")).isEqualTo(SCHEDULER);
        assertThat((Integer) stored.get("spec", "executor", "cores")).isEqualTo(4);
        assertThat((Integer) stored.get("spec", "executor", "instances")).isEqualTo(3);
        assertThat((String) stored.get("spec", "executor", "memory")).isEqualTo("16g");
        assertThat((Map<String, String>) stored.get("spec", "executor", "labels"))
                .containsEntry(GangLabels.NAME, "spark-etl-001").containsEntry(GangLabels.MIN_AVAILABLE, "4");

        assertThat(pods()).extracting(p -> p.getMetadata().getName()).containsExactly("spark-etl-001-driver");
        Pod driver = pods().get(0);
        assertThat(driver.getMetadata().getLabels())
                .containsEntry(GangLabels.SPARK_ROLE, "driver")
                .containsEntry(GangLabels.SPARK_APP_SELECTOR, APP_ID)
                .containsEntry(GangLabels.OPERATOR_APP_NAME, "spark-etl-001")
                .containsEntry(GangLabels.NAME, "spark-etl-001")
                .containsEntry(GangLabels.MIN_AVAILABLE, "4");
        assertThat(driver.getSpec().getSchedulerName()).isEqualTo(SCHEDULER);
        // 4g heap + max(384Mi, 10%) overhead.
        assertThat(driver.getSpec().getContainers().get(0).getResources().getRequests())
                .containsEntry("cpu", new Quantity("1")).containsEntry("memory", new Quantity("4505Mi"));
        assertThat(driver.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
            assertThat(owner.getKind()).isEqualTo("SparkApplication");
            assertThat(owner.getUid()).isEqualTo(stored.getMetadata().getUid()).isNotBlank();
        });
        assertThat(simulator.podsCreated()).isEqualTo(1);
    }

    @Test
    void executorsAreCreatedOnlyOnceTheDriverIsBound() {
        simulator.submit(etl(3));

        simulator.pollOnce();
        assertThat(executors()).isEmpty();
        assertThat(simulator.driversBound()).isZero();

        bind("spark-etl-001-driver", "cpu-node-0007");
        simulator.pollOnce();

        Pod driver = client.pods().inNamespace(NAMESPACE).withName("spark-etl-001-driver").get();
        assertThat(executors()).extracting(p -> p.getMetadata().getName())
                .containsExactly("spark-etl-001-exec-1", "spark-etl-001-exec-2", "spark-etl-001-exec-3");
        assertThat(executors()).allSatisfy(executor -> {
            assertThat(executor.getMetadata().getLabels())
                    .containsEntry(GangLabels.SPARK_ROLE, "executor")
                    .containsEntry(GangLabels.SPARK_APP_SELECTOR, APP_ID)
                    .containsEntry(GangLabels.OPERATOR_APP_NAME, "spark-etl-001")
                    .containsEntry(GangLabels.NAME, "spark-etl-001")
                    .containsEntry(GangLabels.MIN_AVAILABLE, "4")
                    .containsKey(SparkObjects.SPARK_EXEC_ID);
            assertThat(executor.getSpec().getSchedulerName()).isEqualTo(SCHEDULER);
            assertThat(executor.getSpec().getNodeName()).isNull();
            // 16g heap + 10% overhead (1638Mi).
            assertThat(executor.getSpec().getContainers().get(0).getResources().getRequests())
                    .containsEntry("cpu", new Quantity("4")).containsEntry("memory", new Quantity("18022Mi"));
            OwnerReference owner = executor.getMetadata().getOwnerReferences().get(0);
            assertThat(owner.getKind()).isEqualTo("Pod");
            assertThat(owner.getName()).isEqualTo("spark-etl-001-driver");
            assertThat(owner.getUid()).isEqualTo(driver.getMetadata().getUid());
            assertThat(owner.getController()).isTrue();
        });
        assertThat(executors()).extracting(p -> p.getMetadata().getLabels().get(SparkObjects.SPARK_EXEC_ID))
                .containsExactly("1", "2", "3");
        assertThat(simulator.driversBound()).isEqualTo(1);
        assertThat(simulator.executorsOwed()).isZero();
        assertThat(simulator.podsCreated()).isEqualTo(4);

        simulator.pollOnce();
        assertThat(executors()).as("a later look creates nothing twice").hasSize(3);
    }

    @Test
    void aDriverAsksForItsExecutorsTenAtATime() {
        simulator.submit(etl(16));
        bind("spark-etl-001-driver", "cpu-node-0001");

        simulator.pollOnce();
        assertThat(executors()).hasSize(SparkOperatorSimulator.ALLOCATION_BATCH_SIZE);
        assertThat(simulator.executorsOwed()).isEqualTo(6);

        simulator.pollOnce();
        assertThat(executors()).hasSize(16);
        assertThat(simulator.executorsOwed()).isZero();
    }

    @Test
    void gpuExecutorsAskForGpusOnTheGpuPool() {
        Toleration gpuTaint = Toleration.exists("nvidia.com/gpu", TaintEffect.NO_SCHEDULE);
        simulator.submit(new SparkApp("spark-gpu-002", NAMESPACE, APP_ID, SparkApp.Kind.GPU,
                new SparkApp.Size(1, 2048, 0), new SparkApp.Size(8, 32768, 2), 2, Map.of("kubenexus.io/pool", "gpu"),
                List.of(gpuTaint)));
        bind("spark-gpu-002-driver", "cpu-node-0001");
        simulator.pollOnce();

        GenericKubernetesResource stored = client.genericKubernetesResources(SparkObjects.SPARK_APPLICATIONS)
                .inNamespace(NAMESPACE).withName("spark-gpu-002").get();
        assertThat((Map<String, Object>) stored.get("spec", "executor", "gpu"))
                .containsEntry("name", "nvidia.com/gpu").containsEntry("quantity", 2);
        assertThat((Map<String, String>) stored.get("spec", "executor", "nodeSelector"))
                .containsEntry("kubenexus.io/pool", "gpu");
        assertThat(executors()).hasSize(2).allSatisfy(executor -> {
            assertThat(executor.getSpec().getNodeSelector()).containsEntry("kubenexus.io/pool", "gpu");
            assertThat(executor.getSpec().getTolerations()).containsExactly(new TolerationBuilder()
                    .withKey("nvidia.com/gpu").withOperator("Exists").withEffect("NoSchedule").build());
            assertThat(executor.getSpec().getContainers().get(0).getResources().getLimits())
                    .containsEntry("nvidia.com/gpu", new Quantity("2"));
            // Spark sets GPUs as limits only; the API server copies them to requests.
            assertThat(executor.getSpec().getContainers().get(0).getResources().getRequests())
                    .containsEntry("nvidia.com/gpu", new Quantity("2"));
        });
        Pod driver = client.pods().inNamespace(NAMESPACE).withName("spark-gpu-002-driver").get();
        assertThat(driver.getSpec().getNodeSelector()).as("the driver runs on the CPU pool").isNullOrEmpty();
    }

    @Test
    void onceStartedItNoticesBoundDriversByItself() {
        simulator.submit(etl(2));
        simulator.start(Duration.ofMillis(20));

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> executors().isEmpty());
        assertThat(simulator.looks()).isPositive();

        bind("spark-etl-001-driver", "cpu-node-0003");

        await().atMost(Duration.ofSeconds(5)).until(() -> executors().size() == 2);
        assertThat(simulator.executorsOwed()).isZero();
    }

    @Test
    void applicationsGoOnceToTheSimulatorsNamespace() {
        simulator.submit(etl(2));

        assertThatThrownBy(() -> simulator.submit(etl(2))).hasMessageContaining("already submitted");
        assertThatThrownBy(() -> simulator.submit(new SparkApp("elsewhere", "other", APP_ID, SparkApp.Kind.CPU,
                new SparkApp.Size(1, 2048, 0), new SparkApp.Size(1, 4096, 0), 2, Map.of(), List.of())))
                .hasMessageContaining("namespace other");
    }

    @Test
    void asTheOperatorItRunsAnyStoredApplicationThroughItsStates() {
        MutableClock clock = new MutableClock();
        try (SparkOperatorSimulator operator = new SparkOperatorSimulator(client, null, SCHEDULER,
                new PrintStream(progress, true, StandardCharsets.UTF_8),
                SparkOperatorSimulator.Lifecycle.runFor(Duration.ofMinutes(1)), clock)) {
            operator.watchApplications();
            GenericKubernetesResource app = SparkObjects.sparkApplication(etl(2), SCHEDULER);
            app.getMetadata().setNamespace("team-a");
            client.genericKubernetesResources(SparkObjects.SPARK_APPLICATIONS).inNamespace("team-a").resource(app)
                    .create();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                operator.pollOnce();
                assertThat(state("team-a", "spark-etl-001")).isEqualTo("SUBMITTED");
            });
            assertThat(client.pods().inNamespace("team-a").withName("spark-etl-001-driver").get()).isNotNull();

            client.bindings().inNamespace("team-a").resource(new BindingBuilder().withNewMetadata()
                    .withName("spark-etl-001-driver").endMetadata().withNewTarget().withApiVersion("v1").withKind("Node")
                    .withName("n1").endTarget().build()).create();
            operator.pollOnce();
            assertThat(client.pods().inNamespace("team-a").list().getItems()).as("bound is not running").hasSize(1);
            client.pods().inNamespace("team-a").withName("spark-etl-001-driver").subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Running\"}}");
            operator.pollOnce();
            assertThat(state("team-a", "spark-etl-001")).isEqualTo("RUNNING");
            assertThat(client.pods().inNamespace("team-a").list().getItems()).hasSize(3);

            clock.advance(Duration.ofMinutes(1));
            operator.pollOnce();
            assertThat(state("team-a", "spark-etl-001")).isEqualTo("COMPLETED");
            assertThat(client.pods().inNamespace("team-a").list().getItems())
                    .allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Succeeded"));
        }
    }

    @Test
    void anApplicationItCannotReadFailsSubmissionNamingTheField() {
        try (SparkOperatorSimulator operator = new SparkOperatorSimulator(client, null, SCHEDULER,
                new PrintStream(progress, true, StandardCharsets.UTF_8),
                SparkOperatorSimulator.Lifecycle.runFor(Duration.ofMinutes(1)), new MutableClock())) {
            operator.watchApplications();
            GenericKubernetesResource app = SparkObjects.sparkApplication(etl(2), SCHEDULER);
            ((Map<String, Object>) ((Map<String, Object>) app.getAdditionalProperties().get("spec")).get("executor"))
                    .put("memory", "lots");
            client.genericKubernetesResources(SparkObjects.SPARK_APPLICATIONS).inNamespace(NAMESPACE).resource(app)
                    .create();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                operator.pollOnce();
                assertThat(state(NAMESPACE, "spark-etl-001")).isEqualTo("SUBMISSION_FAILED");
            });
            GenericKubernetesResource stored = client.genericKubernetesResources(SparkObjects.SPARK_APPLICATIONS)
                    .inNamespace(NAMESPACE).withName("spark-etl-001").get();
            assertThat((String) stored.get("status", "applicationState", "errorMessage"))
                    .contains("spec.executor.memory").contains("lots");
            assertThat(pods()).isEmpty();
        }
    }

    private String state(String namespace, String name) {
        GenericKubernetesResource stored = client.genericKubernetesResources(SparkObjects.SPARK_APPLICATIONS)
                .inNamespace(namespace).withName(name).get();
        Object state = stored == null ? null : stored.get("status", "applicationState", "state");
        return state == null ? "" : state.toString();
    }

    /** A clock the test moves. */
    private static final class MutableClock extends java.time.Clock {
        private java.time.Instant now = java.time.Instant.parse("2026-01-05T10:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }

    private static SparkApp etl(int executors) {
        return new SparkApp("spark-etl-001", NAMESPACE, APP_ID, SparkApp.Kind.CPU, new SparkApp.Size(1, 4096, 0),
                new SparkApp.Size(4, 16384, 0), executors, Map.of(), List.of());
    }

    private void bind(String pod, String node) {
        client.bindings().inNamespace(NAMESPACE).resource(new BindingBuilder().withNewMetadata().withName(pod).endMetadata()
                .withNewTarget().withApiVersion("v1").withKind("Node").withName(node).endTarget().build()).create();
    }

    private List<Pod> pods() {
        return client.pods().inNamespace(NAMESPACE).list().getItems().stream()
                .sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
    }

    private List<Pod> executors() {
        return pods().stream().filter(p -> "executor".equals(p.getMetadata().getLabels().get(GangLabels.SPARK_ROLE)))
                .sorted(Comparator.comparingInt(p -> Integer.parseInt(p.getMetadata().getLabels()
                        .get(SparkObjects.SPARK_EXEC_ID))))
                .toList();
    }
}
