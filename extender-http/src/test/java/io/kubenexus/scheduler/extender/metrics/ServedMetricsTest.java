package io.kubenexus.scheduler.extender.metrics;

import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.BindOutcome;
import io.kubenexus.scheduler.core.queue.QueueingEvents;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.testing.HeldBinder;
import io.kubenexus.scheduler.core.testing.MutableClock;
import io.kubenexus.scheduler.core.testing.RecordingEventSink;
import io.kubenexus.scheduler.core.testing.ScriptedBinder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a scrape serves after a real scheduling loop has run: kube-scheduler's families with its
 * names, types and label sets next to ours, and capacity per resource and node pool.
 */
class ServedMetricsTest {
    static final String POOL_LABEL = "example.com/pool";
    private static final String PROFILE = "profile=\"kubenexus-scheduler\"";

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final SchedulerSettings settings = SchedulerSettings.defaults();
    private final ScriptedBinder binder = new ScriptedBinder();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SchedulingLoop loop = new SchedulingLoop(settings, SchedulingProfile.defaults(settings), binder,
            new RecordingEventSink(), new MicrometerSchedulerMetrics(registry, settings.schedulerName()), clock);

    private ScrapedMetrics scrape() {
        return ScrapedMetrics.parse(registry.scrape());
    }

    /**
     * Four pools of room: gpu and cpu get pools of their own (max 2), a node without the label is in
     * "none", a third label value goes to "other". A pod whose first bind fails, one that binds at once
     * and one too big for any node; then a larger node arrives.
     */
    static void drive(SchedulingLoop loop, ScriptedBinder binder, MutableClock clock) {
        loop.onLeadershipChanged(true);
        loop.onCachesSynced();
        loop.onNodeUpserted(node("gpu-a").label(POOL_LABEL, "gpu").cpu(8).gpus(4).capacity("cpu", 10_000).build());
        loop.onNodeUpserted(node("cpu-b").label(POOL_LABEL, "cpu").cpu(4).build());
        loop.onNodeUpserted(node("plain-c").cpu(2).build());
        loop.onNodeUpserted(node("spot-d").label(POOL_LABEL, "spot").cpu(2).build());
        binder.thenAnswer(BindOutcome.FAILED);
        loop.onPodUpserted(pod("flaky").cpu(1).nodeSelector(POOL_LABEL, "cpu").build());
        loop.onPodUpserted(pod("p1").cpu(1).nodeSelector(POOL_LABEL, "gpu").build());
        loop.onPodUpserted(pod("big").cpu(16).build());
        loop.runUntilIdle();
    }

    static void addLargeNode(SchedulingLoop loop, MutableClock clock) {
        clock.advance(Duration.ofSeconds(5));
        loop.onNodeUpserted(node("cpu-e").label(POOL_LABEL, "cpu").cpu(32).build());
        loop.runUntilIdle();
    }

    @BeforeEach
    void bindCapacity() {
        new ClusterCapacityMetrics(loop::view, POOL_LABEL, 2).bindTo(registry);
    }

