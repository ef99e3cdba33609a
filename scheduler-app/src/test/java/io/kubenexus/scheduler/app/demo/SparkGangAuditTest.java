package io.kubenexus.scheduler.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenexus.scheduler.kube.embedded.EmbeddedKubernetesApi;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gang counts come from the API alone; the test binds pods itself. */
class SparkGangAuditTest {
    private static final String NAMESPACE = "kubenexus-demo";

    private EmbeddedKubernetesApi api;
    private KubernetesClient client;
    private SparkOperatorSimulator simulator;

    @BeforeEach
    void startApi() {
        api = new EmbeddedKubernetesApi();
        client = api.client();
        simulator = new SparkOperatorSimulator(client, NAMESPACE, "kubenexus-scheduler",
                new PrintStream(OutputStream.nullOutputStream()));
    }

    @AfterEach
    void stopApi() {
        simulator.close();
        api.close();
    }

    @Test
    void countsCompletedWaitingAndPartialGangs() {
        simulator.submit(app("spark-etl-001", "spark-00000000000000000000000000000001"));
        simulator.submit(app("spark-etl-002", "spark-00000000000000000000000000000002"));
        simulator.submit(app("spark-etl-003", "spark-00000000000000000000000000000003"));
        bind("spark-etl-001-driver");
        bind("spark-etl-002-driver");
        simulator.pollOnce();
        bind("spark-etl-001-exec-1");
        bind("spark-etl-001-exec-2");
        bind("spark-etl-002-exec-1");

        SparkGangAudit audit = SparkGangAudit.of(client, NAMESPACE);

        assertThat(audit.apps()).isEqualTo(3);
        assertThat(audit.completed()).isEqualTo(1);
        assertThat(audit.partial()).isEqualTo(1);
        assertThat(audit.waiting()).isEqualTo(1);
        assertThat(audit.partialGangs())
                .containsExactly("spark-etl-002-driver on cpu-node-0000: 1/2 executors bound, 2 created; pending: [spark-etl-002-exec-2 (no condition)]");
    }

    @Test
    void aBoundDriverWhoseExecutorsAreNotCreatedYetIsPartial() {
        simulator.submit(app("spark-etl-001", "spark-00000000000000000000000000000001"));
        bind("spark-etl-001-driver");

        assertThat(SparkGangAudit.of(client, NAMESPACE).partial()).isEqualTo(1);
    }

    @Test
    void aPodGroupWithSomeButTooFewMembersBoundIsPartial() {
        for (String group : List.of("whole", "split", "waiting")) {
            for (int i = 0; i < 2; i++) {
                client.pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata().withName(group + "-" + i)
                        .withLabels(Map.of("pod-group.scheduling.kubenexus.io/name", group,
                                "pod-group.scheduling.kubenexus.io/min-available", "2")).endMetadata()
                        .withNewSpec().addNewContainer().withName("main").withImage("busybox").endContainer().endSpec()
                        .build()).create();
            }
        }
        bind("whole-0");
        bind("whole-1");
        bind("split-0");

        SparkGangAudit audit = SparkGangAudit.of(client, NAMESPACE);

        assertThat(audit.partial()).isEqualTo(1);
        assertThat(audit.partialGangs()).containsExactly("pod group split: 1/2 members bound");
    }

    private static SparkApp app(String name, String appId) {
        return new SparkApp(name, NAMESPACE, appId, SparkApp.Kind.CPU, new SparkApp.Size(1, 2048, 0),
                new SparkApp.Size(2, 4096, 0), 2, Map.of(), List.of());
    }

    private void bind(String pod) {
        client.bindings().inNamespace(NAMESPACE).resource(new BindingBuilder().withNewMetadata().withName(pod).endMetadata()
                .withNewTarget().withKind("Node").withName("cpu-node-0000").endTarget().build()).create();
    }
}
