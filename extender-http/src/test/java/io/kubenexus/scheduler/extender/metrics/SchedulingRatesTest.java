package io.kubenexus.scheduler.extender.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kubenexus.scheduler.core.ports.BindOutcome;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Rates and quantiles over the window, from the meters MicrometerSchedulerMetrics writes. */
class SchedulingRatesTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MicrometerSchedulerMetrics metrics = new MicrometerSchedulerMetrics(registry);
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private void advanceSeconds(long seconds) {
        now.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    @Test
    void nothingHappenedMeansNoRatesYetButZeroTotals() {
        SchedulingRates rates = new SchedulingRates(registry, now::get);
        advanceSeconds(2);

        SchedulingRates.Rates r = rates.rates();

        assertThat(r.boundPerSecond()).isZero();
        assertThat(r.attemptP50Seconds()).isNull();
        assertThat(r.queueToBindP99Seconds()).isNull();
        assertThat(r.boundTotal()).isZero();
    }

    @Test
    void ratesAreTheChangeOverTheWindowAndOldSamplesLeaveIt() {
        SchedulingRates rates = new SchedulingRates(registry, now::get);
        for (int i = 0; i < 20; i++) {
            metrics.bind(BindOutcome.BOUND, 1_000_000);
            metrics.attempt("scheduled", 400_000); // 0.4 ms: in the (0.25 ms, 0.5 ms] bucket
        }
        metrics.bind(BindOutcome.FAILED, 1_000_000);
        advanceSeconds(10);

        SchedulingRates.Rates r = rates.rates();
        assertThat(r.windowSeconds()).isEqualTo(10.0);
        assertThat(r.boundPerSecond()).isEqualTo(2.0);
        assertThat(r.attemptsPerSecond()).isEqualTo(2.0);
        assertThat(r.attemptP50Seconds()).isBetween(0.00025, 0.0005);
        assertThat(r.boundTotal()).isEqualTo(20);

        // A quiet minute later the burst is out of the window.
        for (int i = 0; i < 7; i++) {
            advanceSeconds(10);
            rates.rates();
        }
        SchedulingRates.Rates quiet = rates.rates();
        assertThat(quiet.windowSeconds()).isLessThanOrEqualTo(70.0);
        assertThat(quiet.boundPerSecond()).isZero();
        assertThat(quiet.attemptP50Seconds()).isNull();
        assertThat(quiet.boundTotal()).as("totals stay").isEqualTo(20);
    }

    @Test
    void quantilesInterpolateInsideTheBucketAsHistogramQuantileDoes() {
        TreeMap<Double, Double> before = new TreeMap<>();
        before.put(0.1, 0.0);
        before.put(0.2, 0.0);
        before.put(Double.POSITIVE_INFINITY, 0.0);
        TreeMap<Double, Double> after = new TreeMap<>();
        after.put(0.1, 50.0);
        after.put(0.2, 100.0);
        after.put(Double.POSITIVE_INFINITY, 100.0);

        assertThat(SchedulingRates.quantile(0.5, before, after)).isCloseTo(0.1, within(1e-9));
        assertThat(SchedulingRates.quantile(0.75, before, after)).isCloseTo(0.15, within(1e-9));
        assertThat(SchedulingRates.quantile(0.25, before, after)).isCloseTo(0.05, within(1e-9));

        after.put(Double.POSITIVE_INFINITY, 200.0); // half above the highest bound
        assertThat(SchedulingRates.quantile(0.99, before, after)).isEqualTo(0.2);
        assertThat(SchedulingRates.quantile(0.5, after, after)).as("nothing in the window").isNull();
    }
}
