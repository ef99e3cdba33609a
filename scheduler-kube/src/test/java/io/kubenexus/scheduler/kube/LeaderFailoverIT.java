package io.kubenexus.scheduler.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenexus.scheduler.gang.group.GangSettings;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.ports.BindOutcome;
import io.kubenexus.scheduler.core.ports.BindResult;
import io.kubenexus.scheduler.core.ports.Binder;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.kube.embedded.EmbeddedKubernetesApi;
import io.kubenexus.scheduler.kube.testing.SparkSubmitObjects;
import io.kubenexus.scheduler.kube.leader.LeaderElectionSettings;
import io.kubenexus.scheduler.kube.leader.Leadership;
import io.kubenexus.scheduler.kube.embedded.ApiPartition;
import io.kubenexus.scheduler.kube.testing.LeaseThief;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two replicas against one API; the leader is killed in the middle of the work (cut off from the
 * API without releasing the Lease, see {@link ApiPartition}), so the standby takes over only when
 * the Lease expires. Whatever the leader got done, the new leader finishes the rest: every pod's
 * binding succeeds exactly once, whoever sent it; no gang is left partly bound; a bound Spark
 * driver gets room held again for every executor not bound yet.
 */
class LeaderFailoverIT {
    private static final String NS = "failover";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String LEASE_NAMESPACE = "kube-system";
    private static final String LEASE = "kubenexus-scheduler";

    private EmbeddedKubernetesApi api;
    private KubernetesClient client;
    private SparkSubmitObjects objects;
    private final List<KubeScheduler> schedulers = new ArrayList<>();
    private final List<KubernetesClient> ownClients = new ArrayList<>();
    /** Successful binding calls per pod name, by any replica (or a late request of a dead one). */
    private final Map<String, AtomicInteger> successfulBinds = new ConcurrentHashMap<>();

    @BeforeEach
    void startApi() {
        api = new EmbeddedKubernetesApi();
        client = api.client();
        objects = new SparkSubmitObjects(client, NS);
    }

    @AfterEach
    void stop() {
        // Watches before the API; the dead replica's client is ours to close.
        schedulers.forEach(KubeScheduler::close);
        ownClients.forEach(KubernetesClient::close);
        api.close();
    }

    // ------------------------------------------------------------------ gangs

    /** How the leader dies in the middle of binding a gang of six. */
    enum GangDeath {
        /** Three members bound; the leader dies before sending the fourth bind. */
        BEFORE_THE_FOURTH_BIND,
        /** The fourth bind reached the API and bound the pod, but the leader died before hearing. */
        AFTER_THE_FOURTH_BIND_BEFORE_ITS_ANSWER,
        /**
         * The fourth bind was in flight when the leader died and reaches the API only after the new
         * leader bound it too: the new leader's own bind of that pod gets a 409.
         */
        WITH_THE_FOURTH_BIND_LANDING_LATE
    }

