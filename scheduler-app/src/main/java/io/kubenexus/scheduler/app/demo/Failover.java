package io.kubenexus.scheduler.app.demo;

import io.kubenexus.scheduler.app.DemoSummary;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.app.SchedulerReplica;
import io.kubenexus.scheduler.kube.KubeSchedulerOptions;
import io.kubenexus.scheduler.kube.embedded.ApiPartition;
import io.kubenexus.scheduler.kube.embedded.BindLedger;
import io.kubenexus.scheduler.kube.embedded.EmbeddedKubernetesApi;
import io.kubenexus.scheduler.kube.leader.LeaderElectionSettings;
import io.kubenexus.scheduler.kube.leader.Leadership;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * {@code demo --failover}: two replicas of the scheduler compete for one Lease (short durations, so
 * the demo does not wait long); once the API has applied a given number of binds, the leader is cut
 * off the API the way a killed process is (no renewal, no release of the Lease, no more binds, see
 * {@link ApiPartition}), and the standby takes over when the Lease expires. The run's checks then
 * read the standby's books: nothing bound twice, no partial gang, no reservation left, the cache
 * equal to the API.
 */
final class Failover implements AutoCloseable {
    static final String FIRST = "replica-a";
    static final String SECOND = "replica-b";
    private static final String LEASE_NAMESPACE = "kube-system";
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration RENEW = Duration.ofSeconds(2);
    private static final Duration RETRY = Duration.ofMillis(500);

    private final EmbeddedKubernetesApi api;
    private final SchedulerSettings settings;
    private final Clock clock;
    private final ApiPartition partition = new ApiPartition();
    private final CountDownLatch killed = new CountDownLatch(1);
    private final AtomicLong boundBeforeKill = new AtomicLong();
    private volatile Instant killedAt;
    private volatile Instant takenOverAt;
    private SchedulerReplica first;
    private SchedulerReplica standby;
    private Thread killer;

    Failover(EmbeddedKubernetesApi api, SchedulerSettings settings, Clock clock) {
        this.api = api;
        this.settings = settings;
        this.clock = clock;
    }

    /** The replica that leads first, on a client {@link #killLeaderAfter} can cut off. */
    SchedulerReplica first() {
        first = SchedulerReplica.create(api.newClientUnderFaults(partition), options(FIRST), clock, EmbeddedClusterDemo.METRICS);
        return first;
    }

    /** Once the first leads: the second replica starts, syncs and stands by. */
    void startStandby(PrintStream progress) throws InterruptedException, ExecutionException, TimeoutException {
        await(() -> first.scheduler().leadership().state() == Leadership.State.LEADING, Duration.ofSeconds(15),
                "replica " + FIRST + " to lead");
        standby = SchedulerReplica.create(api.newClientUnderFaults(), options(SECOND), clock, EmbeddedClusterDemo.METRICS);
        standby.scheduler().start().toCompletableFuture().get(30, TimeUnit.SECONDS);
        progress.printf("demo: failover: %s leads, %s stands by (Lease %s, renew deadline %s)%n", FIRST, SECOND,
                LEASE.toSeconds() + "s", RENEW.toSeconds() + "s");
    }

    /** In the background: when the API has applied {@code binds} binds, the leader is cut off. */
    void killLeaderAfter(BindLedger ledger, long binds, PrintStream progress) {
        killer = new Thread(() -> {
            try {
                while (ledger.applied() < binds) {
                    Thread.sleep(20);
                }
                boundBeforeKill.set(ledger.applied());
                partition.sever();
                killedAt = clock.instant();
                progress.printf("demo: failover: %s cut off the API after %d binds (the Lease is not released)%n",
                        FIRST, boundBeforeKill.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                killed.countDown();
            }
        }, "demo-failover");
        killer.setDaemon(true);
        killer.start();
    }

    /** Waits for the kill (it may come after the pods are created) and for the standby to lead. */
    void awaitTakeover(Duration timeout, PrintStream progress) throws InterruptedException {
        if (!killed.await(timeout.toMillis(), TimeUnit.MILLISECONDS) || killedAt == null) {
            throw new IllegalStateException("failover: the leader was not cut off within " + timeout
                    + " (fewer binds than expected?)");
        }
        await(() -> standby.scheduler().leadership().state() == Leadership.State.LEADING, Duration.ofSeconds(30),
                "replica " + SECOND + " to take the Lease over");
        takenOverAt = clock.instant();
        progress.printf(Locale.ROOT, "demo: failover: %s leads after %.1f s%n", SECOND,
                Duration.between(killedAt, takenOverAt).toMillis() / 1000.0);
    }

    SchedulerReplica standby() {
        return standby;
    }

    DemoSummary.Failover summary() {
        long takeover = killedAt == null || takenOverAt == null ? 0 : Duration.between(killedAt, takenOverAt).toMillis();
        return new DemoSummary.Failover(true, FIRST, SECOND, boundBeforeKill.get(), takeover);
    }

    @Override
    public void close() {
        if (killer != null) {
            killer.interrupt();
        }
        if (standby != null) {
            standby.close();
        }
    }

    private KubeSchedulerOptions options(String identity) {
        return EmbeddedClusterDemo.demoOptions(settings).withLeaderElection(new LeaderElectionSettings(true,
                LEASE_NAMESPACE, "kubenexus-scheduler", identity, LEASE, RENEW, RETRY));
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("failover: timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
