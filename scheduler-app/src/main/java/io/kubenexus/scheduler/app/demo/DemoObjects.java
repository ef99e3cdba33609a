package io.kubenexus.scheduler.app.demo;

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
import io.kubenexus.scheduler.core.model.TaintEffect;
import io.kubenexus.scheduler.sim.synthetic.NodeShape;
import io.kubenexus.scheduler.sim.synthetic.NumaLayout;
import io.kubenexus.scheduler.sim.synthetic.PodSpecTemplate;
import io.kubenexus.scheduler.sim.synthetic.SyntheticCluster;
import io.kubenexus.scheduler.sim.synthetic.SyntheticNode;
import io.kubenexus.scheduler.sim.synthetic.WorkloadGenerator;
import io.kubenexus.scheduler.gang.GangLabels;
import io.kubenexus.scheduler.kube.topology.GpuIslandsAnnotation;
import io.kubenexus.scheduler.numa.GpuInterconnect;
import io.kubenexus.scheduler.numa.NumaRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the seeded synthetic cluster into the API objects a real cluster would hold: Nodes with
 * allocatable, taints and a Ready condition; Pods as a workload controller would create them.
 */
final class DemoObjects {
    static final String PAUSE_IMAGE = "registry.k8s.io/pause:3.10";

    private DemoObjects() {
    }

    static Node node(NodeInfo info) {
        Map<String, Quantity> resources = new LinkedHashMap<>();
        info.allocatable().amounts().forEach((name, amount) -> resources.put(name, quantity(name, amount)));
        List<Taint> taints = info.taints().stream()
                .map(t -> new TaintBuilder().withKey(t.key()).withValue(t.value().isEmpty() ? null : t.value())
                        .withEffect(t.effect().apiName()).build())
                .toList();
        return new NodeBuilder()
                .withNewMetadata().withName(info.name()).withLabels(info.labels()).withAnnotations(info.annotations())
                .endMetadata()
                .withNewSpec().withTaints(taints).withUnschedulable(info.unschedulable() ? Boolean.TRUE : null).endSpec()
                .withNewStatus().withAllocatable(resources).withCapacity(resources)
                .addNewCondition().withType("Ready").withStatus(info.ready() ? "True" : "False").withReason("KubeletReady")
                .endCondition()
                .endStatus()
                .build();
    }

    /**
     * The node as {@link #node(NodeInfo)} makes it; a node whose GPUs form NVLink islands also carries
     * them in the annotation {@value GpuIslandsAnnotation#KEY}, as a provisioning tool would write it.
     */
    static Node node(SyntheticNode synthetic) {
        Node node = node(synthetic.node());
        NumaLayout layout = synthetic.shape().numa();
        GpuInterconnect islands = layout == null ? null : TopologyObjects.interconnect(layout);
        if (islands != null) {
            Map<String, String> annotations = new LinkedHashMap<>(synthetic.node().annotations());
            annotations.put(GpuIslandsAnnotation.KEY, TopologyObjects.islandsAnnotation(islands));
            node.getMetadata().setAnnotations(annotations);
        }
        return node;
    }

