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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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

    /** When the leadership term ends relative to the bind; the table of the gate's cases. */
    enum TermEnds {
        /** The loop asked after the Lease was lost (it had not heard yet). */
        BEFORE_THE_LOOP_ASKS(false),
        /** The bind waited in the pool's queue behind other binds while the Lease was lost. */
        WHILE_THE_BIND_IS_QUEUED(false),
        /** The term outlives the bind: it goes out. */
        NOT_DURING_THE_BIND(true);

        final boolean sent;

        TermEnds(boolean sent) {
            this.sent = sent;
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TermEnds.class)
    void aBindGoesOutOnlyWhileTheTermItWasAskedInLasts(TermEnds when) throws Exception {
        PodInfo pod = created("gated-" + when.ordinal());
        AtomicLong term = new AtomicLong(when == TermEnds.BEFORE_THE_LOOP_ASKS ? 0 : 7);
        BindGate gate = new BindGate() {
            @Override
            public long term() {
                return term.get();
            }

            @Override
            public boolean isOpen(long asked) {
                return asked != 0 && asked == term.get();
            }
        };
        ExecutorService single = Executors.newSingleThreadExecutor();
        CountDownLatch busy = new CountDownLatch(1);
        try {
            single.execute(() -> {
                try {
                    busy.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            CompletableFuture<BindResult> result = new KubernetesBinder(client, single, gate).bind(pod, "node-1")
                    .toCompletableFuture();
            if (when == TermEnds.WHILE_THE_BIND_IS_QUEUED) {
                term.set(0);
            }
            busy.countDown();

            BindResult outcome = result.get(10, TimeUnit.SECONDS);
            String node = client.pods().inNamespace(NS).withName(pod.key().name()).get().getSpec().getNodeName();
            if (when.sent) {
                assertThat(outcome).isEqualTo(BindResult.BOUND);
                assertThat(node).isEqualTo("node-1");
            } else {
                assertThat(outcome.outcome()).isEqualTo(BindOutcome.FAILED);
                assertThat(outcome.detail()).isEqualTo("not sent: this replica stopped leading before the bind went out");
                assertThat(node).as("never sent").isNull();
            }
        } finally {
            single.shutdownNow();
        }
    }
}
