package io.kubenexus.scheduler.numa;

import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static io.kubenexus.scheduler.numa.TopologyFixture.cpuNode;
import static io.kubenexus.scheduler.numa.TopologyFixture.gpuNode;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.loop.Decision;
import io.kubenexus.scheduler.core.loop.SchedulingAlgorithm;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodPhase;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.testing.PodFixture;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each NUMA policy, and the kubelet's own alignment, on realistic node shapes (see
 * {@link TopologyFixture}): the 2-zone 8-GPU node, the 4-zone CPU node and a node without topology.
 * A case lists the nodes, the pods placed before (each must be placed, is assumed, then reported
 * Running; one with a node name is assumed there), and where the pod under test must go (node and zones as the Scheduled event names them) or why it is rejected.
 */
class NumaPolicyPlacementTest {
    private static final String SINGLE = "single-numa";
    private static final String RESTRICTED = "restricted";
    private static final String BEST_EFFORT = "best-effort";
    private static final String ISOLATED = "isolated";

    private static final String NO_TOPOLOGY = "node(s) had no NUMA topology";
    private static final String KUBELET = "node(s) would fail the kubelet's topology admission (TopologyAffinityError)";
    private static final String NO_SINGLE_ZONE = "node(s) had no single NUMA zone with enough free resources";
    private static final String NO_MINIMAL_ZONES = "node(s) had no minimal set of NUMA zones with enough free resources";
    private static final String NO_ZONE_TO_ISOLATE = "node(s) had no NUMA zone free of other aligned pods";

    /** A node of the case: with a topology from its NRT object, or none (null). */
    record Node(String name, TopologyFixture topology) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** {@code zones} is the Scheduled event's placement text, "" when no zone is charged, null when not checked. */
    record Expected(String node, String zones, int feasibleNodes, List<String> rejections) {
    }

