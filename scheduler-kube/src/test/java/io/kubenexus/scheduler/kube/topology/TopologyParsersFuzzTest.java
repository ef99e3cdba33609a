package io.kubenexus.scheduler.kube.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.kubenexus.scheduler.core.testing.Fuzz;
import io.kubenexus.scheduler.kube.testing.FuzzedJson;
import io.kubenexus.scheduler.kube.translate.Translation;
import io.kubenexus.scheduler.numa.GpuInterconnect;
import io.kubenexus.scheduler.numa.NodeTopology;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every reader of published topology ends in a topology or in a message that names the object and
 * the field; none throws, and none falls back to its catch-all ("cannot be read: <exception>"),
 * which would mean a case the parser does not handle on purpose.
 */
class TopologyParsersFuzzTest {
    private static final String TOPOLOGY_WHERE = "node gpu-a: annotation " + TopologyAnnotation.KEY + ": ";
    private static final String ISLANDS_WHERE = "node gpu-a: annotation " + GpuIslandsAnnotation.KEY + ": ";
    private static final String NRT_WHERE = "NodeResourceTopology gpu-a: ";

    /** What an annotation's message may begin with after the node and annotation: the whole value, or a field. */
    private static final String ANNOTATION_SUBJECT = "(is not valid JSON|is empty|the value |.+: unknown key, expected|";

    /**
     * An error names the object, then the field ({@code subject}: the field paths the format has),
     * and is one the parser meant to give, not its catch-all for an exception.
     */
    static void assertNamedError(Translation<?> result, String where, String subject) {
        String error = result.errorOrNull();
        if (error == null) {
            return;
        }
        assertThat(error).startsWith(where).doesNotContain("cannot be read").doesNotContain("Exception");
        assertThat(error.substring(where.length())).as("names the field").containsPattern("(?s)^" + subject);
    }

    @Test
    void topologyAnnotation() {
        TopologyAnnotation annotation = new TopologyAnnotation();
        Fuzz.named("topology annotation").strings(List.of(
                "{\"topologyManagerPolicy\": \"single-numa-node\", \"topologyManagerScope\": \"container\", \"zones\": "
                        + "[{\"id\": 0, \"resources\": {\"cpu\": \"32\", \"memory\": \"128Gi\", \"nvidia.com/gpu\": \"4\"}},"
                        + " {\"id\": 1, \"resources\": {\"cpu\": 32, \"memory\": \"128Gi\", \"nvidia.com/gpu\": 4},"
                        + " \"allocatable\": {\"cpu\": \"30\", \"memory\": \"120Gi\"}}]}",
                "{\"zones\": [{\"id\": 1, \"resources\": {\"cpu\": \"15500m\", \"memory\": \"64Gi\", \"hugepages-2Mi\": \"1Gi\"}},"
                        + " {\"id\": 0, \"resources\": {\"cpu\": 0.5, \"memory\": 1e9}}]}",
                "{\"topologyManagerPolicy\": \"restricted\", \"topologyManagerScope\": \"pod\", \"zones\": [{\"id\": 63, \"resources\": {}}]}"),
                input -> {
                    Translation<NodeTopology> read = annotation.read("gpu-a", input);
                    assertNamedError(read, TOPOLOGY_WHERE,
                            ANNOTATION_SUBJECT + "zones|topologyManagerPolicy|topologyManagerScope)");
                    if (read.isValid()) {
                        assertThat(read.orElseThrow().zones()).isNotEmpty();
                    }
                });
    }

    @Test
    void gpuIslandsAnnotation() {
        GpuIslandsAnnotation annotation = new GpuIslandsAnnotation();
        NodeTopology topology = new TopologyAnnotation().read("gpu-a",
                "{\"zones\": [{\"id\": 0, \"resources\": {\"nvidia.com/gpu\": 4}}, {\"id\": 1, \"resources\": {\"nvidia.com/gpu\": 4}}]}")
                .orElseThrow();
        Fuzz.named("gpu islands annotation").strings(List.of(
                "{\"resource\": \"nvidia.com/gpu\", \"islands\": [{\"name\": \"nvl0\", \"zone\": 0, \"gpus\": 4},"
                        + " {\"name\": \"nvl1\", \"zone\": 1, \"gpus\": 4}]}",
                "{\"islands\": [{\"name\": \"a\", \"zone\": 0, \"gpus\": 2}, {\"name\": \"b\", \"zone\": 0, \"gpus\": 2}]}",
                "{\"resource\": \"amd.com/gpu\", \"islands\": [{\"name\": \"x\", \"zone\": 1, \"gpus\": 1}]}"),
                input -> {
                    Translation<GpuInterconnect> read = annotation.read("gpu-a", input);
                    assertNamedError(read, ISLANDS_WHERE, ANNOTATION_SUBJECT + "resource|islands)");
                    if (read.isValid()) {
                        String misfit = annotation.checkAgainst("gpu-a", read.orElseThrow(), topology);
                        if (misfit != null) {
                            assertThat(misfit).startsWith(ISLANDS_WHERE + "islands[");
                        }
                    }
                });
    }

