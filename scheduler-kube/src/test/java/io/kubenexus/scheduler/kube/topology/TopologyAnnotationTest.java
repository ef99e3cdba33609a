package io.kubenexus.scheduler.kube.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.kube.translate.Translation;
import io.kubenexus.scheduler.numa.NodeTopology;
import io.kubenexus.scheduler.numa.NumaZone;
import io.kubenexus.scheduler.numa.TopologyManagerPolicy;
import io.kubenexus.scheduler.numa.TopologyManagerScope;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TopologyAnnotationTest {
    private static final long GI = 1L << 30;
    private final TopologyAnnotation annotation = new TopologyAnnotation();

    private NodeTopology valid(String json) {
        Translation<NodeTopology> read = annotation.read("gpu-a", json);
        assertThat(read.errorOrNull()).as("parse error").isNull();
        return read.orElseThrow();
    }

    @Test
    void twoZoneEightGpuNode() {
        NodeTopology topology = valid("""
                {"topologyManagerPolicy": "single-numa-node", "topologyManagerScope": "container",
                 "zones": [{"id": 0, "resources": {"cpu": "32", "memory": "128Gi", "nvidia.com/gpu": "4"}},
                           {"id": 1, "resources": {"cpu": 32, "memory": "128Gi", "nvidia.com/gpu": 4},
                            "allocatable": {"cpu": "30", "memory": "120Gi"}}]}
                """);

        assertThat(topology.policy()).isEqualTo(TopologyManagerPolicy.SINGLE_NUMA_NODE);
        assertThat(topology.scope()).isEqualTo(TopologyManagerScope.CONTAINER);
        Map<String, Long> full = Map.of("cpu", 32_000L, "memory", 128 * GI, "nvidia.com/gpu", 4L);
        Map<String, Long> reduced = Map.of("cpu", 30_000L, "memory", 120 * GI, "nvidia.com/gpu", 4L);
        assertThat(topology.zones()).containsExactly(
                new NumaZone(0, full, full, full),
                new NumaZone(1, full, reduced, reduced));
    }

    @Test
    void fourZoneCpuNodeWithDefaultPolicyAndScope() {
        NodeTopology topology = valid("""
                {"zones": [{"id": 2, "resources": {"cpu": "16", "memory": "64Gi"}},
                           {"id": 0, "resources": {"cpu": "16", "memory": "64Gi"}},
                           {"id": 3, "resources": {"cpu": "16", "memory": "64Gi"}},
                           {"id": 1, "resources": {"cpu": "15500m", "memory": "64Gi", "hugepages-2Mi": "1Gi"}}]}
                """);

        assertThat(topology.policy()).isEqualTo(TopologyManagerPolicy.NONE);
        assertThat(topology.scope()).isEqualTo(TopologyManagerScope.CONTAINER);
        assertThat(topology.zones()).extracting(NumaZone::id).containsExactly(0, 1, 2, 3);
        assertThat(topology.zones().get(1).capacityOf("cpu")).isEqualTo(15_500);
        assertThat(topology.zones().get(1).capacityOf("hugepages-2Mi")).isEqualTo(GI);
    }

    static Stream<Arguments> malformed() {
        String where = "node gpu-a: annotation numa.scheduling.kubenexus.io/topology: ";
        String zone0 = "{\"id\": 0, \"resources\": {\"cpu\": \"8\"}}";
        return Stream.of(
                Arguments.of("not JSON", "zones: []", where + "is not valid JSON: Unrecognized token 'zones'"),
                Arguments.of("empty", "", where + "is empty"),
                Arguments.of("a list", "[]", where + "the value is a list, expected an object"),
                Arguments.of("trailing content", "{\"zones\": [" + zone0 + "]} {}",
                        where + "is not valid JSON: Trailing token (of type START_OBJECT) found after value"),
                Arguments.of("duplicate key", "{\"zones\": [], \"zones\": []}", where + "is not valid JSON: Duplicate field 'zones'"),
                Arguments.of("unknown top-level key", "{\"policy\": \"single-numa-node\", \"zones\": [" + zone0 + "]}",
                        where + "policy: unknown key, expected one of topologyManagerPolicy, topologyManagerScope, zones"),
                Arguments.of("unknown zone key", "{\"zones\": [" + zone0 + ", {\"id\": 1, \"resources\": {}, \"available\": {}}]}",
                        where + "zones[1].available: unknown key, expected one of allocatable, id, resources"),
                Arguments.of("bad policy", "{\"topologyManagerPolicy\": \"single-numa\", \"zones\": [" + zone0 + "]}",
                        where + "topologyManagerPolicy: unknown topologyManagerPolicy 'single-numa', expected one of "
                                + "none, best-effort, restricted, single-numa-node"),
                Arguments.of("bad scope", "{\"topologyManagerScope\": 1, \"zones\": [" + zone0 + "]}",
                        where + "topologyManagerScope is 1, expected a string"),
                Arguments.of("zones missing", "{}", where + "zones is missing, expected a list"),
                Arguments.of("zones empty", "{\"zones\": []}", where + "zones is empty"),
                Arguments.of("zone id missing", "{\"zones\": [{\"resources\": {}}]}", where + "zones[0].id is missing, expected an integer"),
                Arguments.of("zone id a string", "{\"zones\": [{\"id\": \"0\", \"resources\": {}}]}",
                        where + "zones[0].id is \"0\", expected an integer"),
                Arguments.of("zone id negative", "{\"zones\": [{\"id\": -1, \"resources\": {}}]}",
                        where + "zones[0].id -1 must be in 0..63"),
                Arguments.of("zone id repeated", "{\"zones\": [" + zone0 + ", " + zone0 + "]}",
                        where + "zones[1].id 0 repeats zones[0]"),
                Arguments.of("resources missing", "{\"zones\": [{\"id\": 0}]}",
                        where + "zones[0].resources is missing, expected an object"),
                Arguments.of("bad quantity", "{\"zones\": [" + zone0 + ", {\"id\": 1, \"resources\": {\"memory\": \"128GB\"}}]}",
                        where + "zones[1].resources.memory \"128GB\" is not a valid quantity"),
                Arguments.of("quantity not a string or number", "{\"zones\": [{\"id\": 0, \"resources\": {\"cpu\": true}}]}",
                        where + "zones[0].resources.cpu is true, expected a quantity"),
                Arguments.of("fractional GPUs", "{\"zones\": [{\"id\": 0, \"resources\": {\"nvidia.com/gpu\": \"0.5\"}}]}",
                        where + "zones[0].resources.nvidia.com/gpu \"0.5\" must be a whole number for an extended resource"),
                Arguments.of("allocatable of an unlisted resource", "{\"zones\": [{\"id\": 0, \"resources\": {\"cpu\": \"8\"}, "
                                + "\"allocatable\": {\"memory\": \"1Gi\"}}]}",
                        where + "zones[0].allocatable.memory: not listed in zones[0].resources"),
                Arguments.of("allocatable above capacity", "{\"zones\": [{\"id\": 0, \"resources\": {\"cpu\": \"8\"}, "
                                + "\"allocatable\": {\"cpu\": \"9\"}}]}",
                        where + "zones[0].allocatable.cpu \"9\" exceeds the zone's resources"),
                Arguments.of("zone id too large for the model", "{\"zones\": [{\"id\": 64, \"resources\": {}}]}",
                        where + "zones[0].id 64 must be in 0..63"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedAnnotationIsAnErrorNamingNodeAnnotationAndKey(String name, String json, String message) {
        String error = annotation.read("gpu-a", json).errorOrNull();
        if (message.contains("is not valid JSON")) {
            assertThat(error).startsWith(message); // Jackson appends the location
        } else {
            assertThat(error).isEqualTo(message);
        }
    }
}
