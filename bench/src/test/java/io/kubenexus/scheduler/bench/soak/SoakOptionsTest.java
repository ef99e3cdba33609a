package io.kubenexus.scheduler.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SoakOptionsTest {
    @Test
    void defaultsAreTheIssuesSoak() {
        SoakOptions options = SoakOptions.parse(List.of());

        assertThat(options.pods()).isEqualTo(100_000);
        assertThat(options.nodes()).isEqualTo(5_000);
        assertThat(options.duration()).isEqualTo(Duration.ofMinutes(30));
        assertThat(options.rate()).isCloseTo(100_000 / 1800.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(options.mix()).isEqualTo(SoakOptions.Mix.SOAK);
        assertThat(options.prefillPerNode()).isZero();
    }

    @Test
    void asFastAsItGoesDefaultsToTheDecisionBenchmarksPodAndFill() {
        SoakOptions options = SoakOptions.parse(List.of("--rate", "max"));

        assertThat(options.asFastAsItGoes()).isTrue();
        assertThat(options.mix()).isEqualTo(SoakOptions.Mix.WEB);
        assertThat(options.prefillPerNode()).isEqualTo(30);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--rate -1            | --rate: must be a non-negative number or max, was -1.0",
            "--rate fast          | --rate: not a number: 'fast'",
            "--mix spark          | --mix: must be soak or web, was 'spark'",
            "--nodes 2            | --nodes: must be at least 5, was 2",
            "--minutes 0          | --minutes: must be positive, was 0.0",
            "--prefill 500        | --prefill: must be 0..100, was 500",
            "--patience-seconds 0 | --patience-seconds: must be positive, was PT0S",
            "--pods               | --pods: a value is required",
            "--minutes 1 --sample-seconds 10 | --sample-seconds: must give at least 8 samples over --minutes (60.0 s), was 10.0",
            "--verbose            | unknown option --verbose"})
    void badOptionsAreNamed(String args, String message) {
        assertThatThrownBy(() -> SoakOptions.parse(Arrays.asList(args.trim().split("\\s+"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
