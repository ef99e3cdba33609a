package io.kubenexus.scheduler.sim.synthetic;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.loop.Decision;
import io.kubenexus.scheduler.core.loop.SchedulingAlgorithm;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.TaintEffect;
import io.kubenexus.scheduler.core.model.Toleration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class WorkloadGeneratorTest {
    private static final long MI = 1024L * 1024;
    private static final long GI = 1024 * MI;
    private static final int LARGE_SAMPLE = 20_000;

    private static final List<PodSpecTemplate> SAMPLE = WorkloadGenerator.builder().seed(7).build().generate(LARGE_SAMPLE);

    @Test
    void sameSeedGivesIdenticalPods() {
        assertThat(WorkloadGenerator.builder().seed(5).build().generate(500))
                .isEqualTo(WorkloadGenerator.builder().seed(5).build().generate(500));
    }

    @Test
    void differentSeedGivesDifferentPods() {
        List<PodSpecTemplate> first = WorkloadGenerator.builder().seed(5).build().generate(500);
        List<PodSpecTemplate> second = WorkloadGenerator.builder().seed(6).build().generate(500);

        long differing = java.util.stream.IntStream.range(0, 500).filter(i -> !first.get(i).equals(second.get(i))).count();
        assertThat(differing).isGreaterThan(400);
    }

    @Test
    void podAtAnIndexDoesNotDependOnWhatWasGeneratedBefore() {
        WorkloadGenerator generator = WorkloadGenerator.builder().seed(3).build();
        List<PodSpecTemplate> pods = generator.generate(100);

        assertThat(generator.pod(99)).isEqualTo(pods.get(99));
        assertThat(generator.stream().limit(100).toList()).isEqualTo(pods);
    }

    @Test
    void namesAreUniqueDnsLabelsCarryingTheClassAndIndex() {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < SAMPLE.size(); i++) {
            PodSpecTemplate pod = SAMPLE.get(i);
            assertThat(names.add(pod.name())).isTrue();
            assertThat(pod.name()).isEqualTo(String.format("%s-%05d", pod.workloadClass().label(), i));
            assertThat(pod.namespace()).isEqualTo(WorkloadGenerator.DEFAULT_NAMESPACE);
            assertThat(pod.labels()).containsEntry(WorkloadGenerator.WORKLOAD_CLASS_LABEL, pod.workloadClass().label());
        }
    }

    @Test
    void classMixMatchesTheConfiguredFractions() {
        Map<WorkloadClass, Integer> counts = new EnumMap<>(WorkloadClass.class);
        SAMPLE.forEach(pod -> counts.merge(pod.workloadClass(), 1, Integer::sum));

        // Binomial standard deviation at n=20,000 is below 0.0035 for every share here; 0.01 is ~3 sigma.
        assertThat(share(counts, WorkloadClass.OVERSIZED)).isCloseTo(0.02, offset(0.01));
        assertThat(share(counts, WorkloadClass.GPU_TRAINING)).isCloseTo(0.06, offset(0.01));
        assertThat(share(counts, WorkloadClass.MEDIUM)).isCloseTo(0.20, offset(0.01));
        assertThat(share(counts, WorkloadClass.WEB)).isCloseTo(0.36, offset(0.015));
        assertThat(share(counts, WorkloadClass.BATCH)).isCloseTo(0.36, offset(0.015));
        long highPriority = SAMPLE.stream().filter(p -> p.priority() == WorkloadGenerator.DEFAULT_HIGH_PRIORITY).count();
        assertThat(SAMPLE).allSatisfy(p -> assertThat(p.priority()).isIn(0, WorkloadGenerator.DEFAULT_HIGH_PRIORITY));
        assertThat(highPriority / (double) LARGE_SAMPLE).isCloseTo(0.03, offset(0.01));
    }

    @Test
    void configuredFractionsAreHonoured() {
        List<PodSpecTemplate> pods = WorkloadGenerator.builder().seed(1).gpuFraction(0.5).mediumFraction(0)
                .oversizedFraction(0).highPriorityFraction(0).build().generate(4000);

        assertThat(pods.stream().filter(p -> p.workloadClass() == WorkloadClass.GPU_TRAINING).count() / 4000.0)
                .isCloseTo(0.5, offset(0.03));
        assertThat(pods).noneMatch(p -> p.workloadClass() == WorkloadClass.MEDIUM || p.workloadClass() == WorkloadClass.OVERSIZED)
                .allMatch(p -> p.priority() == 0);
    }

    @Test
    void gpuPodsCountOneTwoFourOrEightGpusMostlySmall() {
        Map<Integer, Integer> byCount = new java.util.TreeMap<>();
        gpuPods().forEach(pod -> byCount.merge(pod.gpus(), 1, Integer::sum));

        assertThat(byCount.keySet()).containsExactly(1, 2, 4, 8);
        assertThat(byCount.get(1)).isGreaterThan(byCount.get(2));
        assertThat(byCount.get(2)).isGreaterThan(byCount.get(4));
        assertThat(byCount.get(4)).isGreaterThan(byCount.get(8));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(WorkloadClass.class)
    void sizesStayWithinTheDocumentedRangeOfTheirClass(WorkloadClass workloadClass) {
        List<PodSpecTemplate> pods = SAMPLE.stream().filter(p -> p.workloadClass() == workloadClass).toList();

        assertThat(pods).isNotEmpty().allSatisfy(pod -> {
            switch (workloadClass) {
                case WEB -> {
                    assertThat(pod.cpuMilli()).isBetween(100L, 1000L);
                    assertThat(pod.memoryBytes()).isBetween(128 * MI, GI);
                }
                case BATCH -> {
                    assertThat(pod.cpuMilli()).isBetween(500L, 2000L);
                    assertThat(pod.memoryBytes()).isBetween(512 * MI, 4 * GI);
                }
                case MEDIUM -> {
                    assertThat(pod.cpuMilli()).isBetween(4000L, 8000L);
                    assertThat(pod.memoryBytes()).isBetween(8 * GI, 32 * GI);
                }
                case GPU_TRAINING -> {
                    assertThat(pod.cpuMilli()).isBetween(8000L * pod.gpus(), 12000L * pod.gpus());
                    assertThat(pod.memoryBytes()).isBetween(32 * GI * pod.gpus(), 64 * GI * pod.gpus());
                }
                case OVERSIZED -> assertThat(pod.cpuMilli()).isEqualTo(200_000L);
            }
            if (workloadClass == WorkloadClass.GPU_TRAINING) {
                assertThat(pod.tolerations()).containsExactly(Toleration.exists("nvidia.com/gpu", TaintEffect.NO_SCHEDULE));
                assertThat(pod.nodeSelector()).containsExactly(Map.entry(SyntheticCluster.POOL_LABEL, "gpu"));
            } else {
                assertThat(pod.gpus()).isZero();
                assertThat(pod.tolerations()).isEmpty();
                assertThat(pod.nodeSelector()).isEmpty();
            }
        });
    }

    @Test
    void onlyOversizedPodsAreUnschedulableByConstructionOnTheDemoCluster() {
        List<NodeInfo> demo = SyntheticCluster.builder().seed(1).nodes(50).build();

        assertThat(SAMPLE).allSatisfy(pod -> assertThat(fitsOnEmpty(pod, demo))
                .as(pod.name()).isEqualTo(pod.workloadClass() != WorkloadClass.OVERSIZED));
    }

    @Test
    void gpuPodsCannotRunOnCpuNodesAndOthersCannotRunOnGpuNodes() {
        List<NodeInfo> demo = SyntheticCluster.builder().seed(1).nodes(10).build();
        NodeInfo cpuNode = demo.stream().filter(n -> n.name().startsWith("cpu-")).findFirst().orElseThrow();
        NodeInfo gpuNode = demo.stream().filter(n -> n.name().startsWith("gpu-")).findFirst().orElseThrow();

        assertThat(gpuPods()).allMatch(pod -> fitsOnEmpty(pod, List.of(gpuNode)) && !fitsOnEmpty(pod, List.of(cpuNode)));
        assertThat(SAMPLE.stream().filter(p -> p.workloadClass() == WorkloadClass.WEB))
                .allMatch(pod -> fitsOnEmpty(pod, List.of(cpuNode)) && !fitsOnEmpty(pod, List.of(gpuNode)));
    }

    /** Whether the production plugins would place the pod on one of these nodes, all empty. */
    private static boolean fitsOnEmpty(PodSpecTemplate pod, List<NodeInfo> nodes) {
        ClusterState state = new ClusterState();
        nodes.forEach(state::upsertNode);
        SchedulerSettings settings = SchedulerSettings.defaults();
        SchedulingAlgorithm algorithm = new SchedulingAlgorithm(SchedulingProfile.defaults(settings), 100);
        return algorithm.schedule(pod.toPodInfo(settings.schedulerName(), Instant.EPOCH), state)
                instanceof Decision.Placed;
    }

    static List<Arguments> invalidSettings() {
        return List.of(
                invalid("fraction above 1", b -> b.gpuFraction(1.1), "gpuFraction: must be 0..1, was 1.1"),
                invalid("negative fraction", b -> b.mediumFraction(-0.1), "mediumFraction: must be 0..1, was -0.1"),
                invalid("fractions above 1 together", b -> b.mediumFraction(0.6).gpuFraction(0.6).build(),
                        "mediumFraction + gpuFraction + oversizedFraction: must be at most 1, was 1.22"),
                invalid("namespace not a DNS label", b -> b.namespace("Demo_NS"), "namespace: not a DNS-1123 label: 'Demo_NS'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSettings")
    void invalidSettingsFailNamingTheSetting(Consumer<WorkloadGenerator.Builder> change, String message) {
        assertThatThrownBy(() -> change.accept(WorkloadGenerator.builder()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    private static Arguments invalid(String name, Consumer<WorkloadGenerator.Builder> change, String message) {
        return Arguments.of(Named.of(name, change), message);
    }

    private static List<PodSpecTemplate> gpuPods() {
        return SAMPLE.stream().filter(p -> p.workloadClass() == WorkloadClass.GPU_TRAINING).toList();
    }

    private static double share(Map<WorkloadClass, Integer> counts, WorkloadClass workloadClass) {
        return counts.getOrDefault(workloadClass, 0) / (double) LARGE_SAMPLE;
    }
}
