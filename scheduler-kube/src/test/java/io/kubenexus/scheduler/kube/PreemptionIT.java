package io.kubenexus.scheduler.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Single-pod preemption over HTTP against the embedded API: the Eviction API, PodDisruptionBudgets,
 * status.nominatedNodeName and the events, end to end through the informers and the loop.
 */
class PreemptionIT {
    private static final String NS = "batch";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final EmbeddedScheduler embedded = new EmbeddedScheduler();

    @Test
    void aHighPriorityPodPreemptsExactlyTheLowestVictimsItNeedsIsNominatedAndBindsThere() {
        node("node-0", "3");
        running("low-1", "node-0", "1", 1, Map.of());
        running("low-2", "node-0", "1", 2, Map.of());
        running("low-3", "node-0", "1", 3, Map.of());
        embedded.start();

        ours("urgent", "2", 100);

        await().atMost(WAIT).until(() -> "node-0".equals(nodeOf("urgent")));
        assertThat(podNames()).as("exactly the two lowest went").containsExactlyInAnyOrder("low-3", "urgent");
        Pod urgent = embedded.client().pods().inNamespace(NS).withName("urgent").get();
        assertThat(urgent.getStatus().getNominatedNodeName()).isEqualTo("node-0");
        await().atMost(WAIT).untilAsserted(() -> assertThat(eventsBy("Preempted"))
                .containsEntry("low-1", "Preempted by batch/urgent on node node-0")
                .containsEntry("low-2", "Preempted by batch/urgent on node node-0"));
        assertThat(eventsBy("Preempting")).containsKey("urgent");
        assertThat(eventsBy("Nominated")).containsEntry("urgent", "Nominated to node node-0 once the preempted pods have gone");
    }

    @Test
    void aPodTheBudgetProtectsIsSparedWhenAnotherChoiceExists() {
        node("node-a", "2");
        node("node-b", "2");
        running("guarded", "node-a", "2", 1, Map.of("app", "guarded"));
        running("plain", "node-b", "2", 5, Map.of("app", "plain"));
        embedded.client().policy().v1().podDisruptionBudget().inNamespace(NS).resource(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName("guarded").withNamespace(NS).endMetadata()
                .withNewSpec().withMinAvailable(new IntOrString(1))
                .withNewSelector().addToMatchLabels("app", "guarded").endSelector().endSpec()
                .build()).create();
        embedded.start();

        ours("urgent", "2", 100);

        await().atMost(WAIT).until(() -> "node-b".equals(nodeOf("urgent")));
        assertThat(podNames()).containsExactlyInAnyOrder("guarded", "urgent");
    }

    @Test
    void aPodWithPreemptionPolicyNeverWaitsAndSaysSo() {
        node("node-0", "1");
        running("low", "node-0", "1", 1, Map.of());
        embedded.start();

        embedded.client().pods().inNamespace(NS).resource(new PodBuilder(pod("polite", "1", 100))
                .editSpec().withPreemptionPolicy("Never").endSpec().build()).create();

        await().atMost(WAIT).untilAsserted(() -> assertThat(eventsBy("FailedScheduling").get("polite"))
                .contains("preemption: not eligible due to preemptionPolicy=Never"));
        assertThat(podNames()).contains("low");
    }

    private void node(String name, String cpu) {
        embedded.client().nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewStatus().addToAllocatable("cpu", new Quantity(cpu)).addToAllocatable("memory", new Quantity("16Gi"))
                .addToAllocatable("pods", new Quantity("110"))
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build()).create();
    }

    /** A pod of another scheduler, bound and running. */
    private void running(String name, String node, String cpu, int priority, Map<String, String> labels) {
        embedded.client().pods().inNamespace(NS).resource(new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NS).withLabels(labels).endMetadata()
                .withNewSpec().withSchedulerName("default-scheduler").withNodeName(node).withPriority(priority)
                .addNewContainer().withName("main").withImage("app")
                .withNewResources().addToRequests("cpu", new Quantity(cpu)).endResources().endContainer().endSpec()
                .withNewStatus().withPhase("Running").endStatus()
                .build()).create();
    }

    private void ours(String name, String cpu, int priority) {
        embedded.client().pods().inNamespace(NS).resource(pod(name, cpu, priority)).create();
    }

    private static Pod pod(String name, String cpu, int priority) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withSchedulerName("kubenexus-scheduler").withPriority(priority)
                .addNewContainer().withName("main").withImage("app")
                .withNewResources().addToRequests("cpu", new Quantity(cpu)).endResources().endContainer().endSpec()
                .build();
    }

    private String nodeOf(String name) {
        Pod pod = embedded.client().pods().inNamespace(NS).withName(name).get();
        return pod == null ? null : pod.getSpec().getNodeName();
    }

    private Set<String> podNames() {
        return embedded.client().pods().inNamespace(NS).list().getItems().stream()
                .map(pod -> pod.getMetadata().getName()).collect(Collectors.toSet());
    }

    /** The latest event of {@code reason} per pod name: its message. */
    private Map<String, String> eventsBy(String reason) {
        List<Event> events = embedded.client().v1().events().inNamespace(NS).list().getItems();
        return events.stream().filter(e -> reason.equals(e.getReason()))
                .collect(Collectors.toMap(e -> e.getInvolvedObject().getName(), Event::getMessage, (a, b) -> b));
    }
}
