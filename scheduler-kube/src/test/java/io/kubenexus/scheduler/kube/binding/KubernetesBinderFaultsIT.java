package io.kubenexus.scheduler.kube.binding;

import static io.kubenexus.scheduler.kube.testing.PodObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.ports.BindOutcome;
import io.kubenexus.scheduler.core.ports.BindResult;
import io.kubenexus.scheduler.kube.embedded.EmbeddedKubernetesApi;
import io.kubenexus.scheduler.kube.embedded.FaultKind;
import io.kubenexus.scheduler.kube.embedded.FaultPlan;
import io.kubenexus.scheduler.kube.translate.PodTranslator;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the binder makes of each bind fault of the embedded API, and what the API then shows. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class KubernetesBinderFaultsIT {
    private static final String NS = "faults";

    private EmbeddedKubernetesApi api;
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
        api.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // a 409 on an unbound pod is read back, not believed: retried, not forgotten
            "BIND_CONFLICT        | FAILED | the pod is still unbound, will retry | false",
            "BIND_THROTTLED       | FAILED | throttled (429): the server has received too many requests and has "
                    + "asked us to try again later; Retry-After 1s | false",
            "BIND_ERROR           | FAILED | Internal error occurred: injected | false",
            // the client gives up; the API has or has not applied the bind
            "BIND_TIMEOUT_APPLIED | FAILED | timeout | true",
            "BIND_TIMEOUT_LOST    | FAILED | timeout | false",
    })
    void everyBindFaultIsAFailureToRetryAndTheApiShowsWhatHappened(FaultKind fault, BindOutcome outcome,
                                                                   String detail, boolean applied) {
        api = new EmbeddedKubernetesApi(InetAddress.getLoopbackAddress(), 0, Duration.ofSeconds(5),
                Clock.systemUTC(), FaultPlan.NONE.withRate(fault, 1.0).withTimings(Duration.ofMillis(500),
                        Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(1)));
        PodInfo pod = created("p");

        BindResult result = new KubernetesBinder(api.newClientUnderFaults(), pool).bind(pod, "node-1")
                .toCompletableFuture().join();

        assertThat(result.outcome()).isEqualTo(outcome);
        assertThat(result.detail()).containsIgnoringCase(detail.trim());
        assertThat(api.faults().count(fault)).isEqualTo(1);
        // The ledger counts what the API applied, answered or not.
        assertThat(api.binds().applied()).isEqualTo(applied ? 1 : 0);
        if (!applied) {
            assertThat(api.client().pods().inNamespace(NS).withName("p").get().getSpec().getNodeName()).isNull();
        }
    }

    @org.junit.jupiter.api.Test
    void aConflictOnAPodThatIsBoundIsAlreadyBound() {
        api = new EmbeddedKubernetesApi(InetAddress.getLoopbackAddress(), 0, Duration.ofSeconds(5),
                Clock.systemUTC(), FaultPlan.NONE.withRate(FaultKind.BIND_CONFLICT, 1.0));
        PodInfo pod = created("q");
        // Bound by someone else (an unfaulted client) while we decided.
        assertThat(new KubernetesBinder(api.client(), pool).bind(pod, "node-0").toCompletableFuture().join())
                .isEqualTo(BindResult.BOUND);

        BindResult result = new KubernetesBinder(api.newClientUnderFaults(), pool).bind(pod, "node-1")
                .toCompletableFuture().join();

        assertThat(result.outcome()).isEqualTo(BindOutcome.ALREADY_BOUND);
        assertThat(api.binds().boundMoreThanOnce()).isEmpty();
        assertThat(api.client().pods().inNamespace(NS).withName("q").get().getSpec().getNodeName()).isEqualTo("node-0");
    }

    private PodInfo created(String name) {
        Pod pod = api.client().pods().inNamespace(NS).resource(pod(name).namespace(NS).forCreate().container("main")
                .cpu("1").build()).create();
        return new PodTranslator().translate(pod).orElseThrow();
    }
}