    /**
     * A NUMA workload pod: one container; Guaranteed pods have limits equal to requests; the policy as
     * the annotation {@value NumaRequest#POLICY_ANNOTATION}; GPU pods tolerate the GPU taint and select
     * the GPU pool; gang members carry the pod-group labels.
     */
    static Pod numaPod(NumaWorkload.NumaPod spec, String schedulerName) {
        Map<String, Quantity> requests = new LinkedHashMap<>();
        requests.put(ResourceNames.CPU, quantity(ResourceNames.CPU, spec.cpuMilli()));
        requests.put(ResourceNames.MEMORY, quantity(ResourceNames.MEMORY, spec.memoryBytes()));
        if (spec.gpus() > 0) {
            requests.put(ResourceNames.NVIDIA_GPU, new Quantity(Integer.toString(spec.gpus())));
        }
        Map<String, Quantity> limits = spec.guaranteed() ? new LinkedHashMap<>(requests)
                : spec.gpus() > 0 ? Map.of(ResourceNames.NVIDIA_GPU, requests.get(ResourceNames.NVIDIA_GPU)) : null;
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(WorkloadGenerator.APP_NAME_LABEL, NumaWorkload.NAME_PREFIX + "-" + spec.kind().label());
        labels.put(WorkloadGenerator.WORKLOAD_CLASS_LABEL, NumaWorkload.NAME_PREFIX);
        if (spec.gang() != null) {
            labels.put(GangLabels.NAME, spec.gang());
            labels.put(GangLabels.MIN_AVAILABLE, Integer.toString(spec.minAvailable()));
        }
        Map<String, String> annotations = spec.policy() == null ? null
                : Map.of(NumaRequest.POLICY_ANNOTATION, spec.policy().apiName());
        boolean gpu = spec.gpus() > 0;
        return new PodBuilder()
                .withNewMetadata().withName(spec.name()).withNamespace(spec.namespace()).withLabels(labels)
                .withAnnotations(annotations).endMetadata()
                .withNewSpec()
                .withSchedulerName(schedulerName)
                .withPriority(0)
                .withNodeSelector(gpu ? Map.of(SyntheticCluster.POOL_LABEL, "gpu") : null)
                .withTolerations(gpu ? tolerations(List.of(io.kubenexus.scheduler.core.model.Toleration.exists(
                        NodeShape.GPU_TAINT.key(), TaintEffect.NO_SCHEDULE))) : List.of())
                .addNewContainer().withName("main").withImage(PAUSE_IMAGE)
                .withNewResources().withRequests(requests).withLimits(limits).endResources()
                .endContainer()
                .endSpec()
                .build();
    }

    static Pod pod(PodSpecTemplate template, String schedulerName) {
        Map<String, Quantity> requests = new LinkedHashMap<>();
        Map<String, Quantity> limits = new LinkedHashMap<>();
        requests.put(ResourceNames.CPU, quantity(ResourceNames.CPU, template.cpuMilli()));
        requests.put(ResourceNames.MEMORY, quantity(ResourceNames.MEMORY, template.memoryBytes()));
        if (template.gpus() > 0) {
            // Extended resources must be requested as limits equal to requests.
            Quantity gpus = new Quantity(Integer.toString(template.gpus()));
            requests.put(ResourceNames.NVIDIA_GPU, gpus);
            limits.put(ResourceNames.NVIDIA_GPU, gpus);
        }
        return new PodBuilder()
                .withNewMetadata().withName(template.name()).withNamespace(template.namespace())
                .withLabels(template.labels()).endMetadata()
                .withNewSpec()
                .withSchedulerName(schedulerName)
                .withPriority(template.priority())
                .withNodeSelector(template.nodeSelector().isEmpty() ? null : template.nodeSelector())
                .withTolerations(tolerations(template.tolerations()))
                .addNewContainer().withName("main").withImage(PAUSE_IMAGE)
                .withNewResources().withRequests(requests).withLimits(limits.isEmpty() ? null : limits).endResources()
                .endContainer()
                .endSpec()
                .build();
    }

    /** The model's tolerations as the API writes them. */
    static List<Toleration> tolerations(List<io.kubenexus.scheduler.core.model.Toleration> tolerations) {
        return tolerations.stream()
                .map(t -> new TolerationBuilder().withKey(t.key().isEmpty() ? null : t.key())
                        .withOperator(t.operator() == io.kubenexus.scheduler.core.model.Toleration.Operator.EXISTS
                                ? "Exists" : "Equal")
                        .withValue(t.value().isEmpty() ? null : t.value())
                        .withEffect(t.effect() == null ? null : t.effect().apiName())
                        .build())
                .toList();
    }

    /** The scheduler's units back into a Kubernetes quantity: millicores for cpu, plain counts otherwise. */
    static Quantity quantity(String resource, long amount) {
        return ResourceNames.CPU.equals(resource) ? new Quantity(amount + "m") : new Quantity(Long.toString(amount));
    }
}
