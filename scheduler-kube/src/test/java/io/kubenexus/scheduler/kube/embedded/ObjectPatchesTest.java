package io.kubenexus.scheduler.kube.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ObjectPatchesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** RFC 7386's own examples (appendix A), with single quotes for readability. */
    static Stream<Arguments> rfc7386() {
        return Stream.of(
                Arguments.of("{'a':'b'}", "{'a':'c'}", "{'a':'c'}"),
                Arguments.of("{'a':'b'}", "{'b':'c'}", "{'a':'b','b':'c'}"),
                Arguments.of("{'a':'b'}", "{'a':null}", "{}"),
                Arguments.of("{'a':'b','b':'c'}", "{'a':null}", "{'b':'c'}"),
                Arguments.of("{'a':['b']}", "{'a':'c'}", "{'a':'c'}"),
                Arguments.of("{'a':'c'}", "{'a':['b']}", "{'a':['b']}"),
                Arguments.of("{'a':{'b':'c'}}", "{'a':{'b':'d','c':null}}", "{'a':{'b':'d'}}"),
                Arguments.of("{'a':[{'b':'c'}]}", "{'a':[1]}", "{'a':[1]}"),
                Arguments.of("{'e':null}", "{'a':1}", "{'e':null,'a':1}"),
                Arguments.of("{}", "{'a':{'bb':{'ccc':null}}}", "{'a':{'bb':{}}}"),
                // The mock appended here: conditions doubled on every status merge patch.
                Arguments.of("{'status':{'conditions':[{'type':'A'}]}}", "{'status':{'conditions':[{'type':'B'}]}}",
                        "{'status':{'conditions':[{'type':'B'}]}}"));
    }

    @ParameterizedTest
    @MethodSource("rfc7386")
    void mergePatchFollowsRfc7386(String target, String patch, String expected) throws IOException {
        assertThat(ObjectPatches.mergePatch(json(target), json(patch))).isEqualTo(json(expected));
    }

    static Stream<Arguments> strategic() {
        return Stream.of(
                Arguments.of("containers merge by name",
                        "{'spec':{'containers':[{'name':'a','image':'x'},{'name':'b','image':'y'}]}}",
                        "{'spec':{'containers':[{'name':'b','image':'z'}]}}",
                        "{'spec':{'containers':[{'name':'a','image':'x'},{'name':'b','image':'z'}]}}"),
                Arguments.of("a new element is appended",
                        "{'status':{'conditions':[{'type':'Ready','status':'True'}]}}",
                        "{'status':{'conditions':[{'type':'PodScheduled','status':'True'}]}}",
                        "{'status':{'conditions':[{'type':'Ready','status':'True'},{'type':'PodScheduled','status':'True'}]}}"),
                Arguments.of("$patch delete removes the element",
                        "{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}",
                        "{'spec':{'containers':[{'name':'a','$patch':'delete'}]}}",
                        "{'spec':{'containers':[{'name':'b'}]}}"),
                Arguments.of("lists without a merge key are replaced",
                        "{'spec':{'tolerations':[{'key':'a'}]}}",
                        "{'spec':{'tolerations':[{'key':'b'}]}}",
                        "{'spec':{'tolerations':[{'key':'b'}]}}"),
                Arguments.of("ordering directives are dropped, null deletes",
                        "{'metadata':{'labels':{'a':'1','b':'2'}}}",
                        "{'metadata':{'labels':{'a':null}},'$setElementOrder/containers':[{'name':'a'}]}",
                        "{'metadata':{'labels':{'b':'2'}}}"),
                Arguments.of("$deleteFromPrimitiveList removes values",
                        "{'metadata':{'finalizers':['x','y']}}",
                        "{'metadata':{'$deleteFromPrimitiveList/finalizers':['x']}}",
                        "{'metadata':{'finalizers':['y']}}"),
                Arguments.of("$patch replace on an object replaces it",
                        "{'spec':{'nodeSelector':{'a':'1'}}}",
                        "{'spec':{'nodeSelector':{'b':'2','$patch':'replace'}}}",
                        "{'spec':{'nodeSelector':{'b':'2'}}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("strategic")
    void strategicMergePatchMergesKeyedLists(String name, String target, String patch, String expected)
            throws IOException {
        assertThat(ObjectPatches.strategicMergePatch(json(target), json(patch))).isEqualTo(json(expected));
    }

    private static JsonNode json(String singleQuoted) throws IOException {
        return JSON.readTree(singleQuoted.replace('\'', '"'));
    }
}
