package io.kubenexus.scheduler.kube.testing;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.LinkedHashMap;
import java.util.List;

/** Fluent builder of fabric8 {@link Node} objects for tests: {@code node("n1").allocatable("cpu", "4")}. */
public final class NodeObjects {
    private final Node node = new Node();
    private final ObjectMeta meta = new ObjectMeta();
    private final NodeSpec spec = new NodeSpec();
    private final NodeStatus status = new NodeStatus();

    private NodeObjects(String name) {
        node.setApiVersion("v1");
        node.setKind("Node");
        meta.setName(name);
        node.setMetadata(meta);
        node.setSpec(spec);
        node.setStatus(status);
    }

    public static NodeObjects node(String name) {
        return new NodeObjects(name);
    }

    public NodeObjects label(String key, String value) {
        if (meta.getLabels() == null) {
            meta.setLabels(new LinkedHashMap<>());
        }
        meta.getLabels().put(key, value);
        return this;
    }

    public NodeObjects annotation(String key, String value) {
        if (meta.getAnnotations() == null) {
            meta.setAnnotations(new LinkedHashMap<>());
        }
        meta.getAnnotations().put(key, value);
        return this;
    }

    public NodeObjects allocatable(String resource, String quantity) {
        if (status.getAllocatable() == null) {
            status.setAllocatable(new LinkedHashMap<>());
        }
        status.getAllocatable().put(resource, new Quantity(quantity));
        return this;
    }

    public NodeObjects capacity(String resource, String quantity) {
        if (status.getCapacity() == null) {
            status.setCapacity(new LinkedHashMap<>());
        }
        status.getCapacity().put(resource, new Quantity(quantity));
        return this;
    }

    public NodeObjects taint(String key, String value, String effect) {
        spec.getTaints().add(new Taint(effect, key, null, value));
        return this;
    }

    public NodeObjects unschedulable() {
        spec.setUnschedulable(true);
        return this;
    }

    public NodeObjects condition(String type, String conditionStatus) {
        NodeCondition condition = new NodeCondition();
        condition.setType(type);
        condition.setStatus(conditionStatus);
        condition.setReason("KubeletReady");
        condition.setLastHeartbeatTime("2024-05-01T10:00:00Z");
        condition.setLastTransitionTime("2024-05-01T09:00:00Z");
        status.getConditions().add(condition);
        return this;
    }

    public NodeObjects ready() {
        return condition("Ready", "True");
    }

    /** What a kubelet also reports, none of which the scheduler reads. */
    public NodeObjects kubeletNoise() {
        for (int i = 0; i < 20; i++) {
            ContainerImage image = new ContainerImage();
            image.setNames(List.of("registry.example.com/team/image-" + i + "@sha256:"
                    + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "image-" + i + ":v1"));
            image.setSizeBytes(123_456_789L);
            status.getImages().add(image);
        }
        status.getAddresses().add(new NodeAddress("10.0.0.1", "InternalIP"));
        annotation("node.alpha.kubernetes.io/ttl", "0");
        annotation("volumes.kubernetes.io/controller-managed-attach-detach", "true");
        return this;
    }

    public Node build() {
        return node;
    }
}
