package io.kubenexus.scheduler.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.app.demo.SimulatedKubelet.Alignment;
import io.kubenexus.scheduler.app.demo.SimulatedKubelet.Outcome;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.sim.synthetic.NodeShape;
import io.kubenexus.scheduler.numa.ContainerRequest;
import io.kubenexus.scheduler.numa.NodeTopology;
import io.kubenexus.scheduler.numa.NumaMask;
import io.kubenexus.scheduler.numa.NumaPolicy;
import io.kubenexus.scheduler.numa.NumaRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo's kubelets on the two NUMA shapes: admission, allocation, release and the alignment verdicts. */
class SimulatedKubeletTest {
    private static final String GPU_NODE = "gpu-numa-node-0000";
    private static final String CPU_NODE = "cpu-numa-node-0000";
    private static final long GI = NodeShape.GI;

    private final SimulatedKubelet kubelet = new SimulatedKubelet(Map.of(
            GPU_NODE, TopologyObjects.idle(NodeShape.DEMO_GPU_NUMA.numa()),
            CPU_NODE, TopologyObjects.idle(NodeShape.DEMO_CPU_NUMA.numa())));

    @Test
    void aGuaranteedGpuPodIsPinnedToTheLowestZoneThatHoldsItAndTakesFromItOnly() {
        Outcome outcome = admit("train-0", GPU_NODE, 16, 64, 2, NumaPolicy.SINGLE_NUMA);

        assertThat(outcome.admitted()).isTrue();
        assertThat(outcome.zones()).isEqualTo(NumaMask.of(0));
        assertThat(outcome.alignment()).isEqualTo(Alignment.ALIGNED);
        assertThat(available(GPU_NODE, 0)).containsEntry("cpu", 32_000L).containsEntry("memory", 448 * GI)
                .containsEntry("nvidia.com/gpu", 2L);
        assertThat(available(GPU_NODE, 1)).containsEntry("cpu", 48_000L).containsEntry("nvidia.com/gpu", 4L);
    }

    @Test
    void aPodNoZoneCanHoldIsRejectedWithTopologyAffinityErrorAndTakesNothing() {
        admit("train-0", GPU_NODE, 8, 32, 3, NumaPolicy.SINGLE_NUMA);
        admit("train-1", GPU_NODE, 8, 32, 3, NumaPolicy.SINGLE_NUMA);

        Outcome outcome = admit("train-2", GPU_NODE, 8, 32, 2, NumaPolicy.SINGLE_NUMA);

        assertThat(outcome.admitted()).isFalse();
        assertThat(outcome.reason()).startsWith("TopologyAffinityError");
        assertThat(outcome.alignment()).isEqualTo(Alignment.MISALIGNED);
        assertThat(available(GPU_NODE, 0)).containsEntry("nvidia.com/gpu", 1L);
        assertThat(available(GPU_NODE, 1)).containsEntry("nvidia.com/gpu", 1L);
    }

    @Test
    void aPodWithoutAnnotationIsStillAlignedByTheKubeletButNeedsNoAlignmentVerdict() {
        Outcome outcome = admit("plain-0", GPU_NODE, 8, 48, 1, null);

        assertThat(outcome.admitted()).isTrue();
        assertThat(outcome.zones()).isEqualTo(NumaMask.of(0));
        assertThat(outcome.alignment()).isEqualTo(Alignment.NOT_REQUIRED);
    }

    @Test
    void releaseGivesTheZonesBackAndMarksTheNodeForTheNextReport() {
        admit("train-0", GPU_NODE, 16, 64, 2, NumaPolicy.SINGLE_NUMA);
        assertThat(kubelet.takeChanged()).containsOnlyKeys(GPU_NODE);
        assertThat(kubelet.takeChanged()).isEmpty();

        assertThat(kubelet.release(new PodKey("ns", "train-0"))).isTrue();

        assertThat(available(GPU_NODE, 0)).containsEntry("cpu", 48_000L).containsEntry("nvidia.com/gpu", 4L);
        Map<String, NodeTopology> changed = kubelet.takeChanged();
        assertThat(changed).containsOnlyKeys(GPU_NODE);
        assertThat(changed.get(GPU_NODE).zones().get(0).availableOf("memory")).isEqualTo(512 * GI);
        assertThat(kubelet.release(new PodKey("ns", "train-0"))).as("released twice").isFalse();
    }