    @Test
    void nodeResourceTopologyObjects() {
        NodeResourceTopologyTranslator translator = new NodeResourceTopologyTranslator();
        List<String> texts = List.of("node-0", "node-1", "Node", "cpu", "memory", "nvidia.com/gpu", "hugepages-2Mi",
                "48", "46", "2500m", "256Gi", "single-numa-node", "pod", "container", "topologyManagerPolicy",
                "topologyManagerScope", "SingleNUMANodePodLevel");
        int[] valid = new int[1];
        Fuzz.named("node resource topology").generated(random -> nrt(new FuzzedJson(random, texts)), object -> {
            Translation<NodeTopology> translated = translator.translate(object);
            assertNamedError(translated, NRT_WHERE, "(zones|attributes|topologyPolicies)");
            if (translated.isValid()) {
                valid[0]++;
                assertThat(translated.orElseThrow().zones()).isNotEmpty();
            }
        });
        assertThat(valid[0]).as("objects read to the end").isGreaterThan(Fuzz.DEFAULT_CASES / 40);
    }

    /** A NodeResourceTopology as exporters publish it, fuzzed field by field. */
    private static GenericKubernetesResource nrt(FuzzedJson json) {
        Map<String, Object> object = new LinkedHashMap<>();
        if (json.chance(80)) {
            object.put("attributes", json.chance(90) ? json.listOf(3, () -> attribute(json)) : json.anyValue());
        }
        if (json.chance(20)) {
            object.put("topologyPolicies", json.chance(80)
                    ? json.listOf(2, () -> json.mostly(List.of("SingleNUMANodeContainerLevel", "RestrictedPodLevel", "None")))
                    : json.anyValue());
        }
        if (json.chance(95)) {
            object.put("zones", json.chance(90) ? json.listOf(4, () -> zone(json)) : json.anyValue());
        }
        json.reshaped(object);
        object.put("apiVersion", "topology.node.k8s.io/v1alpha2");
        object.put("kind", "NodeResourceTopology");
        object.put("metadata", Map.of("name", "gpu-a"));
        return FuzzedJson.throughTheWire(object);
    }

    private static Object attribute(FuzzedJson json) {
        if (json.chance(5)) {
            return json.anyValue();
        }
        Map<String, Object> attribute = new LinkedHashMap<>();
        String name = json.pick(List.of("topologyManagerPolicy", "topologyManagerScope", "nodeTopologyPodsFingerprint"));
        attribute.put("name", json.mostly(List.of(name)));
        attribute.put("value", json.mostly(name.equals("topologyManagerScope") ? List.of("pod", "container")
                : List.of("single-numa-node", "restricted", "best-effort", "none")));
        return json.reshaped(attribute);
    }

    private static Object zone(FuzzedJson json) {
        if (json.chance(5)) {
            return json.anyValue();
        }
        Map<String, Object> zone = new LinkedHashMap<>();
        zone.put("name", json.mostly(List.of("node-0", "node-1", "node-2", "node-7", "node-63", "node-64", "node-999999999")));
        zone.put("type", json.mostly(List.of("Node", "Node", "Node", "Cache", "Core")));
        if (json.chance(30)) {
            zone.put("costs", json.listOf(2, () -> {
                Map<String, Object> cost = new LinkedHashMap<>();
                cost.put("name", json.mostly(List.of("node-0", "node-1")));
                cost.put("value", json.mostly(List.of(10, 20)));
                return cost;
            }));
        }
        zone.put("resources", json.chance(95) ? json.listOf(4, () -> resource(json)) : json.anyValue());
        return json.reshaped(zone);
    }

    private static Object resource(FuzzedJson json) {
        if (json.chance(5)) {
            return json.anyValue();
        }
        List<Object> amounts = List.of("48", "46", "2500m", "256Gi", 48, 47.5, "0", "4", 4);
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("name", json.mostly(List.of("cpu", "memory", "nvidia.com/gpu", "hugepages-1Gi")));
        resource.put("capacity", json.mostly(amounts));
        if (json.chance(80)) {
            resource.put("allocatable", json.mostly(amounts));
        }
        if (json.chance(80)) {
            resource.put("available", json.mostly(amounts));
        }
        return json.reshaped(resource);
    }
}
