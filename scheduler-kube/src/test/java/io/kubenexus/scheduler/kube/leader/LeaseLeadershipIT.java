package io.kubenexus.scheduler.kube.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubenexus.scheduler.kube.embedded.EmbeddedKubernetesApi;
import io.kubenexus.scheduler.kube.testing.LeaseThief;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Lease's owner against the embedded API: terms, a lost Lease, and the bind gate. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LeaseLeadershipIT {
    private static final String NS = "kube-system";
    private static final String LEASE = "kubenexus-scheduler";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private EmbeddedKubernetesApi api;
    private LeaseThief thief;
    private LeaseLeadership leadership;
    private final List<Boolean> heard = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startApi() {
        api = new EmbeddedKubernetesApi();
        thief = new LeaseThief(api.client(), NS, LEASE);
    }

    @AfterEach
    void stop() {
        if (leadership != null) {
            leadership.close();
        }
        api.close();
    }

    private LeaseLeadership start(LostLeasePolicy policy) {
        LeaderElectionSettings settings = new LeaderElectionSettings(true, NS, LEASE, "replica-a",
                Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(300), policy);
        leadership = new LeaseLeadership(api.newClient(), settings, heard::add, Clock.systemUTC());
        leadership.start();
        await().atMost(WAIT).until(() -> leadership.leadership().state() == Leadership.State.LEADING);
        return leadership;
    }

    @Test
    void aStolenLeaseIsLostThenTakenBackWhenItExpiresInANewTerm() {
        LeaseLeadership replica = start(LostLeasePolicy.STANDBY);
        long firstTerm = replica.term();
        assertThat(replica.isOpen(firstTerm)).isTrue();

        thief.steal("thief");

        await().atMost(WAIT).until(() -> replica.leadership().state() == Leadership.State.STANDBY);
        assertThat(replica.isOpen(firstTerm)).as("binds of the lost term are refused").isFalse();
        assertThat(replica.leadership().leasesLost()).isOne();
        assertThat(heard).containsExactly(true, false);

        // The thief never renews: after the lease duration the replica holds the Lease again.
        await("the replica leads again once the stolen Lease expired").atMost(WAIT)
                .until(() -> replica.leadership().state() == Leadership.State.LEADING);
        assertThat(thief.holder()).isEqualTo("replica-a");
        assertThat(heard).containsExactly(true, false, true);
        assertThat(replica.leadership().acquisitions()).isEqualTo(2);
        assertThat(replica.leadership().leasesLost()).isOne();
        assertThat(replica.term()).isNotEqualTo(firstTerm);
        assertThat(replica.isOpen(firstTerm)).as("a bind decided in the first term stays refused").isFalse();
        assertThat(replica.isOpen(replica.term())).isTrue();
        assertThat(replica.exitRequested().toCompletableFuture()).isNotDone();
    }

    @Test
    void withTheExitPolicyALostLeaseStopsForGoodAndAsksTheProcessToExit() throws Exception {
        LeaseLeadership replica = start(LostLeasePolicy.EXIT);

        thief.steal("thief");

        String reason = replica.exitRequested().toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertThat(reason).isEqualTo("replica-a lost lease kube-system/kubenexus-scheduler; exiting "
                + "(leaderElection.onLostLease: exit) so that the process is restarted");
        assertThat(replica.leadership().state()).isEqualTo(Leadership.State.STOPPED);
        assertThat(replica.leadership().ready()).isFalse();
        assertThat(replica.isOpen(replica.term())).isFalse();
        // Well past the thief's expiry, nobody took the Lease back.
        Thread.sleep(3000);
        assertThat(thief.holder()).isEqualTo("thief");
        assertThat(heard).containsExactly(true, false);
    }

    @Test
    void closingGivesTheLeaseUpWithoutCountingALoss() {
        LeaseLeadership replica = start(LostLeasePolicy.STANDBY);
        long term = replica.term();

        replica.close();

        await().atMost(WAIT).until(() -> heard.size() == 2);
        assertThat(heard).containsExactly(true, false);
        assertThat(replica.leadership().state()).isEqualTo(Leadership.State.STOPPED);
        assertThat(replica.leadership().leasesLost()).isZero();
        assertThat(replica.isOpen(term)).isFalse();
        // Released for a standby: cut to one second (the embedded API keeps the old holder's name).
        assertThat(api.client().leases().inNamespace(NS).withName(LEASE).get().getSpec().getLeaseDurationSeconds())
                .isEqualTo(1);
        assertThat(replica.exitRequested().toCompletableFuture()).isNotDone();
    }

    @Test
    void withoutElectionTheReplicaLeadsAtOnceUntilClosed() {
        leadership = new LeaseLeadership(api.newClient(), LeaderElectionSettings.disabled(), heard::add, Clock.systemUTC());
        assertThat(leadership.leadership().state()).isEqualTo(Leadership.State.STOPPED);

        leadership.start();

        assertThat(leadership.leadership().state()).isEqualTo(Leadership.State.LEADING);
        assertThat(leadership.isOpen(leadership.term())).isTrue();
        assertThat(heard).containsExactly(true);
        leadership.close();
        assertThat(leadership.isOpen(leadership.term())).isFalse();
    }
}
