package io.kubenexus.scheduler.kube.testing;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EphemeralVolumeSource;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimVolumeSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinity;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodAntiAffinity;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodResourceClaim;
import io.fabric8.kubernetes.api.model.PodSchedulingGate;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Fluent builder of fabric8 {@link Pod} objects as the API server would return them, for tests:
 * {@code pod("p").container("main").cpu("500m").memory("1Gi").build()}. Resource calls apply to
 * the container added last.
 */
public final class PodObjects {
    private final Pod pod = new Pod();
    private final ObjectMeta meta = new ObjectMeta();
    private final PodSpec spec = new PodSpec();
    private Container current;

    private PodObjects(String name) {
        pod.setApiVersion("v1");
        pod.setKind("Pod");
        meta.setName(name);
        meta.setNamespace("default");
        meta.setUid("uid-" + name);
        meta.setCreationTimestamp("2024-05-01T10:00:00Z");
        pod.setMetadata(meta);
        spec.setSchedulerName("kubenexus-scheduler");
        pod.setSpec(spec);
    }

    public static PodObjects pod(String name) {
        return new PodObjects(name);
    }

    // ------------------------------------------------------------ metadata

    public PodObjects namespace(String namespace) {
        meta.setNamespace(namespace);
        return this;
    }

    public PodObjects uid(String uid) {
        meta.setUid(uid);
        return this;
    }

    /** Leaves uid and creationTimestamp to the API server. */
    public PodObjects forCreate() {
        meta.setUid(null);
        meta.setCreationTimestamp(null);
        return this;
    }

    public PodObjects label(String key, String value) {
        if (meta.getLabels() == null) {
            meta.setLabels(new LinkedHashMap<>());
        }
        meta.getLabels().put(key, value);
        return this;
    }

    public PodObjects annotation(String key, String value) {
        if (meta.getAnnotations() == null) {
            meta.setAnnotations(new LinkedHashMap<>());
        }
        meta.getAnnotations().put(key, value);
        return this;
    }

    public PodObjects createdAt(String timestamp) {
        meta.setCreationTimestamp(timestamp);
        return this;
    }

    public PodObjects deleting() {
        meta.setDeletionTimestamp("2024-05-01T11:00:00Z");
        return this;
    }

    public PodObjects ownedBy(String kind, String name) {
        OwnerReference owner = new OwnerReference();
        owner.setApiVersion("v1");
        owner.setKind(kind);
        owner.setName(name);
        owner.setUid("uid-" + name);
        owner.setController(true);
        meta.getOwnerReferences().add(owner);
        return this;
    }

    public PodObjects managedField(String manager, String fieldsJson) {
        ManagedFieldsEntry entry = new ManagedFieldsEntry();
        entry.setManager(manager);
        entry.setOperation("Update");
        entry.setApiVersion("v1");
        entry.setFieldsType("FieldsV1");
        entry.setTime("2024-05-01T10:00:00Z");
        entry.setAdditionalProperty("fieldsV1raw", fieldsJson);
        meta.getManagedFields().add(entry);
        return this;
    }

    // ------------------------------------------------------------ spec

    public PodObjects schedulerName(String name) {
        spec.setSchedulerName(name);
        return this;
    }

    /** Joins Kubernetes' PodGroup {@code podGroupName} ({@code spec.schedulingGroup}, 1.35+). */
    public PodObjects schedulingGroup(String podGroupName) {
        spec.setSchedulingGroup(new io.fabric8.kubernetes.api.model.PodSchedulingGroup(podGroupName));
        return this;
    }

    public PodObjects priority(Integer priority) {
        spec.setPriority(priority);
        return this;
    }

    public PodObjects priorityClassName(String name) {
        spec.setPriorityClassName(name);
        return this;
    }

    public PodObjects nodeName(String node) {
        spec.setNodeName(node);
        return this;
    }

    public PodObjects nodeSelector(String key, String value) {
        if (spec.getNodeSelector() == null) {
            spec.setNodeSelector(new LinkedHashMap<>());
        }
        spec.getNodeSelector().put(key, value);
        return this;
    }

    public PodObjects container(String name) {
        current = newContainer(name);
        spec.getContainers().add(current);
        return this;
    }

    public PodObjects initContainer(String name) {
        current = newContainer(name);
        spec.getInitContainers().add(current);
        return this;
    }

    /** An init container with restartPolicy Always. */
    public PodObjects sidecar(String name) {
        initContainer(name);
        current.setRestartPolicy("Always");
        return this;
    }

