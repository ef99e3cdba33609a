package io.kubenexus.scheduler.app.demo;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenexus.scheduler.app.DemoSummary;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.sim.synthetic.SyntheticNode;
import io.kubenexus.scheduler.numa.NumaRequest;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Judges the NUMA placements of a run from the API's pods and the simulated kubelets' record of
 * what they admitted against their true per-zone state (never the scheduler's own accounting):
 * <ul>
 *   <li>a bound pod whose policy requires alignment ({@code single-numa}, {@code isolated},
 *       {@code restricted}) is aligned when its kubelet found its listed resources available in the
 *       zone (or minimal set of zones) it pinned the pod to, and, for {@code isolated}, no other pod
 *       in that zone; bound to a node without topology, or never admitted, it is misaligned;</li>
 *   <li>any pod that joined a zone an isolated pod held is misaligned;</li>
 *   <li>every pod a kubelet failed with {@code TopologyAffinityError} is counted, with or without a
 *       policy.</li>
 * </ul>
 */
final class NumaAudit {
    private NumaAudit() {
    }

    static DemoSummary.NumaPlacements of(KubernetesClient client, String namespace, SimulatedKubelet kubelet,
                                         List<SyntheticNode> nodes, PrintStream progress) {
        Map<String, String> shapeOfNode = new HashMap<>();
        Map<String, int[]> byShape = new TreeMap<>();
        for (SyntheticNode node : nodes) {
            if (node.shape().numa() != null) {
                shapeOfNode.put(node.node().name(), node.shape().namePrefix());
                // nodes, bound, aligned, misaligned, pinned
                byShape.computeIfAbsent(node.shape().namePrefix(), s -> new int[5])[0]++;
            }
        }
        int bound = 0;
        int pending = 0;
        int aligned = 0;
        int misaligned = 0;
        Set<String> misplacedNodes = new TreeSet<>();
        for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
            PodKey key = new PodKey(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
            NumaRequest request = request(pod);
            String node = pod.getSpec().getNodeName();
            SimulatedKubelet.Outcome outcome = kubelet.outcome(key);
            if (outcome != null && !outcome.node().equals(node)) {
                outcome = null;
            }
            String shapeName = node == null ? null : shapeOfNode.get(node);
            int[] shape = shapeName == null ? null : byShape.get(shapeName);
            if (request != null) {
                if (node == null) {
                    pending++;
                    continue;
                }
                bound++;
                if (shape != null) {
                    shape[1]++;
                }
            }
            String problem = null;
            if (request != null && request.policy().isRequired()) {
                if (shape == null) {
                    problem = "bound to " + node + ", which publishes no NUMA topology";
                } else if (outcome == null) {
                    problem = "bound to " + node + " but never admitted by its kubelet";
                }
            }
            if (problem == null && outcome != null && outcome.alignment() == SimulatedKubelet.Alignment.MISALIGNED) {
                problem = outcome.problem();
            }
            if (problem != null) {
                misaligned++;
                misplacedNodes.add(node);
                if (shape != null) {
                    shape[3]++;
                }
                progress.println("demo: NUMA MISALIGNED " + key + " (" + (request == null ? "no policy"
                        : request.policy().apiName()) + ") on " + node + ": " + problem);
            } else if (outcome != null && outcome.alignment() == SimulatedKubelet.Alignment.ALIGNED) {
                aligned++;
                shape[2]++;
            }
            if (outcome != null && outcome.admitted() && !outcome.zones().isEmpty() && shape != null) {
                shape[4]++;
            }
        }
        if (!misplacedNodes.isEmpty()) {
            explain(client, namespace, kubelet, misplacedNodes, progress);
        }
        int rejected = 0;
        for (SimulatedKubelet.Outcome outcome : kubelet.outcomes()) {
            if (!outcome.admitted()) {
                rejected++;
                progress.println("demo: TOPOLOGY AFFINITY ERROR " + outcome.pod() + " on " + outcome.node() + ": "
                        + outcome.reason());
            }
        }
        Map<String, DemoSummary.ShapeCounts> shapes = new TreeMap<>();
        byShape.forEach((name, c) -> shapes.put(name, new DemoSummary.ShapeCounts(c[0], c[1], c[2], c[3], c[4])));
        return new DemoSummary.NumaPlacements(bound, pending, aligned, misaligned, rejected, shapes);
    }

    /**
     * For each node with a misplaced pod: what its kubelet admitted, in order, with the zones it pinned,
     * beside the zones the scheduler said it chose (its Scheduled event), to tell whose fault it was.
     */
    private static void explain(KubernetesClient client, String namespace, SimulatedKubelet kubelet,
                                Set<String> nodes, PrintStream progress) {
        Map<String, String> scheduled = new HashMap<>();
        for (Event event : client.v1().events().inNamespace(namespace).list().getItems()) {
            if ("Scheduled".equals(event.getReason()) && event.getInvolvedObject() != null) {
                scheduled.put(event.getInvolvedObject().getName(), event.getMessage());
            }
        }
        for (String node : nodes) {
            progress.println("demo: NUMA admissions on " + node + ", in the kubelet's order:");
            for (SimulatedKubelet.Outcome outcome : kubelet.outcomes()) {
                if (node.equals(outcome.node())) {
                    String message = scheduled.getOrDefault(outcome.pod().name(), "");
                    int paren = message.lastIndexOf(" (");
                    progress.println("demo:   " + outcome.pod().name() + " policy "
                            + (outcome.policy() == null ? "none" : outcome.policy().apiName()) + ", kubelet pinned "
                            + outcome.zones() + ", scheduler said " + (paren < 0 ? "-" : message.substring(paren + 1))
                            + (outcome.problem().isEmpty() ? "" : ": " + outcome.problem()));
                }
            }
        }
    }

    private static NumaRequest request(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        try {
            return annotations == null ? null : NumaRequest.parse(annotations);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
