package io.kubenexus.scheduler.kube.informers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.kubenexus.scheduler.kube.EmbeddedScheduler;
import io.kubenexus.scheduler.kube.KubeScheduler;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Namespace labels from the API into the scheduler, over HTTP against the embedded API: present at
 * start (before the sync barrier), created, relabelled and deleted later; each with the
 * {@code kubernetes.io/metadata.name} label the API server keeps on every namespace.
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

    private void createNamespace(String name, Map<String, String> labels) {
        embedded.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
                .withLabels(labels).endMetadata().build()).create();
    }
}