    @Test
    void familiesHaveKubeSchedulersNamesTypesAndLabels() {
        drive(loop, binder, clock);
        addLargeNode(loop, clock);
        ScrapedMetrics s = scrape();

        Map<String, String> expected = Map.ofEntries(
                Map.entry("scheduler_schedule_attempts_total", "counter"),
                Map.entry("scheduler_scheduling_attempt_duration_seconds", "histogram"),
                Map.entry("scheduler_pending_pods", "gauge"),
                Map.entry("scheduler_pod_scheduling_sli_duration_seconds", "histogram"),
                Map.entry("scheduler_queue_incoming_pods_total", "counter"),
                Map.entry("scheduler_preemption_attempts_total", "counter"),
                Map.entry("kubenexus_schedule_attempts_total", "counter"),
                Map.entry("kubenexus_scheduling_attempt_duration_seconds", "histogram"),
                Map.entry("kubenexus_pending_pods", "gauge"),
                Map.entry("kubenexus_cluster_capacity", "gauge"),
                Map.entry("kubenexus_cluster_allocatable", "gauge"),
                Map.entry("kubenexus_cluster_requested", "gauge"),
                Map.entry("kubenexus_cluster_reserved", "gauge"));
        expected.forEach((family, type) -> assertThat(s.types()).as(family).containsEntry(family, type));
        assertThat(s.types()).doesNotContainKeys("kubenexus_cluster_allocated");

        assertThat(s.familyLabelNames("scheduler_schedule_attempts_total")).containsExactly("profile", "result");
        assertThat(s.familyLabelNames("scheduler_scheduling_attempt_duration_seconds"))
                .containsExactly("le", "profile", "result");
        assertThat(s.familyLabelNames("scheduler_pending_pods")).containsExactly("queue");
        assertThat(s.familyLabelNames("scheduler_pod_scheduling_sli_duration_seconds")).containsExactly("attempts", "le");
        assertThat(s.familyLabelNames("scheduler_queue_incoming_pods_total")).containsExactly("event", "queue");
        assertThat(s.familyLabelNames("scheduler_preemption_attempts_total")).isEmpty();
        for (String family : new String[] {"capacity", "allocatable", "requested", "reserved"}) {
            assertThat(s.familyLabelNames("kubenexus_cluster_" + family)).containsExactly("pool", "resource");
        }
        assertThat(s.labelValues("scheduler_pending_pods", "queue"))
                .containsExactlyInAnyOrder("active", "backoff", "unschedulable", "gated");
        assertThat(s.labelValues("scheduler_schedule_attempts_total", "result"))
                .containsExactlyInAnyOrder("scheduled", "unschedulable", "error");
        assertThat(s.labelValues("scheduler_schedule_attempts_total", "profile")).containsExactly("kubenexus-scheduler");
        // kube-scheduler's bucket layouts: ExponentialBuckets(0.001, 2, 15) and (0.01, 2, 20), plus +Inf.
        assertThat(s.labelValues("scheduler_scheduling_attempt_duration_seconds_bucket", "le"))
                .hasSize(16).contains("0.001", "0.002", "0.512", "16.384", "+Inf");
        assertThat(s.labelValues("scheduler_pod_scheduling_sli_duration_seconds_bucket", "le"))
                .hasSize(21).contains("0.01", "0.02", "10.24", "5242.88", "+Inf");
        assertThat(s.get("scheduler_preemption_attempts_total")).isZero();
    }

    @Test
    void oneAttemptCallFeedsBothNames() {
        drive(loop, binder, clock);
        addLargeNode(loop, clock);
        ScrapedMetrics s = scrape();

        // flaky twice (its first bind failed), p1, big once the large node came; big's first try failed.
        for (String[] row : new String[][] {{"scheduled", "4.0"}, {"unschedulable", "1.0"}, {"error", "0.0"}}) {
            double count = Double.parseDouble(row[1]);
            assertThat(s.get("scheduler_schedule_attempts_total{" + PROFILE + ",result=\"" + row[0] + "\"}"))
                    .isEqualTo(count);
            assertThat(s.get("kubenexus_schedule_attempts_total{result=\"" + row[0] + "\"}")).isEqualTo(count);
            assertThat(s.get("scheduler_scheduling_attempt_duration_seconds_count{" + PROFILE + ",result=\""
                    + row[0] + "\"}")).isEqualTo(count);
        }
    }

    @Test
    void pendingPodsByQueueWithGatedAtZero() {
        drive(loop, binder, clock);
        ScrapedMetrics s = scrape();

        for (String prefix : new String[] {"scheduler", "kubenexus"}) {
            assertThat(s.get(prefix + "_pending_pods{queue=\"active\"}")).isZero();
            assertThat(s.get(prefix + "_pending_pods{queue=\"backoff\"}")).as("flaky's bind failed").isEqualTo(1.0);
            assertThat(s.get(prefix + "_pending_pods{queue=\"unschedulable\"}")).as("big").isEqualTo(1.0);
        }
        assertThat(s.get("scheduler_pending_pods{queue=\"gated\"}")).isZero();
        assertThat(s.has("kubenexus_pending_pods{queue=\"gated\"}")).isFalse();
    }

    @Test
    void theSliIsRecordedOncePerBoundPodWithItsAttempts() {
        drive(loop, binder, clock);
        addLargeNode(loop, clock);
        // The informer reports the bound pods after their binds answered: nothing more is recorded.
        binder.bindings().forEach((name, node) -> loop.onPodUpserted(pod(name).cpu(1).boundTo(node).build()));
        loop.runUntilIdle();
        ScrapedMetrics s = scrape();

        String sli = "scheduler_pod_scheduling_sli_duration_seconds";
        assertThat(s.get(sli + "_count{attempts=\"1\"}")).as("p1").isEqualTo(1.0);
        assertThat(s.get(sli + "_sum{attempts=\"1\"}")).isZero();
        assertThat(s.get(sli + "_count{attempts=\"2\"}")).as("flaky and big").isEqualTo(2.0);
        assertThat(s.get(sli + "_sum{attempts=\"2\"}")).as("5 s each, from first entering the queue").isEqualTo(10.0);
        assertThat(s.get(sli + "_bucket{attempts=\"2\",le=\"2.56\"}")).isZero();
        assertThat(s.get(sli + "_bucket{attempts=\"2\",le=\"5.12\"}")).isEqualTo(2.0);
        assertThat(s.labelValues(sli + "_count", "attempts")).containsExactlyInAnyOrder("1", "2");
    }

