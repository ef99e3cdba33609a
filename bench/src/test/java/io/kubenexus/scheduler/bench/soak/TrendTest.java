package io.kubenexus.scheduler.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TrendTest {
    static Stream<Arguments> series() {
        return Stream.of(
                Arguments.of("flat", (DoubleUnaryOperator) t -> 1000, 0.0, true),
                Arguments.of("warm-up, then flat", (DoubleUnaryOperator) t -> Math.min(t, 60) * 100, 0.0, true),
                Arguments.of("steady state with noise", (DoubleUnaryOperator) t -> 5000 + 40 * Math.sin(t), Double.NaN, true),
                Arguments.of("draining", (DoubleUnaryOperator) t -> 10_000 - t, -60.0, true),
                Arguments.of("leak of 10 per second", (DoubleUnaryOperator) t -> 1000 + 10 * t, 600.0, false),
                Arguments.of("slow leak beyond the slack", (DoubleUnaryOperator) t -> 500 + 2 * t, 120.0, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("series")
    void slopeOverTheSecondHalfAndWhetherItIsBounded(String name, DoubleUnaryOperator value, double slopePerMinute,
                                                      boolean bounded) {
        List<Trend.Point> points = new ArrayList<>();
        for (int second = 0; second <= 240; second += 5) {
            points.add(new Trend.Point(second, value.applyAsDouble(second)));
        }

        Trend trend = Trend.of(points);

        if (!Double.isNaN(slopePerMinute)) {
            assertThat(trend.slopePerMinute()).isCloseTo(slopePerMinute, within(1e-6));
        }
        assertThat(trend.bounded()).isEqualTo(bounded);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void leastSquaresRecoversTheSlopeOfANoisyLine(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double perMinute = random.nextDouble(-1e6, 1e6);
        List<Trend.Point> points = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            double seconds = i * 3;
            points.add(new Trend.Point(seconds, 5e8 + perMinute * seconds / 60 + random.nextDouble(-1000, 1000)));
        }

        assertThat(Trend.slopePerMinute(points)).isCloseTo(perMinute, within(100.0));
    }

    static Stream<Long> seeds() {
        return Stream.of(1L, 2L, 3L, 42L);
    }
}
