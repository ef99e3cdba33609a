package io.kubenexus.scheduler.gang.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.model.TaintEffect;
import io.kubenexus.scheduler.core.model.Toleration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SparkExecutorSizingTest {
    private static final long MI = 1L << 20;
    private static final String SOURCE = "SparkApplication spark-jobs/pi";

    /** A SparkApplication's executor section, in its own notation: {@code executor().memory("4g").cores(2)}. */
    static final class Executor {
        private Long coreRequestMilli;
        private Integer cores;
        private long memoryBytes = SparkExecutorSizing.DEFAULT_MEMORY_BYTES;
        private Long memoryOverheadBytes;
        private Double factor;
        private String type = "Scala";
        private String gpuName;
        private Long gpuQuantity;
        private Integer instances;
        private boolean dynamic;
        private Integer initial;
        private Integer min;
        private final Map<String, String> nodeSelector = new LinkedHashMap<>();
        private List<Toleration> tolerations = List.of();

        Executor coreRequestMilli(long milli) {
            coreRequestMilli = milli;
            return this;
        }

        Executor cores(int value) {
            cores = value;
            return this;
        }

        Executor memory(String spark) {
            memoryBytes = SparkMemory.mebibytesAsBytes(spark);
            return this;
        }

        Executor memoryBytes(long bytes) {
            memoryBytes = bytes;
            return this;
        }

        Executor memoryOverhead(String spark) {
            memoryOverheadBytes = SparkMemory.mebibytesAsBytes(spark);
            return this;
        }

        Executor memoryOverheadBytes(long bytes) {
            memoryOverheadBytes = bytes;
            return this;
        }

        Executor memoryOverheadFactor(double value) {
            factor = value;
            return this;
        }

        Executor type(String value) {
            type = value;
            return this;
        }

        Executor gpu(String name, long quantity) {
            gpuName = name;
            gpuQuantity = quantity;
            return this;
        }

        Executor instances(int value) {
            instances = value;
            return this;
        }

        Executor dynamicAllocation() {
            dynamic = true;
            return this;
        }

        Executor initialExecutors(int value) {
            initial = value;
            return this;
        }

        Executor minExecutors(int value) {
            min = value;
            return this;
        }

        Executor nodeSelector(String key, String value) {
            nodeSelector.put(key, value);
            return this;
        }

        Executor tolerations(Toleration... values) {
            tolerations = List.of(values);
            return this;
        }

        SparkExecutorSpec spec() {
            return new SparkExecutorSpec(coreRequestMilli, cores, memoryBytes, memoryOverheadBytes, factor, type,
                    gpuName, gpuQuantity, instances, dynamic, initial, min, nodeSelector, tolerations);
        }

        ExecutorTemplate template() {
            return SparkExecutorSizing.template(spec(), SOURCE);
        }

        @Override
        public String toString() {
            return "executor";
        }
    }

    static Executor executor() {
        return new Executor();
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

    // ------------------------------------------------------------------ one executor's requests

    static Stream<Arguments> requestCases() {
        return Stream.of(
                arguments("defaults: 1 core, 1g + 384Mi floor", executor(), requests(1000, 1024 + 384)),
                // JVM: max((int) (0.1 * MiB), 384)
                arguments("JVM 512m: 384Mi floor", executor().memory("512m"), requests(1000, 512 + 384)),
                arguments("JVM 3g: 307Mi is below the floor, 384Mi", executor().memory("3g"), requests(1000, 3072 + 384)),
                arguments("JVM 3840m: 0.1 x 3840 is exactly the floor", executor().memory("3840m"),
                        requests(1000, 3840 + 384)),
                arguments("JVM 4g: 0.1 x 4096 = 409.6, truncated to 409", executor().memory("4g"),
                        requests(1000, 4096 + 409)),
                arguments("JVM 8g: 0.1 x 8192 = 819", executor().memory("8g"), requests(1000, 8192 + 819)),
                arguments("Java is a JVM type too", executor().type("Java").memory("8g"), requests(1000, 8192 + 819)),
                arguments("no type: JVM", executor().type(null).memory("8g"), requests(1000, 8192 + 819)),
                // Python and R: 0.4
                arguments("Python 4g: 0.4 x 4096 = 1638", executor().type("Python").memory("4g"),
                        requests(1000, 4096 + 1638)),
                arguments("Python 512m: 204Mi is below the floor, 384Mi", executor().type("Python").memory("512m"),
                        requests(1000, 512 + 384)),
                arguments("R 2g: 0.4 x 2048 = 819", executor().type("R").memory("2g"), requests(1000, 2048 + 819)),
                // explicit overhead wins over any factor and has no floor
                arguments("explicit overhead 1g on 4g", executor().memory("4g").memoryOverhead("1g"),
                        requests(1000, 4096 + 1024)),
                arguments("explicit overhead below 384Mi is kept", executor().memory("4g").memoryOverhead("200m"),
                        requests(1000, 4096 + 200)),
                arguments("explicit overhead 0", executor().memory("4g").memoryOverhead("0"), requests(1000, 4096)),
                arguments("explicit overhead wins for Python", executor().type("Python").memory("4g").memoryOverhead("512m"),
                        requests(1000, 4096 + 512)),
                arguments("explicit overhead is counted in whole MiB", executor().memory("4g").memoryOverheadBytes(MI + 5),
                        requests(1000, 4096 + 1)),
                // spec.memoryOverheadFactor replaces the type's default
                arguments("spec factor 0.2 on JVM 4g: 819", executor().memory("4g").memoryOverheadFactor(0.2),
                        requests(1000, 4096 + 819)),
                arguments("spec factor 0.1 on Python 4g replaces 0.4", executor().type("Python").memory("4g")
                        .memoryOverheadFactor(0.1), requests(1000, 4096 + 409)),
                arguments("spec factor 0 still gets the 384Mi floor", executor().memory("4g").memoryOverheadFactor(0.0),
                        requests(1000, 4096 + 384)),
                arguments("spec factor 0.5 on 10g", executor().memory("10g").memoryOverheadFactor(0.5),
                        requests(1000, 10240 + 5120)),
                // memory below a whole MiB is dropped, as Spark reads the setting in MiB
                arguments("memory 1g and 1000 bytes counts 1024Mi", executor().memoryBytes(1024 * MI + 1000),
                        requests(1000, 1024 + 384)),
                // cpu
                arguments("cores 4: 4000m", executor().cores(4), requests(4000, 1024 + 384)),
                arguments("coreRequest 500m wins over cores 2", executor().cores(2).coreRequestMilli(500),
                        requests(500, 1024 + 384)),
                arguments("coreRequest 1500m without cores", executor().coreRequestMilli(1500), requests(1500, 1024 + 384)),
                arguments("coreRequest 0: no cpu request", executor().coreRequestMilli(0), requests(0, 1024 + 384)),
                // gpu, as spark-operator's webhook adds it
                arguments("gpu nvidia.com/gpu x2", executor().gpu("nvidia.com/gpu", 2),
                        requests(1000, 1024 + 384, "nvidia.com/gpu", 2)),
                arguments("gpu amd.com/gpu x1", executor().gpu("amd.com/gpu", 1),
                        requests(1000, 1024 + 384, "amd.com/gpu", 1)),
                arguments("gpu quantity 0: none", executor().gpu("nvidia.com/gpu", 0), requests(1000, 1024 + 384)),
                arguments("gpu without a name: none (the webhook skips it)", executor().gpu("", 2),
                        requests(1000, 1024 + 384)),
                arguments("the spark-pi executor", executor().type("Scala").cores(1).memory("512m").coreRequestMilli(1000),
                        requests(1000, 896)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestCases")
    void requests(String name, Executor executor, ResourceList expected) {
        ExecutorTemplate template = executor.template();

        assertThat(template.requests()).isEqualTo(expected);
        assertThat(template.source()).isEqualTo(SOURCE);
    }

    // ------------------------------------------------------------------ how many executors

    static Stream<Arguments> countCases() {
        return Stream.of(
                arguments("instances unset: spark-operator's default 1", executor(), 1),
                arguments("instances 5", executor().instances(5), 5),
                arguments("instances 0", executor().instances(0), 0),
                arguments("without dynamic allocation initial and min are ignored",
                        executor().instances(2).initialExecutors(8).minExecutors(6), 2),
                arguments("dynamic allocation, nothing set: starts with 0", executor().dynamicAllocation(), 0),
                arguments("dynamic allocation: instances alone", executor().dynamicAllocation().instances(3), 3),
                arguments("dynamic allocation: initialExecutors alone", executor().dynamicAllocation().initialExecutors(4), 4),
                arguments("dynamic allocation: minExecutors alone", executor().dynamicAllocation().minExecutors(2), 2),
                arguments("dynamic allocation: initial is the largest",
                        executor().dynamicAllocation().instances(2).initialExecutors(5).minExecutors(3), 5),
                arguments("dynamic allocation: instances is the largest",
                        executor().dynamicAllocation().instances(6).initialExecutors(2).minExecutors(1), 6),
                arguments("dynamic allocation: min is the largest (an initial below min is ignored)",
                        executor().dynamicAllocation().initialExecutors(1).minExecutors(4), 4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("countCases")
    void count(String name, Executor executor, int expected) {
        assertThat(executor.template().count()).isEqualTo(expected);
    }

    // ------------------------------------------------------------------ placement constraints

    @Test
    void passesNodeSelectorAndTolerationsThrough() {
        Toleration gpuNodes = Toleration.exists("nvidia.com/gpu", TaintEffect.NO_SCHEDULE);
        Toleration spot = Toleration.equal("lifecycle", "spot", null);

        ExecutorTemplate template = executor().nodeSelector("pool", "spark").nodeSelector("zone", "a")
                .tolerations(gpuNodes, spot).template();

        assertThat(template.nodeSelector()).isEqualTo(Map.of("pool", "spark", "zone", "a"));
        assertThat(template.tolerations()).containsExactly(gpuNodes, spot);
    }

    @Test
    void noConstraintsGiveEmptyOnes() {
        ExecutorTemplate template = SparkExecutorSizing.template(new SparkExecutorSpec(null, null,
                SparkExecutorSizing.DEFAULT_MEMORY_BYTES, null, null, null, null, null, null, false, null, null,
                null, null), SOURCE);

        assertThat(template.nodeSelector()).isEmpty();
        assertThat(template.tolerations()).isEmpty();
        assertThat(template.requests()).isEqualTo(requests(1000, 1024 + 384));
        assertThat(template.count()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ invalid input

    static Stream<Arguments> invalidCases() {
        return Stream.of(
                arguments("cores 0", executor().cores(0), "spec.executor.cores must be at least 1, was 0"),
                arguments("cores -2", executor().cores(-2), "spec.executor.cores must be at least 1, was -2"),
                arguments("coreRequest negative", executor().coreRequestMilli(-500),
                        "spec.executor.coreRequest must not be negative, was -500m"),
                arguments("memory 0", executor().memoryBytes(0), "spec.executor.memory must be positive, was 0 bytes"),
                arguments("memory negative", executor().memoryBytes(-1),
                        "spec.executor.memory must be positive, was -1 bytes"),
                arguments("memory below 1 MiB", executor().memoryBytes(512 * 1024),
                        "spec.executor.memory must be at least 1 MiB (Spark counts whole MiB), was 524288 bytes"),
                arguments("memoryOverhead negative", executor().memoryOverheadBytes(-MI),
                        "spec.executor.memoryOverhead must not be negative, was -1048576 bytes"),
                arguments("memoryOverheadFactor 1", executor().memoryOverheadFactor(1.0),
                        "spec.memoryOverheadFactor must be at least 0 and below 1, was 1.0"),
                arguments("memoryOverheadFactor negative", executor().memoryOverheadFactor(-0.1),
                        "spec.memoryOverheadFactor must be at least 0 and below 1, was -0.1"),
                arguments("memoryOverheadFactor NaN", executor().memoryOverheadFactor(Double.NaN),
                        "spec.memoryOverheadFactor must be at least 0 and below 1, was NaN"),
                arguments("type Go", executor().type("Go"), "spec.type must be one of Java, Scala, Python or R, was \"Go\""),
                arguments("type in lower case", executor().type("python"),
                        "spec.type must be one of Java, Scala, Python or R, was \"python\""),
                arguments("gpu quantity negative", executor().gpu("nvidia.com/gpu", -1),
                        "spec.executor.gpu.quantity must not be negative, was -1"),
                arguments("instances negative", executor().instances(-1),
                        "spec.executor.instances must not be negative, was -1"),
                arguments("initialExecutors negative", executor().dynamicAllocation().initialExecutors(-1),
                        "spec.dynamicAllocation.initialExecutors must not be negative, was -1"),
                arguments("minExecutors negative", executor().dynamicAllocation().minExecutors(-3),
                        "spec.dynamicAllocation.minExecutors must not be negative, was -3"),
                arguments("memory plus overhead beyond a long", executor().memoryBytes(Long.MAX_VALUE)
                        .memoryOverheadBytes(Long.MAX_VALUE),
                        "spec.executor.memory: executor memory plus overhead is too large (8796093022207 MiB + overhead)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidCases")
    void rejectsNamingTheField(String name, Executor executor, String message) {
        assertThatThrownBy(executor::template).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
