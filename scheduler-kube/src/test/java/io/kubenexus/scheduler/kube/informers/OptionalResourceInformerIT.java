package io.kubenexus.scheduler.kube.informers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An optional API that is missing, forbidden, granted later or cluster-scoped, over HTTP against
 * fabric8's mock server in CRUD mode; a gate in front of the {@code example.io} API answers 403 or
 * 404 for it while the test says so.
 */
class OptionalResourceInformerIT {
    private static final ResourceDefinitionContext WIDGETS = new ResourceDefinitionContext.Builder()
            .withGroup("example.io").withVersion("v1").withKind("Widget").withPlural("widgets")
            .withNamespaced(true).build();
    private static final ResourceDefinitionContext GADGETS = new ResourceDefinitionContext.Builder()
            .withGroup("example.io").withVersion("v1").withKind("Gadget").withPlural("gadgets")
            .withNamespaced(false).build();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration RECHECK = Duration.ofMillis(200);
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private final GatedApi gate = new GatedApi();
    private final List<String> upserted = new CopyOnWriteArrayList<>();
    private final List<String> removed = new CopyOnWriteArrayList<>();
    private KubernetesMockServer server;
    private KubernetesClient client;
    private ScheduledExecutorService prober;
    private OptionalResourceInformer informer;

