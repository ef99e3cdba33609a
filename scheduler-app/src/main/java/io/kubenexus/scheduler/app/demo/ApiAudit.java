package io.kubenexus.scheduler.app.demo;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the API holds after a run, re-read from scratch and checked independently of the scheduler's
 * code: per node, the requests of the pods bound to it (summed from the Pod objects with fabric8's
 * own quantity arithmetic) against the node's allocatable.
 *
 * @param bound               pods with spec.nodeName (their requests count on the node unless they ended)
 * @param pending             pods without
 * @param capacityViolations  nodes where some resource (cpu, memory, GPUs, pod count) is over-committed
 * @param pendingReasons      pending pods per reason of their PodScheduled condition, counts stripped
 *                            (a pod short of cpu on some nodes and tainted out of others counts under both)
 * @param requestedPerNode    node name to resource name to the amount the API's pods request there
 * @param unreported          pending pods whose PodScheduled condition has no message yet, by name
 */
record ApiAudit(int bound, int pending, int capacityViolations, List<String> violations,
                Map<String, Integer> pendingReasons, Map<String, Map<String, BigDecimal>> requestedPerNode,
                List<String> unreported) {

    static ApiAudit of(KubernetesClient client, String namespace) {
        List<Node> nodes = client.nodes().list().getItems();
        List<Pod> pods = client.pods().inNamespace(namespace).list().getItems();
        Map<String, Map<String, BigDecimal>> requested = new HashMap<>();
        Map<String, Integer> reasons = new TreeMap<>();
        int bound = 0;
        int pending = 0;
        List<String> unreported = new java.util.ArrayList<>();
        for (Pod pod : pods) {
            String nodeName = pod.getSpec().getNodeName();
            if (nodeName == null) {
                pending++;
                if (!countReasons(pod, reasons)) {
                    unreported.add(pod.getMetadata().getName());
                }
                continue;
            }
            bound++;
            if (KubeletLoop.isTerminal(pod)) {
                // A failed or finished pod holds nothing on its node any more, for the kubelet and the scheduler alike.
                continue;
            }
            Map<String, BigDecimal> onNode = requested.computeIfAbsent(nodeName, n -> new HashMap<>());
            onNode.merge("pods", BigDecimal.ONE, BigDecimal::add);
            for (Container container : pod.getSpec().getContainers()) {
                if (container.getResources() != null && container.getResources().getRequests() != null) {
                    container.getResources().getRequests().forEach((name, quantity) ->
                            onNode.merge(name, quantity.getNumericalAmount(), BigDecimal::add));
                }
            }
        }
        List<String> violations = new java.util.ArrayList<>();
        for (Node node : nodes) {
            Map<String, BigDecimal> onNode = requested.getOrDefault(node.getMetadata().getName(), Map.of());
            Map<String, Quantity> allocatable = node.getStatus().getAllocatable();
            onNode.forEach((resource, amount) -> {
                Quantity limit = allocatable.get(resource);
                BigDecimal available = limit == null ? BigDecimal.ZERO : limit.getNumericalAmount();
                if (amount.compareTo(available) > 0) {
                    violations.add(node.getMetadata().getName() + ": " + resource + " requested " + amount.toPlainString()
                            + " > allocatable " + available.toPlainString());
                }
            });
        }
        long nodesOver = violations.stream().map(v -> v.substring(0, v.indexOf(':'))).distinct().count();
        return new ApiAudit(bound, pending, (int) nodesOver, List.copyOf(violations), reasons, requested,
                List.copyOf(unreported));
    }

    /**
     * "0/50 nodes are available: 10 Insufficient cpu, 40 node(s) had ..." -> "Insufficient cpu", "node(s) had ...".
     * False when the pod has no reason yet.
     */
    private static boolean countReasons(Pod pod, Map<String, Integer> reasons) {
        PodCondition scheduled = pod.getStatus() == null || pod.getStatus().getConditions() == null ? null
                : pod.getStatus().getConditions().stream().filter(c -> "PodScheduled".equals(c.getType())).findFirst()
                .orElse(null);
        if (scheduled == null || scheduled.getMessage() == null) {
            reasons.merge("not yet reported", 1, Integer::sum);
            return false;
        }
        String message = scheduled.getMessage();
        int colon = message.indexOf(": ");
        if (!message.startsWith("0/") || colon < 0) {
            reasons.merge(message, 1, Integer::sum);
            return true;
        }
        String body = message.substring(colon + 2).replaceAll("\\.$", "");
        for (String part : body.split(", (?=\\d+ )")) {
            reasons.merge(part.replaceFirst("^\\d+ ", ""), 1, Integer::sum);
        }
        return true;
    }
}
