package io.kubenexus.scheduler.bench.harness;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.sim.synthetic.PodSpecTemplate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The synthetic cluster and workload as API objects: Ready nodes with allocatable, labels and
 * taints; pending pods with one container, as a workload controller creates them.
 */
final class LoadObjects {
    private static final String IMAGE = "registry.k8s.io/pause:3.10";

    private LoadObjects() {
    }

    static Node node(NodeInfo info) {
        Map<String, Quantity> allocatable = new LinkedHashMap<>();
        info.allocatable().amounts().forEach((resource, amount) -> allocatable.put(resource, quantity(resource, amount)));
        List<Taint> taints = info.taints().stream()
                .map(t -> new TaintBuilder().withKey(t.key()).withValue(t.value().isEmpty() ? null : t.value())
                        .withEffect(t.effect().apiName()).build())
                .toList();
        return new NodeBuilder()
                .withNewMetadata().withName(info.name()).withLabels(info.labels()).endMetadata()
                .withNewSpec().withTaints(taints).endSpec()
                .withNewStatus().withAllocatable(allocatable).withCapacity(allocatable)
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady").endCondition()
                .endStatus()
                .build();
    }

    static Pod pod(PodSpecTemplate template, String schedulerName) {
        Map<String, Quantity> requests = new LinkedHashMap<>();
        requests.put(ResourceNames.CPU, quantity(ResourceNames.CPU, template.cpuMilli()));
        requests.put(ResourceNames.MEMORY, quantity(ResourceNames.MEMORY, template.memoryBytes()));
        Map<String, Quantity> limits = null;
        if (template.gpus() > 0) {
            // Extended resources are requested as limits equal to requests.
            Quantity gpus = new Quantity(Integer.toString(template.gpus()));
            requests.put(ResourceNames.NVIDIA_GPU, gpus);
            limits = Map.of(ResourceNames.NVIDIA_GPU, gpus);
        }
        return new PodBuilder()
                .withNewMetadata().withName(template.name()).withNamespace(template.namespace())
                .withLabels(template.labels()).endMetadata()
                .withNewSpec()
                .withSchedulerName(schedulerName)
                .withPriority(template.priority())
                .withNodeSelector(template.nodeSelector().isEmpty() ? null : template.nodeSelector())
                .withTolerations(tolerations(template.tolerations()))
                .addNewContainer().withName("main").withImage(IMAGE)
                .withNewResources().withRequests(requests).withLimits(limits).endResources()
                .endContainer()
                .endSpec()
                .build();
    }

    private static List<Toleration> tolerations(List<io.kubenexus.scheduler.core.model.Toleration> tolerations) {
        return tolerations.stream()
                .map(t -> new TolerationBuilder().withKey(t.key().isEmpty() ? null : t.key())
                        .withOperator(t.operator() == io.kubenexus.scheduler.core.model.Toleration.Operator.EXISTS
                                ? "Exists" : "Equal")
                        .withValue(t.value().isEmpty() ? null : t.value())
                        .withEffect(t.effect() == null ? null : t.effect().apiName())
                        .build())
                .toList();
    }

    /** Millicores for cpu, plain counts (bytes) for everything else. */
    private static Quantity quantity(String resource, long amount) {
        return ResourceNames.CPU.equals(resource) ? new Quantity(amount + "m") : new Quantity(Long.toString(amount));
    }
}
