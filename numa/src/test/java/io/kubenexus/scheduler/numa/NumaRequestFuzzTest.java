package io.kubenexus.scheduler.numa;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.testing.Fuzz;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The NUMA annotations as anyone may write them: parsing ends in a request (or none) or in an
 * IllegalArgumentException naming the annotation, never another exception.
 */
class NumaRequestFuzzTest {
    private static final List<String> POLICIES = List.of("single-numa", "restricted", "best-effort", "isolated");
    private static final List<String> RESOURCES = List.of("cpu", "cpu,memory", "cpu,memory,nvidia.com/gpu",
            "nvidia.com/gpu", "memory, hugepages-2Mi", "example.com/fpga");

    @Test
    void policyAndResourcesEndInARequestOrAnErrorNamingTheAnnotation() {
        Fuzz.named("numa annotations").cases(4_000).generated(random -> {
            Map<String, String> annotations = new HashMap<>();
            int shape = random.nextInt(4);
            if (shape != 1) {
                annotations.put(NumaRequest.POLICY_ANNOTATION, Fuzz.mutation(random, POLICIES));
            }
            if (shape >= 1) {
                annotations.put(NumaRequest.RESOURCES_ANNOTATION, Fuzz.mutation(random, RESOURCES));
            }
            return annotations;
        }, annotations -> {
            NumaRequest request;
            try {
                request = NumaRequest.parse(annotations);
            } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).startsWith("annotation numa.scheduling.kubenexus.io/");
                return;
            }
            if (!annotations.containsKey(NumaRequest.POLICY_ANNOTATION)) {
                assertThat(request).isNull();
                return;
            }
            assertThat(request.policy().apiName()).isEqualTo(annotations.get(NumaRequest.POLICY_ANNOTATION).trim());
            assertThat(request.resources()).isNotEmpty().doesNotHaveDuplicates()
                    .allSatisfy(resource -> assertThat(resource).isNotBlank().doesNotContain(",", " "));
        });
    }
}