    static Stream<Arguments> gangDeaths() {
        return Stream.of(GangDeath.values()).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gangDeaths")
    void aGangWhoseLeaderDiesBetweenBindsIsFinishedByTheNewLeaderBindingEachMemberOnce(GangDeath death) {
        for (int i = 0; i < 3; i++) {
            objects.createNode("node-" + i, "4");
        }
        ApiPartition partition = new ApiPartition();
        AtomicInteger leaderBinds = new AtomicInteger();
        /** The fourth member's bind, sent by the dead leader and still travelling. */
        CompletableFuture<String> lateBind = new CompletableFuture<>();
        KubeScheduler leader = startReplica("replica-a", partition, real -> (pod, node) -> {
            int n = leaderBinds.incrementAndGet();
            if (n < 4) {
                // One after another, so the death falls between two binds.
                return CompletableFuture.completedFuture(real.bind(pod, node).toCompletableFuture().join());
            }
            if (n == 4) {
                switch (death) {
                    case BEFORE_THE_FOURTH_BIND -> partition.sever();
                    case AFTER_THE_FOURTH_BIND_BEFORE_ITS_ANSWER -> {
                        real.bind(pod, node).toCompletableFuture().join();
                        partition.sever();
                        return CompletableFuture.completedFuture(BindResult.of(BindOutcome.FAILED, "connection reset"));
                    }
                    case WITH_THE_FOURTH_BIND_LANDING_LATE -> {
                        lateBind.complete(pod.key().name());
                        partition.sever();
                    }
                }
            }
            return real.bind(pod, node);
        });
        await().atMost(WAIT).until(() -> leader.leadership().state() == Leadership.State.LEADING);
        AtomicBoolean landed = new AtomicBoolean();
        KubeScheduler standby = startReplica("replica-b", null, real -> (pod, node) -> {
            if (pod.key().name().equals(lateBind.getNow(null)) && landed.compareAndSet(false, true)) {
                // The dead leader's request lands now, just before this leader's bind of the same
                // pod, on the node this leader chose (on another node it could overcommit one: see
                // docs/architecture.md, leader election).
                bindAsTheDeadLeader(pod.key().name(), node);
            }
            return real.bind(pod, node);
        });

        for (int i = 0; i < 6; i++) {
            createGangMember("worker-" + i, "mpi", 6, "2");
        }

        await().atMost(WAIT).until(partition::severed);
        await().atMost(WAIT).until(() -> standby.leadership().state() == Leadership.State.LEADING);
        await().atMost(WAIT).until(() -> pods().stream().allMatch(p -> p.getSpec().getNodeName() != null));

        assertThat(pods()).hasSize(6);
        assertThat(successfulBinds.keySet()).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, 6).mapToObj(i -> "worker-" + i).toList());
        assertThat(successfulBinds).allSatisfy((pod, count) -> assertThat(count.get()).as(pod).isOne());
        assertThat(cpuPerNode().values()).allSatisfy(milli -> assertThat(milli).isLessThanOrEqualTo(4000));
        int boundByTheDeadLeader = death == GangDeath.AFTER_THE_FOURTH_BIND_BEFORE_ITS_ANSWER ? 4 : 3;
        assertThat(standby.stats().scheduled()).isEqualTo(6 - boundByTheDeadLeader
                - (death == GangDeath.WITH_THE_FOURTH_BIND_LANDING_LATE ? 1 : 0));
        if (death == GangDeath.WITH_THE_FOURTH_BIND_LANDING_LATE) {
            assertThat(landed).isTrue();
            assertThat(standby.stats().bindConflicts()).as("the late bind's 409, taken as bound").isOne();
        }
        assertThat(new LeaseThief(client, LEASE_NAMESPACE, LEASE).holder()).isEqualTo("replica-b");
        // The dead leader noticed, and competes again (in vain: it cannot reach the API).
        await().atMost(WAIT).until(() -> leader.leadership().state() == Leadership.State.STANDBY);
        assertThat(leader.leadership().leasesLost()).isOne();
    }

    // ------------------------------------------------------------------ Spark

    /** How far a driver-first application got when its leader died. */
    enum SparkDeath {
        /** The driver is bound with room held for 4 executors; none exists yet. */
        AFTER_THE_DRIVER(0, 0),
        /** The driver is bound; two executors are created while the leader is dead. */
        AFTER_THE_DRIVER_BEFORE_TWO_EXECUTORS_ARE_CREATED(0, 2),
        /** The driver and executor 1 are bound; the leader dies while binding executor 2. */
        WHILE_BINDING_THE_SECOND_EXECUTOR(1, 1);

        final int executorsBoundBefore;
        final int executorsPendingAtDeath;

        SparkDeath(int executorsBoundBefore, int executorsPendingAtDeath) {
            this.executorsBoundBefore = executorsBoundBefore;
            this.executorsPendingAtDeath = executorsPendingAtDeath;
        }
    }

    static Stream<Arguments> sparkDeaths() {
        return Stream.of(SparkDeath.values()).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sparkDeaths")
    void aSparkDriverBoundBeforeItsLeaderDiedGetsRoomForEveryUnboundExecutorFromTheNewLeader(SparkDeath death) {
        // Room for the driver (1 cpu) and its 4 executors (2 cpu each), and 1 cpu more.
        objects.createNode("node-0", "10");
        ApiPartition partition = new ApiPartition();
        AtomicInteger leaderBinds = new AtomicInteger();
        int dieAtBind = death == SparkDeath.WHILE_BINDING_THE_SECOND_EXECUTOR ? 3 : Integer.MAX_VALUE;
        KubeScheduler leader = startReplica("replica-a", partition, real -> (pod, node) -> {
            if (leaderBinds.incrementAndGet() == dieAtBind) {
                partition.sever();
            }
            return real.bind(pod, node);
        });
        await().atMost(WAIT).until(() -> leader.leadership().state() == Leadership.State.LEADING);
        KubeScheduler standby = startReplica("replica-b", null, UnaryOperator.identity());

        objects.createDriver("etl", 5, "cpu=2,memory=2Gi");
        await().atMost(WAIT).until(() -> objects.nodeOf("etl-driver") != null);
        await().atMost(WAIT).until(() -> leader.stats().reservations() == 4);
        if (death == SparkDeath.WHILE_BINDING_THE_SECOND_EXECUTOR) {
            objects.createExecutor("etl", 1, 5);
            await().atMost(WAIT).until(() -> objects.nodeOf("etl-exec-1") != null);
            objects.createExecutor("etl", 2, 5);
        } else {
            partition.sever();
            for (int i = 1; i <= death.executorsPendingAtDeath; i++) {
                objects.createExecutor("etl", i, 5);
            }
        }
        await().atMost(WAIT).until(partition::severed);
        int created = death.executorsBoundBefore + death.executorsPendingAtDeath;

        await().atMost(WAIT).until(() -> standby.leadership().state() == Leadership.State.LEADING);
        // The executors that exist are bound by the new leader, and room stays held for the rest.
        await().atMost(WAIT).until(() -> IntStream.rangeClosed(1, created).allMatch(i -> objects.nodeOf("etl-exec-" + i) != null));
        await().atMost(WAIT).untilAsserted(() -> assertThat(standby.stats().reservations())
                .as("places held by the new leader for executors %d..4", created + 1).isEqualTo(4 - created));
        // Really held: a pod that would need two of those places does not get them.
        objects.createPlainPod("intruder", "2");
        await().atMost(WAIT).until(() -> events("intruder").stream().anyMatch(e -> "FailedScheduling".equals(e.getReason())));
        assertThat(objects.nodeOf("intruder")).isNull();

        for (int i = created + 1; i <= 4; i++) {
            objects.createExecutor("etl", i, 5);
        }
        await().atMost(WAIT).until(() -> IntStream.rangeClosed(1, 4).allMatch(i -> objects.nodeOf("etl-exec-" + i) != null));
        await().atMost(WAIT).until(() -> standby.stats().reservations() == 0);
        assertThat(successfulBinds.keySet()).containsExactlyInAnyOrder(
                "etl-driver", "etl-exec-1", "etl-exec-2", "etl-exec-3", "etl-exec-4");
        assertThat(successfulBinds).allSatisfy((pod, count) -> assertThat(count.get()).as(pod).isOne());
        assertThat(cpuPerNode().get("node-0")).isEqualTo(9000);
    }

    // ------------------------------------------------------------------ replicas

    /**
     * A replica with a short Lease (3s, renew deadline 2s) whose successful binds are counted;
     * {@code partition} (null for none) is the switch that kills it.
     */
    private KubeScheduler startReplica(String identity, ApiPartition partition, UnaryOperator<Binder> decorator) {
        LeaderElectionSettings election = new LeaderElectionSettings(true, LEASE_NAMESPACE, LEASE, identity,
                Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(500));
        KubernetesClient replicaClient;
        if (partition == null) {
            replicaClient = api.newClient();
        } else {
            replicaClient = partition.client(api.config());
            ownClients.add(replicaClient);
        }
        KubeScheduler scheduler = new KubeScheduler(replicaClient,
                KubeSchedulerOptions.singleReplica(EmbeddedScheduler.FAST_RETRIES).withLeaderElection(election)
                        .withGang(new GangSettings(Duration.ofMinutes(5))),
                Clock.systemUTC(), SchedulerMetrics.NONE, real -> decorator.apply(counting(real)));
        schedulers.add(scheduler);
        scheduler.start().toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
        return scheduler;
    }

    private Binder counting(Binder real) {
        return (PodInfo pod, String node) -> real.bind(pod, node).thenApply(result -> {
            if (result.outcome() == BindOutcome.BOUND) {
                successfulBinds.computeIfAbsent(pod.key().name(), name -> new AtomicInteger()).incrementAndGet();
            }
            return result;
        });
    }

    private void bindAsTheDeadLeader(String pod, String node) {
        client.bindings().inNamespace(NS).resource(new BindingBuilder()
                .withNewMetadata().withName(pod).withNamespace(NS).endMetadata()
                .withNewTarget().withKind("Node").withApiVersion("v1").withName(node).endTarget().build()).create();
        successfulBinds.computeIfAbsent(pod, name -> new AtomicInteger()).incrementAndGet();
    }

    // ------------------------------------------------------------------ objects

        private void createGangMember(String name, String group, int minAvailable, String cpu) {
        client.pods().inNamespace(NS).resource(new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NS)
                .addToLabels("pod-group.scheduling.kubenexus.io/name", group)
                .addToLabels("pod-group.scheduling.kubenexus.io/min-available", Integer.toString(minAvailable))
                .endMetadata()
                .withNewSpec().withSchedulerName("kubenexus-scheduler")
                .addNewContainer().withName("main").withImage("trainer")
                .withNewResources().addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity("1Gi"))
                .endResources().endContainer().endSpec().build()).create();
    }

            // ------------------------------------------------------------------ reading the API

    private List<Pod> pods() {
        return client.pods().inNamespace(NS).list().getItems();
    }

        /** Requested millicores per node, summed from the API's pods with fabric8's quantity arithmetic. */
    private Map<String, Long> cpuPerNode() {
        Map<String, Long> perNode = new HashMap<>();
        for (Pod pod : pods()) {
            if (pod.getSpec().getNodeName() != null) {
                long milli = pod.getSpec().getContainers().stream()
                        .mapToLong(c -> Quantity.getAmountInBytes(c.getResources().getRequests().get("cpu"))
                                .movePointRight(3).longValueExact())
                        .sum();
                perNode.merge(pod.getSpec().getNodeName(), milli, Long::sum);
            }
        }
        return perNode;
    }

    private List<Event> events(String pod) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> pod.equals(e.getInvolvedObject().getName())).toList();
    }
}
