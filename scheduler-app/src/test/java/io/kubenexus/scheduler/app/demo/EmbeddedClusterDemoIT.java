package io.kubenexus.scheduler.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.app.DemoOptions;
import io.kubenexus.scheduler.app.DemoSummary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The acceptance run: {@code demo --nodes 50 --pods 500}, for several seeds. */
class EmbeddedClusterDemoIT {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void bindsEveryPodThatFitsWithoutOverCommittingAndAgreesWithTheApi(long seed) {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        DemoSummary summary = new EmbeddedClusterDemo(Clock.systemUTC()).run(
                new DemoOptions(50, 500, seed, Duration.ofSeconds(90), true),
                new PrintStream(progress, true, StandardCharsets.UTF_8));

        String log = progress.toString(StandardCharsets.UTF_8);
        assertThat(summary.podsCreated()).as(log).isEqualTo(500);
        assertThat(summary.podsBound() + summary.podsPending()).isEqualTo(500);
        assertThat(summary.capacityViolations()).as(log).isZero();
        assertThat(summary.podsPendingThatFit()).as(log).isZero();
        assertThat(summary.cacheMismatches()).as(log).isZero();
        // Pods too big for any node stay pending; others may too when the cluster is full for them
        // (podsPendingThatFit, checked above, says none of those would fit now).
        assertThat(summary.podsPending()).isGreaterThanOrEqualTo(summary.podsExpectedUnschedulable());
        assertThat(summary.podsBound()).isGreaterThan(400);
        assertThat(summary.pendingReasons()).doesNotContainKey("not yet reported");
        if (summary.podsPending() > 0) {
            assertThat(summary.pendingReasons()).containsKey("Insufficient cpu");
        }
    }
}
