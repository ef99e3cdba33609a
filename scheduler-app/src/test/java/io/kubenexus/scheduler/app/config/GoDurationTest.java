package io.kubenexus.scheduler.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("0", Duration.ZERO),
                Arguments.of("-0", Duration.ZERO),
                Arguments.of("0s", Duration.ZERO),
                Arguments.of("500ms", Duration.ofMillis(500)),
                Arguments.of("10s", Duration.ofSeconds(10)),
                Arguments.of("2m", Duration.ofMinutes(2)),
                Arguments.of("1h", Duration.ofHours(1)),
                Arguments.of("1m30s", Duration.ofSeconds(90)),
                Arguments.of("1h15m30.5s", Duration.ofHours(1).plusMinutes(15).plusMillis(30_500)),
                Arguments.of("1.5h", Duration.ofMinutes(90)),
                Arguments.of(".5s", Duration.ofMillis(500)),
                Arguments.of("1.s", Duration.ofSeconds(1)),
                Arguments.of("+5s", Duration.ofSeconds(5)),
                Arguments.of("-1m", Duration.ofMinutes(-1)),
                Arguments.of("250us", Duration.ofNanos(250_000)),
                Arguments.of("250\u00b5s", Duration.ofNanos(250_000)),
                Arguments.of("250\u03bcs", Duration.ofNanos(250_000)),
                Arguments.of("42ns", Duration.ofNanos(42)),
                Arguments.of("1.0000000009s", Duration.ofSeconds(1)),
                Arguments.of("2h45m", Duration.ofMinutes(165)),
                Arguments.of("30s1ms", Duration.ofMillis(30_001)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void parsesGoNotation(String text, Duration expected) {
        assertThat(GoDuration.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "1x", "10", "1.5", "s", "ms", ".s", "1d", "1 s", " 1s", "1s ", "1h-5m", "--1s", "-", "1S",
            "1sec", "PT1S", "1..5s", "one second"})
    void rejectsAnythingElseQuotingTheInputAndAHint(String text) {
        assertThatThrownBy(() -> GoDuration.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a duration '" + text + "' (use e.g. 500ms, 1s, 2m)");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"2562048h", "9999999999999h"})
    void rejectsDurationsBeyondGosRange(String text) {
        assertThatThrownBy(() -> GoDuration.parse(text)).hasMessageContaining("out of range");
    }

    @ParameterizedTest(name = "{1} -> {0}")
    @CsvSource({
            "0s, 0",
            "500ms, 500ms",
            "1.5s, 1500ms",
            "10s, 10s",
            "1m30s, 90s",
            "2m, 120s",
            "1h, 3600s",
            "1h1m1s, 3661s",
            "25h, 90000s",
            "250us, 250us",
            "42ns, 42ns",
            "-2s, -2s",
            "1.000000001s, 1000000001ns"})
    void formatsShortestFormThatParsesBack(String formatted, String input) {
        Duration duration = GoDuration.parse(input);

        assertThat(GoDuration.format(duration)).isEqualTo(formatted);
        assertThat(GoDuration.parse(formatted)).isEqualTo(duration);
    }
}
