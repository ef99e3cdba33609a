package io.kubenexus.scheduler.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenexus.scheduler.kube.embedded.EmbeddedKubernetesApi;
import io.kubenexus.scheduler.kube.leader.LeaderElectionSettings;
import io.kubenexus.scheduler.kube.leader.Leadership;
import io.kubenexus.scheduler.kube.leader.LostLeasePolicy;
import io.kubenexus.scheduler.kube.testing.LeaseThief;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A single replica whose Lease another identity takes over and then lets expire: with the default
 * policy it stands by, takes the Lease back and binds again; with {@code onLostLease: exit} it stops
 * for good and asks the process to exit.
 */
class LostLeaseIT {
    private static final String NS = "jobs";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private EmbeddedKubernetesApi api;
    private KubernetesClient client;
    private LeaseThief thief;
    private KubeScheduler replica;

    @BeforeEach
    void startApi() {
        api = new EmbeddedKubernetesApi();
        client = api.client();
        thief = new LeaseThief(client, "kube-system", "kubenexus-scheduler");
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-0").endMetadata()
                .withNewStatus().addToAllocatable("cpu", new Quantity("8")).addToAllocatable("memory", new Quantity("32Gi"))
                .addToAllocatable("pods", new Quantity("110")).endStatus().build()).create();
    }

    @AfterEach
    void stop() {
        if (replica != null) {
            replica.close();
        }
        api.close();
    }

    private KubeScheduler start(LostLeasePolicy policy) {
        LeaderElectionSettings election = new LeaderElectionSettings(true, "kube-system", "kubenexus-scheduler",
                "replica-a", Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(500), policy);
        replica = new KubeScheduler(api.newClient(),
                KubeSchedulerOptions.singleReplica(EmbeddedScheduler.FAST_RETRIES).withLeaderElection(election),
                Clock.systemUTC());
        replica.start().toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
        await().atMost(WAIT).until(() -> replica.leadership().state() == Leadership.State.LEADING);
        createPod("before");
        await().atMost(WAIT).until(() -> nodeOf("before") != null);
        return replica;
    }

    @Test
    void aReplicaWhoseLeaseWasTakenStandsByThenLeadsAndBindsAgainWhenTheLeaseExpires() throws InterruptedException {
        KubeScheduler scheduler = start(LostLeasePolicy.STANDBY);

        thief.steal("thief");

        await("the replica stands by after losing the Lease").atMost(WAIT)
                .until(() -> scheduler.leadership().state() == Leadership.State.STANDBY);
        await().atMost(WAIT).until(() -> !scheduler.stats().leader());
        assertThat(scheduler.leadership().ready()).as("a standby is ready").isTrue();
        createPod("during");
        // Time enough for a leader to bind it; then the pod first, the holder second: if the thief
        // still holds the Lease, the pod was not bound while it did.
        Thread.sleep(1000);
        String node = nodeOf("during");
        if ("thief".equals(thief.holder())) {
            assertThat(node).as("nothing is bound while another identity holds the Lease").isNull();
        }

        // The thief never renews: the replica takes the Lease back and binds what came meanwhile.
        await("the replica takes the Lease back and binds the pod created meanwhile").atMost(WAIT)
                .until(() -> nodeOf("during") != null);
        Leadership leadership = scheduler.leadership();
        assertThat(leadership.state()).isEqualTo(Leadership.State.LEADING);
        assertThat(leadership.acquisitions()).isEqualTo(2);
        assertThat(leadership.leasesLost()).isOne();
        assertThat(thief.holder()).isEqualTo("replica-a");
        // The API shows the bind before the loop has taken the bind's answer in: wait for that too.
        await().atMost(WAIT).untilAsserted(() -> assertThat(scheduler.stats().scheduled()).isEqualTo(2));
        assertThat(scheduler.exitRequested().toCompletableFuture()).isNotDone();
    }

    @Test
    void withTheExitPolicyALostLeaseStopsSchedulingAndAsksTheProcessToExit() throws Exception {
        KubeScheduler scheduler = start(LostLeasePolicy.EXIT);

        thief.steal("thief");

        assertThat(scheduler.exitRequested().toCompletableFuture().get(20, TimeUnit.SECONDS))
                .contains("lost lease kube-system/kubenexus-scheduler").contains("leaderElection.onLostLease: exit");
        assertThat(scheduler.leadership().state()).isEqualTo(Leadership.State.STOPPED);
        assertThat(scheduler.leadership().ready()).isFalse();
        await().atMost(WAIT).until(() -> !scheduler.stats().leader());
        createPod("during");
        // Past the thief's expiry (3s) the replica has neither taken the Lease back nor bound anything.
        Thread.sleep(4000);
        assertThat(nodeOf("during")).isNull();
        assertThat(thief.holder()).isEqualTo("thief");
    }

    private void createPod(String name) {
        client.pods().inNamespace(NS).resource(new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withSchedulerName("kubenexus-scheduler")
                .addNewContainer().withName("main").withImage("app")
                .withNewResources().addToRequests("cpu", new Quantity("1")).endResources().endContainer().endSpec()
                .build()).create();
    }

    private String nodeOf(String name) {
        Pod pod = client.pods().inNamespace(NS).withName(name).get();
        return pod == null ? null : pod.getSpec().getNodeName();
    }
}
