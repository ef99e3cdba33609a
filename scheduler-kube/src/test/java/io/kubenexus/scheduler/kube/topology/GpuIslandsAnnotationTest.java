package io.kubenexus.scheduler.kube.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.kube.translate.Translation;
import io.kubenexus.scheduler.numa.GpuInterconnect;
import io.kubenexus.scheduler.numa.GpuIsland;
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

class GpuIslandsAnnotationTest {
    private static final String WHERE = "node gpu-a: annotation numa.scheduling.kubenexus.io/gpu-islands: ";
    private final GpuIslandsAnnotation annotation = new GpuIslandsAnnotation();

    /** 2 zones x 4 GPUs. */
    private static final NodeTopology EIGHT_GPUS = new NodeTopology(List.of(
            NumaZone.idle(0, Map.of("cpu", 32_000L, "nvidia.com/gpu", 4L)),
            NumaZone.idle(1, Map.of("cpu", 32_000L, "nvidia.com/gpu", 4L))),
            TopologyManagerPolicy.SINGLE_NUMA_NODE, TopologyManagerScope.CONTAINER);

    private GpuInterconnect valid(String json) {
        Translation<GpuInterconnect> read = annotation.read("gpu-a", json);
        assertThat(read.errorOrNull()).as("parse error").isNull();
        return read.orElseThrow();
    }

    @Test
    void twoIslandsOfFourOnAnEightGpuNode() {
        GpuInterconnect islands = valid("""
                {"resource": "nvidia.com/gpu",
                 "islands": [{"name": "nvl0", "zone": 0, "gpus": 4}, {"name": "nvl1", "zone": 1, "gpus": 4}]}
                """);

        assertThat(islands).isEqualTo(new GpuInterconnect("nvidia.com/gpu",
                List.of(new GpuIsland("nvl0", 0, 4), new GpuIsland("nvl1", 1, 4))));
        assertThat(annotation.checkAgainst("gpu-a", islands, EIGHT_GPUS)).isNull();
    }

    @Test
    void resourceDefaultsToNvidiaGpuAndSeveralIslandsMayShareAZone() {
        GpuInterconnect islands = valid("{\"islands\": [{\"name\": \"a\", \"zone\": 0, \"gpus\": 2}, "
                + "{\"name\": \"b\", \"zone\": 0, \"gpus\": 2}]}");

        assertThat(islands.resource()).isEqualTo("nvidia.com/gpu");
        assertThat(annotation.checkAgainst("gpu-a", islands, EIGHT_GPUS)).isNull();
    }

    @Test
    void anIslandInAZoneTheTopologyLacksIsAnError() {
        GpuInterconnect islands = valid("{\"islands\": [{\"name\": \"nvl0\", \"zone\": 0, \"gpus\": 4}, "
                + "{\"name\": \"nvl2\", \"zone\": 2, \"gpus\": 4}]}");

        assertThat(annotation.checkAgainst("gpu-a", islands, EIGHT_GPUS))
                .isEqualTo(WHERE + "islands[1].zone 2 (island nvl2) is not a NUMA zone of the node; its zones are 0, 1");
    }

    @Test
    void islandsHoldingMoreGpusThanTheirZoneIsAnError() {
        GpuInterconnect islands = valid("{\"islands\": [{\"name\": \"a\", \"zone\": 1, \"gpus\": 4}, "
                + "{\"name\": \"b\", \"zone\": 0, \"gpus\": 2}, {\"name\": \"c\", \"zone\": 1, \"gpus\": 1}]}");

        assertThat(annotation.checkAgainst("gpu-a", islands, EIGHT_GPUS))
                .isEqualTo(WHERE + "islands[0] a, islands[2] c put 5 nvidia.com/gpu in zone 1, whose capacity is 4");
    }

    @Test
    void islandsOfAResourceTheZonesDoNotHaveIsAnError() {
        GpuInterconnect islands = valid("{\"resource\": \"amd.com/gpu\", \"islands\": [{\"name\": \"x\", \"zone\": 0, \"gpus\": 1}]}");

        assertThat(annotation.checkAgainst("gpu-a", islands, EIGHT_GPUS))
                .isEqualTo(WHERE + "islands[0] x put 1 amd.com/gpu in zone 0, whose capacity is 0");
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("not JSON", "{islands: []}", WHERE + "is not valid JSON: Unexpected character ('i'"),
                Arguments.of("unknown top-level key", "{\"gpu\": \"nvidia.com/gpu\", \"islands\": []}",
                        WHERE + "gpu: unknown key, expected one of islands, resource"),
                Arguments.of("resource not a string", "{\"resource\": 1, \"islands\": []}",
                        WHERE + "resource is 1, expected a string"),
                Arguments.of("resource empty", "{\"resource\": \"\", \"islands\": []}", WHERE + "resource is empty"),
                Arguments.of("islands missing", "{}", WHERE + "islands is missing, expected a list"),
                Arguments.of("islands empty", "{\"islands\": []}", WHERE + "islands is empty"),
                Arguments.of("island not an object", "{\"islands\": [\"nvl0\"]}",
                        WHERE + "islands[0] is \"nvl0\", expected an object"),
                Arguments.of("unknown island key", "{\"islands\": [{\"name\": \"a\", \"zone\": 0, \"gpus\": 1, \"links\": 12}]}",
                        WHERE + "islands[0].links: unknown key, expected one of gpus, name, zone"),
                Arguments.of("name missing", "{\"islands\": [{\"zone\": 0, \"gpus\": 1}]}",
                        WHERE + "islands[0].name is missing, expected a string"),
                Arguments.of("name repeated", "{\"islands\": [{\"name\": \"a\", \"zone\": 0, \"gpus\": 1}, "
                                + "{\"name\": \"a\", \"zone\": 1, \"gpus\": 1}]}",
                        WHERE + "islands[1].name \"a\" repeats islands[0]"),
                Arguments.of("zone not an integer", "{\"islands\": [{\"name\": \"a\", \"zone\": 0.5, \"gpus\": 1}]}",
                        WHERE + "islands[0].zone is 0.5, expected an integer"),
                Arguments.of("zone negative", "{\"islands\": [{\"name\": \"a\", \"zone\": -1, \"gpus\": 1}]}",
                        WHERE + "islands[0].zone -1 must be in 0..63"),
                Arguments.of("gpus zero", "{\"islands\": [{\"name\": \"a\", \"zone\": 0, \"gpus\": 0}]}",
                        WHERE + "islands[0].gpus 0 must be at least 1"),
                Arguments.of("gpus a string", "{\"islands\": [{\"name\": \"a\", \"zone\": 0, \"gpus\": \"4\"}]}",
                        WHERE + "islands[0].gpus is \"4\", expected an integer"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedAnnotationIsAnErrorNamingNodeAnnotationAndKey(String name, String json, String message) {
        String error = annotation.read("gpu-a", json).errorOrNull();
        if (message.contains("is not valid JSON")) {
            assertThat(error).startsWith(message);
        } else {
            assertThat(error).isEqualTo(message);
        }
    }
}
