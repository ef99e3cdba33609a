package io.kubenexus.scheduler.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubenexus.scheduler.core.model.TaintEffect;
import io.kubenexus.scheduler.core.model.Toleration;
import io.kubenexus.scheduler.sim.synthetic.NodeShape;
import io.kubenexus.scheduler.sim.synthetic.SyntheticCluster;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SparkWorkloadTest {
    private static final int MANY = 2_000;

    @Test
    void equalSeedsGiveEqualApplications() {
        assertThat(SparkWorkload.builder().seed(7).build().generate(50))
                .isEqualTo(SparkWorkload.builder().seed(7).build().generate(50));
        assertThat(SparkWorkload.builder().seed(7).build().generate(50))
                .isNotEqualTo(SparkWorkload.builder().seed(8).build().generate(50));
    }

    @Test
    void applicationIDependsOnlyOnTheSeedAndI() {
        SparkWorkload workload = SparkWorkload.builder().seed(3).build();
        List<SparkApp> apps = workload.generate(40);

        assertThat(workload.app(37)).isEqualTo(apps.get(37));
        assertThat(SparkWorkload.builder().seed(3).build().generate(10)).isEqualTo(apps.subList(0, 10));
    }

    @Test
    void namesAndIdsAreDistinctAndValidKubernetesNames() {
        List<SparkApp> apps = SparkWorkload.builder().seed(1).build().generate(MANY);

        assertThat(apps).extracting(SparkApp::name).doesNotHaveDuplicates()
                .allMatch(n -> n.matches("spark-(etl|gpu|huge)-\\d{3,}") && (n + "-exec-16").length() <= 63);
        assertThat(apps).extracting(SparkApp::appId).doesNotHaveDuplicates().allMatch(id -> id.matches("spark-[0-9a-f]{32}"));
        assertThat(apps).allMatch(a -> a.namespace().equals("kubenexus-demo"));
    }

    @Test
    void sizesAreThoseOfRealJobs() {
        for (SparkApp app : SparkWorkload.builder().seed(5).build().generate(MANY)) {
            assertThat(app.driver().cores()).as(app.name()).isBetween(1, 2);
            assertThat(app.driver().memoryMiB()).as(app.name()).isBetween(2048L, 8192L);
            assertThat(app.driver().gpus()).as(app.name()).isZero();
            assertThat(app.executors()).as(app.name()).isBetween(2, 16);
            if (app.kind() != SparkApp.Kind.OVERSIZED) {
                assertThat(app.executor().cores()).as(app.name()).isBetween(1, 8);
                assertThat(app.executor().memoryMiB()).as(app.name()).isBetween(4096L, 32768L);
            }
        }
    }

    @Test
    void gpuApplicationsAskForGpusOnTheGpuPoolAndTolerateItsTaint() {
        List<SparkApp> gpu = SparkWorkload.builder().seed(2).build().generate(MANY).stream()
                .filter(a -> a.kind() == SparkApp.Kind.GPU).toList();

        assertThat(gpu).isNotEmpty().allSatisfy(app -> {
            assertThat(app.executor().gpus()).isBetween(1, 2);
            assertThat(app.executorNodeSelector()).isEqualTo(Map.of(SyntheticCluster.POOL_LABEL, "gpu"));
            assertThat(app.executorTolerations())
                    .containsExactly(Toleration.exists(NodeShape.GPU_TAINT.key(), TaintEffect.NO_SCHEDULE));
        });
    }

    @Test
    void oversizedExecutorsAreLargerThanACpuNodeAndCannotUseTheGpuNodes() {
        List<SparkApp> oversized = SparkWorkload.builder().seed(2).build().generate(MANY).stream()
                .filter(a -> a.kind() == SparkApp.Kind.OVERSIZED).toList();

        assertThat(oversized).isNotEmpty().allSatisfy(app -> {
            assertThat(app.executor().cores() * 1000L).isGreaterThan(NodeShape.DEMO_CPU.cpuMilli());
            assertThat(app.executorTolerations()).isEmpty();
            assertThat(app.executorNodeSelector()).isEmpty();
        });
    }

    @Test
    void kindsComeInTheConfiguredShares() {
        Map<SparkApp.Kind, Long> kinds = SparkWorkload.builder().seed(11).build().generate(MANY).stream()
                .collect(Collectors.groupingBy(SparkApp::kind, Collectors.counting()));

        assertThat(kinds.get(SparkApp.Kind.GPU) / (double) MANY).isBetween(0.12, 0.18);
        assertThat(kinds.get(SparkApp.Kind.OVERSIZED) / (double) MANY).isBetween(0.07, 0.13);
        assertThat(SparkWorkload.builder().seed(11).gpuFraction(0).oversizedFraction(0).build().generate(100))
                .allMatch(a -> a.kind() == SparkApp.Kind.CPU);
    }

    @ParameterizedTest(name = "{0} MiB heap: {1} MiB overhead, written {2}")
    @CsvSource({
        "2048,  384,  2g",
        "3840,  384,  3840m",
        "4096,  409,  4g",
        "8192,  819,  8g",
        "32768, 3276, 32g"})
    void memoryOverheadIsSparksTenPercentWithA384MiBFloor(long heapMiB, long overheadMiB, String written) {
        SparkApp.Size size = new SparkApp.Size(1, heapMiB, 0);

        assertThat(size.overheadMiB()).isEqualTo(overheadMiB);
        assertThat(size.memoryRequestMiB()).isEqualTo(heapMiB + overheadMiB);
        assertThat(size.sparkMemory()).isEqualTo(written);
    }

    @Test
    void badSettingsAreRejectedWithTheirName() {
        assertThatThrownBy(() -> SparkWorkload.builder().gpuFraction(1.5)).hasMessageStartingWith("gpuFraction: must be 0..1");
        assertThatThrownBy(() -> SparkWorkload.builder().gpuFraction(0.6).oversizedFraction(0.6).build())
                .hasMessageStartingWith("gpuFraction + oversizedFraction: must be at most 1");
        assertThatThrownBy(() -> SparkWorkload.builder().namespace("Not_A_Label"))
                .hasMessageStartingWith("namespace: not a DNS-1123 label");
        assertThatThrownBy(() -> SparkWorkload.builder().build().generate(-1)).hasMessageStartingWith("count:");
    }
}