    record Case(String name, NumaSettings settings, List<Node> nodes, List<PodInfo> before, PodInfo pod,
                Expected expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                // ------------------------------------------------------------ single-numa
                when("single-numa: idle GPU node: the lowest zone and its island")
                        .nodes(node("gpu-a", gpuNode()))
                        .pod(trainer("p", 8, 64, 2).annotation(policyKey(), SINGLE))
                        .placedOn("gpu-a", "NUMA zone 0, NVLink island nvl0"),
                when("single-numa: the pod fills zone 0 exactly")
                        .nodes(node("gpu-a", gpuNode()))
                        .pod(trainer("p", 48, 512, 4).annotation(policyKey(), SINGLE))
                        .placedOn("gpu-a", "NUMA zone 0, NVLink island nvl0"),
                when("single-numa: zone 0 is one core short, zone 1 fits exactly")
                        .nodes(node("gpu-a", gpuNode().freeCores(0, 47)))
                        .pod(trainer("p", 48, 512, 4).annotation(policyKey(), SINGLE))
                        .placedOn("gpu-a", "NUMA zone 1, NVLink island nvl1"),
                when("single-numa: 4 GPUs free as 2+2: the node holds them but no zone does")
                        .nodes(node("gpu-a", gpuNode().freeGpus(0, 2).freeGpus(1, 2)))
                        .pod(trainer("p", 8, 64, 4).annotation(policyKey(), SINGLE))
                        .rejected(KUBELET),
                when("single-numa on a kubelet without alignment: 2+2 GPUs rejected by the policy itself")
                        .nodes(node("gpu-a", gpuNode().policy(TopologyManagerPolicy.NONE).freeGpus(0, 2).freeGpus(1, 2)))
                        .pod(trainer("p", 8, 64, 4).annotation(policyKey(), SINGLE))
                        .rejected(NO_SINGLE_ZONE),
                when("single-numa: GPUs free only on zone 1, whose CPUs are taken (Guaranteed: the kubelet)")
                        .nodes(node("gpu-a", gpuNode().freeGpus(0, 0).freeCores(1, 4)))
                        .pod(trainer("p", 8, 64, 2).annotation(policyKey(), SINGLE))
                        .rejected(KUBELET),
                when("single-numa: GPUs free only on zone 1, whose CPUs are taken (Burstable: the policy)")
                        .nodes(node("gpu-a", gpuNode().freeGpus(0, 0).freeCores(1, 4)))
                        .pod(pod("p").cpu(8).memoryGi(64).gpu(2).annotation(policyKey(), SINGLE))
                        .rejected(NO_SINGLE_ZONE),
                // The kubelet pins the GPUs to zone 0 (the lowest that holds them): the zone is its choice.
                when("single-numa, Burstable: GPUs pinned to zone 0, whose CPUs are short, though zone 1 has all")
                        .nodes(node("gpu-a", gpuNode().freeCores(0, 4)))
                        .pod(pod("p").cpu(8).memoryGi(64).gpu(2).annotation(policyKey(), SINGLE))
                        .rejected(NO_SINGLE_ZONE),
                when("single-numa, Burstable, kubelet policy none: nothing pinned, zone 1")
                        .nodes(node("gpu-a", gpuNode().policy(TopologyManagerPolicy.NONE).freeCores(0, 4)))
                        .pod(pod("p").cpu(8).memoryGi(64).gpu(2).annotation(policyKey(), SINGLE))
                        .placedOn("gpu-a", "NUMA zone 1, NVLink island nvl1"),
                when("single-numa: 20 cores fit the 4x16 node but no zone")
                        .nodes(node("cpu-a", cpuNode()))
                        .pod(pod("p").cpu(20).memoryGi(8).annotation(policyKey(), SINGLE))
                        .rejected(NO_SINGLE_ZONE),
                when("single-numa: a node without topology is filtered out")
                        .nodes(plain("plain"))
                        .pod(trainer("p", 8, 64, 2).annotation(policyKey(), SINGLE))
                        .rejected(NO_TOPOLOGY),
                when("single-numa: of a plain node and a GPU node only the GPU node passes")
                        .nodes(plain("plain"), node("gpu-a", gpuNode()))
                        .pod(trainer("p", 8, 64, 2).annotation(policyKey(), SINGLE))
                        .placedOn("gpu-a", "NUMA zone 0, NVLink island nvl0", 1),
                when("single-numa on the GPUs only (resources annotation): CPUs may come from anywhere")
                        .nodes(node("gpu-a", gpuNode().policy(TopologyManagerPolicy.NONE).freeGpus(0, 0).freeCores(1, 4)))
                        .pod(pod("p").cpu(8).memoryGi(64).gpu(2).annotation(policyKey(), SINGLE)
                                .annotation(NumaRequest.RESOURCES_ANNOTATION, "nvidia.com/gpu"))
                        .placedOn("gpu-a", "NUMA zone 1, NVLink island nvl1"),
                when("single-numa: the next 4-GPU pod sees zone 0 taken and goes to zone 1")
                        .nodes(node("gpu-a", gpuNode()))
                        .before(trainer("t1", 8, 64, 4).annotation(policyKey(), SINGLE).build())
                        .pod(trainer("p", 8, 64, 4).annotation(policyKey(), SINGLE))
                        .placedOn("gpu-a", "NUMA zone 1, NVLink island nvl1"),

                // ------------------------------------------------------------ restricted
                when("restricted: idle CPU node: 24 cores and 100Gi on the first pair")
                        .nodes(node("cpu-a", cpuNode()))
                        .pod(pod("p").cpu(24).memoryGi(100).guaranteed().annotation(policyKey(), RESTRICTED))
                        .placedOn("cpu-a", "NUMA zones 0,1"),
                when("restricted: 24 cores need 2 of 4 zones; zones 0 and 2 have 12 free each")
                        .nodes(node("cpu-a", cpuNode().freeCoresPerZone(12, 4, 12, 4)))
                        .pod(pod("p").cpu(24).memoryGi(100).guaranteed().annotation(policyKey(), RESTRICTED))
                        .placedOn("cpu-a", "NUMA zones 0,2"),
                when("restricted: 8 free cores per zone, no pair holds 24 (Guaranteed: the kubelet)")
                        .nodes(node("cpu-a", cpuNode().freeCoresPerZone(8, 8, 8, 8)))
                        .pod(pod("p").cpu(24).memoryGi(100).guaranteed().annotation(policyKey(), RESTRICTED))
                        .rejected(KUBELET),
                when("restricted: 8 free cores per zone, no pair holds 24 (Burstable: the policy)")
                        .nodes(node("cpu-a", cpuNode().freeCoresPerZone(8, 8, 8, 8)))
                        .pod(pod("p").cpu(24).memoryGi(100).annotation(policyKey(), RESTRICTED))
                        .rejected(NO_MINIMAL_ZONES),
                when("restricted on cpu only: 24 cores on the pair 0,2, the 8Gi not aligned")
                        .nodes(node("cpu-a", cpuNode().freeCoresPerZone(12, 4, 12, 4)))
                        .pod(pod("p").cpu(24).memoryGi(8).annotation(policyKey(), RESTRICTED)
                                .annotation(NumaRequest.RESOURCES_ANNOTATION, "cpu"))
                        .placedOn("cpu-a", "NUMA zones 0,2"),
                // As the kubelet's restricted policy: a merged hint is minimal only if every resource's is.
                when("restricted: cpu needs 2 zones, memory 1: no set is minimal for both")
                        .nodes(node("cpu-a", cpuNode()))
                        .pod(pod("p").cpu(24).memoryGi(8).annotation(policyKey(), RESTRICTED))
                        .rejected(NO_MINIMAL_ZONES),
                when("restricted: a pod that fits one zone gets one zone")
                        .nodes(node("cpu-a", cpuNode().freeCores(0, 2)))
                        .pod(pod("p").cpu(8).memoryGi(8).guaranteed().annotation(policyKey(), RESTRICTED))
                        .placedOn("cpu-a", "NUMA zone 1"),
                when("restricted: a node without topology is filtered out")
                        .nodes(plain("plain"))
                        .pod(pod("p").cpu(8).memoryGi(8).annotation(policyKey(), RESTRICTED))
                        .rejected(NO_TOPOLOGY),

                // ------------------------------------------------------------ isolated
                when("isolated: idle node: zone 0")
                        .nodes(node("gpu-a", gpuNode()))
                        .pod(trainer("p", 4, 16, 1).annotation(policyKey(), ISOLATED))
                        .placedOn("gpu-a", "NUMA zone 0, NVLink island nvl0"),
                // The kubelet pins the pod to the lowest zone that holds it; isolation cannot steer it.
                when("isolated: zone 0 holds an aligned pod and has room: the kubelet would pin p there")
                        .nodes(node("gpu-a", gpuNode()))
                        .before(trainer("small", 4, 16, 1).annotation(policyKey(), SINGLE).build().withNodeName("gpu-a"))
                        .pod(trainer("p", 4, 16, 1).annotation(policyKey(), ISOLATED))
                        .rejected(NO_ZONE_TO_ISOLATE),
                when("isolated: so it goes to another node")
                        .nodes(node("gpu-a", gpuNode()), node("gpu-b", gpuNode()))
                        .before(trainer("small", 4, 16, 1).annotation(policyKey(), SINGLE).build().withNodeName("gpu-a"))
                        .pod(trainer("p", 4, 16, 1).annotation(policyKey(), ISOLATED))
                        .placedOn("gpu-b", "NUMA zone 0, NVLink island nvl0", 1),
                when("isolated: zone 0's GPUs are taken, the kubelet pins zone 1, which no aligned pod uses")
                        .nodes(node("gpu-a", gpuNode()))
                        .before(trainer("big", 8, 64, 4).annotation(policyKey(), SINGLE).build())
                        .pod(trainer("p", 4, 16, 1).annotation(policyKey(), ISOLATED))
                        .placedOn("gpu-a", "NUMA zone 1, NVLink island nvl1"),
                // A kubelet that does not pin may take zone 0's room: isolation there cannot be promised.
                when("isolated on a kubelet that does not pin: refused while zone 0 could hold it")
                        .nodes(node("gpu-a", gpuNode().policy(TopologyManagerPolicy.NONE)))
                        .before(trainer("small", 4, 16, 1).annotation(policyKey(), SINGLE).build())
                        .pod(trainer("p", 4, 16, 1).annotation(policyKey(), ISOLATED))
                        .rejected(NO_ZONE_TO_ISOLATE),
                when("isolated on a kubelet that does not pin: zone 1 when zone 0 cannot hold it")
                        .nodes(node("gpu-a", gpuNode().policy(TopologyManagerPolicy.NONE)))
                        .before(trainer("small", 4, 16, 3).annotation(policyKey(), SINGLE).build())
                        .pod(trainer("p", 4, 16, 2).annotation(policyKey(), ISOLATED))
                        .placedOn("gpu-a", "NUMA zone 1, NVLink island nvl1"),
                when("isolated: a single-numa pod the kubelet would pin into the isolated zone is rejected")
                        .nodes(node("gpu-a", gpuNode()))
                        .before(trainer("iso", 4, 16, 1).annotation(policyKey(), ISOLATED).build())
                        .pod(trainer("p", 4, 16, 1).annotation(policyKey(), SINGLE))
                        .rejected(NO_ZONE_TO_ISOLATE),
                when("isolated: so is a kubelet-aligned pod without annotation")
                        .nodes(node("gpu-a", gpuNode()))
                        .before(trainer("iso", 4, 16, 1).annotation(policyKey(), ISOLATED).build())
                        .pod(pod("p").cpu(2).memoryGi(4).gpu(1))
                        .rejected(NO_ZONE_TO_ISOLATE),
                when("isolated on a kubelet that does not pin: an aligned pod the isolated zone could hold is refused")
                        .nodes(node("gpu-a", gpuNode().policy(TopologyManagerPolicy.NONE)))
                        .before(trainer("iso", 4, 16, 1).annotation(policyKey(), ISOLATED).build())
                        .pod(trainer("p", 4, 16, 1).annotation(policyKey(), SINGLE))
                        .rejected(NO_ZONE_TO_ISOLATE),
                when("isolated on a kubelet that does not pin: one the isolated zone cannot hold goes to zone 1")
                        .nodes(node("gpu-a", gpuNode().policy(TopologyManagerPolicy.NONE)))
                        .before(trainer("iso", 4, 16, 2).annotation(policyKey(), ISOLATED).build())
                        .pod(trainer("p", 4, 16, 3).annotation(policyKey(), SINGLE))
                        .placedOn("gpu-a", "NUMA zone 1, NVLink island nvl1"),
                when("isolated: one zone full of an aligned pod, the other isolated")
                        .nodes(node("gpu-a", gpuNode()))
                        .before(trainer("big", 8, 64, 4).annotation(policyKey(), SINGLE).build(),
                                trainer("iso", 4, 16, 1).annotation(policyKey(), ISOLATED).build())
                        .pod(trainer("p", 4, 16, 1).annotation(policyKey(), ISOLATED))
                        .rejected(NO_ZONE_TO_ISOLATE),
                // The kubelet would admit p (it knows nothing of isolation): the reason is ours, not its.
                when("isolated: both zones isolated: a third isolated pod is rejected for isolation")
                        .nodes(node("gpu-a", gpuNode()))
                        .before(trainer("iso1", 8, 64, 4).annotation(policyKey(), ISOLATED).build(),
                                trainer("iso2", 4, 16, 1).annotation(policyKey(), ISOLATED).build())
                        .pod(trainer("p", 4, 16, 1).annotation(policyKey(), ISOLATED))
                        .rejected(NO_ZONE_TO_ISOLATE),
                when("isolated: a node without topology is filtered out")
                        .nodes(plain("plain"))
                        .pod(trainer("p", 4, 16, 1).annotation(policyKey(), ISOLATED))
                        .rejected(NO_TOPOLOGY),

                // ------------------------------------------------------------ best-effort
                when("best-effort: a node without topology passes")
                        .nodes(plain("plain"))
                        .pod(trainer("p", 8, 64, 2).annotation(policyKey(), BEST_EFFORT))
                        .placedOn("plain", "", 1),
                when("best-effort: a node with topology scores above one without")
                        .nodes(plain("plain"), node("gpu-a", gpuNode()))
                        .pod(trainer("p", 8, 64, 2).annotation(policyKey(), BEST_EFFORT))
                        .placedOn("gpu-a", "NUMA zone 0, NVLink island nvl0", 2),
                when("best-effort: the node where it fits one zone beats the one where it needs two")
                        .nodes(node("cpu-a", cpuNode().freeCoresPerZone(8, 8, 8, 8)),
                                node("cpu-b", cpuNode().freeCoresPerZone(8, 8, 8, 16)))
                        .pod(pod("p").cpu(12).memoryGi(8).annotation(policyKey(), BEST_EFFORT))
                        .placedOn("cpu-b", "NUMA zone 3", 2),
                when("best-effort: GPUs split 2+2 on a kubelet without alignment: admitted across zones")
                        .nodes(node("gpu-a", gpuNode().policy(TopologyManagerPolicy.NONE).freeGpus(0, 2).freeGpus(1, 2)))
                        .pod(pod("p").cpu(8).memoryGi(64).gpu(4).annotation(policyKey(), BEST_EFFORT))
                        .placedOn("gpu-a", "NUMA zones 0,1"),

                // ------------------------------------------------------------ the kubelet, no annotation
                when("kubelet single-numa-node, Guaranteed, no annotation: no zone holds cpu+memory+GPUs")
                        .nodes(node("gpu-a", gpuNode().freeGpus(0, 0).freeCores(1, 4)))
                        .pod(trainer("p", 8, 64, 2))
                        .rejected(KUBELET),
                when("kubelet single-numa-node, Guaranteed, no annotation: zone 1 holds it all")
                        .nodes(node("gpu-a", gpuNode().freeGpus(0, 0)))
                        .pod(trainer("p", 8, 64, 2))
                        .placedOn("gpu-a", "NUMA zone 1, NVLink island nvl1"),
                when("kubelet policy none: the same misaligned node is not filtered by NUMA")
                        .nodes(node("gpu-a", gpuNode().policy(TopologyManagerPolicy.NONE).freeGpus(0, 0).freeCores(1, 4)))
                        .pod(trainer("p", 8, 64, 2))
                        .placedOn("gpu-a", null),
                when("kubelet single-numa-node, Burstable: only the GPUs are aligned, CPUs come from zone 1")
                        .nodes(node("gpu-a", gpuNode().freeCores(0, 4).freeGpus(1, 0)))
                        .pod(pod("p").cpu(40).memoryGi(64).gpu(2))
                        .placedOn("gpu-a", "NUMA zone 0, NVLink island nvl0"),
                when("kubelet single-numa-node, Burstable: GPUs free as 1+1 are not aligned for 2")
                        .nodes(node("gpu-a", gpuNode().freeGpus(0, 1).freeGpus(1, 1)))
                        .pod(pod("p").cpu(2).memoryGi(4).gpu(2))
                        .rejected(KUBELET),
                when("kubelet single-numa-node, Guaranteed with fractional cpu: the CPUs are shared, not aligned")
                        .nodes(node("gpu-a", gpuNode().freeCores(0, 4).freeGpus(1, 0)))
                        .pod(trainer("p", 7.5, 16, 2))
                        .placedOn("gpu-a", "NUMA zone 0, NVLink island nvl0"),
                when("kubelet single-numa-node, Burstable without devices: NUMA does not look at it")
                        .nodes(node("gpu-a", gpuNode().freeCores(0, 0).freeCores(1, 0)))
                        .pod(pod("p").cpu(8).memoryGi(8))
                        .placedOn("gpu-a", ""),
                when("kubelet container scope: two containers of 2 GPUs each align on their own over 2+2")
                        .nodes(node("gpu-a", gpuNode().freeGpus(0, 2).freeGpus(1, 2)))
                        .pod(twoContainers())
                        .placedOn("gpu-a", "NUMA zones 0,1"),
                when("kubelet pod scope: the same pod needs 4 GPUs from one zone")
                        .nodes(node("gpu-a", gpuNode().scope(TopologyManagerScope.POD).freeGpus(0, 2).freeGpus(1, 2)))
                        .pod(twoContainers())
                        .rejected(KUBELET),

                // ------------------------------------------------------------ scores
                when("score: GPUs from one NVLink island beat GPUs split across islands of the zone")
                        .nodes(node("gpu-split", gpuNode().withoutIslands().island("nvl0a", 0, 2).island("nvl0b", 0, 2)
                                        .island("nvl1a", 1, 2).island("nvl1b", 1, 2)),
                                node("gpu-a", gpuNode()))
                        .pod(trainer("p", 8, 64, 4).annotation(policyKey(), SINGLE))
                        .placedOn("gpu-a", "NUMA zone 0, NVLink island nvl0", 2),
                when("score: packing prefers the node whose zone is fuller")
                        .nodes(node("gpu-a", gpuNode()), node("gpu-b", gpuNode().freeCores(0, 24)))
                        .pod(trainer("p", 8, 32, 0).annotation(policyKey(), SINGLE))
                        .placedOn("gpu-b", "NUMA zone 0", 2),
                when("score: spreading prefers the node whose zone is emptier")
                        .settings(NumaSettings.defaults().withZoneScoring(NumaSettings.ZoneScoring.SPREAD))
                        .nodes(node("gpu-a", gpuNode().freeCores(0, 24)), node("gpu-b", gpuNode()))
                        .pod(trainer("p", 8, 32, 0).annotation(policyKey(), SINGLE))
                        .placedOn("gpu-b", "NUMA zone 0", 2)
        ).map(CaseBuilder::build);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void placesThePodAsItsPolicyAndTheKubeletRequire(Case c) {
        NumaZones zones = new NumaZones(c.settings());
        ClusterState state = new ClusterState();
        state.addExtension(zones);
        for (Node node : c.nodes()) {
            if (node.topology() == null) {
                state.upsertNode(TopologyFixture.plainNode(node.name()));
            } else {
                node.topology().install(state, zones, node.name(), TopologySource.NODE_RESOURCE_TOPOLOGY);
            }
        }
        SchedulingAlgorithm algorithm = new SchedulingAlgorithm(
                NumaPlugins.profiles(c.settings()).create(SchedulerSettings.defaults()), 100);
        for (PodInfo earlier : c.before()) {
            PodInfo placed = earlier;
            if (earlier.nodeName() == null) {
                Decision decision = algorithm.schedule(earlier, state);
                assertThat(decision).as("pod %s placed before", earlier.key().name()).isInstanceOf(Decision.Placed.class);
                placed = earlier.withNodeName(((Decision.Placed) decision).nodeName());
            }
            state.assume(placed);
            // The kubelet has admitted it: bound and Running, as the API then reports it.
            state.upsertPod(placed.withPhase(PodPhase.RUNNING));
        }

        Decision decision = algorithm.schedule(c.pod(), state);

        Expected expected = c.expected();
        if (expected.rejections() != null) {
            assertThat(decision).as(c.name()).isInstanceOf(Decision.Unschedulable.class);
            String message = ((Decision.Unschedulable) decision).message();
            for (String reason : expected.rejections()) {
                assertThat(message).as(c.name()).contains(reason);
            }
            return;
        }
        assertThat(decision).as(c.name()).isInstanceOf(Decision.Placed.class);
        Decision.Placed placed = (Decision.Placed) decision;
        if (expected.node() != null) {
            assertThat(placed.nodeName()).as(c.name()).isEqualTo(expected.node());
        }
        if (expected.feasibleNodes() > 0) {
            assertThat(placed.feasibleNodes()).as("%s: feasible nodes", c.name()).isEqualTo(expected.feasibleNodes());
        }
        state.assume(c.pod().withNodeName(placed.nodeName()));
        if (expected.zones() != null) {
            ZonePlacement placement = zones.placement(c.pod().key());
            assertThat(placement == null ? "" : placement.describe()).as("%s: zones charged", c.name()).isEqualTo(expected.zones());
        }
    }

