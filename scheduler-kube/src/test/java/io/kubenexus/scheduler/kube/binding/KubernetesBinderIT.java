package io.kubenexus.scheduler.kube.binding;

import static io.kubenexus.scheduler.kube.testing.PodObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.ports.BindOutcome;
import io.kubenexus.scheduler.core.ports.BindResult;
import io.kubenexus.scheduler.kube.embedded.EmbeddedKubernetesApi;
import io.kubenexus.scheduler.kube.translate.PodTranslator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 15, unit = TimeUnit.SECONDS) // a hang guard; each test takes well under a second once warm
class KubernetesBinderIT {
    private static final String NS = "spark-jobs";

    private EmbeddedKubernetesApi api;
    private KubernetesClient client;
    private ExecutorService pool;
    private KubernetesBinder binder;

    @BeforeEach
    void start() {
        api = new EmbeddedKubernetesApi();
        client = api.client();
        pool = Executors.newFixedThreadPool(2);
        binder = new KubernetesBinder(client, pool);
    }

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
        api.close();
    }

    private PodInfo created(String name) {
        Pod pod = client.pods().inNamespace(NS).resource(pod(name).namespace(NS).forCreate().container("main")
                .cpu("1").build()).create();
        return new PodTranslator().translate(pod).orElseThrow();
    }

    private BindResult bind(PodInfo pod, String node) {
        return binder.bind(pod, node).toCompletableFuture().join();
    }

    @Test
    void bindsThePod() {
        PodInfo pod = created("p1");
        assertThat(bind(pod, "node-1")).isEqualTo(BindResult.BOUND);
        assertThat(client.pods().inNamespace(NS).withName("p1").get().getSpec().getNodeName()).isEqualTo("node-1");
    }

    @Test
    void podBoundBySomeoneElseIsAlreadyBound() {
        PodInfo pod = created("p2");
        assertThat(bind(pod, "node-1").outcome()).isEqualTo(BindOutcome.BOUND);

        BindResult second = bind(pod, "node-2");
        assertThat(second.outcome()).isEqualTo(BindOutcome.ALREADY_BOUND);
        assertThat(second.detail()).contains("already assigned to node \"node-1\"");
    }

    @Test
    void deletedPodIsGone() {
        PodInfo pod = created("p3");
        client.pods().inNamespace(NS).withName("p3").delete();
        BindResult result = bind(pod, "node-1");
        assertThat(result.outcome()).isEqualTo(BindOutcome.POD_GONE);
        assertThat(result.detail()).isEqualTo("pods \"p3\" not found");
    }

    @Test
    void podRecreatedUnderTheSameNameIsGoneAndNotBound() {
        PodInfo original = created("p4");
        client.pods().inNamespace(NS).withName("p4").delete();
        created("p4");

        assertThat(bind(original, "node-1").outcome()).isEqualTo(BindOutcome.POD_GONE);
        assertThat(client.pods().inNamespace(NS).withName("p4").get().getSpec().getNodeName()).isNull();
    }

    @Test
    void otherRejectionsFailWithTheApiMessage() {
        PodInfo pod = created("p5");
        BindResult result = bind(pod, "");
        assertThat(result.outcome()).isEqualTo(BindOutcome.FAILED);
        assertThat(result.detail()).contains("target.name: Required value");
    }

    @Test
    void unreachableApiFailsInsteadOfThrowing() {
        PodInfo pod = created("p6");
        KubernetesClient closedServer;
        EmbeddedKubernetesApi other = new EmbeddedKubernetesApi();
        closedServer = other.newClient();
        other.close();
        BindResult result = new KubernetesBinder(closedServer, pool).bind(pod, "node-1").toCompletableFuture().join();
        assertThat(result.outcome()).isEqualTo(BindOutcome.FAILED);
    }

    @Test
    void fullExecutorFailsInsteadOfThrowing() {
        PodInfo pod = created("p7");
        KubernetesBinder rejecting = new KubernetesBinder(client, command -> {
            throw new RejectedExecutionException("queue full");
        });
        BindResult result = rejecting.bind(pod, "node-1").toCompletableFuture().join();
        assertThat(result.outcome()).isEqualTo(BindOutcome.FAILED);
        assertThat(result.detail()).contains("queue full");
    }
}
