package io.kubenexus.scheduler.kube.translate;

import static io.kubenexus.scheduler.kube.testing.NodeObjects.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fabric8.kubernetes.api.model.Node;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.model.Taint;
import io.kubenexus.scheduler.core.model.TaintEffect;
import io.kubenexus.scheduler.kube.testing.NodeObjects;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeTranslatorTest {
    private static final long GI = 1L << 30;

    private final NodeTranslator translator = new NodeTranslator();

    private NodeInfo valid(Node node) {
        Translation<NodeInfo> translation = translator.translate(node);
        assertThat(translation.errorOrNull()).as("translation error").isNull();
        return translation.orElseThrow();
    }

    static Stream<Arguments> allocatableCases() {
        return Stream.of(
                arguments("allocatable in scheduler units",
                        node("n").allocatable("cpu", "3920m").allocatable("memory", "15Gi").allocatable("pods", "110")
                                .allocatable("nvidia.com/gpu", "8").allocatable("ephemeral-storage", "100G"),
                        Map.of("cpu", 3920L, "memory", 15 * GI, "pods", 110L, "nvidia.com/gpu", 8L,
                                "ephemeral-storage", 100_000_000_000L)),
                arguments("allocatable wins over capacity",
                        node("n").capacity("cpu", "4").allocatable("cpu", "3500m"), Map.of("cpu", 3500L)),
                arguments("capacity when allocatable is absent",
                        node("n").capacity("cpu", "4").capacity("memory", "16Gi"), Map.of("cpu", 4000L, "memory", 16 * GI)),
                arguments("nothing reported", node("n"), Map.of()),
                arguments("zero gpus are not listed", node("n").allocatable("nvidia.com/gpu", "0"), Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allocatableCases")
    void allocatable(String name, NodeObjects node, Map<String, Long> expected) {
        assertThat(valid(node.build()).allocatable()).isEqualTo(ResourceList.of(expected));
    }

    static Stream<Arguments> invalidNodes() {
        return Stream.of(
                arguments("malformed allocatable", node("n1").allocatable("memory", "12x"),
                        "node \"n1\": allocatable memory \"12x\" is not a valid quantity"),
                arguments("malformed capacity fallback", node("n1").capacity("cpu", "four"),
                        "node \"n1\": capacity cpu \"four\" is not a valid quantity"),
                arguments("fractional extended resource", node("n1").allocatable("example.com/fpga", "1.5"),
                        "node \"n1\": allocatable example.com/fpga \"1.5\" must be a whole number for an extended resource"),
                arguments("unknown taint effect", node("n1").taint("gpu", "true", "NoScheduleMaybe"),
                        "node \"n1\": taint \"gpu\" has unknown effect \"NoScheduleMaybe\""),
                arguments("taint without key", node("n1").taint(null, "x", "NoSchedule"),
                        "node \"n1\": a taint has no key"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidNodes")
    void invalidNodeIsAnErrorNamingNodeAndField(String name, NodeObjects node, String message) {
        assertThat(translator.translate(node.build())).isEqualTo(Translation.invalid(message));
    }

    @Test
    void taintsLabelsAndFlags() {
        NodeInfo info = valid(node("gpu-1")
                .label("pool", "gpu")
                .annotation("numa.kubenexus.io/topology", "{}")
                .annotation("node.alpha.kubernetes.io/ttl", "0")
                .taint("nvidia.com/gpu", "present", "NoSchedule")
                .taint("maintenance", null, "PreferNoSchedule")
                .unschedulable()
                .ready()
                .build());
        assertThat(info.name()).isEqualTo("gpu-1");
        assertThat(info.labels()).isEqualTo(Map.of("pool", "gpu"));
        assertThat(info.annotations()).containsOnlyKeys("numa.kubenexus.io/topology");
        assertThat(info.taints()).containsExactly(
                new Taint("nvidia.com/gpu", "present", TaintEffect.NO_SCHEDULE),
                new Taint("maintenance", "", TaintEffect.PREFER_NO_SCHEDULE));
        assertThat(info.unschedulable()).isTrue();
        assertThat(info.ready()).isTrue();
    }

    static Stream<Arguments> readiness() {
        return Stream.of(
                arguments("Ready True", node("n").condition("MemoryPressure", "False").ready(), true),
                arguments("Ready False", node("n").condition("Ready", "False"), false),
                arguments("Ready Unknown", node("n").condition("Ready", "Unknown"), false),
                arguments("no Ready condition", node("n").condition("DiskPressure", "False"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readiness")
    void readyFollowsTheReadyCondition(String name, NodeObjects node, boolean ready) {
        NodeInfo info = valid(node.build());
        assertThat(info.ready()).isEqualTo(ready);
        assertThat(info.unschedulable()).isFalse();
        assertThat(info.taints()).isEqualTo(List.of());
    }

    @Test
    void neverThrows() {
        assertThat(translator.translate(null)).isEqualTo(Translation.invalid("node has no metadata.name"));
        Node bare = new Node();
        bare.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
        bare.getMetadata().setName("bare");
        assertThat(valid(bare).allocatable()).isEqualTo(ResourceList.EMPTY);
    }

    static Stream<Arguments> capacityCases() {
        return Stream.of(
                arguments("status.capacity, kept apart from allocatable",
                        node("n").capacity("cpu", "4").capacity("memory", "16Gi").allocatable("cpu", "3500m")
                                .allocatable("memory", "15Gi"),
                        Map.of("cpu", 4000L, "memory", 16 * GI)),
                arguments("allocatable when no capacity is reported",
                        node("n").allocatable("cpu", "2"), Map.of("cpu", 2000L)),
                arguments("capacity when allocatable is absent", node("n").capacity("cpu", "4"), Map.of("cpu", 4000L)),
                arguments("allocatable when capacity cannot be read (metrics only; the node stays valid)",
                        node("n").allocatable("cpu", "2").capacity("cpu", "lots"), Map.of("cpu", 2000L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("capacityCases")
    void capacity(String name, NodeObjects node, Map<String, Long> expected) {
        assertThat(valid(node.build()).capacity()).isEqualTo(ResourceList.of(expected));
    }

    @Test
    void capacityEqualToAllocatableSharesItsInstance() {
        NodeInfo info = valid(node("n").capacity("cpu", "2").allocatable("cpu", "2").build());
        assertThat(info.capacity()).isSameAs(info.allocatable());
    }
}
