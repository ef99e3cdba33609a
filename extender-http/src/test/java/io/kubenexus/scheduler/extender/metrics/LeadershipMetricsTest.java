package io.kubenexus.scheduler.extender.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.kube.leader.Leadership;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The leadership gauges as a scrape shows them, following the replica's state between scrapes. */
class LeadershipMetricsTest {
    private static final String STATUS = "leader_election_master_status{name=\"kubenexus-scheduler\"}";
    private static final String INFO = "kubenexus_replica_info{identity=\"replica-a\"}";

    private final AtomicReference<Leadership> state = new AtomicReference<>(at(Leadership.State.STOPPED));
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    {
        new LeadershipMetrics(state::get, "kubenexus-scheduler", "replica-a").bindTo(registry);
    }

    private static Leadership at(Leadership.State s) {
        return new Leadership(s, Instant.EPOCH, 0, 0);
    }

    private ScrapedMetrics scrape() {
        return ScrapedMetrics.parse(registry.scrape());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"LEADING, 1", "STANDBY, 0", "STOPPED, 0"})
    void masterStatusIsOneOnlyWhileLeading(Leadership.State s, double expected) {
        state.set(at(s));

        assertThat(scrape().get(STATUS)).isEqualTo(expected);
    }

    @Test
    void followsAcquisitionAndLossBetweenScrapes() {
        state.set(at(Leadership.State.LEADING));
        assertThat(scrape().get(STATUS)).isEqualTo(1);

        state.set(at(Leadership.State.STANDBY));
        assertThat(scrape().get(STATUS)).isEqualTo(0);
    }

    @Test
    void keepsReadingAfterTheBinderIsDropped() {
        PrometheusMeterRegistry own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new LeadershipMetrics(() -> at(Leadership.State.LEADING), "kubenexus-scheduler", "replica-a").bindTo(own);
        System.gc(); // a weakly held binder would be gone and read NaN (SchedulerReplica keeps no reference)

        assertThat(ScrapedMetrics.parse(own.scrape()).get(STATUS)).isEqualTo(1);
    }

    @Test
    void namesAndLabelsAreClientGosAndOneSeriesEach() {
        ScrapedMetrics s = scrape();

        assertThat(s.types()).containsEntry("leader_election_master_status", "gauge")
                .containsEntry("kubenexus_replica_info", "gauge");
        assertThat(s.labelNames("leader_election_master_status")).containsExactly("name");
        assertThat(s.labelNames("kubenexus_replica_info")).containsExactly("identity");
        assertThat(s.get(INFO)).isEqualTo(1);
        assertThat(s.series()).containsExactlyInAnyOrder(STATUS, INFO);
    }

    @Test
    void openMetricsServesTheInfoUnderTheSameSeriesName() {
        String text = registry.scrape("application/openmetrics-text; version=1.0.0");

        assertThat(text).contains("# TYPE kubenexus_replica info", INFO + " 1", STATUS + " 0");
    }
}