    @BeforeEach
    void startServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), gate, false);
        server.init();
        client = server.createClient();
        prober = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stop() {
        if (informer != null) {
            informer.close(); // informer first: closing the server under a live watch can stall the mock
        }
        prober.shutdownNow();
        client.close();
        server.destroy();
    }

    private OptionalResourceInformer informer(ResourceDefinitionContext resource) {
        informer = new OptionalResourceInformer(client, resource, "", new OptionalResourceInformer.Timing(
                Duration.ofSeconds(5), RECHECK), UpsertRemoveHandler.of(
                object -> upserted.add(name(object)), object -> removed.add(name(object))));
        return informer;
    }

    @Test
    void aForbiddenApiIsOffAtOnceAndPickedUpOnceGranted() throws Exception {
        create(WIDGETS, "ml", "w-1");
        gate.answer(HttpURLConnection.HTTP_FORBIDDEN);
        OptionalResourceInformer widgets = informer(WIDGETS);

        long started = System.nanoTime();
        widgets.start(prober).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("absent: no wait for the sync timeout")
                .isLessThan(Duration.ofSeconds(4));
        assertThat(widgets.watching()).isFalse();
        assertThat(upserted).isEmpty();

        gate.answer(HttpURLConnection.HTTP_OK);

        await().atMost(WAIT).until(widgets::watching);
        await().atMost(WAIT).until(() -> upserted.contains("ml/w-1"));
    }

    @Test
    void aMissingApiIsLookedForOnlyEveryRecheckAndNoMoreOnceClosed() throws Exception {
        gate.answer(HttpURLConnection.HTTP_NOT_FOUND);
        OptionalResourceInformer widgets = informer(WIDGETS);

        widgets.start(prober).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(widgets.watching()).isFalse();
        await().atMost(WAIT).until(() -> gate.refused() >= 3);

        widgets.close();
        int refused = gate.refused();
        Thread.sleep(RECHECK.multipliedBy(3).toMillis());

        assertThat(gate.refused()).as("no probe after close").isLessThanOrEqualTo(refused + 1);
        assertThat(widgets.watching()).isFalse();
    }

    @Test
    void aClusterScopedResourceIsListedAtStartAndItsChangesReachTheHandler() throws Exception {
        create(GADGETS, null, "g-1");
        OptionalResourceInformer gadgets = informer(GADGETS);

        gadgets.start(prober).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(gadgets.watching()).isTrue();
        assertThat(upserted).as("posted before the start completes").contains("g-1");
        assertThat(gadgets.kind()).isEqualTo("Gadget example.io/v1");

        create(GADGETS, null, "g-2");
        client.genericKubernetesResources(GADGETS).withName("g-1").delete();

        await().atMost(WAIT).until(() -> upserted.contains("g-2") && removed.contains("g-1"));
        assertThatThrownBy(() -> gadgets.start(prober)).isInstanceOf(IllegalStateException.class);
    }

    /**
     * A handler that fails on one object (a bug in translating it) costs that object only: the others
     * are handed over at sync, the start completes without waiting for the sync timeout, and later
     * changes and deletions still arrive.
     */
    @Test
    void aHandlerFailingOnOneObjectDoesNotStopTheOthers() throws Exception {
        for (String name : List.of("g-1", "g-2", "g-3", "g-4")) {
            create(GADGETS, null, name);
        }
        informer = new OptionalResourceInformer(client, GADGETS, "", new OptionalResourceInformer.Timing(
                Duration.ofSeconds(30), RECHECK), UpsertRemoveHandler.of(object -> {
                    if (name(object).equals("g-2")) {
                        throw new IllegalStateException("translator bug");
                    }
                    upserted.add(name(object));
                }, object -> {
                    if (name(object).equals("g-3")) {
                        throw new IllegalStateException("bug handling a removal");
                    }
                    removed.add(name(object));
                }));

        informer.start(prober).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(upserted).as("handed over at sync").contains("g-1", "g-3", "g-4");
        create(GADGETS, null, "g-5");
        await().atMost(WAIT).until(() -> upserted.contains("g-5"));

        client.genericKubernetesResources(GADGETS).withName("g-3").delete();
        client.genericKubernetesResources(GADGETS).withName("g-4").delete();
        await().atMost(WAIT).until(() -> removed.contains("g-4"));
        assertThat(removed).doesNotContain("g-3");
    }

    @Test
    void timingsMustBePositive() {
        assertThatThrownBy(() -> new OptionalResourceInformer.Timing(Duration.ZERO, RECHECK))
                .hasMessageContaining("syncTimeout");
        assertThatThrownBy(() -> new OptionalResourceInformer.Timing(RECHECK, Duration.ofSeconds(-1)))
                .hasMessageContaining("absentRecheck");
    }

    // ------------------------------------------------------------------ fixtures

    private void create(ResourceDefinitionContext resource, String namespace, String name) {
        String meta = namespace == null ? "{name: %s}".formatted(name) : "{name: %s, namespace: %s}".formatted(name, namespace);
        GenericKubernetesResource object = YAML.unmarshal("""
                apiVersion: %s/%s
                kind: %s
                metadata: %s
                """.formatted(resource.getGroup(), resource.getVersion(), resource.getKind(), meta),
                GenericKubernetesResource.class);
        if (namespace == null) {
            client.genericKubernetesResources(resource).resource(object).create();
        } else {
            client.genericKubernetesResources(resource).inNamespace(namespace).resource(object).create();
        }
    }

    private static String name(GenericKubernetesResource object) {
        String namespace = object.getMetadata().getNamespace();
        return namespace == null ? object.getMetadata().getName() : namespace + "/" + object.getMetadata().getName();
    }

    /** CRUD, except that the {@code example.io} API answers a set status (403 forbidden, 404 not installed). */
    private static final class GatedApi extends KubernetesCrudDispatcher {
        private volatile int answer = HttpURLConnection.HTTP_OK;
        private final AtomicInteger refused = new AtomicInteger();

        void answer(int status) {
            answer = status;
        }

        int refused() {
            return refused.get();
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            int status = answer;
            if (status != HttpURLConnection.HTTP_OK && request.getPath().startsWith("/apis/example.io/")) {
                refused.incrementAndGet();
                return new MockResponse().setResponseCode(status).setBody("""
                        {"kind": "Status", "apiVersion": "v1", "status": "Failure", "code": %d}""".formatted(status));
            }
            return super.dispatch(request);
        }
    }
}