    public PodObjects cpu(String quantity) {
        return request("cpu", quantity);
    }

    public PodObjects memory(String quantity) {
        return request("memory", quantity);
    }

    public PodObjects gpu(String quantity) {
        return request("nvidia.com/gpu", quantity);
    }

    public PodObjects request(String resource, String quantity) {
        resources().getRequests().put(resource, new Quantity(quantity));
        return this;
    }

    public PodObjects limit(String resource, String quantity) {
        resources().getLimits().put(resource, new Quantity(quantity));
        return this;
    }

    public PodObjects hostPort(int port) {
        return hostPort(null, null, port);
    }

    public PodObjects hostPort(String hostIp, String protocol, int port) {
        ContainerPort containerPort = new ContainerPort();
        containerPort.setContainerPort(port);
        containerPort.setHostPort(port);
        containerPort.setHostIP(hostIp);
        containerPort.setProtocol(protocol);
        current().getPorts().add(containerPort);
        return this;
    }

    public PodObjects containerPort(String name, int port) {
        ContainerPort containerPort = new ContainerPort();
        containerPort.setName(name);
        containerPort.setContainerPort(port);
        containerPort.setProtocol("TCP");
        current().getPorts().add(containerPort);
        return this;
    }

    public PodObjects env(String name, String value) {
        current().getEnv().add(new EnvVar(name, value, null));
        return this;
    }

    public PodObjects image(String image) {
        current().setImage(image);
        return this;
    }

    public PodObjects args(String... args) {
        current().setArgs(new ArrayList<>(Arrays.asList(args)));
        return this;
    }

    public PodObjects volumeMount(String volume, String path) {
        VolumeMount mount = new VolumeMount();
        mount.setName(volume);
        mount.setMountPath(path);
        current().getVolumeMounts().add(mount);
        return this;
    }

    public PodObjects overhead(String resource, String quantity) {
        if (spec.getOverhead() == null) {
            spec.setOverhead(new LinkedHashMap<>());
        }
        spec.getOverhead().put(resource, new Quantity(quantity));
        return this;
    }

    /** Pod-level resources (spec.resources). */
    public PodObjects podRequest(String resource, String quantity) {
        podResources().getRequests().put(resource, new Quantity(quantity));
        return this;
    }

    public PodObjects podLimit(String resource, String quantity) {
        podResources().getLimits().put(resource, new Quantity(quantity));
        return this;
    }

    public PodObjects toleration(String key, String operator, String value, String effect) {
        Toleration toleration = new Toleration();
        toleration.setKey(key);
        toleration.setOperator(operator);
        toleration.setValue(value);
        toleration.setEffect(effect);
        spec.getTolerations().add(toleration);
        return this;
    }

    /** Adds a required node affinity term (the node must match one of the terms). */
    public PodObjects requiredTerm(NodeSelectorTerm term) {
        NodeAffinity nodeAffinity = nodeAffinity();
        if (nodeAffinity.getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
            nodeAffinity.setRequiredDuringSchedulingIgnoredDuringExecution(new NodeSelector());
        }
        nodeAffinity.getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms().add(term);
        return this;
    }

    public PodObjects preferredTerm(int weight, NodeSelectorTerm term) {
        PreferredSchedulingTerm preferred = new PreferredSchedulingTerm();
        preferred.setWeight(weight);
        preferred.setPreference(term);
        nodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution().add(preferred);
        return this;
    }

    public static NodeSelectorTerm term(NodeSelectorRequirement... expressions) {
        NodeSelectorTerm term = new NodeSelectorTerm();
        term.setMatchExpressions(new ArrayList<>(Arrays.asList(expressions)));
        return term;
    }

    public static NodeSelectorTerm fieldTerm(NodeSelectorRequirement... fields) {
        NodeSelectorTerm term = new NodeSelectorTerm();
        term.setMatchFields(new ArrayList<>(Arrays.asList(fields)));
        return term;
    }

    public static NodeSelectorRequirement expr(String key, String operator, String... values) {
        return new NodeSelectorRequirement(key, operator, new ArrayList<>(Arrays.asList(values)));
    }

    public PodObjects requiredPodAffinity() {
        PodAffinity podAffinity = new PodAffinity();
        podAffinity.getRequiredDuringSchedulingIgnoredDuringExecution().add(podAffinityTerm());
        affinity().setPodAffinity(podAffinity);
        return this;
    }

