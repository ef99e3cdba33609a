package io.kubenexus.scheduler.kube.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.core.model.NodeAffinity;
import io.kubenexus.scheduler.core.model.NodeSelectorOperator;
import io.kubenexus.scheduler.core.model.NodeSelectorRequirement;
import io.kubenexus.scheduler.core.model.NodeSelectorTerm;
import io.kubenexus.scheduler.core.model.QosClass;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.model.TaintEffect;
import io.kubenexus.scheduler.core.model.Toleration;
import io.kubenexus.scheduler.kube.translate.Translation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The executor template, size and shape, of every SparkApplication we publish: the examples in
 * deploy/examples and the one in docs/spark-guide.md, read from the files themselves, so an example
 * edited without its expected template (or the other way round) fails here.
 */
class SparkApplicationExamplesTest {
    private static final long MI = 1L << 20;
    private static final Path REPOSITORY = Path.of("..");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL);

    private final SparkApplicationTranslator translator = new SparkApplicationTranslator();

    static Stream<Arguments> examples() {
        return Stream.of(
                arguments("deploy/examples/spark-pi.yaml: 4 x (2 cores, 4g + 409Mi)",
                        example("spark-pi.yaml"), plain("spark-pi", 4, 2000, 4096 + 409)),
                arguments("deploy/examples/spark-data-processing.yaml: 20 x (4 cores, 8g + 819Mi)",
                        example("spark-data-processing.yaml"), plain("daily-etl", 20, 4000, 8192 + 819)),
                arguments("deploy/examples/spark-dynamic-allocation.yaml: initialExecutors 2 of 500m, 2g + 40%",
                        example("spark-dynamic-allocation.yaml"), plain("adhoc-report", 2, 500, 2048 + 819)),
                arguments("deploy/examples/spark-streaming.yaml: 3 x (2 cores, 4g + 409Mi)",
                        example("spark-streaming.yaml"), plain("clickstream", 3, 2000, 4096 + 409)),
                arguments("docs/spark-guide.md etl-daily: 20 x (4 cores, 12g + 1228Mi)",
                        guide("etl-daily"), plain("etl-daily", 20, 4000, 12288 + 1228)),
                arguments("deploy/examples/spark-gpu-numa.yaml: the executors' GPU, taint, affinity, NUMA policy; Guaranteed",
                        example("spark-gpu-numa.yaml"),
                        new ExecutorTemplate(
                                ResourceList.of(Map.of("cpu", 8000L, "memory", (32768L + 4096) * MI, "nvidia.com/gpu", 1L)),
                                4, Map.of(), List.of(Toleration.exists("nvidia.com/gpu", TaintEffect.NO_SCHEDULE)),
                                source("gpu-feature-eng"),
                                new NodeAffinity(List.of(new NodeSelectorTerm(List.of(new NodeSelectorRequirement(
                                        "nvidia.com/gpu.present", NodeSelectorOperator.IN, List.of("true"))), List.of())),
                                        List.of()),
                                Map.of("numa.scheduling.kubenexus.io/policy", "single-numa",
                                        "numa.scheduling.kubenexus.io/resources", "cpu,memory,nvidia.com/gpu"),
                                QosClass.GUARANTEED, true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void translatesThePublishedApplication(String name, String yaml, ExecutorTemplate expected) {
        Translation<ExecutorTemplate> translation =
                translator.translate(SERIALIZATION.unmarshal(yaml, GenericKubernetesResource.class));

        assertThat(translation.errorOrNull()).as("translation error").isNull();
        assertThat(translation.orElseThrow()).isEqualTo(expected);
    }

    /** Executors with no constraints of their own (an empty shape is still their shape), Burstable: no coreLimit. */
    private static ExecutorTemplate plain(String app, int count, long cpuMilli, long memoryMiB) {
        return new ExecutorTemplate(ResourceList.of(Map.of("cpu", cpuMilli, "memory", memoryMiB * MI)), count, Map.of(),
                List.of(), source(app), NodeAffinity.NONE, Map.of(), QosClass.BURSTABLE, true);
    }

    private static String source(String app) {
        return "SparkApplication spark-jobs/" + app;
    }

    private static String example(String file) {
        return read(REPOSITORY.resolve("deploy/examples").resolve(file));
    }

    /** The YAML block of docs/spark-guide.md that defines the SparkApplication named {@code app}. */
    private static String guide(String app) {
        Matcher block = YAML_BLOCK.matcher(read(REPOSITORY.resolve("docs/spark-guide.md")));
        while (block.find()) {
            String yaml = block.group(1);
            if (yaml.contains("kind: SparkApplication") && yaml.contains("\n  name: " + app + "\n")) {
                return yaml;
            }
        }
        throw new AssertionError("docs/spark-guide.md has no SparkApplication " + app);
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + path.toAbsolutePath(), e);
        }
    }
}
