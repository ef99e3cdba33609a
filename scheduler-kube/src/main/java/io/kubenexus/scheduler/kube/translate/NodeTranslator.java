package io.kubenexus.scheduler.kube.translate;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.Taint;
import io.kubenexus.scheduler.core.model.TaintEffect;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a fabric8 {@link Node} into the scheduler's {@link NodeInfo}.
 *
 * <p>Allocatable falls back to capacity when the kubelet has not reported allocatable yet (as
 * kube-scheduler's NodeInfo does with an empty allocatable, a fresh node would otherwise look
 * full). Capacity is kept for capacity metrics, sharing allocatable's instance when the two are
 * equal. Only annotations with {@code kubenexus.io/} in the key are kept.
 *
 * <p>Stateless and thread-safe. {@link #translate} never throws.
 */
public final class NodeTranslator {

    public NodeTranslator() {
    }

    public Translation<NodeInfo> translate(Node node) {
        try {
            return Translation.valid(read(node));
        } catch (InvalidSpecException e) {
            return Translation.invalid(e.getMessage());
        } catch (RuntimeException e) {
            return Translation.invalid("node cannot be read: " + e);
        }
    }

    private static NodeInfo read(Node node) throws InvalidSpecException {
        if (node == null || node.getMetadata() == null || node.getMetadata().getName() == null) {
            throw new InvalidSpecException("node has no metadata.name");
        }
        ObjectMeta meta = node.getMetadata();
        String where = "node \"" + meta.getName() + "\": ";
        NodeSpec spec = node.getSpec() == null ? new NodeSpec() : node.getSpec();
        NodeStatus status = node.getStatus() == null ? new NodeStatus() : node.getStatus();

        Map<String, Quantity> allocatable = status.getAllocatable();
        String source = "allocatable ";
        if (allocatable == null || allocatable.isEmpty()) {
            allocatable = status.getCapacity();
            source = "capacity ";
        }
        Map<String, Long> amounts = KubeQuantities.toUnits(allocatable, where + source, "");
        Map<String, Long> capacity = capacity(status, amounts, where);

        List<Taint> taints = new ArrayList<>();
        if (spec.getTaints() != null) {
            for (io.fabric8.kubernetes.api.model.Taint taint : spec.getTaints()) {
                if (taint.getKey() == null || taint.getKey().isEmpty()) {
                    throw new InvalidSpecException(where + "a taint has no key");
                }
                TaintEffect effect;
                try {
                    effect = TaintEffect.fromApiName(taint.getEffect());
                } catch (IllegalArgumentException e) {
                    throw new InvalidSpecException(where + "taint \"" + taint.getKey()
                            + "\" has unknown effect \"" + taint.getEffect() + "\"");
                }
                taints.add(new Taint(taint.getKey(), taint.getValue(), effect));
            }
        }

        boolean ready = false;
        if (status.getConditions() != null) {
            for (NodeCondition condition : status.getConditions()) {
                if ("Ready".equals(condition.getType())) {
                    ready = "True".equals(condition.getStatus());
                }
            }
        }

        return new NodeInfo(
                meta.getName(),
                meta.getLabels() == null ? Map.of() : meta.getLabels(),
                RetainedAnnotations.forNode(meta.getAnnotations()),
                KubeQuantities.resourceList(amounts),
                taints,
                Boolean.TRUE.equals(spec.getUnschedulable()),
                ready,
                capacity == amounts ? null : KubeQuantities.resourceList(capacity));
    }

    /** Capacity in the scheduler's units; allocatable's map when none is reported or it cannot be read (metrics only). */
    private static Map<String, Long> capacity(NodeStatus status, Map<String, Long> allocatable, String where) {
        Map<String, Quantity> reported = status.getCapacity();
        if (reported == null || reported.isEmpty()) {
            return allocatable;
        }
        try {
            return KubeQuantities.toUnits(reported, where + "capacity ", "");
        } catch (InvalidSpecException e) {
            return allocatable;
        }
    }
}