    public PodObjects preferredPodAffinity() {
        PodAffinity podAffinity = new PodAffinity();
        podAffinity.getPreferredDuringSchedulingIgnoredDuringExecution()
                .add(new WeightedPodAffinityTerm(podAffinityTerm(), 10));
        affinity().setPodAffinity(podAffinity);
        return this;
    }

    public PodObjects requiredPodAntiAffinity() {
        PodAntiAffinity antiAffinity = new PodAntiAffinity();
        antiAffinity.getRequiredDuringSchedulingIgnoredDuringExecution().add(podAffinityTerm());
        affinity().setPodAntiAffinity(antiAffinity);
        return this;
    }

    /** Adds a required pod affinity term (e.g. from {@link #affinityTerm}). */
    public PodObjects requiredPodAffinity(PodAffinityTerm term) {
        podAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().add(term);
        return this;
    }

    public PodObjects preferredPodAffinity(Integer weight, PodAffinityTerm term) {
        podAffinity().getPreferredDuringSchedulingIgnoredDuringExecution().add(new WeightedPodAffinityTerm(term, weight));
        return this;
    }

    public PodObjects requiredPodAntiAffinity(PodAffinityTerm term) {
        podAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().add(term);
        return this;
    }

    public PodObjects preferredPodAntiAffinity(Integer weight, PodAffinityTerm term) {
        podAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()
                .add(new WeightedPodAffinityTerm(term, weight));
        return this;
    }

    /** A null entry in the preferred anti-affinity terms, as the JSON {@code [null]} reads. */
    public PodObjects withNullPreferredAntiAffinityTerm() {
        podAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution().add(null);
        return this;
    }

    /** Adds a spread constraint as given (e.g. from {@link #spreadConstraint}). */
    public PodObjects topologySpread(TopologySpreadConstraint constraint) {
        spec.getTopologySpreadConstraints().add(constraint);
        return this;
    }

    /** A pod affinity term over {@code topologyKey} selecting pods labelled {@code app=<app>}. */
    public static PodAffinityTermBuilder affinityTerm(String topologyKey, String app) {
        return new PodAffinityTermBuilder().withTopologyKey(topologyKey)
                .withLabelSelector(new LabelSelectorBuilder().addToMatchLabels("app", app).build());
    }

    /** A spread constraint over {@code topologyKey} counting pods labelled {@code app=<app>}. */
    public static TopologySpreadConstraintBuilder spreadConstraint(int maxSkew, String topologyKey,
                                                                   String whenUnsatisfiable, String app) {
        return new TopologySpreadConstraintBuilder().withMaxSkew(maxSkew).withTopologyKey(topologyKey)
                .withWhenUnsatisfiable(whenUnsatisfiable)
                .withLabelSelector(new LabelSelectorBuilder().addToMatchLabels("app", app).build());
    }

    public static LabelSelectorRequirement selectorExpr(String key, String operator, String... values) {
        return new LabelSelectorRequirement(key, operator, new ArrayList<>(Arrays.asList(values)));
    }

    public PodObjects topologySpread(String whenUnsatisfiable) {
        TopologySpreadConstraint constraint = new TopologySpreadConstraint();
        constraint.setMaxSkew(1);
        constraint.setTopologyKey("topology.kubernetes.io/zone");
        constraint.setWhenUnsatisfiable(whenUnsatisfiable);
        constraint.setLabelSelector(new LabelSelectorBuilder().addToMatchLabels("app", "x").build());
        spec.getTopologySpreadConstraints().add(constraint);
        return this;
    }

    public PodObjects pvc(String volume, String claim) {
        Volume v = new Volume();
        v.setName(volume);
        v.setPersistentVolumeClaim(new PersistentVolumeClaimVolumeSource(claim, false));
        spec.getVolumes().add(v);
        return this;
    }

    public PodObjects ephemeralVolume(String volume) {
        Volume v = new Volume();
        v.setName(volume);
        v.setEphemeral(new EphemeralVolumeSource());
        spec.getVolumes().add(v);
        return this;
    }

    public PodObjects emptyDir(String volume) {
        Volume v = new Volume();
        v.setName(volume);
        v.setEmptyDir(new io.fabric8.kubernetes.api.model.EmptyDirVolumeSource());
        spec.getVolumes().add(v);
        return this;
    }

