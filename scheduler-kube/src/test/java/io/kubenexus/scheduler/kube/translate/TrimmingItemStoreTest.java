package io.kubenexus.scheduler.kube.translate;

import static io.kubenexus.scheduler.kube.testing.NodeObjects.node;
import static io.kubenexus.scheduler.kube.testing.PodObjects.expr;
import static io.kubenexus.scheduler.kube.testing.PodObjects.pod;
import static io.kubenexus.scheduler.kube.testing.PodObjects.term;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubenexus.scheduler.kube.testing.PodObjects;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TrimmingItemStoreTest {
    private final KubernetesSerialization json = new KubernetesSerialization();
    private final PodTranslator pods = new PodTranslator();
    private final NodeTranslator nodes = new NodeTranslator();

    private int jsonBytes(Object object) {
        return json.asJson(object).getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void putDoesNotModifyTheObjectTheInformerHandsToHandlers() {
        Node original = node("gpu-1").label("pool", "gpu").allocatable("cpu", "63").ready().kubeletNoise().build();
        String before = json.asJson(original);
        TrimmingItemStore<Node> store = TrimmingItemStore.forNodes();
        store.put(store.getKey(original), original);
        assertThat(json.asJson(original)).isEqualTo(before);
        assertThat(store.get("gpu-1")).isNotSameAs(original);

        // Nor does changing the stored copy's collections reach the original.
        store.get("gpu-1").getMetadata().getLabels().put("x", "y");
        assertThat(original.getMetadata().getLabels()).doesNotContainKey("x");
    }

    @Test
    void storeBehavesLikeAMapKeyedLikeFabric8() {
        TrimmingItemStore<Node> store = TrimmingItemStore.forNodes();
        Node a = node("a").build();
        Node b = node("b").build();
        assertThat(store.getKey(a)).isEqualTo("a");
        assertThat(store.put("a", a)).isNull();
        store.put("b", b);
        Node a2 = node("a").label("pool", "gpu").build();
        assertThat(store.put("a", a2).getMetadata().getName()).isEqualTo("a");
        assertThat(store.size()).isEqualTo(2);
        assertThat(store.keySet()).containsExactlyInAnyOrder("a", "b");
        assertThat(store.values()).hasSize(2);
        assertThat(store.remove("b")).isNotNull();
        assertThat(store.get("b")).isNull();
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void trimmedNodeTranslatesToTheSameNodeInfoAndDropsKubeletNoise() {
        Node original = node("gpu-1").label("pool", "gpu").annotation("numa.kubenexus.io/topology", "{}")
                .allocatable("cpu", "63").allocatable("memory", "500Gi").allocatable("nvidia.com/gpu", "8")
                .capacity("cpu", "64").taint("nvidia.com/gpu", "present", "NoSchedule").ready().kubeletNoise()
                .build();
        String before = json.asJson(original);
        Node trimmed = TrimmingItemStore.trimNode(original);

        assertThat(nodes.translate(trimmed)).isEqualTo(nodes.translate(original));
        assertThat(json.asJson(original)).isEqualTo(before);
        assertThat(trimmed.getStatus().getImages()).isNullOrEmpty();
        assertThat(trimmed.getStatus().getAddresses()).isNullOrEmpty();
        assertThat(trimmed.getMetadata().getAnnotations()).containsOnlyKeys("numa.kubenexus.io/topology");
        assertThat((double) jsonBytes(trimmed) / jsonBytes(original)).isLessThan(0.5);
    }

    @Test
    void aTrimmerThatThrowsKeepsTheObjectWhole() {
        TrimmingItemStore<Node> store = new TrimmingItemStore<>(node -> {
            throw new NullPointerException("a null taint");
        });
        Node node = new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata().withName("n1").endMetadata()
                .build();

        store.put("n1", node);

        assertThat(store.get("n1")).isSameAs(node);
    }
}