    @Test
    void theSliIsRecordedWhenTheInformerSeesTheBindBeforeItsAnswer() {
        // A binder that never answers: only the informer tells the loop the pod is bound.
        HeldBinder held = new HeldBinder();
        PrometheusMeterRegistry own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SchedulingLoop heldLoop = new SchedulingLoop(settings, SchedulingProfile.defaults(settings), held,
                new RecordingEventSink(), new MicrometerSchedulerMetrics(own, settings.schedulerName()), clock);
        heldLoop.onLeadershipChanged(true);
        heldLoop.onCachesSynced();
        heldLoop.onNodeUpserted(node("a").build());
        heldLoop.onPodUpserted(pod("p").cpu(1).build());
        heldLoop.runUntilIdle();
        clock.advance(Duration.ofSeconds(2));
        heldLoop.onPodUpserted(pod("p").cpu(1).boundTo("a").build());
        heldLoop.runUntilIdle();
        held.take("p").answer(BindOutcome.BOUND); // the late answer records nothing more
        heldLoop.runUntilIdle();

        ScrapedMetrics s = ScrapedMetrics.parse(own.scrape());
        assertThat(s.get("scheduler_pod_scheduling_sli_duration_seconds_count{attempts=\"1\"}")).isEqualTo(1.0);
        assertThat(s.get("scheduler_pod_scheduling_sli_duration_seconds_sum{attempts=\"1\"}")).isEqualTo(2.0);
    }

    @Test
    void incomingPodsByEventAndQueue() {
        drive(loop, binder, clock);
        addLargeNode(loop, clock);
        ScrapedMetrics s = scrape();

        Set<String> counted = new TreeSet<>();
        for (String series : s.series()) {
            if (series.startsWith("scheduler_queue_incoming_pods_total{") && s.get(series) > 0) {
                counted.add(series.substring(series.indexOf('{')) + " " + s.get(series));
            }
        }
        assertThat(counted).containsExactlyInAnyOrder(
                "{event=\"UnschedulablePodAdd\",queue=\"active\"} 3.0",
                "{event=\"ScheduleAttemptFailure\",queue=\"backoff\"} 1.0",
                "{event=\"ScheduleAttemptFailure\",queue=\"unschedulable\"} 1.0",
                "{event=\"BackoffComplete\",queue=\"active\"} 1.0",
                "{event=\"NodeAdd\",queue=\"active\"} 1.0");
        assertThat(s.labelValues("scheduler_queue_incoming_pods_total", "event"))
                .isSubsetOf(QueueingEvents.ALL);
    }

    @Test
    void capacityPerResourceAndPoolWithOverflowToOther() {
        drive(loop, binder, clock);
        addLargeNode(loop, clock);
        scrape(); // a pool or resource first seen registers its series during this scrape
        ScrapedMetrics s = scrape();

        assertThat(s.labelValues("kubenexus_cluster_allocatable", "pool"))
                .containsExactlyInAnyOrder("gpu", "cpu", "none", "other");
        assertThat(s.labelValues("kubenexus_cluster_allocatable", "resource"))
                .containsExactlyInAnyOrder("cpu", "memory", "pods", "ephemeral-storage", "nvidia.com/gpu");
        assertThat(s.get(series("capacity", "gpu", "cpu"))).as("status.capacity").isEqualTo(10.0);
        assertThat(s.get(series("allocatable", "gpu", "cpu"))).isEqualTo(8.0);
        assertThat(s.get(series("allocatable", "cpu", "cpu"))).as("cpu-b and cpu-e").isEqualTo(36.0);
        assertThat(s.get(series("capacity", "cpu", "cpu"))).as("capacity reads as allocatable").isEqualTo(36.0);
        assertThat(s.get(series("allocatable", "none", "cpu"))).isEqualTo(2.0);
        assertThat(s.get(series("allocatable", "other", "cpu"))).as("spot, beyond 2 pools").isEqualTo(2.0);
        assertThat(s.get(series("allocatable", "gpu", "nvidia.com/gpu"))).isEqualTo(4.0);
        assertThat(s.get(series("allocatable", "cpu", "nvidia.com/gpu"))).isZero();
        assertThat(s.get(series("requested", "gpu", "cpu"))).as("p1").isEqualTo(1.0);
        assertThat(s.get(series("requested", "cpu", "cpu"))).as("flaky and big, assumed").isEqualTo(17.0);
        assertThat(s.get(series("requested", "gpu", "pods"))).isEqualTo(1.0);
        assertThat(s.get(series("reserved", "cpu", "cpu"))).isZero();
        assertThat(s.allLabelValues()).noneMatch(v -> v.equals("spot") || v.endsWith("-a") || v.endsWith("-b")
                || v.equals("flaky") || v.equals("big"));
    }

