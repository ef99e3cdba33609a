package io.kubenexus.scheduler.kube.translate;

import static io.kubenexus.scheduler.kube.testing.PodObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.core.model.ResourceList;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExecutorResourcesAnnotationTest {
    private static final String KEY = ExecutorResourcesAnnotation.KEY;
    private final ExecutorResourcesAnnotation annotation = new ExecutorResourcesAnnotation();

    private Translation<ExecutorTemplate> read(String value) {
        return annotation.read(pod("driver").namespace("spark-jobs").annotation(KEY, value).container("main").build());
    }

    @Test
    void oneExecutorsRequests() {
        ExecutorTemplate template = read("cpu=2, memory=8Gi,nvidia.com/gpu=1,").orElseThrow();
        assertThat(template.requests()).isEqualTo(ResourceList.of(Map.of("cpu", 2000L, "memory", 8L << 30,
                "nvidia.com/gpu", 1L)));
        assertThat(template.source()).isEqualTo("annotation " + KEY + " on spark-jobs/driver");
        assertThat(annotation.read(pod("plain").container("main").build())).isNull();
        assertThat(annotation.read(null)).isNull();
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                arguments("an exponent no long holds (fabric8's arithmetic threw on it)", "cpu=1e999999999",
                        "cpu \"1e999999999\" is too large"),
                arguments("an exponent far below any amount", "cpu=1e-999999999", "cpu \"1e-999999999\" is too small"),
                arguments("not a quantity", "cpu=abc", "cpu \"abc\" is not a valid quantity"),
                arguments("negative", "memory=-1Gi", "memory \"-1Gi\" must not be negative"),
                arguments("no quantity", "cpu=2,memory=", "\"memory=\" is not resource=quantity (e.g. cpu=2,memory=8Gi)"),
                arguments("an empty part", "cpu=2,,memory=1Gi", "\"\" is not resource=quantity (e.g. cpu=2,memory=8Gi)"),
                arguments("only commas", ",", "names no resource (e.g. cpu=2,memory=8Gi)"),
                arguments("a typo of a standard name", "cpuu=2", "\"cpuu\" is not a standard resource"),
                arguments("not a resource name", "nvidia.com/g pu=1", "\"nvidia.com/g pu\" is not a resource name"),
                arguments("named twice", "cpu=1,cpu=2", "names cpu twice"),
                arguments("a fractional device", "nvidia.com/gpu=0.5",
                        "nvidia.com/gpu \"0.5\" must be a whole number for an extended resource"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void aMalformedValueIsAnErrorNamingTheAnnotationAndThePart(String name, String value, String message) {
        assertThat(read(value).errorOrNull()).isEqualTo("annotation " + KEY + " \"" + value + "\": " + message
                + (message.endsWith("standard resource") ? " (cpu, memory, ephemeral-storage, hugepages-<size>)"
                + " and has no domain (e.g. nvidia.com/gpu)" : ""));
    }
}
