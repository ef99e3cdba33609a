package io.kubenexus.scheduler.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.app.DemoSummary;
import io.kubenexus.scheduler.sim.synthetic.NodeShape;
import io.kubenexus.scheduler.sim.synthetic.NumaLayout;
import io.kubenexus.scheduler.numa.NumaPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The NUMA workload's shape, and how its audit shows in the summary. */
class NumaWorkloadTest {
    private static final NumaLayout GPU_ZONE = NodeShape.DEMO_GPU_NUMA.numa();
    private static final NumaLayout CPU_ZONE = NodeShape.DEMO_CPU_NUMA.numa();

    @Test
    void sameSeedGivesTheSamePodsAndGangMembersStayTogether() {
        List<NumaWorkload.NumaPod> pods = new NumaWorkload(7, "ns").generate(50, 2);

        assertThat(new NumaWorkload(7, "ns").generate(50, 2)).isEqualTo(pods);
        assertThat(pods).hasSize(56);
        assertThat(pods).filteredOn(p -> p.gang() != null).extracting(NumaWorkload.NumaPod::name)
                .containsSubsequence("numa-gang-00-0", "numa-gang-00-1", "numa-gang-00-2");
    }

    @Test
    void everyKindIsSizedForTheZonesItIsMeantFor() {
        for (NumaWorkload.NumaPod pod : new NumaWorkload(3, "ns").generate(400, 4)) {
            assertThat(pod.guaranteed()).as(pod.name()).isTrue();
            assertThat(pod.cpuMilli() % 1000).as(pod.name() + ": whole cores").isZero();
            switch (pod.kind()) {
                case TRAINING, ISOLATED, GANG, PLAIN_GUARANTEED -> {
                    assertThat(pod.gpus()).as(pod.name()).isBetween(1, GPU_ZONE.gpusPerZone());
                    assertThat(pod.cpuMilli()).as(pod.name()).isLessThanOrEqualTo(GPU_ZONE.cpuMilliPerZone());
                    assertThat(pod.memoryBytes()).as(pod.name()).isLessThanOrEqualTo(GPU_ZONE.memoryBytesPerZone());
                }
                case CPU_WIDE -> {
                    // Two of the four zones for cpu and memory alike: the restricted policy's minimal width agrees.
                    assertThat(pod.cpuMilli()).isGreaterThan(CPU_ZONE.cpuMilliPerZone())
                            .isLessThanOrEqualTo(2 * CPU_ZONE.cpuMilliPerZone());
                    assertThat(pod.memoryBytes()).isGreaterThan(CPU_ZONE.memoryBytesPerZone())
                            .isLessThanOrEqualTo(2 * CPU_ZONE.memoryBytesPerZone());
                }
                case TOO_WIDE -> assertThat(pod.gpus() > GPU_ZONE.gpusPerZone()
                        || pod.cpuMilli() > GPU_ZONE.cpuMilliPerZone()).as(pod.name()).isTrue();
                case BEST_EFFORT -> assertThat(pod.policy()).isEqualTo(NumaPolicy.BEST_EFFORT);
            }
        }
    }

    @Test
    void theSummaryReportsNumaPlacementsAndFailsOnMisalignmentOrAffinityErrors() {
        DemoSummary.NumaPlacements clean = new DemoSummary.NumaPlacements(20, 5, 15, 0, 0,
                Map.of("gpu-numa-node", new DemoSummary.ShapeCounts(6, 12, 12, 0, 20)));
        DemoSummary ok = summary(clean);

        assertThat(ok.failed()).isFalse();
        assertThat(ok.toJson()).contains("\"numa_pods_bound\":20,\"numa_pods_pending\":5,\"numa_aligned\":15,"
                + "\"numa_misaligned\":0,\"topology_affinity_errors\":0,\"numa_by_shape\":{\"gpu-numa-node\":"
                + "{\"nodes\":6,\"numa_pods_bound\":12,\"aligned\":12,\"misaligned\":0,\"kubelet_pinned\":20}}");
        assertThat(ok.toHumanReadable()).contains(String.format("  %-24s %14s%n", "  NUMA-misaligned", "0"));
        assertThat(summary(new DemoSummary.NumaPlacements(20, 5, 14, 1, 0, Map.of())).failed()).isTrue();
        assertThat(summary(new DemoSummary.NumaPlacements(20, 5, 15, 0, 1, Map.of())).failed()).isTrue();
        assertThat(summary(null).toJson()).doesNotContain("numa_");
    }

    private static DemoSummary summary(DemoSummary.NumaPlacements numa) {
        return new DemoSummary(50, 500, 480, 20, 10, 0, 0, 0, null, 2000, 240, Map.of(), numa);
    }
}