    @Test
    void withoutAPoolLabelEveryNodeIsInPoolEmpty() {
        PrometheusMeterRegistry own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ClusterCapacityMetrics(loop::view).bindTo(own);
        drive(loop, binder, clock);
        own.scrape();

        ScrapedMetrics s = ScrapedMetrics.parse(own.scrape());
        assertThat(s.labelValues("kubenexus_cluster_capacity", "pool")).containsExactly("");
        assertThat(s.get(series("allocatable", "", "cpu"))).isEqualTo(16.0);
        assertThat(s.get(series("capacity", "", "cpu"))).isEqualTo(18.0);
    }

    @Test
    void poolsThatComeAndGoKeepTheirPlacesAndTheSeriesStayBounded() {
        ClusterState state = new ClusterState();
        PrometheusMeterRegistry own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ClusterCapacityMetrics(state::lastPublished, POOL_LABEL, 2).bindTo(own);
        state.upsertNode(node("a1").label(POOL_LABEL, "a").cpu(1).build());
        state.upsertNode(node("b1").label(POOL_LABEL, "b").cpu(2).build());
        state.upsertNode(node("c1").label(POOL_LABEL, "c").cpu(4).build());
        state.publish();
        own.scrape();
        int seriesWithThreePools = ScrapedMetrics.parse(own.scrape()).series().size();

        state.removeNode("a1");
        for (int i = 0; i < 50; i++) {
            state.upsertNode(node("n" + i).label(POOL_LABEL, "pool-" + i).cpu(1).build());
            state.publish();
            own.scrape();
        }
        ScrapedMetrics s = ScrapedMetrics.parse(own.scrape());
        assertThat(s.labelValues("kubenexus_cluster_allocatable", "pool")).containsExactlyInAnyOrder("a", "b", "none", "other");
        assertThat(s.series()).hasSize(seriesWithThreePools);
        assertThat(s.get(series("allocatable", "a", "cpu"))).as("a's place is kept, reading 0").isZero();
        assertThat(s.get(series("allocatable", "other", "cpu"))).as("c and the 50 new pools").isEqualTo(54.0);
    }

    @Test
    void reservedCapacityIsTheStandInsAndIsNotCountedAsRequested() {
        ClusterState state = new ClusterState();
        PrometheusMeterRegistry own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ClusterCapacityMetrics(state::lastPublished, POOL_LABEL, 2).bindTo(own);
        state.upsertNode(node("a1").label(POOL_LABEL, "a").cpu(8).build());
        state.upsertPod(pod("running").cpu(1).boundTo("a1").build());
        PodInfo standIn = pod("pi-driver executor 1 (not created yet)").annotation(PodInfo.STAND_IN_ANNOTATION, "true")
                .cpu(2).memoryGi(4).boundTo("a1").build();
        state.assume(standIn);
        state.assume(pod("assumed").cpu(3).boundTo("a1").build());
        state.publish();
        own.scrape();

        ScrapedMetrics s = ScrapedMetrics.parse(own.scrape());
        assertThat(s.get(series("reserved", "a", "cpu"))).isEqualTo(2.0);
        assertThat(s.get(series("reserved", "a", "memory"))).isEqualTo(4.0 * 1024 * 1024 * 1024);
        assertThat(s.get(series("requested", "a", "cpu"))).as("running and assumed, not the stand-in").isEqualTo(4.0);
        assertThat(s.get(series("reserved", "a", "pods"))).isEqualTo(1.0);

        state.forget(standIn.key());
        state.publish();
        s = ScrapedMetrics.parse(own.scrape());
        assertThat(s.get(series("reserved", "a", "cpu"))).isZero();
        assertThat(s.get(series("requested", "a", "cpu"))).isEqualTo(4.0);
    }

    private static String series(String family, String pool, String resource) {
        return "kubenexus_cluster_" + family + "{pool=\"" + pool + "\",resource=\"" + resource + "\"}";
    }
}
