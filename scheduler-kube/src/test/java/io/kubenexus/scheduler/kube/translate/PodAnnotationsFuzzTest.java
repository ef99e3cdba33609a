package io.kubenexus.scheduler.kube.translate;

import static io.kubenexus.scheduler.kube.testing.PodObjects.pod;
import static io.kubenexus.scheduler.core.testing.Fuzz.BLOW_UP_NANOS;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.core.testing.Fuzz;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Our pod annotations as anyone may write them: {@code pod-group.scheduling.kubenexus.io/executor-resources}
 * read alone, and both annotation families ({@code pod-group.*}, {@code numa.*}) through the
 * translator. Each ends in a value or an error naming the annotation, never an escaping exception.
 */
class PodAnnotationsFuzzTest {
    private static final List<String> EXECUTOR_EXAMPLES = List.of("cpu=2,memory=8Gi", "cpu=4,memory=16Gi,nvidia.com/gpu=1",
            "memory=1.5Gi", "cpu=500m", " cpu = 2 , memory = 1Gi ", "example.com/fpga=2");
    private final ExecutorResourcesAnnotation executors = new ExecutorResourcesAnnotation();

    @Test
    void theExecutorSizeEndsInATemplateOrAnErrorNamingTheAnnotation() {
        Fuzz.named("executor-resources").cases(4_000).strings(EXECUTOR_EXAMPLES, value -> {
            Pod driver = pod("driver").annotation(ExecutorResourcesAnnotation.KEY, value).container("main").build();
            long start = System.nanoTime();
            Translation<ExecutorTemplate> read = executors.read(driver);
            assertThat(System.nanoTime() - start).as("time").isLessThan(BLOW_UP_NANOS);
            if (read instanceof Translation.Valid<ExecutorTemplate> valid) {
                assertThat(valid.value().requests().amounts())
                        .allSatisfy((resource, amount) -> assertThat(amount).isNotNegative())
                        .allSatisfy((resource, amount) -> assertThat(resource).matches(
                                "cpu|memory|ephemeral-storage|hugepages-.+|.+/.+"));
                assertThat(valid.value().source()).contains(ExecutorResourcesAnnotation.KEY);
            } else {
                assertThat(read.errorOrNull()).startsWith("annotation " + ExecutorResourcesAnnotation.KEY + " \"");
            }
        });
    }

    @Test
    void bothAnnotationFamiliesOnAPodEndInATranslationNamingTheAnnotation() {
        PodTranslator translator = new PodTranslator("kubenexus-scheduler");
        List<String> examples = List.of("single-numa", "restricted", "best-effort", "isolated",
                "cpu,memory", "cpu,nvidia.com/gpu", "cpu=2,memory=8Gi");
        Fuzz.named("pod annotations").cases(3_000).generated(random -> {
            PodObjectsCase pod = new PodObjectsCase(Fuzz.mutation(random, examples), Fuzz.mutation(random, examples),
                    Fuzz.mutation(random, examples), random.nextInt(4));
            return pod;
        }, input -> {
            Pod pod = input.build();
            Translation<?> translated = translator.translate(pod);
            if (!translated.isValid()) {
                assertThat(translated.errorOrNull()).as("error names the annotation")
                        .startsWith("annotation numa.scheduling.kubenexus.io/");
            }
            Translation<ExecutorTemplate> template = executors.read(pod);
            assertThat(template == null || template.isValid()
                    || template.errorOrNull().startsWith("annotation " + ExecutorResourcesAnnotation.KEY)).isTrue();
            assertThat(translator.accounting(pod).requests().get("cpu")).isEqualTo(1000);
        });
    }

    /** A pod with some of: NUMA policy, NUMA resources, executor resources ({@code which} picks). */
    private record PodObjectsCase(String policy, String resources, String executors, int which) {
        Pod build() {
            var pod = pod("p").container("main").cpu("1");
            if (which != 1) {
                pod.annotation("numa.scheduling.kubenexus.io/policy", policy);
            }
            if (which >= 1) {
                pod.annotation("numa.scheduling.kubenexus.io/resources", resources);
            }
            pod.annotation(ExecutorResourcesAnnotation.KEY, executors);
            return pod.build();
        }

        @Override
        public String toString() {
            return "policy=" + policy + " resources=" + resources + " executors=" + executors + " which=" + which;
        }
    }
}
