package io.kubenexus.scheduler.kube.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubenexus.scheduler.kube.translate.Translation;
import io.kubenexus.scheduler.numa.NodeTopology;
import io.kubenexus.scheduler.numa.NumaZone;
import io.kubenexus.scheduler.numa.TopologyManagerPolicy;
import io.kubenexus.scheduler.numa.TopologyManagerScope;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeResourceTopologyTranslatorTest {
    private static final long GI = 1L << 30;
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private final NodeResourceTopologyTranslator translator = new NodeResourceTopologyTranslator();

    static GenericKubernetesResource nrt(String body) {
        return YAML.unmarshal("""
                apiVersion: topology.node.k8s.io/v1alpha2
                kind: NodeResourceTopology
                metadata: {name: gpu-a}
                """ + body, GenericKubernetesResource.class);
    }

    private NodeTopology valid(GenericKubernetesResource object) {
        Translation<NodeTopology> translated = translator.translate(object);
        assertThat(translated.errorOrNull()).as("translation error").isNull();
        return translated.orElseThrow();
    }

    @Test
    void twoZoneEightGpuNodeWithCostsAndOtherZoneTypes() {
        NodeTopology topology = valid(nrt("""
                attributes:
                - {name: topologyManagerPolicy, value: single-numa-node}
                - {name: topologyManagerScope, value: pod}
                - {name: nodeTopologyPodsFingerprint, value: pfp0v001ef46db3751d8e999}
                zones:
                - name: node-0
                  type: Node
                  costs: [{name: node-0, value: 10}, {name: node-1, value: 20}]
                  resources:
                  - {name: cpu, capacity: "48", allocatable: "46", available: "30"}
                  - {name: memory, capacity: 256Gi, allocatable: 250Gi, available: 200Gi}
                  - {name: nvidia.com/gpu, capacity: "4", allocatable: "4", available: "2"}
                - name: node-1
                  type: Node
                  resources:
                  - {name: cpu, capacity: 48, allocatable: 48, available: 47.5}
                  - {name: memory, capacity: 256Gi, allocatable: 256Gi, available: 256Gi}
                  - {name: nvidia.com/gpu, capacity: "4", allocatable: "4", available: "4"}
                - name: l3-cache-0
                  type: Cache
                  resources: [{name: cpu, capacity: "bogus, not read"}]
                """));

        assertThat(topology.policy()).isEqualTo(TopologyManagerPolicy.SINGLE_NUMA_NODE);
        assertThat(topology.scope()).isEqualTo(TopologyManagerScope.POD);
        assertThat(topology.zones()).containsExactly(
                new NumaZone(0,
                        Map.of("cpu", 48_000L, "memory", 256 * GI, "nvidia.com/gpu", 4L),
                        Map.of("cpu", 46_000L, "memory", 250 * GI, "nvidia.com/gpu", 4L),
                        Map.of("cpu", 30_000L, "memory", 200 * GI, "nvidia.com/gpu", 2L)),
                new NumaZone(1,
                        Map.of("cpu", 48_000L, "memory", 256 * GI, "nvidia.com/gpu", 4L),
                        Map.of("cpu", 48_000L, "memory", 256 * GI, "nvidia.com/gpu", 4L),
                        Map.of("cpu", 47_500L, "memory", 256 * GI, "nvidia.com/gpu", 4L)));
    }

    @Test
    void fourZoneCpuNodeWithZonesOutOfOrderAndDefaultedAmounts() {
        NodeTopology topology = valid(nrt("""
                attributes:
                - {name: topologyManagerPolicy, value: restricted}
                zones:
                - {name: node-3, type: Node, resources: [{name: cpu, capacity: "16"}]}
                - {name: node-1, type: Node, resources: [{name: cpu, capacity: "16", allocatable: "15"}]}
                - {name: node-0, type: Node, resources: [{name: cpu, capacity: "16", allocatable: "14", available: 2500m}]}
                - {name: node-2, type: Node, resources: [{name: cpu, capacity: "16"}, {name: hugepages-1Gi, capacity: 8Gi}]}
                """));

        assertThat(topology.policy()).isEqualTo(TopologyManagerPolicy.RESTRICTED);
        assertThat(topology.scope()).as("kubelet default").isEqualTo(TopologyManagerScope.CONTAINER);
        assertThat(topology.zones()).extracting(NumaZone::id).containsExactly(0, 1, 2, 3);
        assertThat(topology.zones().get(0).availableOf("cpu")).isEqualTo(2_500);
        assertThat(topology.zones().get(1).allocatableOf("cpu")).isEqualTo(15_000);
        assertThat(topology.zones().get(1).availableOf("cpu")).as("missing available: allocatable").isEqualTo(15_000);
        assertThat(topology.zones().get(3).allocatableOf("cpu")).as("missing allocatable: capacity").isEqualTo(16_000);
        assertThat(topology.zones().get(3).availableOf("cpu")).isEqualTo(16_000);
        assertThat(topology.zones().get(2).capacityOf("hugepages-1Gi")).isEqualTo(8 * GI);
    }

    static Stream<Arguments> legacyPolicies() {
        return Stream.of(
                Arguments.of("SingleNUMANodeContainerLevel", TopologyManagerPolicy.SINGLE_NUMA_NODE, TopologyManagerScope.CONTAINER),
                Arguments.of("SingleNUMANodePodLevel", TopologyManagerPolicy.SINGLE_NUMA_NODE, TopologyManagerScope.POD),
                Arguments.of("RestrictedContainerLevel", TopologyManagerPolicy.RESTRICTED, TopologyManagerScope.CONTAINER),
                Arguments.of("RestrictedPodLevel", TopologyManagerPolicy.RESTRICTED, TopologyManagerScope.POD),
                Arguments.of("BestEffortContainerLevel", TopologyManagerPolicy.BEST_EFFORT, TopologyManagerScope.CONTAINER),
                Arguments.of("BestEffortPodLevel", TopologyManagerPolicy.BEST_EFFORT, TopologyManagerScope.POD),
                Arguments.of("None", TopologyManagerPolicy.NONE, TopologyManagerScope.CONTAINER));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("legacyPolicies")
    void withoutAttributesTheV1alpha1TopologyPoliciesApply(String legacy, TopologyManagerPolicy policy,
                                                           TopologyManagerScope scope) {
        NodeTopology topology = valid(nrt("topologyPolicies: [" + legacy + "]\n"
                + "zones: [{name: node-0, type: Node, resources: [{name: cpu, capacity: '8'}]}]\n"));

        assertThat(topology.policy()).isEqualTo(policy);
        assertThat(topology.scope()).isEqualTo(scope);
    }

    @Test
    void attributesWinOverTopologyPoliciesOneByOne() {
        NodeTopology topology = valid(nrt("""
                topologyPolicies: [RestrictedPodLevel]
                attributes: [{name: topologyManagerPolicy, value: best-effort}]
                zones: [{name: node-0, type: Node, resources: [{name: cpu, capacity: '8'}]}]
                """));

        assertThat(topology.policy()).isEqualTo(TopologyManagerPolicy.BEST_EFFORT);
        assertThat(topology.scope()).as("not in the attributes: from topologyPolicies").isEqualTo(TopologyManagerScope.POD);
    }

    @Test
    void withNeitherAttributesNorTopologyPoliciesTheKubeletDefaultsApply() {
        NodeTopology topology = valid(nrt("zones: [{name: node-0, type: Node, resources: [{name: cpu, capacity: '8'}]}]\n"));

        assertThat(topology.policy()).isEqualTo(TopologyManagerPolicy.NONE);
        assertThat(topology.scope()).isEqualTo(TopologyManagerScope.CONTAINER);
    }

    private static final String ZONE_0 = "- {name: node-0, type: Node, resources: [{name: cpu, capacity: '8'}]}\n";

    static Stream<Arguments> malformed() {
        String where = "NodeResourceTopology gpu-a: ";
        return Stream.of(
                Arguments.of("bad available quantity", "zones:\n" + ZONE_0
                        + "- {name: node-1, type: Node, resources: [{name: cpu, capacity: '8', available: 12x}]}\n",
                        where + "zones[1].resources[0].available \"12x\" is not a valid quantity"),
                Arguments.of("negative allocatable", "zones:\n"
                        + "- {name: node-0, type: Node, resources: [{name: memory, capacity: 1Gi, allocatable: -1Gi}]}\n",
                        where + "zones[0].resources[0].allocatable \"-1Gi\" must not be negative"),
                Arguments.of("fractional device", "zones:\n"
                        + "- {name: node-0, type: Node, resources: [{name: nvidia.com/gpu, capacity: '1.5'}]}\n",
                        where + "zones[0].resources[0].capacity \"1.5\" must be a whole number for an extended resource"),
                Arguments.of("capacity missing", "zones:\n"
                        + "- {name: node-0, type: Node, resources: [{name: cpu, allocatable: '8'}]}\n",
                        where + "zones[0].resources[0].capacity is missing"),
                Arguments.of("capacity is a map", "zones:\n"
                        + "- {name: node-0, type: Node, resources: [{name: cpu, capacity: {value: 8}}]}\n",
                        where + "zones[0].resources[0].capacity is an object, expected a quantity"),
                Arguments.of("resource without a name", "zones:\n"
                        + "- {name: node-0, type: Node, resources: [{capacity: '8'}]}\n",
                        where + "zones[0].resources[0].name is missing"),
                Arguments.of("resource listed twice", "zones:\n"
                        + "- {name: node-0, type: Node, resources: [{name: cpu, capacity: '8'}, {name: cpu, capacity: '4'}]}\n",
                        where + "zones[0].resources[1].name \"cpu\" is listed twice in this zone"),
                Arguments.of("zone name not node-<id>", "zones:\n" + ZONE_0
                        + "- {name: numa1, type: Node, resources: []}\n",
                        where + "zones[1].name \"numa1\" is not of the form node-<id>"),
                Arguments.of("zone id repeated", "zones:\n" + ZONE_0 + ZONE_0,
                        where + "zones[1].name \"node-0\" repeats zones[0]"),
                Arguments.of("zone id too large for the model", "zones:\n"
                        + "- {name: node-99, type: Node, resources: []}\n",
                        where + "zones[0].name \"node-99\": the zone id must be at most 63"),
                Arguments.of("zone without type", "zones:\n- {name: node-0, resources: []}\n",
                        where + "zones[0].type is missing"),
                Arguments.of("no Node zones", "zones:\n- {name: socket-0, type: Socket, resources: []}\n",
                        where + "zones has no zone of type Node"),
                Arguments.of("zones missing", "attributes: []\n", where + "zones is missing"),
                Arguments.of("zones not a list", "zones: {node-0: {}}\n", where + "zones is an object, expected a list"),
                Arguments.of("resources not a list", "zones:\n- {name: node-0, type: Node, resources: cpu}\n",
                        where + "zones[0].resources is \"cpu\", expected a list"),
                Arguments.of("unknown policy attribute value", "attributes:\n"
                        + "- {name: topologyManagerScope, value: pod}\n- {name: topologyManagerPolicy, value: single-numa}\n"
                        + "zones:\n" + ZONE_0,
                        where + "attributes[1].value: unknown topologyManagerPolicy 'single-numa', expected one of "
                                + "none, best-effort, restricted, single-numa-node"),
                Arguments.of("unknown scope attribute value", "attributes:\n- {name: topologyManagerScope, value: node}\n"
                        + "zones:\n" + ZONE_0,
                        where + "attributes[0].value: unknown topologyManagerScope 'node', expected one of container, pod"),
                Arguments.of("attribute value not a string", "attributes:\n- {name: topologyManagerScope, value: [pod]}\n"
                        + "zones:\n" + ZONE_0,
                        where + "attributes[0].value is a list, expected a string"),
                Arguments.of("unknown legacy policy", "topologyPolicies: [SingleNUMANode]\nzones:\n" + ZONE_0,
                        where + "topologyPolicies[0] \"SingleNUMANode\" is not a known policy, expected one of "
                                + "BestEffortContainerLevel, BestEffortPodLevel, None, RestrictedContainerLevel, "
                                + "RestrictedPodLevel, SingleNUMANodeContainerLevel, SingleNUMANodePodLevel"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedObjectIsAnErrorNamingObjectFieldAndValue(String name, String body, String message) {
        assertThat(translator.translate(nrt(body))).isEqualTo(Translation.invalid(message));
    }

    @Test
    void moreZonesThanTheModelEnumeratesIsAnError() {
        StringBuilder zones = new StringBuilder("zones:\n");
        for (int i = 0; i < 17; i++) {
            zones.append("- {name: node-").append(i).append(", type: Node, resources: [{name: cpu, capacity: '8'}]}\n");
        }
        assertThat(translator.translate(nrt(zones.toString())).errorOrNull())
                .startsWith("NodeResourceTopology gpu-a: zones: at most ");
    }

    @Test
    void sameContentTranslatesEqual() {
        String body = "zones:\n" + ZONE_0;
        assertThat(translator.translate(nrt(body))).isEqualTo(translator.translate(nrt(body)));
        assertThat(List.of(valid(nrt(body)))).isNotEmpty();
    }
}