    // ------------------------------------------------------------------ pods

    private static String policyKey() {
        return NumaRequest.POLICY_ANNOTATION;
    }

    /** A Guaranteed training pod: whole cores, memory in Gi and GPUs in one container. */
    private static PodFixture trainer(String name, double cores, long memoryGi, long gpus) {
        PodFixture pod = pod(name).cpu(cores).memoryGi(memoryGi).guaranteed();
        return gpus > 0 ? pod.gpu(gpus) : pod;
    }

    /** Guaranteed, two app containers of {4 cores, 32Gi, 2 GPUs}. */
    private static PodFixture twoContainers() {
        Map<String, Long> each = Map.of("cpu", 4000L, "memory", 32 * TopologyFixture.GI, "nvidia.com/gpu", 2L);
        return pod("p").guaranteed().container("learner", each).container("actor", each);
    }

    // ------------------------------------------------------------------ case builder

    private static Node node(String name, TopologyFixture topology) {
        return new Node(name, topology);
    }

    private static Node plain(String name) {
        return new Node(name, null);
    }

    private static CaseBuilder when(String name) {
        return new CaseBuilder(name);
    }

    private static final class CaseBuilder {
        private final String name;
        private NumaSettings settings = NumaSettings.defaults();
        private List<Node> nodes = List.of();
        private List<PodInfo> before = List.of();
        private PodInfo pod;
        private Expected expected;

        CaseBuilder(String name) {
            this.name = name;
        }

        CaseBuilder settings(NumaSettings value) {
            this.settings = value;
            return this;
        }

        CaseBuilder nodes(Node... value) {
            this.nodes = List.of(value);
            return this;
        }

        CaseBuilder before(PodInfo... value) {
            this.before = List.of(value);
            return this;
        }

        CaseBuilder pod(PodFixture value) {
            this.pod = value.build();
            return this;
        }

        CaseBuilder placedOn(String node, String zones) {
            return placedOn(node, zones, 0);
        }

        CaseBuilder placedOn(String node, String zones, int feasibleNodes) {
            this.expected = new Expected(node, zones, feasibleNodes, null);
            return this;
        }

        CaseBuilder rejected(String... reasons) {
            this.expected = new Expected(null, null, 0, Arrays.asList(reasons));
            return this;
        }

        Case build() {
            return new Case(name, settings, nodes, before, pod, expected);
        }
    }
}
