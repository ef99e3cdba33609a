package io.kubenexus.scheduler.kube.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NodeTopologyEventsTest {
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00.123456789Z");
    private final KubernetesClient client = new KubernetesClientBuilder().build();
    private final NodeTopologyEvents events = new NodeTopologyEvents(client, "kubenexus-scheduler", "replica-1",
            Runnable::run, Clock.fixed(NOW, ZoneOffset.UTC));

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void aWarningOnTheNodeInTheDefaultNamespaceLikeTheKubeletsNodeEvents() {
        Event event = events.event("gpu-a", "uid-1", "NodeResourceTopology gpu-a: zones is missing", NOW);

        assertThat(event.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(event.getMetadata().getName()).startsWith("gpu-a.");
        assertThat(event.getInvolvedObject().getKind()).isEqualTo("Node");
        assertThat(event.getInvolvedObject().getName()).isEqualTo("gpu-a");
        assertThat(event.getInvolvedObject().getUid()).isEqualTo("uid-1");
        assertThat(event.getInvolvedObject().getNamespace()).isNull();
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getReason()).isEqualTo("InvalidNodeTopology");
        assertThat(event.getMessage()).isEqualTo("NodeResourceTopology gpu-a: zones is missing");
        assertThat(event.getSource().getComponent()).isEqualTo("kubenexus-scheduler");
        assertThat(event.getReportingInstance()).isEqualTo("replica-1");
        assertThat(event.getFirstTimestamp()).isEqualTo("2026-05-01T10:00:00Z");
        assertThat(event.getEventTime().getTime()).isEqualTo("2026-05-01T10:00:00.123456Z");
        assertThat(event.getCount()).isEqualTo(1);
    }

    @Test
    void withoutAUidTheNodeNameStandsInAsTheKubeletDoes() {
        assertThat(events.event("gpu-a", null, "m", NOW).getInvolvedObject().getUid()).isEqualTo("gpu-a");
    }

    @Test
    void namesStayDistinctWithinOneClockTickAndLongMessagesAreCut() {
        Event first = events.event("gpu-a", "u", "x".repeat(2000), NOW);
        Event second = events.event("gpu-a", "u", "y", NOW);

        assertThat(first.getMetadata().getName()).isNotEqualTo(second.getMetadata().getName());
        assertThat(first.getMessage()).hasSize(1024).endsWith("...");
    }
}
