package io.kubenexus.scheduler.core.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class GpuDemandWindowTest {
    private static final long GI = 1024L * 1024 * 1024;
    private static final long V100 = 1L << 0;
    private static final long T4 = 1L << 1;

    @Test
    void emptyWindowExpectsOnePodOfEach1248GpusAskingNothingElse() {
        GpuDemandWindow window = new GpuDemandWindow(100, 8);

        assertThat(window.unusableShare(8, 0, 0, T4)).isCloseTo(0, within(1e-12));
        assertThat(window.unusableShare(3, 0, 0, T4)).isCloseTo(0.5, within(1e-12)); // 4 and 8 do not fit
        assertThat(window.unusableShare(1, 0, 0, GpuModelIndex.UNLABELLED)).isCloseTo(0.75, within(1e-12));
        assertThat(window.fragmentation(3, 0, 0, T4)).isCloseTo(1.5, within(1e-12));
        assertThat(window.fragmentation(0, 0, 0, T4)).isZero();
    }

    static Stream<Arguments> unusableCases() {
        // Expected: one pod of 2 GPUs, 8 cores, 32Gi on V100 only; one of 1 GPU, 2 cores, 4Gi anywhere;
        // two asking no GPU (never use one).
        return Stream.of(
                Arguments.of("both fit", 4L, 16_000L, 64 * GI, V100, 0.5),
                Arguments.of("one GPU free: only the 1-GPU pod fits", 1L, 16_000L, 64 * GI, V100, 0.75),
                Arguments.of("another model: only the unconstrained pod fits", 4L, 16_000L, 64 * GI, T4, 0.75),
                Arguments.of("cpu short for the big pod", 4L, 4_000L, 64 * GI, V100, 0.75),
                Arguments.of("memory short for both", 4L, 16_000L, 2 * GI, V100, 1.0),
                Arguments.of("exactly enough", 2L, 8_000L, 32 * GI, V100, 0.5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusableCases")
    void unusableShareCountsPodsThatCannotUseTheNode(String name, long gpus, long cpu, long memory, long model,
                                                      double expected) {
        GpuDemandWindow window = new GpuDemandWindow(1_000_000, 8);
        window.observe(2, 8_000, 32 * GI, V100);
        window.observe(1, 2_000, 4 * GI, GpuDemandWindow.ANY_MODEL);
        window.observe(0, 1_000, GI, GpuDemandWindow.ANY_MODEL);
        window.observe(0, 500, GI, GpuDemandWindow.ANY_MODEL);

        assertThat(window.unusableShare(gpus, cpu, memory, model)).isCloseTo(expected, within(1e-4));
    }

    @Test
    void recentPodsWeighMoreThanOldOnes() {
        GpuDemandWindow window = new GpuDemandWindow(10, 8);
        for (int i = 0; i < 100; i++) {
            window.observe(8, 0, 0, GpuDemandWindow.ANY_MODEL);
        }
        for (int i = 0; i < 10; i++) {
            window.observe(1, 0, 0, GpuDemandWindow.ANY_MODEL);
        }

        // One free GPU: usable by the 1-GPU pods only, about 1 - 0.9^10 = 65% of the weight.
        assertThat(1 - window.unusableShare(1, 0, 0, T4)).isCloseTo(1 - Math.pow(0.9, 10), within(0.01));
    }

    @Test
    void weightsStayFiniteOverAVeryLongRun() {
        GpuDemandWindow window = new GpuDemandWindow(2, 4);
        for (int i = 0; i < 10_000; i++) {
            window.observe(i % 2 == 0 ? 1 : 2, 0, 0, GpuDemandWindow.ANY_MODEL);
        }

        double share = window.unusableShare(1, 0, 0, T4);
        assertThat(share).isBetween(0.0, 1.0).isNotNaN();
    }

    @Test
    void aNewShapeReplacesTheLightestWhenFull() {
        GpuDemandWindow window = new GpuDemandWindow(1_000_000, 2);
        window.observe(1, 0, 0, GpuDemandWindow.ANY_MODEL);
        window.observe(1, 0, 0, GpuDemandWindow.ANY_MODEL);
        window.observe(2, 0, 0, GpuDemandWindow.ANY_MODEL);
        window.observe(4, 0, 0, GpuDemandWindow.ANY_MODEL); // replaces the 2-GPU shape, seen once

        assertThat(window.shapes()).isEqualTo(2);
        // Three free GPUs: the 1-GPU shape (2 of 3 pods' weight) fits, the 4-GPU one does not.
        assertThat(window.unusableShare(3, 0, 0, T4)).isCloseTo(1.0 / 3, within(1e-4));
    }

    @Test
    void modelDemandSharesSplitConstrainedDemandOverPresentModels() {
        GpuDemandWindow window = new GpuDemandWindow(1_000_000, 8);
        window.observe(2, 0, 0, V100 | T4);                  // 2 GPUs split over two models
        window.observe(1, 0, 0, T4);                         // 1 GPU on T4
        window.observe(1, 0, 0, GpuDemandWindow.ANY_MODEL);  // 1 GPU anywhere: no model's demand
        double[] shares = new double[64];

        window.modelDemandShares(V100 | T4 | (1L << 2), shares);

        assertThat(window.anyModelConstraint()).isTrue();
        assertThat(shares[0]).isCloseTo(0.25, within(1e-4));
        assertThat(shares[1]).isCloseTo(0.5, within(1e-4));
        assertThat(shares[2]).isZero();
    }

    /** The one-pass path for pods without GPUs equals the difference of the two fragmentations. */
    @Test
    void shareNoLongerFittingIsTheChangeOfUnusableShareOnRandomInputs() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(23);
        for (int round = 0; round < 200; round++) {
            GpuDemandWindow window = new GpuDemandWindow(1 + random.nextInt(500), 1 + random.nextInt(16));
            int observed = random.nextInt(40);
            for (int i = 0; i < observed; i++) {
                window.observe(random.nextInt(4) == 0 ? 0 : 1L << random.nextInt(4), random.nextLong(0, 64_000),
                        random.nextLong(0, 256) * GI, random.nextBoolean() ? GpuDemandWindow.ANY_MODEL
                                : 1L << random.nextInt(3));
            }
            for (int probe = 0; probe < 20; probe++) {
                long gpus = random.nextLong(1, 9);
                long cpu = random.nextLong(-2_000, 96_000);
                long memory = random.nextLong(-2, 400) * GI;
                long cpuTaken = random.nextLong(0, 32_000);
                long memoryTaken = random.nextLong(0, 128) * GI;
                long model = 1L << random.nextInt(4);

                double expected = window.fragmentation(gpus, cpu - cpuTaken, memory - memoryTaken, model)
                        - window.fragmentation(gpus, cpu, memory, model);
                double actual = gpus * window.shareNoLongerFitting(gpus, cpu, memory, cpuTaken, memoryTaken, model);

                assertThat(actual).as("round %d probe %d", round, probe).isCloseTo(expected, within(1e-9));
            }
        }
    }

    @Test
    void aWindowOfOneRemembersTheLastPodOnly() {
        GpuDemandWindow window = new GpuDemandWindow(1, 8);
        window.observe(8, 0, 0, GpuDemandWindow.ANY_MODEL);
        window.observe(1, 0, 0, GpuDemandWindow.ANY_MODEL);

        assertThat(window.shapes()).isEqualTo(1);
        assertThat(window.unusableShare(1, 0, 0, T4)).isZero();
    }
}
