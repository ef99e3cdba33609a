package io.kubenexus.scheduler.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DemoSummaryTest {

    @Test
    void jsonHasSnakeCaseKeysInAFixedOrderAndSortedReasons() {
        Map<String, Integer> reasons = new LinkedHashMap<>();
        reasons.put("z: last \"quoted\"", 1);
        reasons.put("a: first", 2);
        DemoSummary summary = new DemoSummary(50, 500, 480, 20, 10, 0, 0, 0,
                new DemoSummary.SparkGangs(20, 15, 5, 0, 0), 2345, 204.6908, reasons);

        assertThat(summary.toJson()).isEqualTo("{\"nodes\":50,\"pods_created\":500,\"pods_bound\":480,\"pods_pending\":20,"
                + "\"pods_expected_unschedulable\":10,\"capacity_violations\":0,\"pods_pending_that_fit\":0,\"cache_mismatches\":0,"
                + "\"spark_apps\":20,\"gangs_completed\":15,\"gangs_waiting\":5,\"partial_gangs\":0,\"reserved_capacity_left\":0,"
                + "\"executors_left_reserved_node\":0,\"pods_bound_more_than_once\":0,\"elapsed_millis\":2345,"
                + "\"bind_rate_per_second\":204.69,\"pending_reasons\":{\"a: first\":2,\"z: last \\\"quoted\\\"\":1}}");
    }

    @Test
    void anExecutorBoundAwayFromItsReservedPlaceFailsTheDemo() {
        DemoSummary away = new DemoSummary(50, 500, 480, 20, 10, 0, 0, 0,
                new DemoSummary.SparkGangs(20, 15, 5, 0, 0, 1), 2345, 204.6908, Map.of());
        assertThat(away.failed()).isTrue();
        assertThat(away.toHumanReadable()).contains("left reserved node                  1");
        assertThat(new DemoSummary(50, 500, 480, 20, 10, 0, 0, 0,
                new DemoSummary.SparkGangs(20, 15, 5, 0, 0, 0), 2345, 204.6908, Map.of()).failed()).isFalse();
    }

    @Test
    void equalSummariesGiveByteIdenticalJson() {
        Map<String, Integer> forward = new LinkedHashMap<>();
        forward.put("b", 1);
        forward.put("a", 2);
        Map<String, Integer> backward = new LinkedHashMap<>();
        backward.put("a", 2);
        backward.put("b", 1);

        assertThat(new DemoSummary(1, 2, 1, 1, 0, 0, 0, 0, null, 10, 100, forward).toJson())
                .isEqualTo(new DemoSummary(1, 2, 1, 1, 0, 0, 0, 0, null, 10, 100, backward).toJson());
    }

    @Test
    void humanReadableTableAlignsValuesAndListsTheCommonestReasonFirst() {
        DemoSummary summary = new DemoSummary(50, 500, 478, 22, 10, 0, 0, 0, null, 2500, 191.2,
                Map.of("0/50 nodes are available: 50 Insufficient cpu.", 10, "gang train: 1/4 members", 12));

        String table = summary.toHumanReadable();

        assertThat(table).startsWith("kubenexus-scheduler demo: 500 pods on 50 nodes in 2.5s");
        assertThat(table).contains(String.format("  %-24s %14s%n", "pods bound", "478"))
                .contains(String.format("  %-24s %14s%n", "bind rate", "191.2 pods/s"));
        assertThat(table.indexOf("gang train")).isLessThan(table.indexOf("Insufficient cpu"));
        assertThat(table.lines().filter(l -> l.startsWith("  ") && !l.startsWith("   ")).map(String::length).distinct())
                .as("every row of the table has the same width").hasSize(1);
    }

    @Test
    void theExtenderSectionCountsTheCallsAndAnyNon200AnswerFailsTheRun() {
        DemoSummary.Extender calls = new DemoSummary.Extender(true, 940, 738, 738, 137, 0);
        DemoSummary summary = new DemoSummary(50, 652, 599, 53, 17, 0, 0, 0, null, 11210, 53.4, Map.of(),
                null, 0, null, null, null, calls);

        assertThat(summary.toJson()).contains("\"extender\":{\"filter_calls\":940,\"prioritize_calls\":738,"
                + "\"bind_calls\":738,\"bind_errors\":137,\"extender_failures\":0}");
        assertThat(summary.toHumanReadable()).contains(String.format("  %-24s %14s%n", "extender: filter calls", "940"))
                .contains(String.format("  %-24s %14s%n", "  bind errors (refused)", "137"))
                .contains(String.format("  %-24s %14s%n", "  non-200 answers", "0"));
        assertThat(summary.failed()).as("refused binds are kube-scheduler's retries, not defects").isFalse();
        assertThat(new DemoSummary(50, 652, 599, 53, 17, 0, 0, 0, null, 11210, 53.4, Map.of(), null, 0, null, null,
                null, new DemoSummary.Extender(true, 940, 738, 738, 137, 1)).failed()).isTrue();
        assertThat(new DemoSummary(1, 2, 1, 1, 0, 0, 0, 0, null, 10, 100, Map.of()).toJson()).doesNotContain("extender");
    }

    @Test
    void thePriorityMixShowsUrgentPodsPreemptionCountsAndFailsOnAPartialGang() {
        DemoSummary.Preemption mix = new DemoSummary.Preemption(true, 12, 12, 296, 7, 4, 20, 0);
        DemoSummary summary = new DemoSummary(50, 672, 579, 73, 17, 0, 0, 0, null, 17840, 32.5, Map.of(),
                null, 0, null, null, null, null, mix);

        assertThat(summary.toJson()).contains("\"preemption\":{\"urgent_pods\":12,\"urgent_pods_bound\":12,"
                + "\"attempts\":296,\"victim_pods\":7,\"victim_gangs\":4,\"pods_evicted\":20,\"partial_gangs\":0}");
        assertThat(summary.toHumanReadable()).contains(String.format("  %-24s %14s%n", "urgent pods bound", "12/12"))
                .contains(String.format("  %-24s %14s%n", "  victims: whole gangs", "4"))
                .contains(String.format("  %-24s %14s%n", "  partial gangs", "0"));
        assertThat(summary.failed()).isFalse();
        assertThat(new DemoSummary(50, 672, 579, 73, 17, 0, 0, 0, null, 17840, 32.5, Map.of(), null, 0, null, null,
                null, null, new DemoSummary.Preemption(true, 12, 8, 296, 7, 4, 20, 1)).failed())
                .as("a gang left partial").isTrue();
        assertThat(new DemoSummary(1, 2, 1, 1, 0, 0, 0, 0, null, 10, 100, Map.of()).toJson()).doesNotContain("preemption");
        assertThatThrownBy(() -> new DemoSummary.Preemption(true, 1, 1, -1, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sparkRowsAppearOnlyWhenApplicationsRan() {
        DemoSummary withSpark = new DemoSummary(50, 620, 600, 20, 2, 0, 0, 0, new DemoSummary.SparkGangs(20, 16, 4, 0, 0),
                2500, 240, Map.of());

        assertThat(withSpark.toHumanReadable()).contains(String.format("  %-24s %14s%n", "spark applications", "20"))
                .contains(String.format("  %-24s %14s%n", "  gangs completed", "16"))
                .contains(String.format("  %-24s %14s%n", "  partial gangs", "0"));
        assertThat(new DemoSummary(1, 1, 1, 0, 0, 0, 0, 0, null, 1, 1, null).toHumanReadable())
                .doesNotContain("spark").doesNotContain("gangs");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "nothing wrong,       0, 0, 0, 0, false",
        "over-committed node, 1, 0, 0, 0, true",
        "missed pod or gang,  0, 1, 0, 0, true",
        "stale cache,         0, 0, 1, 0, true",
        "partial gang,        0, 0, 0, 1, true"})
    void everyDefectFailsTheRun(String name, int violations, int missed, int mismatches, int partial, boolean failed) {
        DemoSummary summary = new DemoSummary(50, 520, 500, 20, 0, violations, missed, mismatches,
                new DemoSummary.SparkGangs(20, 18 - partial, 2, partial, 0), 1000, 500, Map.of());

        assertThat(summary.failed()).isEqualTo(failed);
    }

    @Test
    void gangCountsMustNotBeNegative() {
        assertThatThrownBy(() -> new DemoSummary.SparkGangs(1, 0, 0, -1, 0))
                .hasMessage("spark.partial: must not be negative, was -1");
    }

    @Test
    void noReasonsSectionWhenNothingIsPending() {
        assertThat(new DemoSummary(1, 1, 1, 0, 0, 0, 0, 0, null, 1, 1, null).toHumanReadable()).doesNotContain("pending:");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, -1})
    void bindRateMustBeRepresentableInJson(double rate) {
        assertThatThrownBy(() -> new DemoSummary(1, 1, 1, 0, 0, 0, 0, 0, null, 0, rate, Map.of()))
                .hasMessageStartingWith("bindRatePerSecond: must be a finite number >= 0");
    }

    @Test
    void countsMustNotBeNegative() {
        assertThatThrownBy(() -> new DemoSummary(1, 1, -1, 0, 0, 0, 0, 0, null, 0, 0, Map.of()))
                .hasMessage("podsBound: must not be negative, was -1");
    }

    @Test
    void chaosRunsCountTheirFaultsByKindInJsonAndText() {
        Map<String, Long> faults = new LinkedHashMap<>();
        faults.put("bind-error", 3L);
        faults.put("watch-gone", 0L);
        DemoSummary summary = new DemoSummary(1, 2, 2, 0, 0, 0, 0, 0, null, 10, 200, Map.of(),
                DemoSummary.NumaPlacements.NONE, 0, new DemoSummary.Chaos(true, 7, "bind-error=0.05", faults));

        assertThat(summary.toJson()).endsWith(",\"chaos\":{\"seed\":7,\"rates\":\"bind-error=0.05\","
                + "\"faults_injected\":{\"bind-error\":3,\"watch-gone\":0},\"faults_total\":3}}");
        assertThat(summary.toHumanReadable()).containsPattern("faults injected +3")
                .containsPattern("  bind-error +3").containsPattern("  watch-gone +0");
        assertThat(summary.failed()).isFalse();
        assertThat(new DemoSummary(1, 2, 2, 0, 0, 0, 0, 0, null, 10, 200, Map.of()).toJson()).doesNotContain("chaos");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"a pod bound twice, 1, 0", "a reservation leaked, 0, 1"})
    void aPodBoundTwiceOrAReservationLeftBehindIsADefect(String name, int boundTwice, int reservationsLeft) {
        DemoSummary summary = new DemoSummary(1, 2, 2, 0, 0, 0, 0, 0,
                new DemoSummary.SparkGangs(1, 1, 0, 0, reservationsLeft), 10, 200, Map.of(),
                DemoSummary.NumaPlacements.NONE, boundTwice, DemoSummary.Chaos.NONE);
        assertThat(summary.failed()).isTrue();
        assertThat(summary.toJson()).contains("\"pods_bound_more_than_once\":" + boundTwice);
    }

    @Test
    void aFailoverRunSaysWhoWasKilledAndHowLongTheTakeoverTook() {
        DemoSummary summary = new DemoSummary(1, 2, 2, 0, 0, 0, 0, 0, null, 10, 200, Map.of(),
                DemoSummary.NumaPlacements.NONE, 0, DemoSummary.Chaos.NONE,
                new DemoSummary.Failover(true, "replica-a", "replica-b", 194, 3_450));

        assertThat(summary.toJson()).endsWith(",\"failover\":{\"killed\":\"replica-a\",\"new_leader\":\"replica-b\","
                + "\"pods_bound_before_the_kill\":194,\"takeover_millis\":3450}}");
        assertThat(summary.toHumanReadable()).containsPattern("leader killed +replica-a after 194 binds")
                .containsPattern("new leader +replica-b after 3.5 s");
        assertThat(new DemoSummary(1, 2, 2, 0, 0, 0, 0, 0, null, 10, 200, Map.of()).toJson()).doesNotContain("failover");
    }
}
