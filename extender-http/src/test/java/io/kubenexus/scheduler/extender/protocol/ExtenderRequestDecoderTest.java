package io.kubenexus.scheduler.extender.protocol;

import static io.kubenexus.scheduler.extender.protocol.NodeListFixture.podJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExtenderRequestDecoderTest {
    private final ExtenderRequestDecoder decoder = new ExtenderRequestDecoder();

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void keysMatchCaseInsensitivelyAsGoDoesAndNullMeansAbsent() throws Exception {
        ExtenderArgs args = decoder.extenderArgs(bytes(
                "{\"pod\":" + podJson() + ",\"NODES\":null,\"nodenames\":[\"a\",\"b\"],\"Extra\":{\"x\":[1,2]}}"));

        assertThat(args.pod().getMetadata().getNamespace()).isEqualTo("ml");
        assertThat(args.nodes().fullObjects()).isFalse();
        assertThat(args.nodes().names()).containsExactly("a", "b");
    }

    @Test
    void theLastOfDuplicateKeysWins() throws Exception {
        ExtenderArgs args = decoder.extenderArgs(bytes(
                "{\"Pod\":" + podJson() + ",\"NodeNames\":[\"a\"],\"NodeNames\":[\"b\",\"c\"]}"));

        assertThat(args.nodes().names()).containsExactly("b", "c");
    }

    @Test
    void nodeObjectsKeepTheirByteRangesAndOnlyTheirNamesAreRead() throws Exception {
        String first = "{\"metadata\":{\"labels\":{\"name\":\"not-this\"},\"Name\":\"n1\"},\"status\":{\"images\":[{\"names\":[\"x\"]}]}}";
        String second = "{ \"spec\" : {} , \"metadata\" : { \"name\" : \"n2\" } }";
        String body = "{\"Pod\":" + podJson() + ",\"Nodes\":{\"metadata\":{},\"Items\":[" + first + " , " + second + "]}}";

        CandidateNodes nodes = decoder.extenderArgs(bytes(body)).nodes();

        assertThat(nodes.fullObjects()).isTrue();
        assertThat(nodes.names()).containsExactly("n1", "n2");
        io.vertx.core.buffer.Buffer out = io.vertx.core.buffer.Buffer.buffer();
        nodes.appendRawObject(1, out);
        nodes.appendRawObject(0, out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(second + first);
    }

    @Test
    void nullItemsAreAnEmptyCandidateList() throws Exception {
        CandidateNodes nodes = decoder.extenderArgs(bytes(
                "{\"Pod\":" + podJson() + ",\"Nodes\":{\"metadata\":{},\"items\":null}}")).nodes();

        assertThat(nodes.fullObjects()).isTrue();
        assertThat(nodes.names()).isEmpty();
    }

    @Test
    void bindArgsTolerateAMissingUid() throws Exception {
        assertThat(decoder.bindingArgs(bytes("{\"podname\":\"p\",\"PodNamespace\":\"ns\",\"Node\":\"n\",\"PodUID\":null}")))
                .isEqualTo(new BindingArgs("p", "ns", "", "n"));
    }

    @Test
    void preemptionVictimsKeepNodeOrderAndPdbViolations() throws Exception {
        PreemptionArgs args = decoder.preemptionArgs(bytes("{\"Pod\":" + podJson() + ",\"NodeNameToMetaVictims\":{"
                + "\"z\":{\"Pods\":[{\"UID\":\"u1\"}],\"NumPDBViolations\":2},\"a\":{\"Pods\":null}}}"));

        assertThat(args.victimsByNode()).containsExactly(
                Map.entry("z", new MetaVictims(List.of("u1"), 2)), Map.entry("a", new MetaVictims(List.of(), 0)));
        assertThat(args.victimUidsByNode()).containsExactly(Map.entry("z", List.of("u1")), Map.entry("a", List.of()));
    }

    static Stream<Arguments> badExtenderArgs() {
        String pod = podJson();
        return Stream.of(
                Arguments.of("empty body", "", "request body is empty"),
                Arguments.of("not an object", "[1,2]", "request body must be a JSON object"),
                Arguments.of("truncated", "{\"Pod\":" + pod.substring(0, 40), "malformed JSON at byte"),
                Arguments.of("trailing data", "{\"Pod\":" + pod + ",\"NodeNames\":[]} {}", "unexpected data after the JSON object"),
                Arguments.of("no pod", "{\"NodeNames\":[\"a\"]}", "Pod is required"),
                Arguments.of("null pod", "{\"Pod\":null,\"NodeNames\":[\"a\"]}", "Pod is required"),
                Arguments.of("pod not an object", "{\"Pod\":\"p\",\"NodeNames\":[\"a\"]}", "Pod must be an object"),
                Arguments.of("pod of wrong shape", "{\"Pod\":{\"metadata\":5},\"NodeNames\":[]}", "Pod is not a valid Pod"),
                Arguments.of("no nodes", "{\"Pod\":" + pod + "}", "one of Nodes and NodeNames is required"),
                Arguments.of("both nulls", "{\"Pod\":" + pod + ",\"Nodes\":null,\"NodeNames\":null}", "one of Nodes and NodeNames is required"),
                Arguments.of("both modes", "{\"Pod\":" + pod + ",\"Nodes\":{\"items\":[]},\"NodeNames\":[]}", "only one of Nodes and NodeNames"),
                Arguments.of("names not an array", "{\"Pod\":" + pod + ",\"NodeNames\":\"a\"}", "NodeNames must be an array of strings"),
                Arguments.of("a name not a string", "{\"Pod\":" + pod + ",\"NodeNames\":[\"a\",7]}", "NodeNames[1] must be a string"),
                Arguments.of("an empty name", "{\"Pod\":" + pod + ",\"NodeNames\":[\"\"]}", "NodeNames[0] is required"),
                Arguments.of("nodes not an object", "{\"Pod\":" + pod + ",\"Nodes\":[]}", "Nodes must be an object"),
                Arguments.of("items not an array", "{\"Pod\":" + pod + ",\"Nodes\":{\"items\":{}}}", "Nodes.items must be an array"),
                Arguments.of("an item not an object", "{\"Pod\":" + pod + ",\"Nodes\":{\"items\":[\"n1\"]}}", "Nodes.items[0] must be an object"),
                Arguments.of("an item without a name", "{\"Pod\":" + pod + ",\"Nodes\":{\"items\":[{\"metadata\":{\"name\":\"a\"}},{\"metadata\":{}}]}}",
                        "Nodes.items[1].metadata.name is required"),
                Arguments.of("metadata not an object", "{\"Pod\":" + pod + ",\"Nodes\":{\"items\":[{\"metadata\":[]}]}}",
                        "Nodes.items[0].metadata must be an object"),
                Arguments.of("a name not a string", "{\"Pod\":" + pod + ",\"Nodes\":{\"items\":[{\"metadata\":{\"name\":{}}}]}}",
                        "Nodes.items[0].metadata.name must be a string"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badExtenderArgs")
    void badExtenderArgsNameTheField(String name, String body, String message) {
        assertThatThrownBy(() -> decoder.extenderArgs(bytes(body)))
                .isInstanceOf(BadExtenderRequestException.class).hasMessageContaining(message);
    }

    static Stream<Arguments> badBindingArgs() {
        return Stream.of(
                Arguments.of("no PodName", "{\"PodNamespace\":\"ns\",\"Node\":\"n\"}", "PodName is required"),
                Arguments.of("empty PodNamespace", "{\"PodName\":\"p\",\"PodNamespace\":\"\",\"Node\":\"n\"}", "PodNamespace is required"),
                Arguments.of("no Node", "{\"PodName\":\"p\",\"PodNamespace\":\"ns\"}", "Node is required"),
                Arguments.of("a number for a name", "{\"PodName\":1,\"PodNamespace\":\"ns\",\"Node\":\"n\"}", "PodName must be a string"),
                Arguments.of("an object for the UID", "{\"PodName\":\"p\",\"PodNamespace\":\"ns\",\"Node\":\"n\",\"PodUID\":{}}",
                        "PodUID must be a string"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBindingArgs")
    void badBindingArgsNameTheField(String name, String body, String message) {
        assertThatThrownBy(() -> decoder.bindingArgs(bytes(body)))
                .isInstanceOf(BadExtenderRequestException.class).hasMessageContaining(message);
    }

    static Stream<Arguments> badPreemptionArgs() {
        String pod = podJson();
        return Stream.of(
                Arguments.of("no pod", "{\"NodeNameToMetaVictims\":{}}", "Pod is required"),
                Arguments.of("no victims", "{\"Pod\":" + pod + "}", "one of NodeNameToVictims and NodeNameToMetaVictims is required"),
                Arguments.of("both victim maps", "{\"Pod\":" + pod + ",\"NodeNameToVictims\":{},\"NodeNameToMetaVictims\":{}}", "only one of"),
                Arguments.of("victims not a map", "{\"Pod\":" + pod + ",\"NodeNameToMetaVictims\":[]}", "NodeNameToMetaVictims must be an object"),
                Arguments.of("a node's victims null", "{\"Pod\":" + pod + ",\"NodeNameToMetaVictims\":{\"n\":null}}", "NodeNameToMetaVictims.n must be an object"),
                Arguments.of("pods not a list", "{\"Pod\":" + pod + ",\"NodeNameToMetaVictims\":{\"n\":{\"Pods\":{}}}}", "NodeNameToMetaVictims.n.Pods must be an array"),
                Arguments.of("a MetaPod without UID", "{\"Pod\":" + pod + ",\"NodeNameToMetaVictims\":{\"n\":{\"Pods\":[{}]}}}", "NodeNameToMetaVictims.n.Pods[0].UID is required"),
                Arguments.of("a victim pod without uid", "{\"Pod\":" + pod + ",\"NodeNameToVictims\":{\"n\":{\"Pods\":[{\"metadata\":{\"name\":\"v\"}}]}}}",
                        "NodeNameToVictims.n.Pods[0].metadata.uid is required"),
                Arguments.of("a fractional count", "{\"Pod\":" + pod + ",\"NodeNameToMetaVictims\":{\"n\":{\"NumPDBViolations\":1.5}}}",
                        "NodeNameToMetaVictims.n.NumPDBViolations must be an integer"),
                Arguments.of("a count beyond int64", "{\"Pod\":" + pod + ",\"NodeNameToMetaVictims\":{\"n\":{\"NumPDBViolations\":99999999999999999999}}}",
                        "number out of range"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPreemptionArgs")
    void badPreemptionArgsNameTheField(String name, String body, String message) {
        assertThatThrownBy(() -> decoder.preemptionArgs(bytes(body)))
                .isInstanceOf(BadExtenderRequestException.class).hasMessageContaining(message);
    }
}
