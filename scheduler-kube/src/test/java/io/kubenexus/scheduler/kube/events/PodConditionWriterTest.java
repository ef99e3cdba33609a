package io.kubenexus.scheduler.kube.events;

import static io.kubenexus.scheduler.kube.testing.PodObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kubenexus.scheduler.kube.testing.PodObjects;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodConditionWriterTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-01T12:00:00Z"), ZoneOffset.UTC);
    private static final PodConditionWriter.Verdict NO_FIT =
            new PodConditionWriter.Verdict("False", "Unschedulable", "0/3 nodes are available");
    private static final String NEW_CONDITION = "{\"type\":\"PodScheduled\",\"status\":\"False\",\"lastProbeTime\":null,"
            + "\"lastTransitionTime\":\"2024-05-01T12:00:00Z\",\"reason\":\"Unschedulable\","
            + "\"message\":\"0/3 nodes are available\"}";

    // patchFor never calls the API; the client is never connected.
    private static KubernetesClient client;
    private static PodConditionWriter writer;

    @BeforeAll
    static void create() {
        client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:9/").build()).build();
        writer = new PodConditionWriter(client, Runnable::run, CLOCK, Duration.ofMinutes(10), 100);
    }

    @AfterAll
    static void close() {
        client.close();
    }

    static Stream<Arguments> patches() {
        return Stream.of(
                arguments("no status at all", pod("p"),
                        "[{\"op\":\"add\",\"path\":\"/status\",\"value\":{\"conditions\":[" + NEW_CONDITION + "]}}]"),
                arguments("status without conditions", pod("p").phase("Pending"),
                        "[{\"op\":\"add\",\"path\":\"/status/conditions\",\"value\":[" + NEW_CONDITION + "]}]"),
                arguments("other conditions only", pod("p").condition("Initialized", "True", null, null),
                        "[{\"op\":\"add\",\"path\":\"/status/conditions/-\",\"value\":" + NEW_CONDITION + "}]"),
                arguments("PodScheduled with another message keeps its transition time",
                        pod("p").condition("Initialized", "True", null, null)
                                .condition("PodScheduled", "False", "Unschedulable", "0/2 nodes are available"),
                        "[{\"op\":\"test\",\"path\":\"/status/conditions/1/type\",\"value\":\"PodScheduled\"},"
                                + "{\"op\":\"replace\",\"path\":\"/status/conditions/1\",\"value\":"
                                + NEW_CONDITION.replace("2024-05-01T12:00:00Z", "2024-05-01T10:00:01Z") + "}]"),
                arguments("PodScheduled True turning False gets a new transition time",
                        pod("p").condition("PodScheduled", "True", null, null),
                        "[{\"op\":\"test\",\"path\":\"/status/conditions/0/type\",\"value\":\"PodScheduled\"},"
                                + "{\"op\":\"replace\",\"path\":\"/status/conditions/0\",\"value\":" + NEW_CONDITION + "}]"),
                arguments("already showing the verdict", pod("p")
                        .condition("PodScheduled", "False", "Unschedulable", "0/3 nodes are available"), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("patches")
    void patchFor(String name, PodObjects pod, String expected) {
        assertThat(writer.patchFor(pod.build(), NO_FIT)).isEqualTo(expected);
    }
}
