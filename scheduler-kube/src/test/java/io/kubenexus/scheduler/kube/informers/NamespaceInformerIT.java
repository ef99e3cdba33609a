package io.kubenexus.scheduler.kube.informers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.testing.RecordingEventSink;
import io.kubenexus.scheduler.core.testing.ScriptedBinder;
import io.kubenexus.scheduler.kube.EmbeddedScheduler;
import io.kubenexus.scheduler.kube.KubeScheduler;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Namespace labels from the API into the scheduler, over HTTP against the embedded API: present at
 * start (before the sync barrier), created, relabelled and deleted later; each with the
 * {@code kubernetes.io/metadata.name} label the API server keeps on every namespace. Without the grant
 * the start goes on at once.
 */
class NamespaceInformerIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final EmbeddedScheduler embedded = new EmbeddedScheduler();

    @Test
    void namespacesPresentAtStartAreKnownWhenTheCachesHaveSynced() {
        createNamespace("team-a", Map.of("team", "a"));

        KubeScheduler scheduler = embedded.start(); // returns after the sync barrier

        assertThat(scheduler.namespaces().posted("team-a"))
                .isEqualTo(Map.of("team", "a", NamespaceInformer.NAME_LABEL, "team-a"));
    }

    @Test
    void laterNamespacesTheirLabelChangesAndDeletionsFollow() {
        KubeScheduler scheduler = embedded.start();

        createNamespace("team-b", Map.of());
        await().atMost(WAIT).until(() -> scheduler.namespaces().posted("team-b") != null);
        assertThat(scheduler.namespaces().posted("team-b")).isEqualTo(Map.of(NamespaceInformer.NAME_LABEL, "team-b"));

        embedded.client().namespaces().withName("team-b").edit(ns -> new NamespaceBuilder(ns).editMetadata()
                .addToLabels("tier", "gold").endMetadata().build());
        await().atMost(WAIT).until(() -> "gold".equals(scheduler.namespaces().posted("team-b").get("tier")));

        embedded.client().namespaces().withName("team-b").delete();
        await().atMost(WAIT).until(() -> scheduler.namespaces().posted("team-b") == null);
    }

    /** A ClusterRole from before namespaces were watched: the start is not held up, and nothing is posted. */
    @Test
    void forbiddenNamespacesDoNotHoldUpTheStart() throws Exception {
        KubernetesMockServer forbidding = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new ForbiddenNamespaces(), false);
        forbidding.init();
        try (KubernetesClient client = forbidding.createClient()) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team-a").endMetadata()
                    .build()).create();
            SchedulerSettings settings = SchedulerSettings.defaults();
            SchedulingLoop loop = new SchedulingLoop(settings, SchedulingProfile.defaults(settings), new ScriptedBinder(),
                    new RecordingEventSink(), SchedulerMetrics.NONE, Clock.systemUTC());
            try (NamespaceInformer namespaces = new NamespaceInformer(client, loop, Duration.ofSeconds(5),
                    Duration.ofMinutes(5))) {
                long started = System.nanoTime();
                namespaces.start().toCompletableFuture().get(10, TimeUnit.SECONDS);

                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no wait for the sync timeout")
                        .isLessThan(Duration.ofSeconds(4));
                assertThat(namespaces.posted("team-a")).isNull();
            }
        } finally {
            forbidding.destroy();
        }
    }

    /** CRUD, except that reading namespaces answers 403 (creating them is allowed, for the fixture). */
    private static final class ForbiddenNamespaces extends KubernetesCrudDispatcher {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
            if ("GET".equals(request.getMethod()) && request.getPath().startsWith("/api/v1/namespaces")
                    && !request.getPath().startsWith("/api/v1/namespaces/")) {
                return new MockResponse().setResponseCode(HttpURLConnection.HTTP_FORBIDDEN).setBody("""
                        {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "Forbidden", "code": 403}""");
            }
            return super.dispatch(request);
        }
    }

    private void createNamespace(String name, Map<String, String> labels) {
        embedded.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
                .withLabels(labels).endMetadata().build()).create();
    }
}
