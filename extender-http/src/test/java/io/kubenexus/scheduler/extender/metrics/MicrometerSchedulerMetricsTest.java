package io.kubenexus.scheduler.extender.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kubenexus.scheduler.core.ports.BindOutcome;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MicrometerSchedulerMetricsTest {
    private static final long MS = 1_000_000L;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MicrometerSchedulerMetrics metrics = new MicrometerSchedulerMetrics(registry);

    private ScrapedMetrics scrape() {
        return ScrapedMetrics.parse(registry.scrape());
    }

    @Test
    void publishesEveryMetricUnderItsPrometheusName() {
        assertThat(scrape().names("kubenexus_")).containsExactlyInAnyOrder(
                "kubenexus_schedule_attempts_total",
                "kubenexus_scheduling_attempt_duration_seconds_bucket",
                "kubenexus_scheduling_attempt_duration_seconds_count",
                "kubenexus_scheduling_attempt_duration_seconds_sum",
                "kubenexus_scheduling_attempt_duration_seconds_max",
                "kubenexus_binds_total",
                "kubenexus_bind_duration_seconds_bucket",
                "kubenexus_bind_duration_seconds_count",
                "kubenexus_bind_duration_seconds_sum",
                "kubenexus_bind_duration_seconds_max",
                "kubenexus_pending_pods",
                "kubenexus_gangs_waiting",
                "kubenexus_gang_wait_duration_seconds_bucket",
                "kubenexus_gang_wait_duration_seconds_count",
                "kubenexus_gang_wait_duration_seconds_sum",
                "kubenexus_gang_wait_duration_seconds_max",
                "kubenexus_reserved_capacity",
                "kubenexus_reservations_expired_total",
                "kubenexus_executors_placed_total",
                "kubenexus_starvation_held_room",
                "kubenexus_starvation_backfills_total",
                "kubenexus_preemption_attempts_total",
                "kubenexus_preemption_victims_total",
                "kubenexus_nominated_pods");
    }

    @Test
    void starvationHeldRoomIsPublishedInBaseUnitsAndBackfillsCounted() {
        metrics.starvationHeldRoom("cpu", 12_000);
        metrics.starvationHeldRoom("nvidia.com/gpu", 0); // never held: no series
        metrics.backfilled();
        metrics.backfilled();

        ScrapedMetrics s = scrape();
        assertThat(s.get("kubenexus_starvation_held_room{resource=\"cpu\"}")).isEqualTo(12.0);
        assertThat(s.labelValues("kubenexus_starvation_held_room", "resource")).containsExactlyInAnyOrder("cpu", "memory");
        assertThat(s.get("kubenexus_starvation_backfills_total")).isEqualTo(2.0);

        metrics.starvationHeldRoom("cpu", 0);
        assertThat(scrape().get("kubenexus_starvation_held_room{resource=\"cpu\"}")).isZero();
    }

    @Test
    void countsPreemptionsByResultAndVictimsByKindAlongsideKubeSchedulersCounter() {
        ScrapedMetrics before = scrape();
        assertThat(before.labelValues("kubenexus_preemption_attempts_total", "result"))
                .containsExactlyInAnyOrder("nominated", "waiting", "no_victims", "not_eligible");
        assertThat(before.labelValues("kubenexus_preemption_victims_total", "kind")).containsExactlyInAnyOrder("pod", "gang");

        metrics.preemptionAttempt("nominated");
        metrics.preemptionAttempt("no_victims");
        metrics.preemptionAttempt("nominated");
        metrics.preemptionVictims("pod", 2);
        metrics.preemptionVictims("gang", 1);
        metrics.nominatedPods(3);
        ScrapedMetrics s = scrape();

        assertThat(s.get("kubenexus_preemption_attempts_total{result=\"nominated\"}")).isEqualTo(2.0);
        assertThat(s.get("kubenexus_preemption_attempts_total{result=\"no_victims\"}")).isEqualTo(1.0);
        assertThat(s.get("scheduler_preemption_attempts_total")).isEqualTo(3.0);
        assertThat(s.get("kubenexus_preemption_victims_total{kind=\"pod\"}")).isEqualTo(2.0);
        assertThat(s.get("kubenexus_preemption_victims_total{kind=\"gang\"}")).isEqualTo(1.0);
        assertThat(s.get("kubenexus_nominated_pods")).isEqualTo(3.0);
    }

    @Test
    void countsExecutorsPlacedInTheirReservedPlaceOrElsewhere() {
        metrics.executorPlaced("reserved");
        metrics.executorPlaced("reserved");
        metrics.executorPlaced("elsewhere");
        metrics.executorPlaced("nonsense");
        ScrapedMetrics s = scrape();
        assertThat(s.get("kubenexus_executors_placed_total{place=\"reserved\"}")).isEqualTo(2.0);
        assertThat(s.get("kubenexus_executors_placed_total{place=\"elsewhere\"}")).isEqualTo(1.0);
    }

    @Test
    void registersTheClosedLabelSetsUpFrontAtZero() {
        ScrapedMetrics s = scrape();
        assertThat(s.labelValues("kubenexus_schedule_attempts_total", "result"))
                .containsExactlyInAnyOrder("scheduled", "unschedulable", "error");
        assertThat(s.labelValues("kubenexus_binds_total", "outcome"))
                .containsExactlyInAnyOrder("bound", "already_bound", "pod_gone", "failed");
        assertThat(s.labelValues("kubenexus_pending_pods", "queue"))
                .containsExactlyInAnyOrder("active", "backoff", "unschedulable");
        assertThat(s.labelValues("kubenexus_gang_wait_duration_seconds_count", "result"))
                .containsExactlyInAnyOrder("placed", "abandoned", "timeout");
        assertThat(s.labelValues("kubenexus_reserved_capacity", "resource")).containsExactlyInAnyOrder("cpu", "memory");
        assertThat(s.get("kubenexus_schedule_attempts_total{result=\"error\"}")).isZero();
        assertThat(s.get("kubenexus_reservations_expired_total")).isZero();
        assertThat(s.get("kubenexus_gangs_waiting")).isZero();
    }

    @Test
    void countsAndTimesAttemptsByResult() {
        metrics.attempt("scheduled", 2 * MS);
        metrics.attempt("scheduled", 3 * MS);
        metrics.attempt("unschedulable", 40 * MS);

        ScrapedMetrics s = scrape();
        assertThat(s.get("kubenexus_schedule_attempts_total{result=\"scheduled\"}")).isEqualTo(2.0);
        assertThat(s.get("kubenexus_schedule_attempts_total{result=\"unschedulable\"}")).isEqualTo(1.0);
        assertThat(s.get("kubenexus_schedule_attempts_total{result=\"error\"}")).isZero();
        assertThat(s.get("kubenexus_scheduling_attempt_duration_seconds_count{result=\"scheduled\"}")).isEqualTo(2.0);
        assertThat(s.get("kubenexus_scheduling_attempt_duration_seconds_sum{result=\"scheduled\"}"))
                .isCloseTo(0.005, within(1e-9));
        assertThat(s.get("kubenexus_scheduling_attempt_duration_seconds_max{result=\"unschedulable\"}"))
                .isCloseTo(0.040, within(1e-9));
        // Cumulative buckets: 2 ms and 3 ms both fall in le=0.005, neither in le=0.001.
        assertThat(s.get("kubenexus_scheduling_attempt_duration_seconds_bucket{result=\"scheduled\",le=\"0.001\"}")).isZero();
        assertThat(s.get("kubenexus_scheduling_attempt_duration_seconds_bucket{result=\"scheduled\",le=\"0.0025\"}")).isEqualTo(1.0);
        assertThat(s.get("kubenexus_scheduling_attempt_duration_seconds_bucket{result=\"scheduled\",le=\"0.005\"}")).isEqualTo(2.0);
        assertThat(s.get("kubenexus_scheduling_attempt_duration_seconds_bucket{result=\"scheduled\",le=\"+Inf\"}")).isEqualTo(2.0);
    }

    @Test
    void publishesFixedBucketsSuitedToEachLatency() {
        ScrapedMetrics s = scrape();
        assertThat(s.labelValues("kubenexus_scheduling_attempt_duration_seconds_bucket", "le"))
                .hasSize(17).contains("1.0E-4", "0.001", "0.01", "0.1", "1.0", "10.0", "+Inf");
        assertThat(s.labelValues("kubenexus_bind_duration_seconds_bucket", "le"))
                .hasSize(15).contains("0.001", "0.1", "1.0", "30.0", "+Inf");
        assertThat(s.labelValues("kubenexus_gang_wait_duration_seconds_bucket", "le"))
                .hasSize(14).contains("0.1", "60.0", "300.0", "3600.0", "+Inf");
    }

    @ParameterizedTest(name = "{0} -> outcome=\"{1}\"")
    @CsvSource({
            "BOUND,         bound",
            "ALREADY_BOUND, already_bound",
            "POD_GONE,      pod_gone",
            "FAILED,        failed"})
    void labelsBindsWithTheLowerCaseOutcome(BindOutcome outcome, String label) {
        metrics.bind(outcome, 12 * MS);

        ScrapedMetrics s = scrape();
        assertThat(s.get("kubenexus_binds_total{outcome=\"" + label + "\"}")).isEqualTo(1.0);
        assertThat(s.get("kubenexus_bind_duration_seconds_count{outcome=\"" + label + "\"}")).isEqualTo(1.0);
        assertThat(s.get("kubenexus_bind_duration_seconds_sum{outcome=\"" + label + "\"}")).isCloseTo(0.012, within(1e-9));
        assertThat(s.get("kubenexus_bind_duration_seconds_bucket{outcome=\"" + label + "\",le=\"0.01\"}")).isZero();
        assertThat(s.get("kubenexus_bind_duration_seconds_bucket{outcome=\"" + label + "\",le=\"0.025\"}")).isEqualTo(1.0);
    }

    @Test
    void pendingPodsGaugeHoldsTheLastSizePerQueue() {
        metrics.queueSize("active", 7);
        metrics.queueSize("backoff", 2);
        metrics.queueSize("unschedulable", 30);
        metrics.queueSize("active", 5);

        ScrapedMetrics s = scrape();
        assertThat(s.get("kubenexus_pending_pods{queue=\"active\"}")).isEqualTo(5.0);
        assertThat(s.get("kubenexus_pending_pods{queue=\"backoff\"}")).isEqualTo(2.0);
        assertThat(s.get("kubenexus_pending_pods{queue=\"unschedulable\"}")).isEqualTo(30.0);
    }

    @Test
    void gangMetrics() {
        metrics.groupsWaiting(3);
        metrics.groupWaited("placed", Duration.ofSeconds(4).toNanos());
        metrics.groupWaited("placed", Duration.ofSeconds(45).toNanos());
        metrics.groupWaited("abandoned", Duration.ofMinutes(7).toNanos());
        metrics.reservationsExpired(2);
        metrics.reservationsExpired(0);
        metrics.reservationsExpired(1);

        ScrapedMetrics s = scrape();
        assertThat(s.get("kubenexus_gangs_waiting")).isEqualTo(3.0);
        assertThat(s.get("kubenexus_gang_wait_duration_seconds_count{result=\"placed\"}")).isEqualTo(2.0);
        assertThat(s.get("kubenexus_gang_wait_duration_seconds_sum{result=\"placed\"}")).isCloseTo(49.0, within(1e-6));
        assertThat(s.get("kubenexus_gang_wait_duration_seconds_bucket{result=\"placed\",le=\"5.0\"}")).isEqualTo(1.0);
        assertThat(s.get("kubenexus_gang_wait_duration_seconds_bucket{result=\"placed\",le=\"60.0\"}")).isEqualTo(2.0);
        assertThat(s.get("kubenexus_gang_wait_duration_seconds_bucket{result=\"abandoned\",le=\"300.0\"}")).isZero();
        assertThat(s.get("kubenexus_gang_wait_duration_seconds_bucket{result=\"abandoned\",le=\"600.0\"}")).isEqualTo(1.0);
        assertThat(s.get("kubenexus_reservations_expired_total")).isEqualTo(3.0);
    }

    @Test
    void reservedCapacityIsPublishedInBaseUnits() {
        metrics.reservedCapacity("cpu", 6500);
        metrics.reservedCapacity("memory", 12L * 1024 * 1024 * 1024);
        metrics.reservedCapacity("nvidia.com/gpu", 4);
        metrics.reservedCapacity("ephemeral-storage", 10_000_000_000L);

        ScrapedMetrics s = scrape();
        assertThat(s.get("kubenexus_reserved_capacity{resource=\"cpu\"}")).isEqualTo(6.5);
        assertThat(s.get("kubenexus_reserved_capacity{resource=\"memory\"}")).isEqualTo(12.0 * 1024 * 1024 * 1024);
        assertThat(s.get("kubenexus_reserved_capacity{resource=\"nvidia.com/gpu\"}")).isEqualTo(4.0);
        assertThat(s.get("kubenexus_reserved_capacity{resource=\"ephemeral-storage\"}")).isEqualTo(1.0e10);

        metrics.reservedCapacity("nvidia.com/gpu", 0);
        metrics.reservedCapacity("cpu", 0);
        s = scrape();
        assertThat(s.get("kubenexus_reserved_capacity{resource=\"nvidia.com/gpu\"}")).isZero();
        assertThat(s.get("kubenexus_reserved_capacity{resource=\"cpu\"}")).isZero();
    }

    @Test
    void aResourceNeverReservedGetsNoSeries() {
        // The loop reports every resource column, including ones only a pending pod mentioned.
        metrics.reservedCapacity("example.com/typo", 0);
        metrics.reservedCapacity(null, 5);

        assertThat(scrape().labelValues("kubenexus_reserved_capacity", "resource")).containsExactlyInAnyOrder("cpu", "memory");
    }

    @Test
    void valuesOutsideTheClosedSetsFoldIntoOther() {
        metrics.attempt("pod-a-was-weird", MS);
        metrics.attempt("pod-b-was-weird", MS);
        metrics.queueSize("my-queue", 4);
        metrics.groupWaited("spark-app-123", MS);

        ScrapedMetrics s = scrape();
        assertThat(s.get("kubenexus_schedule_attempts_total{result=\"other\"}")).isEqualTo(2.0);
        assertThat(s.get("kubenexus_pending_pods{queue=\"other\"}")).isEqualTo(4.0);
        assertThat(s.get("kubenexus_gang_wait_duration_seconds_count{result=\"other\"}")).isEqualTo(1.0);
        assertThat(s.allLabelValues()).noneMatch(v -> v.contains("weird") || v.contains("my-queue") || v.contains("spark-app"));
    }

    @Test
    void aThousandDifferentPodsAndGangsAddNoSeries() {
        int before = scrape().series().size();
        Set<String> labelsBefore = scrape().allLabelValues();
        String[] results = {"scheduled", "unschedulable", "error"};
        String[] queues = {"active", "backoff", "unschedulable"};
        BindOutcome[] outcomes = BindOutcome.values();
        for (int pod = 0; pod < 1000; pod++) {
            metrics.attempt(results[pod % 3], (pod % 50) * MS / 10);
            metrics.bind(outcomes[pod % outcomes.length], (pod % 20) * MS);
            metrics.queueSize(queues[pod % 3], pod);
            metrics.groupsWaiting(pod % 17);
            metrics.groupWaited(pod % 5 == 0 ? "abandoned" : "placed", pod * MS);
            metrics.reservedCapacity("cpu", pod * 100L);
            metrics.reservationsExpired(pod % 2);
        }

        ScrapedMetrics s = scrape();
        assertThat(s.series()).hasSize(before);
        assertThat(s.allLabelValues()).isEqualTo(labelsBefore);
        assertThat(s.get("kubenexus_schedule_attempts_total{result=\"scheduled\"}")
                + s.get("kubenexus_schedule_attempts_total{result=\"unschedulable\"}")
                + s.get("kubenexus_schedule_attempts_total{result=\"error\"}")).isEqualTo(1000.0);
        assertThat(s.get("kubenexus_reservations_expired_total")).isEqualTo(500.0);
    }

    @Test
    void everyMetricUsesOnlyItsDocumentedLabel() {
        ScrapedMetrics s = scrape();
        assertThat(s.labelNames("kubenexus_schedule_attempts_total")).containsExactly("result");
        assertThat(s.labelNames("kubenexus_scheduling_attempt_duration_seconds_bucket")).containsExactlyInAnyOrder("result", "le");
        assertThat(s.labelNames("kubenexus_binds_total")).containsExactly("outcome");
        assertThat(s.labelNames("kubenexus_bind_duration_seconds_count")).containsExactly("outcome");
        assertThat(s.labelNames("kubenexus_pending_pods")).containsExactly("queue");
        assertThat(s.labelNames("kubenexus_gangs_waiting")).isEmpty();
        assertThat(s.labelNames("kubenexus_gang_wait_duration_seconds_count")).containsExactly("result");
        assertThat(s.labelNames("kubenexus_reserved_capacity")).containsExactly("resource");
        assertThat(s.labelNames("kubenexus_reservations_expired_total")).isEmpty();
    }

    @Test
    void incomingPodsFoldUnknownEventsAndQueuesIntoOther() {
        metrics.podsQueued("NodeAdd", "backoff", 3);
        metrics.podsQueued("NodeAdd", "backoff", 1);
        metrics.podsQueued("pod-a-did-something", "active", 1);
        metrics.podsQueued("NodeAdd", "my-queue", 2);
        metrics.podsQueued(null, null, 1);
        metrics.podsQueued("NodeAdd", "active", 0);

        ScrapedMetrics s = scrape();
        assertThat(s.get("scheduler_queue_incoming_pods_total{event=\"NodeAdd\",queue=\"backoff\"}")).isEqualTo(4.0);
        assertThat(s.get("scheduler_queue_incoming_pods_total{event=\"other\",queue=\"active\"}")).isEqualTo(1.0);
        assertThat(s.get("scheduler_queue_incoming_pods_total{event=\"NodeAdd\",queue=\"other\"}")).isEqualTo(2.0);
        assertThat(s.get("scheduler_queue_incoming_pods_total{event=\"other\",queue=\"other\"}")).isEqualTo(1.0);
        assertThat(s.has("scheduler_queue_incoming_pods_total{event=\"NodeAdd\",queue=\"active\"}")).isFalse();
        assertThat(s.allLabelValues()).noneMatch(v -> v.contains("pod-a") || v.contains("my-queue"));
    }

    @Test
    void theSliAttemptsLabelIsCappedAsKubeSchedulerCapsIt() {
        for (int attempts = 1; attempts <= 40; attempts++) {
            metrics.podScheduled(attempts, 20 * MS);
        }
        metrics.podScheduled(0, MS); // a caller's slip counts as one attempt

        ScrapedMetrics s = scrape();
        assertThat(s.labelValues("scheduler_pod_scheduling_sli_duration_seconds_count", "attempts")).hasSize(15)
                .contains("1", "14", "15+").doesNotContain("15", "16", "0");
        assertThat(s.get("scheduler_pod_scheduling_sli_duration_seconds_count{attempts=\"15+\"}")).isEqualTo(26.0);
        assertThat(s.get("scheduler_pod_scheduling_sli_duration_seconds_count{attempts=\"1\"}")).isEqualTo(2.0);
        assertThat(s.get("scheduler_pod_scheduling_sli_duration_seconds_bucket{attempts=\"2\",le=\"0.02\"}")).isEqualTo(1.0);
    }
}