    public PodObjects configMapVolume(String volume, String configMap) {
        Volume v = new Volume();
        v.setName(volume);
        io.fabric8.kubernetes.api.model.ConfigMapVolumeSource source =
                new io.fabric8.kubernetes.api.model.ConfigMapVolumeSource();
        source.setName(configMap);
        v.setConfigMap(source);
        spec.getVolumes().add(v);
        return this;
    }

    public PodObjects resourceClaim(String name) {
        PodResourceClaim claim = new PodResourceClaim();
        claim.setName(name);
        claim.setResourceClaimName(name);
        spec.getResourceClaims().add(claim);
        return this;
    }

    public PodObjects schedulingGate(String name) {
        spec.getSchedulingGates().add(new PodSchedulingGate(name));
        return this;
    }

    // ------------------------------------------------------------ status

    public PodObjects phase(String phase) {
        status().setPhase(phase);
        return this;
    }

    public PodObjects condition(String type, String status, String reason, String message) {
        PodCondition condition = new PodCondition();
        condition.setType(type);
        condition.setStatus(status);
        condition.setReason(reason);
        condition.setMessage(message);
        condition.setLastTransitionTime("2024-05-01T10:00:01Z");
        status().getConditions().add(condition);
        return this;
    }

    /**
     * {@code resources.requests[resource]} in the status of container {@code container} (what the
     * kubelet has actuated; differs from the spec during an in-place resize). Init containers'
     * statuses go to {@code initContainerStatuses}.
     */
    public PodObjects actualRequest(String container, String resource, String quantity) {
        ContainerStatus status = containerStatus(container);
        if (status.getResources() == null) {
            status.setResources(new ResourceRequirements());
        }
        status.getResources().getRequests().put(resource, new Quantity(quantity));
        return this;
    }

    /** {@code allocatedResources[resource]} in the status of container {@code container}. */
    public PodObjects allocated(String container, String resource, String quantity) {
        ContainerStatus status = containerStatus(container);
        if (status.getAllocatedResources() == null) {
            status.setAllocatedResources(new LinkedHashMap<>());
        }
        status.getAllocatedResources().put(resource, new Quantity(quantity));
        return this;
    }

    public Pod build() {
        return pod;
    }

    private ContainerStatus containerStatus(String container) {
        boolean init = spec.getInitContainers().stream().anyMatch(c -> container.equals(c.getName()));
        List<ContainerStatus> statuses = init ? status().getInitContainerStatuses() : status().getContainerStatuses();
        for (ContainerStatus status : statuses) {
            if (container.equals(status.getName())) {
                return status;
            }
        }
        ContainerStatus status = new ContainerStatus();
        status.setName(container);
        statuses.add(status);
        return status;
    }

    // ------------------------------------------------------------ helpers

    private static Container newContainer(String name) {
        Container container = new Container();
        container.setName(name);
        return container;
    }

    private Container current() {
        if (current == null) {
            container("main");
        }
        return current;
    }

    private ResourceRequirements resources() {
        Container container = current();
        if (container.getResources() == null) {
            container.setResources(new ResourceRequirements());
        }
        return container.getResources();
    }

    private ResourceRequirements podResources() {
        if (spec.getResources() == null) {
            spec.setResources(new ResourceRequirements());
        }
        return spec.getResources();
    }

    private PodStatus status() {
        if (pod.getStatus() == null) {
            pod.setStatus(new PodStatus());
        }
        return pod.getStatus();
    }

    private Affinity affinity() {
        if (spec.getAffinity() == null) {
            spec.setAffinity(new Affinity());
        }
        return spec.getAffinity();
    }

    private NodeAffinity nodeAffinity() {
        if (affinity().getNodeAffinity() == null) {
            affinity().setNodeAffinity(new NodeAffinity());
        }
        return affinity().getNodeAffinity();
    }

    private PodAffinity podAffinity() {
        if (affinity().getPodAffinity() == null) {
            affinity().setPodAffinity(new PodAffinity());
        }
        return affinity().getPodAffinity();
    }

    private PodAntiAffinity podAntiAffinity() {
        if (affinity().getPodAntiAffinity() == null) {
            affinity().setPodAntiAffinity(new PodAntiAffinity());
        }
        return affinity().getPodAntiAffinity();
    }

    private static PodAffinityTerm podAffinityTerm() {
        PodAffinityTerm term = new PodAffinityTerm();
        term.setTopologyKey("kubernetes.io/hostname");
        term.setLabelSelector(new LabelSelectorBuilder().addToMatchLabels("app", "x").build());
        return term;
    }
}
