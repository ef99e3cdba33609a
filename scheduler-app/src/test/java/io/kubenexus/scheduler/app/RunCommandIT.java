package io.kubenexus.scheduler.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenexus.scheduler.kube.embedded.EmbeddedKubernetesApi;
import io.kubenexus.scheduler.kube.testing.LeaseThief;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubenexus-scheduler run} as an operator starts it: a kubeconfig file, a config file with
 * leader election on, the real wiring, until it is told to stop.
 */
class RunCommandIT {
    @TempDir
    Path dir;

    private EmbeddedKubernetesApi api;
    private KubernetesClient client;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    @BeforeEach
    void startApi() {
        api = new EmbeddedKubernetesApi();
        client = api.client();
    }

    @AfterEach
    void stopApi() throws InterruptedException {
        stop.countDown();
        stopped.await(10, TimeUnit.SECONDS);
        api.close();
    }

    @Test
    void schedulesWithAKubeconfigAndAConfigFileServesHttpAndReleasesTheLeaseOnStop() throws Exception {
        int httpPort = freePort();
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: embedded
                  cluster: {server: "%s"}
                users:
                - name: operator
                  user: {token: not-checked-by-the-embedded-api}
                contexts:
                - name: embedded
                  context: {cluster: embedded, user: operator, namespace: default}
                current-context: embedded
                """.formatted(api.url()));
        Path config = Files.writeString(dir.resolve("config.yaml"), """
                schedulerName: batch-scheduler
                scoring:
                  strategy: MostAllocated
                leaderElection:
                  enabled: true
                  namespace: kube-system
                  leaseName: batch-scheduler
                  identity: replica-1
                  leaseDuration: 4s
                  renewDeadline: 3s
                  retryPeriod: 500ms
                http:
                  port: %d
                  bindAddress: 127.0.0.1
                """.formatted(httpPort));
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-0").endMetadata()
                .withNewStatus().addToAllocatable("cpu", new Quantity("8")).addToAllocatable("memory", new Quantity("32Gi"))
                .addToAllocatable("pods", new Quantity("110")).endStatus().build()).create();

        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> scheduler().execute(
                "run", "--kubeconfig", kubeconfig.toString(), "--config", config.toString()));
        client.pods().inNamespace("jobs").resource(new PodBuilder()
                .withNewMetadata().withName("etl-1").withNamespace("jobs").endMetadata()
                .withNewSpec().withSchedulerName("batch-scheduler").addNewContainer().withName("main").withImage("etl")
                .withNewResources().addToRequests("cpu", new Quantity("2")).endResources().endContainer().endSpec()
                .build()).create();

        await().atMost(Duration.ofSeconds(30)).until(() ->
                "node-0".equals(client.pods().inNamespace("jobs").withName("etl-1").get().getSpec().getNodeName()));
        Lease lease = client.leases().inNamespace("kube-system").withName("batch-scheduler").get();
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("replica-1");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/readyz"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"leader\":true").contains("\"identity\":\"replica-1\"");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body()).contains("kubenexus_schedule_attempts_total{result=\"scheduled\"} 1.0")
                .contains("leader_election_master_status{name=\"batch-scheduler\"} 1")
                .contains("kubenexus_replica_info{identity=\"replica-1\"} 1")
                .contains("jvm_memory_used_bytes{area=\"heap\"").contains("process_cpu_usage "));

        stop.countDown();
        assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
        Lease released = client.leases().inNamespace("kube-system").withName("batch-scheduler").get();
        // Released for the next replica: cut to one second instead of the configured four.
        assertThat(released.getSpec().getLeaseDurationSeconds()).isEqualTo(1);
    }

    @Test
    void withOnLostLeaseExitALostLeaseEndsRunWithStatusOneAndSaysWhy() throws Exception {
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: embedded
                  cluster: {server: "%s"}
                users:
                - name: operator
                  user: {token: not-checked-by-the-embedded-api}
                contexts:
                - name: embedded
                  context: {cluster: embedded, user: operator, namespace: default}
                current-context: embedded
                """.formatted(api.url()));
        Path config = Files.writeString(dir.resolve("config.yaml"), """
                leaderElection:
                  namespace: kube-system
                  leaseName: batch-scheduler
                  identity: replica-1
                  leaseDuration: 3s
                  renewDeadline: 2s
                  retryPeriod: 500ms
                  onLostLease: exit
                http: {port: 0}
                """);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> scheduler().execute(
                "run", "--kubeconfig", kubeconfig.toString(), "--config", config.toString()));
        LeaseThief otherReplica = new LeaseThief(client, "kube-system", "batch-scheduler");
        await().atMost(Duration.ofSeconds(30)).until(() -> "replica-1".equals(otherReplica.holder()));

        otherReplica.steal("replica-2");

        assertThat(exit.get(20, TimeUnit.SECONDS)).isEqualTo(KubenexusScheduler.EXIT_FAILURE);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("error: replica-1 lost lease "
                + "kube-system/batch-scheduler; exiting (leaderElection.onLostLease: exit) so that the process is restarted");
        assertThat(stopped.getCount()).as("the shutdown signal was told that the service is closed").isZero();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private KubenexusScheduler scheduler() {
        ShutdownSignal signal = new ShutdownSignal() {
            @Override
            public void await() throws InterruptedException {
                stop.await();
            }

            /** As the JVM's signal: woken by the stop or by the service giving up. */
            @Override
            public void await(CompletionStage<?> serviceEnded) throws InterruptedException {
                serviceEnded.whenComplete((ignored, error) -> stop.countDown());
                stop.await();
            }

            @Override
            public void stopped() {
                stopped.countDown();
            }
        };
        return new KubenexusScheduler(Wiring.serviceFactory(), Wiring.demoRunner(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8), signal, Map.of());
    }
}
