package io.kubenexus.scheduler.numa;

import static io.kubenexus.scheduler.numa.TopologyManagerPolicy.BEST_EFFORT;
import static io.kubenexus.scheduler.numa.TopologyManagerPolicy.NONE;
import static io.kubenexus.scheduler.numa.TopologyManagerPolicy.RESTRICTED;
import static io.kubenexus.scheduler.numa.TopologyManagerPolicy.SINGLE_NUMA_NODE;
import static io.kubenexus.scheduler.numa.TopologyManagerScope.CONTAINER;
import static io.kubenexus.scheduler.numa.TopologyManagerScope.POD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Expected outcomes are worked out by hand from the kubelet sources, cited per case:
 * cpumanager/policy_static.go (generateCPUTopologyHints: preferred = minimal width on an empty
 * machine), devicemanager/topology_hints.go (generateDeviceTopologyHints, same rule, any QoS),
 * memorymanager/policy_static.go (calculateHints: Guaranteed only, all memory types in one set),
 * topologymanager/policy.go (mergePermutation: preferred only if all preferred AND masks equal;
 * HintMerger.compare: narrowest preferred, else the width of the widest resource's narrowest hint),
 * policy_restricted.go / policy_single_numa_node.go (filterSingleNumaHints) / policy_best_effort.go,
 * scope_container.go / scope_pod.go.
 */
class KubeletAdmissionTest {

    private static final long GI = 1L << 30;
    private static final String GPU = "nvidia.com/gpu";

    private final KubeletAdmission admission = new KubeletAdmission();

    record Case(String name, NodeTopology node, List<ContainerRequest> containers, boolean guaranteed,
                boolean admitted, Map<String, NumaMask> affinity, String reasonContains) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                // --- 2-socket 8-GPU node: 2 zones x (32 cpu, 256Gi, 4 GPU) ---
                // cpu/memory/gpu each prefer {0} and {1}; narrowest common preferred is {0}.
                admits("single-numa-node: pod exactly filling zone 0 gets zone 0",
                        gpuNode(SINGLE_NUMA_NODE, CONTAINER), guaranteed(c("app").cores(32).gi(256).gpus(4)),
                        Map.of("app", NumaMask.of(0))),
                // Zone 0 has 16 free cores: cpu hints {1} preferred, {0,1} not; gpu/memory prefer both.
                admits("single-numa-node: zone 0 half busy, 20 cores land on zone 1",
                        gpuNode(SINGLE_NUMA_NODE, CONTAINER, gpuZone(0).free(16, 256, 4), gpuZone(1)),
                        guaranteed(c("app").cores(20).gi(64).gpus(2)), Map.of("app", NumaMask.of(1))),
                // cpu only fits {0}, gpu only fits {1}: the single-zone hints AND to nothing.
                rejects("single-numa-node: GPUs free only on the zone whose CPUs are taken",
                        gpuNode(SINGLE_NUMA_NODE, CONTAINER, gpuZone(0).free(32, 256, 0), gpuZone(1).free(4, 256, 4)),
                        guaranteed(c("app").cores(8).gi(16).gpus(2)),
                        "no single NUMA zone is shared by cpu, memory, nvidia.com/gpu"),
                // Same hints: preferred {0} (cpu) and {1} (gpu) never coincide.
                rejects("restricted: GPUs free only on the zone whose CPUs are taken",
                        gpuNode(RESTRICTED, CONTAINER, gpuZone(0).free(32, 256, 0), gpuZone(1).free(4, 256, 4)),
                        guaranteed(c("app").cores(8).gi(16).gpus(2)),
                        "no minimal set of NUMA zones is shared by cpu, memory, nvidia.com/gpu"),
                // Best non-preferred: target width 1, narrowest reachable single zone {0}
                // (cpu {0} AND gpu {0,1} AND memory {0}); the GPUs then come from zone 1.
                admits("best-effort: misaligned GPUs are admitted with the CPUs' zone",
                        gpuNode(BEST_EFFORT, CONTAINER, gpuZone(0).free(32, 256, 0), gpuZone(1).free(4, 256, 4)),
                        guaranteed(c("app").cores(8).gi(16).gpus(2)), Map.of("app", NumaMask.of(0))),
                // Burstable: CPU and memory managers give no hints; only the GPUs are aligned.
                admits("single-numa-node: Burstable pod aligns only its GPUs",
                        gpuNode(SINGLE_NUMA_NODE, CONTAINER), burstable(c("app").cores(40).gi(300).gpus(2)),
                        Map.of("app", NumaMask.of(0))),
                // Device hints ignore QoS: 6 GPUs need both zones, which single-numa-node filters out.
                rejects("single-numa-node: Burstable pod with 6 GPUs is still rejected",
                        gpuNode(SINGLE_NUMA_NODE, CONTAINER), burstable(c("app").cores(2).gi(4).gpus(6)),
                        "nvidia.com/gpu cannot be satisfied from a single NUMA zone"),
                // 6 GPUs: minimal width 2, so {0,1} is preferred.
                admits("restricted: Burstable pod with 6 GPUs spans both zones",
                        gpuNode(RESTRICTED, CONTAINER), burstable(c("app").cores(2).gi(4).gpus(6)),
                        Map.of("app", NumaMask.of(0, 1))),
                // 40.5 cores is not whole: guaranteedCPUs() is 0, the cpu runs in the shared pool.
                admits("single-numa-node: fractional-cpu Guaranteed pod gets no cpu hint",
                        gpuNode(SINGLE_NUMA_NODE, CONTAINER), guaranteed(c("app").millicores(40_500).gi(16).gpus(2)),
                        Map.of("app", NumaMask.of(0))),
                rejects("single-numa-node: 40 whole cores need both zones",
                        gpuNode(SINGLE_NUMA_NODE, CONTAINER), guaranteed(c("app").cores(40).gi(16).gpus(2)),
                        "cpu cannot be satisfied from a single NUMA zone"),
                // Memory manager: memory and hugepages-1Gi must fit the same set; only zone 1 has hugepages.
                admits("single-numa-node: hugepages on zone 1 pull memory and cpu there",
                        gpuNode(SINGLE_NUMA_NODE, CONTAINER, gpuZone(0),
                                gpuZone(1).with("hugepages-1Gi", 8 * GI)),
                        guaranteed(c("app").cores(4).gi(8).extra("hugepages-1Gi", 4 * GI)),
                        Map.of("app", NumaMask.of(1))),
                admits("none: everything admitted without affinity",
                        gpuNode(NONE, CONTAINER, gpuZone(0).free(0, 0, 0), gpuZone(1).free(0, 0, 0)),
                        guaranteed(c("app").cores(64).gi(512).gpus(8)), Map.of()),
                // No aligned resource: the merge of no hints is "any zone", preferred.
                admits("single-numa-node: BestEffort-style pod without aligned resources gets any zone",
                        gpuNode(SINGLE_NUMA_NODE, POD), burstable(c("app").cores(1).gi(1)),
                        Map.of("app", NumaMask.of(0, 1))),

                // --- 4-zone CPU node: 4 zones x (16 cpu, 64Gi) ---
                // cpu 24 and memory 100Gi both need 2 zones: all pairs preferred for both; narrowest {0,1}.
                admits("restricted: cpu and memory both need the same two zones",
                        cpuNode(RESTRICTED, CONTAINER), guaranteed(c("app").cores(24).gi(100)),
                        Map.of("app", NumaMask.of(0, 1))),
                // cpu prefers pairs, memory prefers single zones: masks differ, so no merge is preferred.
                rejects("restricted: cpu needs two zones but memory fits one",
                        cpuNode(RESTRICTED, CONTAINER), guaranteed(c("app").cores(24).gi(32)),
                        "no minimal set of NUMA zones is shared by cpu, memory"),
                // Same hints; best non-preferred aims at width 2 (cpu's narrowest): {0,1}.
                admits("best-effort: cpu split across two zones is admitted",
                        cpuNode(BEST_EFFORT, CONTAINER), guaranteed(c("app").cores(24).gi(32)),
                        Map.of("app", NumaMask.of(0, 1))),
                rejects("single-numa-node: cpu split across two zones is rejected",
                        cpuNode(SINGLE_NUMA_NODE, CONTAINER), guaranteed(c("app").cores(24).gi(32)),
                        "cpu cannot be satisfied from a single NUMA zone"),
                // Free cores 8/16/16/8: pairs {0,1},{0,2},{1,2},{1,3},{2,3} hold 24; all minimal; narrowest {0,1}.
                admits("restricted: the narrowest free minimal pair is chosen",
                        cpuNode(RESTRICTED, CONTAINER, cpuZone(0).free(8, 64), cpuZone(1), cpuZone(2),
                                cpuZone(3).free(8, 64)),
                        guaranteed(c("app").cores(24).gi(100)), Map.of("app", NumaMask.of(0, 1))),
                // 8 free cores per zone: only 3-zone sets hold 24 cores, but 2 zones would on an empty node.
                rejects("restricted: a 3-zone spread is not the 2-zone minimal set",
                        cpuNode(RESTRICTED, CONTAINER, cpuZone(0).free(8, 64), cpuZone(1).free(8, 64),
                                cpuZone(2).free(8, 64), cpuZone(3).free(8, 64)),
                        guaranteed(c("app").cores(24).gi(100)),
                        "cpu fits only sets of NUMA zones wider than the minimal one"),
                // Target width 3 (cpu's narrowest hint is a triple), narrowest triple {0,1,2}.
                admits("best-effort: a 3-zone spread is admitted on three zones",
                        cpuNode(BEST_EFFORT, CONTAINER, cpuZone(0).free(8, 64), cpuZone(1).free(8, 64),
                                cpuZone(2).free(8, 64), cpuZone(3).free(8, 64)),
                        guaranteed(c("app").cores(24).gi(100)), Map.of("app", NumaMask.of(0, 1, 2))),
                // Container scope: a takes 10 cores of zone 0 (6 left), b then prefers {1}.
                admits("single-numa-node, container scope: two 10-core containers on two zones",
                        cpuNode(SINGLE_NUMA_NODE, CONTAINER),
                        guaranteed(c("a").cores(10).gi(8), c("b").cores(10).gi(8)),
                        ordered("a", NumaMask.of(0), "b", NumaMask.of(1))),
                // Pod scope: 20 cores in one hint need two zones.
                rejects("single-numa-node, pod scope: the same containers do not fit one zone together",
                        cpuNode(SINGLE_NUMA_NODE, POD),
                        guaranteed(c("a").cores(10).gi(8), c("b").cores(10).gi(8)),
                        "pod: cpu cannot be satisfied from a single NUMA zone"),
                admits("single-numa-node, pod scope: two 6-core containers share zone 0",
                        cpuNode(SINGLE_NUMA_NODE, POD),
                        guaranteed(c("a").cores(6).gi(8), c("b").cores(6).gi(8)),
                        ordered("a", NumaMask.of(0), "b", NumaMask.of(0))),
                // Container scope: a fills zone 0 exactly (cores and memory), b must go elsewhere.
                admits("restricted, container scope: the second container avoids the zone the first filled",
                        cpuNode(RESTRICTED, CONTAINER),
                        guaranteed(c("a").cores(16).gi(64), c("b").cores(4).gi(4)),
                        ordered("a", NumaMask.of(0), "b", NumaMask.of(1))),
                // No cpu hint can hold 80 cores: {any, not preferred}.
                rejects("restricted: more cores than the node has",
                        cpuNode(RESTRICTED, CONTAINER), guaranteed(c("app").cores(80).gi(8)),
                        "cpu does not fit the free amount of any set of NUMA zones"),
                // best-effort admits the hint, then the CPU manager's Allocate fails.
                rejects("best-effort: more cores than the node has fail in allocation",
                        cpuNode(BEST_EFFORT, CONTAINER), guaranteed(c("app").cores(80).gi(8)),
                        "UnexpectedAdmissionError"),
                // Memory manager returns no hints ("no preference"); allocation then fails.
                rejects("single-numa-node: more memory than the node has fails in allocation",
                        cpuNode(SINGLE_NUMA_NODE, CONTAINER), guaranteed(c("app").cores(2).gi(300)),
                        "not enough free memory"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void predictsKubeletAdmission(Case c) {
        Admission result = admission.admit(c.node(), c.containers(), c.guaranteed());

        assertThat(result.admitted()).as(result.reason()).isEqualTo(c.admitted());
        if (c.admitted()) {
            assertThat(result.affinityPerContainer()).containsExactlyEntriesOf(c.affinity());
            assertThat(result.reason()).isEmpty();
        } else {
            assertThat(result.reason()).contains(c.reasonContains());
            assertThat(result.affinityPerContainer()).isEmpty();
        }
    }

    @Test
    void rejectionReasonReadsLikeTheKubelet() {
        Admission result = admission.admit(gpuNode(SINGLE_NUMA_NODE, CONTAINER),
                List.of(c("app").cores(2).gpus(6).build()), false);

        assertThat(result.reason()).isEqualTo("TopologyAffinityError: resources cannot be allocated with Topology"
                + " locality: container app: nvidia.com/gpu cannot be satisfied from a single NUMA zone"
                + " (policy single-numa-node, scope container)");
    }

    @Test
    void duplicateContainerNamesAreABug() {
        assertThatThrownBy(() -> admission.admit(cpuNode(RESTRICTED, POD),
                List.of(c("a").cores(1).build(), c("a").cores(1).build()), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a");
    }

    // ---- fixtures ----

    private static Case admits(String name, NodeTopology node, Pod pod, Map<String, NumaMask> affinity) {
        return new Case(name, node, pod.containers, pod.guaranteed, true, affinity, "");
    }

    private static Case rejects(String name, NodeTopology node, Pod pod, String reasonContains) {
        return new Case(name, node, pod.containers, pod.guaranteed, false, Map.of(), reasonContains);
    }

    private static Map<String, NumaMask> ordered(String a, NumaMask ma, String b, NumaMask mb) {
        Map<String, NumaMask> map = new LinkedHashMap<>();
        map.put(a, ma);
        map.put(b, mb);
        return map;
    }

    private record Pod(List<ContainerRequest> containers, boolean guaranteed) {
    }

    private static Pod guaranteed(Container... containers) {
        return new Pod(Arrays.stream(containers).map(Container::build).toList(), true);
    }

    private static Pod burstable(Container... containers) {
        return new Pod(Arrays.stream(containers).map(Container::build).toList(), false);
    }

    private static Container c(String name) {
        return new Container(name);
    }

    private static final class Container {
        private final String name;
        private final Map<String, Long> requests = new HashMap<>();

        Container(String name) {
            this.name = name;
        }

        Container cores(long cores) {
            return millicores(cores * 1000);
        }

        Container millicores(long millis) {
            requests.put("cpu", millis);
            return this;
        }

        Container gi(long gi) {
            requests.put("memory", gi * GI);
            return this;
        }

        Container gpus(long gpus) {
            requests.put(GPU, gpus);
            return this;
        }

        Container extra(String resource, long amount) {
            requests.put(resource, amount);
            return this;
        }

        ContainerRequest build() {
            return new ContainerRequest(name, requests);
        }
    }

    /** An idle zone whose available amounts can then be lowered. */
    private static final class Zone {
        private final int id;
        private final Map<String, Long> capacity;
        private final Map<String, Long> available;

        Zone(int id, Map<String, Long> capacity) {
            this.id = id;
            this.capacity = new HashMap<>(capacity);
            this.available = new HashMap<>(capacity);
        }

        Zone free(long cores, long memoryGi, long gpus) {
            available.put("cpu", cores * 1000);
            available.put("memory", memoryGi * GI);
            available.put(GPU, gpus);
            return this;
        }

        Zone free(long cores, long memoryGi) {
            available.put("cpu", cores * 1000);
            available.put("memory", memoryGi * GI);
            return this;
        }

        Zone with(String resource, long amount) {
            capacity.put(resource, amount);
            available.put(resource, amount);
            return this;
        }

        NumaZone build() {
            return new NumaZone(id, capacity, capacity, available);
        }
    }

    private static Zone gpuZone(int id) {
        return new Zone(id, Map.of("cpu", 32_000L, "memory", 256 * GI, GPU, 4L));
    }

    private static Zone cpuZone(int id) {
        return new Zone(id, Map.of("cpu", 16_000L, "memory", 64 * GI));
    }

    private static NodeTopology gpuNode(TopologyManagerPolicy policy, TopologyManagerScope scope, Zone... zones) {
        return node(policy, scope, zones.length > 0 ? zones : new Zone[] {gpuZone(0), gpuZone(1)});
    }

    private static NodeTopology cpuNode(TopologyManagerPolicy policy, TopologyManagerScope scope, Zone... zones) {
        return node(policy, scope,
                zones.length > 0 ? zones : new Zone[] {cpuZone(0), cpuZone(1), cpuZone(2), cpuZone(3)});
    }

    private static NodeTopology node(TopologyManagerPolicy policy, TopologyManagerScope scope, Zone[] zones) {
        List<NumaZone> built = new ArrayList<>();
        for (Zone zone : zones) {
            built.add(zone.build());
        }
        return new NodeTopology(built, policy, scope);
    }
}