    @Test
    void anIsolatedPodAloneInItsZoneIsAlignedAndAPodJoiningThatZoneBreaksTheIsolation() {
        Outcome isolated = admit("isolated-0", GPU_NODE, 8, 64, 1, NumaPolicy.ISOLATED);
        Outcome joiner = admit("plain-1", GPU_NODE, 8, 48, 1, null);

        assertThat(isolated.alignment()).isEqualTo(Alignment.ALIGNED);
        assertThat(joiner.zones()).isEqualTo(NumaMask.of(0));
        assertThat(joiner.alignment()).isEqualTo(Alignment.MISALIGNED);
        assertThat(joiner.problem()).contains("joined zone 0, which isolated pod ns/isolated-0 holds");
    }

    @Test
    void anIsolatedPodPinnedIntoAZoneOthersUseIsMisaligned() {
        admit("train-0", GPU_NODE, 8, 32, 1, NumaPolicy.SINGLE_NUMA);

        Outcome isolated = admit("isolated-1", GPU_NODE, 8, 64, 1, NumaPolicy.ISOLATED);

        assertThat(isolated.zones()).isEqualTo(NumaMask.of(0));
        assertThat(isolated.alignment()).isEqualTo(Alignment.MISALIGNED);
        assertThat(isolated.problem()).contains("held by another aligned pod");
    }

    @Test
    void aRestrictedPodOnTheFourZoneNodeTakesTheFirstMinimalPairWithPodScope() {
        Outcome outcome = admit("wide-0", CPU_NODE, 24, 96, 0, NumaPolicy.RESTRICTED);

        assertThat(outcome.admitted()).isTrue();
        assertThat(outcome.zones()).isEqualTo(NumaMask.of(0, 1));
        assertThat(outcome.alignment()).isEqualTo(Alignment.ALIGNED);
        assertThat(available(CPU_NODE, 0)).containsEntry("cpu", 0L).containsEntry("memory", 0L);
        assertThat(available(CPU_NODE, 1)).containsEntry("cpu", 8_000L).containsEntry("memory", 32 * GI);
    }

    @Test
    void aRestrictedPodThatOnlyFitsWiderThanMinimalIsRejected() {
        admit("wide-0", CPU_NODE, 24, 96, 0, NumaPolicy.RESTRICTED);
        admit("wide-1", CPU_NODE, 24, 96, 0, NumaPolicy.RESTRICTED);

        // The second took zones 1 and 2; only zone 3 has cores left (16): no pair holds 20.
        Outcome outcome = admit("wide-2", CPU_NODE, 20, 80, 0, NumaPolicy.RESTRICTED);

        assertThat(outcome.admitted()).isFalse();
        assertThat(outcome.reason()).contains("TopologyAffinityError");
    }

    @Test
    void aBurstablePodKeepsItsCpuAndMemoryInTheSharedPool() {
        Outcome outcome = kubelet.admit(new PodKey("ns", "burst-0"), CPU_NODE,
                List.of(new ContainerRequest("main", Map.of("cpu", 8_000L, "memory", 16 * GI))), false, null);

        assertThat(outcome.admitted()).isTrue();
        assertThat(outcome.zones().isEmpty()).isTrue();
        assertThat(kubelet.takeChanged()).isEmpty();
    }

    @Test
    void admittingTheSamePodAgainReturnsItsFirstOutcomeAndTakesNothingMore() {
        Outcome first = admit("train-0", GPU_NODE, 16, 64, 2, NumaPolicy.SINGLE_NUMA);

        assertThat(admit("train-0", GPU_NODE, 16, 64, 2, NumaPolicy.SINGLE_NUMA)).isEqualTo(first);
        assertThat(available(GPU_NODE, 0)).containsEntry("nvidia.com/gpu", 2L);
    }

    private Outcome admit(String name, String node, int cores, long memoryGi, int gpus, NumaPolicy policy) {
        Map<String, Long> requests = gpus > 0
                ? Map.of("cpu", cores * 1000L, "memory", memoryGi * GI, "nvidia.com/gpu", (long) gpus)
                : Map.of("cpu", cores * 1000L, "memory", memoryGi * GI);
        NumaRequest request = policy == null ? null : new NumaRequest(policy, NumaRequest.DEFAULT_RESOURCES);
        return kubelet.admit(new PodKey("ns", name), node, List.of(new ContainerRequest("main", requests)), true,
                request);
    }

    private Map<String, Long> available(String node, int zone) {
        return kubelet.current(node).zones().get(zone).available();
    }
}
