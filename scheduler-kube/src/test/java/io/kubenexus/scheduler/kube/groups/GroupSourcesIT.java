package io.kubenexus.scheduler.kube.groups;

import io.kubenexus.scheduler.gang.group.GangSettings;
import io.kubenexus.scheduler.gang.GangPlanner;
import io.kubenexus.scheduler.gang.GangLabels;
import io.kubenexus.scheduler.gang.lifecycle.GangPlugin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSchedulingGroup;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.testing.RecordingEventSink;
import io.kubenexus.scheduler.core.testing.ScriptedBinder;
import io.kubenexus.scheduler.kube.EmbeddedScheduler;
import io.kubenexus.scheduler.kube.KubeScheduler;
import io.kubenexus.scheduler.kube.informers.UpsertRemoveHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PodGroup objects of both APIs sizing real gangs against the embedded API, the scheduler-plugins
 * PodGroup status the leader keeps, and optional CRDs that are not installed.
 *
 * <p>The PodGroups are created before the scheduler starts: {@link KubeScheduler#start()} syncs the
 * group sources before the pods, so the loop knows each group's size before its first decision.
 * (A PodGroup created while the scheduler runs reaches the loop through its own watch, which may
 * deliver it after the first member pod; what the loop does with a member whose PodGroup it has
 * not seen yet is the loop's rule, not exercised here.)
 */
class GroupSourcesIT {
    private static final String NS = "ml";
    private static final String SCHEDULER = "kubenexus-scheduler";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    @RegisterExtension
    final EmbeddedScheduler cluster = new EmbeddedScheduler();
    private KubernetesClient client;
    private KubeScheduler scheduler;

    @BeforeEach
    void client() {
        client = cluster.client();
    }

    private void startScheduler() {
        scheduler = cluster.start();
    }

    @Test
    void schedulerPluginsPodGroupHoldsItsMembersUntilMinMemberExistThenReportsSchedulingRunningAndPendingAgain() {
        createNode("node-0", "8");
        createNode("node-1", "8");
        createSchedulerPluginsPodGroup("train", 3);
        startScheduler();
        createMember("train-0", "train");
        createMember("train-1", "train");

        await().atMost(WAIT).until(() -> phase("train"), "Pending"::equals);
        PodGroupStatusUpdater.PodGroupStatus pending = status("train");
        assertThat(pending.scheduleStartTime()).as("set when first seen with members waiting").isNotNull();
        assertThat(Instant.parse(pending.scheduleStartTime())).isBefore(Instant.now().plusSeconds(1));
        assertThat(members("train")).noneMatch(GroupSourcesIT::isBound);

        createMember("train-2", "train");

        await().atMost(WAIT).until(() -> members("train").stream().allMatch(GroupSourcesIT::isBound));
        // Bound but not yet started by a kubelet: upstream calls that Scheduling.
        await().atMost(WAIT).until(() -> phase("train"), "Scheduling"::equals);
        assertThat(status("train").occupiedBy()).isEqualTo(NS + "/train-job");

        members("train").forEach(pod -> kubeletStarts(pod.getMetadata().getName()));

        await().atMost(WAIT).until(() -> phase("train"), "Running"::equals);
        PodGroupStatusUpdater.PodGroupStatus running = status("train");
        assertThat(running.running()).isEqualTo(3);
        assertThat(running.succeeded()).isZero();
        assertThat(running.failed()).isZero();
        assertThat(running.scheduleStartTime()).as("set once").isEqualTo(pending.scheduleStartTime());
        assertThat(running.occupiedBy()).isEqualTo(NS + "/train-job");

        // The pods are gone (e.g. the Job was deleted): upstream's controller goes back to Pending.
        client.pods().inNamespace(NS).withLabel("scheduling.x-k8s.io/pod-group", "train").delete();

        await().atMost(WAIT).until(() -> phase("train"), "Pending"::equals);
        assertThat(status("train").running()).isZero();
    }

    @Test
    void schedulerPluginsPodGroupWithTooFewMembersBindsNoneAndStaysPending() {
        createNode("node-0", "16");
        createSchedulerPluginsPodGroup("short", 3);
        startScheduler();
        createMember("short-0", "short");
        createMember("short-1", "short");

        await().atMost(WAIT).until(() -> members("short").stream().allMatch(p -> condition(p) != null));
        assertThat(members("short")).allSatisfy(pod -> {
            assertThat(pod.getSpec().getNodeName()).isNull();
            assertThat(condition(pod).getStatus()).isEqualTo("False");
            assertThat(condition(pod).getMessage()).contains("2/3");
        });
        await().atMost(WAIT).until(() -> phase("short"), "Pending"::equals);
        assertThat(status("short").running()).isZero();
        assertThat(status("short").occupiedBy()).as("set only once minMember exist").isNull();
        assertThat(members("short")).noneMatch(GroupSourcesIT::isBound);
    }

    @Test
    void kubernetesPodGroupGangBindsBothMembersOnlyOnceBothExist() {
        // A Kubernetes 1.36 cluster: discovery finds v1alpha2 PodGroups only.
        cluster.api().serveApi("scheduling.k8s.io", "v1alpha2", Map.of("podgroups", "PodGroup", "workloads", "Workload"));
        createNode("node-0", "8");
        client.genericKubernetesResources(GroupSourceInformers.KUBERNETES_POD_GROUPS).inNamespace(NS)
                .resource(YAML.unmarshal("""
                        apiVersion: scheduling.k8s.io/v1alpha2
                        kind: PodGroup
                        metadata: {name: pair, namespace: ml}
                        spec:
                          schedulingPolicy: {gang: {minCount: 2}}
                        """, GenericKubernetesResource.class)).create();
        startScheduler();
        createNativeMember("pair-0", "pair");

        await().atMost(WAIT).until(() -> condition(pod("pair-0")) != null);
        assertThat(pod("pair-0").getSpec().getNodeName()).isNull();
        assertThat(condition(pod("pair-0")).getMessage()).contains("1/2");

        createNativeMember("pair-1", "pair");

        await().atMost(WAIT).until(() -> isBound(pod("pair-0")) && isBound(pod("pair-1")));
    }

    @Test
    void sourcesWhoseCrdIsNotInstalledAreOffWithoutRetryingInATightLoop() throws InterruptedException {
        // Expectations mode with none set: every request, the CRDs' lists included, answers 404.
        KubernetesMockServer bare = new KubernetesMockServer(false);
        bare.init();
        try (KubernetesClient bareClient = bare.createClient()) {
            SchedulerSettings settings = SchedulerSettings.defaults();
            SchedulingLoop loop = GangPlugin.newLoop(settings, SchedulingProfile.defaults(settings), new GangLabels(),
                    new GangPlanner(), GangSettings.defaults(), new ScriptedBinder(),
                    new RecordingEventSink(), SchedulerMetrics.NONE, Clock.systemUTC());
            try (GroupSourceInformers sources = new GroupSourceInformers(bareClient, loop, new PodGroupTranslator(),
                    new SparkApplicationTranslator(), Duration.ofSeconds(5), Duration.ofMinutes(5))) {
                long started = System.nanoTime();
                sources.start().toCompletableFuture().get(10, TimeUnit.SECONDS);

                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("absent sources do not wait for the timeout")
                        .isLessThan(Duration.ofSeconds(4));
                assertThat(sources.watchedSources()).isEmpty();
                int requests = bare.getRequestCount();
                Thread.sleep(1500);
                assertThat(bare.getRequestCount()).as("no retries before the re-check interval").isEqualTo(requests);
                assertThat(requests).as("one probe per source").isEqualTo(3);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new AssertionError(e);
            }
        } finally {
            bare.destroy();
        }
    }

    /**
     * A malformed object of each kind, and a consumer that fails on one PodGroup (a bug), cost those
     * objects only: the others are read at sync and while watched, and the start does not wait for
     * the sync timeout.
     */
    @Test
    void aMalformedObjectOfEachKindAndAFailingConsumerDoNotStopTheOthersFromBeingRead() throws Exception {
        createPodGroup(GroupSourceInformers.SCHEDULER_PLUGINS_POD_GROUPS, "bad-sp", "spec: {minMember: three}");
        createSchedulerPluginsPodGroup("good-sp", 2);
        createSchedulerPluginsPodGroup("thrown-sp", 3);
        createPodGroup(GroupSourceInformers.KUBERNETES_POD_GROUPS, "bad-k8s",
                "spec: {schedulingPolicy: {basic: {}, gang: {minCount: 2}}}");
        createPodGroup(GroupSourceInformers.KUBERNETES_POD_GROUPS, "good-k8s", "spec: {schedulingPolicy: {gang: {minCount: 2}}}");
        createSparkApplication("bad-app", "{cores: many, instances: 2, memory: 1g}");
        createSparkApplication("good-app", "{cores: 1, instances: 2, memory: 1g}");
        SchedulerSettings settings = SchedulerSettings.defaults();
        SchedulingLoop loop = GangPlugin.newLoop(settings, SchedulingProfile.defaults(settings), new GangLabels(),
                    new GangPlanner(), GangSettings.defaults(), new ScriptedBinder(),
                new RecordingEventSink(), SchedulerMetrics.NONE, Clock.systemUTC());
        List<String> consumed = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (GroupSourceInformers sources = new GroupSourceInformers(client, loop, new PodGroupTranslator(),
                new SparkApplicationTranslator(), Duration.ofSeconds(30), Duration.ofMinutes(5))) {
            sources.addSchedulerPluginsPodGroupHandler(UpsertRemoveHandler.of(podGroup -> {
                if (podGroup.getMetadata().getName().equals("thrown-sp")) {
                    throw new IllegalStateException("a bug in a consumer");
                }
            }, podGroup -> { }));
            sources.addSchedulerPluginsPodGroupHandler(UpsertRemoveHandler.of(
                    podGroup -> consumed.add(podGroup.getMetadata().getName()), podGroup -> { }));

            sources.start().toCompletableFuture().get(10, TimeUnit.SECONDS);

            assertThat(consumed).as("every PodGroup reaches every consumer").contains("bad-sp", "good-sp", "thrown-sp");
            assertThat(loopSizes(loop)).as("the readable objects").containsEntry("policies", 3).containsEntry("templates", 1);

            createSchedulerPluginsPodGroup("late-sp", 2);
            createSparkApplication("late-app", "{cores: 2, instances: 1, memory: 2g}");
            await().atMost(WAIT).until(() -> consumed.contains("late-sp"));
            await().atMost(WAIT).until(() -> loopSizes(loop).get("templates") == 2);
            assertThat(loopSizes(loop)).containsEntry("policies", 4);
        }
    }

    private static java.util.Map<String, Integer> loopSizes(SchedulingLoop loop) throws Exception {
        var sizes = loop.bookkeepingSizes();
        loop.runUntilIdle();
        return sizes.get(5, TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------ fixtures

    private void createNode(String name, String cpu) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewStatus().addToAllocatable("cpu", new Quantity(cpu)).addToAllocatable("memory", new Quantity("64Gi"))
                .addToAllocatable("pods", new Quantity("110")).endStatus().build()).create();
    }

    private void createSchedulerPluginsPodGroup(String name, int minMember) {
        client.genericKubernetesResources(GroupSourceInformers.SCHEDULER_PLUGINS_POD_GROUPS).inNamespace(NS)
                .resource(YAML.unmarshal("""
                        apiVersion: scheduling.x-k8s.io/v1alpha1
                        kind: PodGroup
                        metadata: {name: %s, namespace: %s}
                        spec: {minMember: %d, scheduleTimeoutSeconds: 60}
                        """.formatted(name, NS, minMember), GenericKubernetesResource.class)).create();
    }

    private void createPodGroup(ResourceDefinitionContext api, String name, String spec) {
        client.genericKubernetesResources(api).inNamespace(NS).resource(YAML.unmarshal("""
                apiVersion: %s/%s
                kind: PodGroup
                metadata: {name: %s, namespace: %s}
                %s
                """.formatted(api.getGroup(), api.getVersion(), name, NS, spec), GenericKubernetesResource.class)).create();
    }

    private void createSparkApplication(String name, String executor) {
        client.genericKubernetesResources(GroupSourceInformers.SPARK_APPLICATIONS).inNamespace(NS)
                .resource(YAML.unmarshal("""
                        apiVersion: sparkoperator.k8s.io/v1beta2
                        kind: SparkApplication
                        metadata: {name: %s, namespace: %s}
                        spec:
                          type: Scala
                          mode: cluster
                          driver: {cores: 1, memory: 512m}
                          executor: %s
                        """.formatted(name, NS, executor), GenericKubernetesResource.class)).create();
    }

    /** A member of a scheduler-plugins PodGroup, owned (as a Job's pods are) by {@code <group>-job}. */
    private void createMember(String name, String group) {
        client.pods().inNamespace(NS).resource(new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NS)
                .addToLabels("scheduling.x-k8s.io/pod-group", group)
                .addNewOwnerReference().withApiVersion("batch/v1").withKind("Job").withName(group + "-job")
                .withUid("00000000-0000-0000-0000-0000000000aa").withController(true).endOwnerReference()
                .endMetadata()
                .withNewSpec().withSchedulerName(SCHEDULER)
                .addNewContainer().withName("main").withImage("trainer")
                .withNewResources().addToRequests("cpu", new Quantity("2")).addToRequests("memory", new Quantity("1Gi"))
                .endResources().endContainer().endSpec().build()).create();
    }

    /** A member of a Kubernetes PodGroup: joins through spec.schedulingGroup, no label. */
    private void createNativeMember(String name, String group) {
        Pod pod = new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withSchedulerName(SCHEDULER)
                .addNewContainer().withName("main").withImage("worker")
                .withNewResources().addToRequests("cpu", new Quantity("1")).addToRequests("memory", new Quantity("1Gi"))
                .endResources().endContainer().endSpec().build();
        pod.getSpec().setSchedulingGroup(new PodSchedulingGroup(group));
        client.pods().inNamespace(NS).resource(pod).create();
    }

    /** What the kubelet does once the containers run. */
    private void kubeletStarts(String podName) {
        client.pods().inNamespace(NS).withName(podName).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Running\"}}");
    }

    private PodGroupStatusUpdater.PodGroupStatus status(String podGroup) {
        ResourceDefinitionContext context = GroupSourceInformers.SCHEDULER_PLUGINS_POD_GROUPS;
        return PodGroupStatusUpdater.statusOf(client.genericKubernetesResources(context).inNamespace(NS).withName(podGroup).get());
    }

    private String phase(String podGroup) {
        return status(podGroup).phase();
    }

    private Pod pod(String name) {
        return client.pods().inNamespace(NS).withName(name).get();
    }

    private List<Pod> members(String group) {
        return client.pods().inNamespace(NS).withLabel("scheduling.x-k8s.io/pod-group", group).list().getItems();
    }

    private static boolean isBound(Pod pod) {
        return pod.getSpec().getNodeName() != null;
    }

    private static PodCondition condition(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream().filter(c -> "PodScheduled".equals(c.getType())).findFirst()
                .orElse(null);
    }
}
