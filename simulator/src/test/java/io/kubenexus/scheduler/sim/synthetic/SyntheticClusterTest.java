package io.kubenexus.scheduler.sim.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.core.model.Taint;
import io.kubenexus.scheduler.core.model.TaintEffect;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class SyntheticClusterTest {
    // Kubernetes' syntax for label keys (optional DNS subdomain prefix + name) and values.
    private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final Pattern NODE_NAME = Pattern.compile("(cpu|gpu)-node-\\d{4,}");

    @Test
    void sameSeedGivesIdenticalNodes() {
        List<NodeInfo> first = SyntheticCluster.builder().seed(42).nodes(200).build();
        List<NodeInfo> second = SyntheticCluster.builder().seed(42).nodes(200).build();

        assertThat(second).isEqualTo(first);
    }

    @Test
    void differentSeedPlacesNodesInDifferentZones() {
        List<NodeInfo> first = SyntheticCluster.builder().seed(1).nodes(200).build();
        List<NodeInfo> second = SyntheticCluster.builder().seed(2).nodes(200).build();

        assertThat(second).isNotEqualTo(first);
        assertThat(zonesByNode(second)).isNotEqualTo(zonesByNode(first));
        // The seed changes placement, never the mix: the same names exist in both.
        assertThat(second).extracting(NodeInfo::name).isEqualTo(first.stream().map(NodeInfo::name).toList());
    }

    @Test
    void defaultDemoMixIsFortyCpuAndTenGpuNodesOfTheDocumentedSizes() {
        List<NodeInfo> nodes = SyntheticCluster.builder().seed(1).nodes(50).build();

        List<NodeInfo> cpu = pool(nodes, "cpu");
        List<NodeInfo> gpu = pool(nodes, "gpu");
        assertThat(cpu).hasSize(40);
        assertThat(gpu).hasSize(10);
        assertThat(cpu.get(7).name()).isEqualTo("cpu-node-0007");
        assertThat(gpu.get(2).name()).isEqualTo("gpu-node-0002");
        assertThat(cpu).allSatisfy(node -> {
            assertThat(node.allocatable().get(ResourceNames.CPU)).isEqualTo(32_000);
            assertThat(node.allocatable().get(ResourceNames.MEMORY)).isEqualTo(128 * NodeShape.GI);
            assertThat(node.allocatable().get(ResourceNames.PODS)).isEqualTo(110);
            assertThat(node.allocatable().get(ResourceNames.NVIDIA_GPU)).isZero();
            assertThat(node.taints()).isEmpty();
            assertThat(node.labels()).doesNotContainKeys(SyntheticCluster.GPU_PRODUCT_LABEL, SyntheticCluster.GPU_COUNT_LABEL);
        });
        assertThat(gpu).allSatisfy(node -> {
            assertThat(node.allocatable().get(ResourceNames.CPU)).isEqualTo(96_000);
            assertThat(node.allocatable().get(ResourceNames.MEMORY)).isEqualTo(768 * NodeShape.GI);
            assertThat(node.allocatable().get(ResourceNames.PODS)).isEqualTo(110);
            assertThat(node.allocatable().get(ResourceNames.NVIDIA_GPU)).isEqualTo(8);
            assertThat(node.taints()).containsExactly(new Taint("nvidia.com/gpu", "present", TaintEffect.NO_SCHEDULE));
            assertThat(node.labels()).containsEntry(SyntheticCluster.GPU_COUNT_LABEL, "8")
                    .containsEntry(SyntheticCluster.GPU_PRODUCT_LABEL, NodeShape.DEFAULT_GPU_PRODUCT)
                    .containsEntry(SyntheticCluster.GPU_PRESENT_LABEL, "true");
        });
    }

    @ParameterizedTest(name = "{0} nodes at {1} GPU")
    @CsvSource({"1, 0.2", "7, 0.2", "50, 0.2", "333, 0.2", "1000, 0.05", "64, 0.5", "10, 0.0", "10, 1.0"})
    void gpuShareIsTheRequestedFractionRoundedToTheNearestNode(int count, double fraction) {
        List<NodeInfo> nodes = SyntheticCluster.builder().seed(9).nodes(count).gpuNodeFraction(fraction).build();

        assertThat(nodes).hasSize(count);
        // Largest-remainder apportionment: each count is within one node of its exact share.
        assertThat((double) pool(nodes, "gpu").size()).isCloseTo(count * fraction, org.assertj.core.data.Offset.offset(0.5 + 1e-9));
    }

    @Test
    void customShapesAreApportionedByWeight() {
        NodeShape small = NodeShape.cpu("small", "kn.standard-8", 8, 32, 3);
        NodeShape big = NodeShape.cpu("big", "kn.standard-64", 64, 256, 1);

        List<NodeInfo> nodes = SyntheticCluster.builder().seed(3).nodes(100).shapes(List.of(small, big)).build();

        assertThat(nodes.stream().filter(n -> n.name().startsWith("small-"))).hasSize(75);
        assertThat(nodes.stream().filter(n -> n.name().startsWith("big-"))).hasSize(25);
    }

    @ParameterizedTest(name = "seed {0}")
    @CsvSource({"1", "2", "-5", "123456789"})
    void everyGeneratedNodeIsAValidSchedulableNodeWithTheStandardLabels(long seed) {
        List<NodeInfo> nodes = SyntheticCluster.builder().seed(seed).nodes(120).build();

        Set<String> names = new HashSet<>();
        for (NodeInfo node : nodes) {
            assertThat(names.add(node.name())).as("unique name %s", node.name()).isTrue();
            assertThat(node.name()).matches(NODE_NAME);
            assertThat(node.ready()).isTrue();
            assertThat(node.unschedulable()).isFalse();
            assertThat(node.allocatable().get(ResourceNames.CPU)).isPositive();
            assertThat(node.allocatable().get(ResourceNames.MEMORY)).isPositive();
            assertThat(node.allocatable().get(ResourceNames.PODS)).isPositive();
            assertThat(node.labels())
                    .containsEntry(SyntheticCluster.HOSTNAME_LABEL, node.name())
                    .containsEntry(SyntheticCluster.OS_LABEL, "linux")
                    .containsEntry(SyntheticCluster.ARCH_LABEL, "amd64")
                    .containsEntry(SyntheticCluster.REGION_LABEL, SyntheticCluster.DEFAULT_REGION)
                    .containsKey(SyntheticCluster.INSTANCE_TYPE_LABEL);
            assertThat(SyntheticCluster.DEFAULT_ZONES).contains(node.labels().get(SyntheticCluster.ZONE_LABEL));
            node.labels().forEach((key, value) -> {
                assertThat(isLabelKey(key)).as("label key %s", key).isTrue();
                assertThat(value).as("label value of %s", key).hasSizeLessThanOrEqualTo(63).matches(LABEL_VALUE);
            });
            boolean gpu = node.allocatable().get(ResourceNames.NVIDIA_GPU) > 0;
            assertThat(node.labels().get(SyntheticCluster.POOL_LABEL)).isEqualTo(gpu ? "gpu" : "cpu");
            assertThat(node.taints().contains(NodeShape.GPU_TAINT)).isEqualTo(gpu);
            if (gpu) {
                assertThat(node.labels().get(SyntheticCluster.GPU_COUNT_LABEL))
                        .isEqualTo(Long.toString(node.allocatable().get(ResourceNames.NVIDIA_GPU)));
            }
        }
    }

    @Test
    void eachPoolIsSpreadEvenlyOverTheThreeZones() {
        List<NodeInfo> nodes = SyntheticCluster.builder().seed(11).nodes(100).build();

        for (String pool : List.of("cpu", "gpu")) {
            Map<String, Long> perZone = pool(nodes, pool).stream()
                    .collect(Collectors.groupingBy(n -> n.labels().get(SyntheticCluster.ZONE_LABEL), Collectors.counting()));
            assertThat(perZone).as(pool).hasSize(3);
            long max = perZone.values().stream().mapToLong(Long::longValue).max().orElseThrow();
            long min = perZone.values().stream().mapToLong(Long::longValue).min().orElseThrow();
            assertThat(max - min).as("zone imbalance in pool %s: %s", pool, perZone).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void emptyClusterIsAllowed() {
        assertThat(SyntheticCluster.builder().nodes(0).build()).isEmpty();
    }

    static List<Arguments> invalidSettings() {
        return List.of(
                invalid("negative node count", b -> b.nodes(-1), "nodes: must not be negative, was -1"),
                invalid("GPU fraction above 1", b -> b.gpuNodeFraction(1.5), "gpuNodeFraction: must be 0..1, was 1.5"),
                invalid("GPU fraction NaN", b -> b.gpuNodeFraction(Double.NaN), "gpuNodeFraction: must be 0..1, was NaN"),
                invalid("no zones", b -> b.zones(List.of()), "zones: at least one zone is needed"),
                invalid("duplicate prefix", b -> b.shapes(List.of(NodeShape.DEMO_CPU, NodeShape.DEMO_CPU)),
                        "shapes: name prefix 'cpu-node' used twice"),
                invalid("all weights zero", b -> b.shapes(List.of(NodeShape.DEMO_CPU.withWeight(0))),
                        "shapes: at least one shape needs a positive weight"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSettings")
    void invalidSettingsFailNamingTheSetting(Consumer<SyntheticCluster.Builder> change, String message) {
        SyntheticCluster.Builder builder = SyntheticCluster.builder();

        assertThatThrownBy(() -> change.accept(builder)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void gpuFractionAndCustomShapesAreExclusive() {
        SyntheticCluster.Builder builder = SyntheticCluster.builder().gpuNodeFraction(0.1).shapes(List.of(NodeShape.DEMO_CPU));

        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("gpuNodeFraction");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"Upper-Case", "-leading-dash", "trailing-", "under_score"})
    void shapeNamePrefixMustBeUsableInNodeNames(String prefix) {
        assertThatThrownBy(() -> NodeShape.cpu(prefix, "t", 1, 1, 1)).hasMessageContaining("namePrefix");
    }

    private static Arguments invalid(String name, Consumer<SyntheticCluster.Builder> change, String message) {
        return Arguments.of(Named.of(name, change), message);
    }

    private static boolean isLabelKey(String key) {
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        String prefix = slash < 0 ? null : key.substring(0, slash);
        return name.length() <= 63 && LABEL_NAME.matcher(name).matches()
                && (prefix == null || prefix.length() <= 253 && DNS_SUBDOMAIN.matcher(prefix).matches());
    }

    private static List<NodeInfo> pool(List<NodeInfo> nodes, String pool) {
        return nodes.stream().filter(n -> pool.equals(n.labels().get(SyntheticCluster.POOL_LABEL))).toList();
    }

    private static Map<String, String> zonesByNode(List<NodeInfo> nodes) {
        return nodes.stream().collect(Collectors.toMap(NodeInfo::name, n -> n.labels().get(SyntheticCluster.ZONE_LABEL)));
    }
}
