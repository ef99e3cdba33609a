package io.kubenexus.scheduler.kube.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.core.model.NodeAffinity;
import io.kubenexus.scheduler.core.model.QosClass;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.model.TaintEffect;
import io.kubenexus.scheduler.core.model.Toleration;
import io.kubenexus.scheduler.kube.translate.Translation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SparkApplicationTranslatorTest {
    private static final long MI = 1L << 20;
    private static final String SOURCE = "SparkApplication spark-jobs/spark-pi";
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final SparkApplicationTranslator translator = new SparkApplicationTranslator();

    /**
     * spark-operator's spark-pi example (examples/spark-pi.yaml) with {@code executor} as the
     * body of spec.executor and {@code spec} as further spec fields, both written unindented.
     * The type is Scala unless {@code spec} sets it.
     */
    private static String sparkPi(String spec, String executor) {
        boolean typed = spec.lines().anyMatch(line -> line.startsWith("type:"));
        return """
                apiVersion: sparkoperator.k8s.io/v1beta2
                kind: SparkApplication
                metadata:
                  name: spark-pi
                  namespace: spark-jobs
                spec:
                %s  mode: cluster
                  image: docker.io/library/spark:3.5.3
                  imagePullPolicy: IfNotPresent
                  mainClass: org.apache.spark.examples.SparkPi
                  mainApplicationFile: local:///opt/spark/examples/jars/spark-examples.jar
                  arguments:
                  - "5000"
                  sparkVersion: 3.5.3
                  driver:
                    labels:
                      version: 3.5.3
                    cores: 1
                    memory: 512m
                    serviceAccount: spark-operator-spark
                """.formatted(typed ? "" : "  type: Scala\n") + indent(spec, "  ") + "  executor:\n" + indent(executor, "    ");
    }

    private static String indent(String block, String prefix) {
        return block.isBlank() ? "" : block.lines().map(line -> prefix + line).collect(Collectors.joining("\n", "", "\n"));
    }

    private static GenericKubernetesResource parse(String yaml) {
        return SERIALIZATION.unmarshal(yaml, GenericKubernetesResource.class);
    }

    private static ResourceList requests(long cpuMilli, long memoryMiB, Object... extendedNameAmount) {
        Map<String, Long> amounts = new HashMap<>();
        amounts.put("cpu", cpuMilli);
        amounts.put("memory", memoryMiB * MI);
        for (int i = 0; i < extendedNameAmount.length; i += 2) {
            amounts.put((String) extendedNameAmount[i], ((Number) extendedNameAmount[i + 1]).longValue());
        }
        return ResourceList.of(amounts);
    }

    /** Executors of spark-pi's shape: no selector, tolerations, affinity or annotations; Burstable (no coreLimit). */
    private static ExecutorTemplate template(ResourceList requests, int count) {
        return shaped(requests, count, Map.of(), List.of());
    }

    private static ExecutorTemplate shaped(ResourceList requests, int count, Map<String, String> nodeSelector,
                                           List<Toleration> tolerations) {
        return new ExecutorTemplate(requests, count, nodeSelector, tolerations, SOURCE, NodeAffinity.NONE, Map.of(),
                QosClass.BURSTABLE, true);
    }

    private static final String SPARK_PI_EXECUTOR = """
            labels:
              version: 3.5.3
            instances: 1
            cores: 1
            memory: 512m
            """;

    // ------------------------------------------------------------------ valid applications

    static Stream<Arguments> validCases() {
        return Stream.of(
                arguments("spark-pi: 1 core, 512m + 384Mi floor, 1 executor",
                        sparkPi("", SPARK_PI_EXECUTOR), template(requests(1000, 512 + 384), 1)),
                arguments("empty executor: Spark's and spark-operator's defaults",
                        sparkPi("", "{}"), template(requests(1000, 1024 + 384), 1)),
                arguments("JVM 8g: 0.1 x 8192 = 819",
                        sparkPi("", "cores: 2\nmemory: 8g\ninstances: 3"), template(requests(2000, 8192 + 819), 3)),
                arguments("Python 4g: 0.4 x 4096 = 1638",
                        sparkPi("type: Python\npythonVersion: \"3\"", "memory: 4g"),
                        template(requests(1000, 4096 + 1638), 1)),
                arguments("R 2g: 0.4 x 2048 = 819",
                        sparkPi("type: R", "memory: 2g"), template(requests(1000, 2048 + 819), 1)),
                arguments("Java type is JVM", sparkPi("type: Java", "memory: 4g"), template(requests(1000, 4096 + 409), 1)),
                arguments("memoryOverheadFactor \"0.2\" on 4g: 819",
                        sparkPi("memoryOverheadFactor: \"0.2\"", "memory: 4g"), template(requests(1000, 4096 + 819), 1)),
                arguments("memoryOverheadFactor replaces Python's 0.4",
                        sparkPi("type: Python\nmemoryOverheadFactor: \"0.1\"", "memory: 4g"),
                        template(requests(1000, 4096 + 409), 1)),
                arguments("memoryOverheadFactor \"\" is unset",
                        sparkPi("memoryOverheadFactor: \"\"", "memory: 4g"), template(requests(1000, 4096 + 409), 1)),
                arguments("memoryOverhead 1g", sparkPi("", "memory: 4g\nmemoryOverhead: 1g"),
                        template(requests(1000, 4096 + 1024), 1)),
                arguments("memoryOverhead \"512\": a bare number is MiB",
                        sparkPi("", "memory: 4g\nmemoryOverhead: \"512\""), template(requests(1000, 4096 + 512), 1)),
                arguments("memory \"2048\": a bare number is MiB",
                        sparkPi("", "memory: \"2048\""), template(requests(1000, 2048 + 384), 1)),
                arguments("memory written as a YAML number", sparkPi("", "memory: 2048"),
                        template(requests(1000, 2048 + 384), 1)),
                arguments("memory with upper-case suffix 4G", sparkPi("", "memory: 4G"),
                        template(requests(1000, 4096 + 409), 1)),
                arguments("coreRequest 500m wins over cores 2",
                        sparkPi("", "cores: 2\ncoreRequest: 500m"), template(requests(500, 1024 + 384), 1)),
                arguments("coreRequest \"1.5\"", sparkPi("", "coreRequest: \"1.5\""), template(requests(1500, 1024 + 384), 1)),
                arguments("coreRequest below a millicore rounds up", sparkPi("", "coreRequest: 100u"),
                        template(requests(1, 1024 + 384), 1)),
                arguments("gpu nvidia.com/gpu x1",
                        sparkPi("", "cores: 4\nmemory: 16g\ngpu:\n  name: nvidia.com/gpu\n  quantity: 1\ninstances: 2"),
                        template(requests(4000, 16384 + 1638, "nvidia.com/gpu", 1), 2)),
                arguments("gpu without a name adds nothing", sparkPi("", "gpu:\n  quantity: 1"),
                        template(requests(1000, 1024 + 384), 1)),
                arguments("instances 4", sparkPi("", "instances: 4"), template(requests(1000, 1024 + 384), 4)),
                arguments("dynamic allocation: the largest of instances, initial and min",
                        sparkPi("""
                                dynamicAllocation:
                                  enabled: true
                                  initialExecutors: 5
                                  minExecutors: 2
                                  maxExecutors: 10""", "instances: 3"),
                        template(requests(1000, 1024 + 384), 5)),
                arguments("dynamic allocation with nothing set starts with 0 executors",
                        sparkPi("dynamicAllocation:\n  enabled: true", "memory: 1g"),
                        template(requests(1000, 1024 + 384), 0)),
                arguments("dynamic allocation disabled: instances, initial ignored",
                        sparkPi("dynamicAllocation:\n  enabled: false\n  initialExecutors: 5", "instances: 2"),
                        template(requests(1000, 1024 + 384), 2)),
                arguments("dynamic allocation without enabled is off",
                        sparkPi("dynamicAllocation:\n  minExecutors: 5", "instances: 2"),
                        template(requests(1000, 1024 + 384), 2)),
                arguments("node selectors: the executor's keys win over spec.nodeSelector",
                        sparkPi("nodeSelector:\n  pool: batch\n  zone: a",
                                "nodeSelector:\n  pool: spark\n  accelerator: \"true\""),
                        shaped(requests(1000, 1024 + 384), 1,
                                Map.of("pool", "spark", "zone", "a", "accelerator", "true"), List.of())),
                arguments("tolerations",
                        sparkPi("", """
                                tolerations:
                                - key: nvidia.com/gpu
                                  operator: Exists
                                  effect: NoSchedule
                                - key: lifecycle
                                  operator: Equal
                                  value: spot
                                - key: dedicated
                                  value: spark
                                  effect: NoExecute
                                  tolerationSeconds: 300
                                - operator: Exists"""),
                        shaped(requests(1000, 1024 + 384), 1, Map.of(), List.of(
                                Toleration.exists("nvidia.com/gpu", TaintEffect.NO_SCHEDULE),
                                Toleration.equal("lifecycle", "spot", null),
                                Toleration.equal("dedicated", "spark", TaintEffect.NO_EXECUTE),
                                Toleration.exists("", null)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validCases")
    void translates(String name, String yaml, ExecutorTemplate expected) {
        Translation<ExecutorTemplate> translation = translator.translate(parse(yaml));

        assertThat(translation.errorOrNull()).as("translation error").isNull();
        assertThat(translation.orElseThrow()).isEqualTo(expected);
    }

    // ------------------------------------------------------------------ malformed applications

    static Stream<Arguments> invalidCases() {
        return Stream.of(
                arguments("memory \"1.5g\": Spark takes no fractions", sparkPi("", "memory: 1.5g"),
                        "spec.executor.memory \"1.5g\" is not a valid Spark memory size: fractional values are not supported"),
                arguments("memory \"4Gi\": a Kubernetes suffix", sparkPi("", "memory: 4Gi"),
                        "spec.executor.memory \"4Gi\" is not a valid Spark memory size: unknown suffix \"gi\" (use b, k, m, g, t or p)"),
                arguments("memory \"lots\"", sparkPi("", "memory: lots"),
                        "spec.executor.memory \"lots\" is not a valid Spark memory size: expected a whole number with an "
                                + "optional suffix b, k, m, g, t or p (e.g. 512m, 4g)"),
                arguments("memory \"0\"", sparkPi("", "memory: \"0\""), "spec.executor.memory must be positive, was 0 bytes"),
                arguments("memoryOverhead \"-1g\"", sparkPi("", "memoryOverhead: -1g"),
                        "spec.executor.memoryOverhead \"-1g\" is not a valid Spark memory size: expected a whole number "
                                + "with an optional suffix b, k, m, g, t or p (e.g. 512m, 4g)"),
                arguments("memoryOverheadFactor \"abc\"", sparkPi("memoryOverheadFactor: abc", "memory: 1g"),
                        "spec.memoryOverheadFactor \"abc\" is not a number"),
                arguments("memoryOverheadFactor \"1.5\"", sparkPi("memoryOverheadFactor: \"1.5\"", "memory: 1g"),
                        "spec.memoryOverheadFactor must be at least 0 and below 1, was 1.5"),
                arguments("coreRequest \"1x\"", sparkPi("", "coreRequest: 1x"),
                        "spec.executor.coreRequest \"1x\" is not a valid quantity"),
                arguments("coreRequest \"-1\"", sparkPi("", "coreRequest: \"-1\""),
                        "spec.executor.coreRequest \"-1\" must not be negative"),
                arguments("cores \"two\"", sparkPi("", "cores: two"), "spec.executor.cores is \"two\", expected an integer"),
                arguments("cores 1.5", sparkPi("", "cores: 1.5"), "spec.executor.cores 1.5 is not a whole number in range"),
                arguments("cores 0", sparkPi("", "cores: 0"), "spec.executor.cores must be at least 1, was 0"),
                arguments("cores beyond int32", sparkPi("", "cores: 3000000000"),
                        "spec.executor.cores 3000000000 is out of range for an int32"),
                arguments("instances -1", sparkPi("", "instances: -1"), "spec.executor.instances must not be negative, was -1"),
                arguments("type Go", sparkPi("type: Go", "memory: 1g"),
                        "spec.type must be one of Java, Scala, Python or R, was \"Go\""),
                arguments("gpu quantity -1", sparkPi("", "gpu:\n  name: nvidia.com/gpu\n  quantity: -1"),
                        "spec.executor.gpu.quantity must not be negative, was -1"),
                arguments("gpu as a string", sparkPi("", "gpu: nvidia.com/gpu"),
                        "spec.executor.gpu is \"nvidia.com/gpu\", expected an object"),
                arguments("dynamicAllocation.enabled \"yes\"", sparkPi("dynamicAllocation:\n  enabled: \"yes\"", "memory: 1g"),
                        "spec.dynamicAllocation.enabled is \"yes\", expected true or false"),
                arguments("dynamicAllocation.minExecutors -2",
                        sparkPi("dynamicAllocation:\n  enabled: true\n  minExecutors: -2", "memory: 1g"),
                        "spec.dynamicAllocation.minExecutors must not be negative, was -2"),
                arguments("toleration operator Maybe", sparkPi("", "tolerations:\n- key: a\n  operator: Maybe"),
                        "spec.executor.tolerations[0].operator \"Maybe\" is not Equal or Exists"),
                arguments("toleration effect Sometimes",
                        sparkPi("", "tolerations:\n- key: a\n  operator: Exists\n- key: b\n  effect: Sometimes"),
                        "spec.executor.tolerations[1].effect \"Sometimes\" is not NoSchedule, PreferNoSchedule or NoExecute"),
                arguments("tolerations as an object", sparkPi("", "tolerations:\n  key: a"),
                        "spec.executor.tolerations is an object, expected a list"),
                arguments("nodeSelector value true unquoted", sparkPi("", "nodeSelector:\n  accelerator: true"),
                        "spec.executor.nodeSelector.accelerator is true, expected a string"),
                arguments("executor as a list", sparkPi("", "- memory: 1g"), "spec.executor is a list, expected an object"),
                arguments("coreLimit below the request", sparkPi("", "cores: 2\ncoreLimit: 1500m"),
                        "spec.executor.coreLimit (1500m) is below the executors' CPU request (2000m): the API server "
                                + "would reject the executor pods"),
                arguments("coreLimit \"two\"", sparkPi("", "coreLimit: two"),
                        "spec.executor.coreLimit \"two\" is not a valid quantity"),
                arguments("NUMA policy misspelt", sparkPi("", "annotations:\n  numa.scheduling.kubenexus.io/policy: single-zone"),
                        "spec.executor.annotations: annotation numa.scheduling.kubenexus.io/policy: unknown NUMA policy "
                                + "'single-zone', expected one of single-numa, restricted, best-effort, isolated"),
                arguments("annotation value not a string", sparkPi("", "annotations:\n  team: 7"),
                        "spec.executor.annotations.team is 7, expected a string"),
                arguments("affinity as a list", sparkPi("", "affinity:\n- nodeAffinity: {}"),
                        "spec.executor.affinity is a list, expected an object"),
                arguments("node affinity operator Near", sparkPi("", """
                                affinity:
                                  nodeAffinity:
                                    requiredDuringSchedulingIgnoredDuringExecution:
                                      nodeSelectorTerms:
                                      - matchExpressions:
                                        - {key: zone, operator: Near, values: [a]}"""),
                        "spec.executor.affinity: node affinity: key \"zone\": unknown operator \"Near\""),
                arguments("node affinity In without values", sparkPi("", """
                                affinity:
                                  nodeAffinity:
                                    requiredDuringSchedulingIgnoredDuringExecution:
                                      nodeSelectorTerms:
                                      - matchExpressions:
                                        - {key: zone, operator: In}"""),
                        "spec.executor.affinity: node affinity: key \"zone\": operator In needs at least one value"),
                arguments("no spec", """
                        apiVersion: sparkoperator.k8s.io/v1beta2
                        kind: SparkApplication
                        metadata:
                          name: spark-pi
                          namespace: spark-jobs
                        """, "spec is missing"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidCases")
    void reportsTheFieldAndValue(String name, String yaml, String message) {
        Translation<ExecutorTemplate> translation = translator.translate(parse(yaml));

        assertThat(translation.errorOrNull()).isEqualTo(message);
    }
}
