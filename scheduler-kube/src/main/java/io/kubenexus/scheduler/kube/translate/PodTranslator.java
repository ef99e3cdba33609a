package io.kubenexus.scheduler.kube.translate;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Volume;
import io.kubenexus.scheduler.core.model.ContainerResources;
import io.kubenexus.scheduler.core.model.HostPort;
import io.kubenexus.scheduler.core.model.NodeAffinity;
import io.kubenexus.scheduler.core.model.NodeSelectorOperator;
import io.kubenexus.scheduler.core.model.NodeSelectorRequirement;
import io.kubenexus.scheduler.core.model.NodeSelectorTerm;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.PodPhase;
import io.kubenexus.scheduler.core.model.PodRequests;
import io.kubenexus.scheduler.core.model.PreemptionPolicy;
import io.kubenexus.scheduler.core.model.PreferredSchedulingTerm;
import io.kubenexus.scheduler.core.model.QosClass;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.core.model.TaintEffect;
import io.kubenexus.scheduler.core.model.Toleration;
import io.kubenexus.scheduler.numa.NumaRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a fabric8 {@link Pod} into the scheduler's {@link PodInfo}. Callers translate each object
 * once, when the informer delivers it, and keep the result; the scheduling loop never sees API
 * objects.
 *
 * <p>Requests follow the API server and kube-scheduler: a container's missing request defaults to
 * its limit (API server defaulting, for every resource in {@code limits}); the effective pod request
 * is {@link PodRequests#effective} (apps plus sidecars, at least the largest init phase, plus
 * {@code spec.overhead}); pod-level {@code spec.resources} requests for cpu and memory, when set,
 * replace the container sum for that resource before overhead is added, as with the
 * PodLevelResources feature.
 *
 * <p>Host ports are those of app containers and of restartable init containers (sidecars run
 * beside the apps and hold their ports); ordinary init containers have exited before the apps
 * start.
 *
 * <p>Inter-pod affinity, anti-affinity and topology spread constraints become
 * {@link PodInfo#interPod()}, validated as the API server validates them and with
 * {@code matchLabelKeys}/{@code mismatchLabelKeys} merged into their selectors
 * ({@link InterPodConstraintsTranslator}). Only hard constraints this scheduler cannot evaluate are
 * listed in {@link PodInfo#unsupportedConstraints()}: persistent volume claims (their volume
 * topology) and dynamic resource claims.
 *
 * <p>In-place resize (kube-scheduler 1.33+, component-helpers {@code resource.PodRequests}): an app
 * container or sidecar whose status reports {@code resources} is charged, per resource, the largest
 * of its spec request, {@code status.containerStatuses[].resources.requests} and
 * {@code allocatedResources}, since the kubelet may still hold the old amount while a resize is
 * pending or in progress; when the resize is Infeasible ({@code PodResizePending} with reason
 * {@code Infeasible}) the spec is left out, as the kubelet will never grant it. The QoS class stays
 * the spec's (a resize cannot change it).
 *
 * <p>Node affinity {@code Gt}/{@code Lt} with a value that is not an integer is accepted, as the API
 * server accepts it: kube-scheduler's parser fails that term, so it matches nothing, and the other
 * terms still count (the matcher does the same).
 *
 * <p>The NUMA annotations ({@link NumaRequest#POLICY_ANNOTATION}, {@link NumaRequest#RESOURCES_ANNOTATION})
 * are ours: on pods of our scheduler (see {@link #PodTranslator(String)}) a malformed one makes the
 * translation invalid with the parser's message; on anyone else's pod they mean nothing and are not
 * checked, so they cannot make a running pod unreadable.
 *
 * <p>A pod that cannot be translated is still charged where it runs: {@link #accounting} reads what
 * accounting needs (identity, node, phase, requests) whatever its constraints hold.
 *
 * <p>Thread-safe. {@link #translate} and {@link #accounting} never throw.
 */
public final class PodTranslator {
    private final CanonicalValues shared = new CanonicalValues();
    /** What the API server fills in when {@code spec.schedulerName} is empty. */
    public static final String DEFAULT_SCHEDULER_NAME = "default-scheduler";
    /** The pod condition types and reason of in-place resize (k8s.io/api core/v1, 1.33+). */
    static final String RESIZE_PENDING = "PodResizePending";
    static final String RESIZE_INFEASIBLE = "Infeasible";

    public static final String PERSISTENT_VOLUME_CLAIMS = "persistent volume claims";
    public static final String RESOURCE_CLAIMS = "dynamic resource claims";

    private static final List<String> POD_LEVEL_RESOURCES = List.of(ResourceNames.CPU, ResourceNames.MEMORY);

    /** Whose pods carry our annotations; null: every pod's are read (tools outside a scheduler). */
    private final String schedulerName;

    /** A translator that reads our annotations on every pod (audits, tests, the embedded API). */
    public PodTranslator() {
        this(null);
    }

    /** A translator for the scheduler named {@code schedulerName}: our annotations are read on its pods only. */
    public PodTranslator(String schedulerName) {
        this.schedulerName = schedulerName;
    }

    /** Whether the kubenexus annotations of {@code pod} mean something (it is ours, or every pod's are read). */
    public boolean readsOwnAnnotations(PodInfo pod) {
        return schedulerName == null || schedulerName.equals(pod.schedulerName());
    }

    /** The pod in the scheduler's model, or the first problem found, naming the field and value. */
    public Translation<PodInfo> translate(Pod pod) {
        try {
            return Translation.valid(read(pod));
        } catch (InvalidSpecException e) {
            return Translation.invalid(e.getMessage());
        } catch (RuntimeException e) {
            // A shape the API server would never produce (e.g. a null list element); report, don't crash.
            return Translation.invalid("pod cannot be read: " + e);
        }
    }

    /**
     * What accounting needs of a pod whatever its constraints hold: identity and metadata (to
     * recognize and report it), node, phase and, when they can be read, requests, host ports and
     * containers (with the status's resize amounts, or from the spec alone when the status cannot be
     * read). Constraints (affinity, tolerations) are left empty. For a pod {@link #translate}
     * rejected. Never throws.
     */
    public PodInfo accounting(Pod pod) {
        PodInfo identity = identity(pod);
        PodSpec spec = pod == null || pod.getSpec() == null ? new PodSpec() : pod.getSpec();
        for (boolean withStatus : new boolean[] {true, false}) {
            try {
                Resources resources = resources(spec, withStatus ? pod.getStatus() : null);
                return new PodInfo(identity.key(), identity.uid(), identity.schedulerName(), identity.nodeName(),
                        identity.phase(), identity.terminating(), identity.priority(), identity.createdAt(),
                        identity.labels(), identity.annotations(), resources.requests(), resources.nonZero(),
                        resources.hostPorts(), identity.nodeSelector(), NodeAffinity.NONE, List.of(),
                        resources.qos(), List.of(), identity.schedulingGated(), identity.schedulingGroup(),
                        resources.containers());
            } catch (InvalidSpecException | RuntimeException e) {
                // try without the status, then give the identity alone: it still counts as a pod on its node
            }
        }
        return identity;
    }

    /** The pod's identity and metadata without requests or constraints. Never throws. */
    PodInfo identity(Pod pod) {
        try {
            return readIdentity(pod);
        } catch (RuntimeException e) {
            ObjectMeta meta = pod == null || pod.getMetadata() == null ? new ObjectMeta() : pod.getMetadata();
            PodSpec spec = pod == null || pod.getSpec() == null ? new PodSpec() : pod.getSpec();
            return new PodInfo(new PodKey(nullToEmpty(meta.getNamespace()), nullToEmpty(meta.getName())),
                    meta.getUid(), stringOrNull(() -> schedulerName(spec)), stringOrNull(spec::getNodeName),
                    null, false, 0, null, null, null, null, null, null, null, null,
                    null, null, null, false, null, null);
        }
    }

    private static String stringOrNull(java.util.function.Supplier<String> field) {
        try {
            return field.get();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private PodInfo readIdentity(Pod pod) {
        ObjectMeta meta = pod == null || pod.getMetadata() == null ? new ObjectMeta() : pod.getMetadata();
        PodSpec spec = pod == null || pod.getSpec() == null ? new PodSpec() : pod.getSpec();
        PodStatus status = pod == null ? null : pod.getStatus();
        return new PodInfo(
                new PodKey(nullToEmpty(meta.getNamespace()), nullToEmpty(meta.getName())),
                meta.getUid(),
                schedulerName(spec),
                spec.getNodeName(),
                PodPhase.fromApiName(status == null ? null : status.getPhase()),
                meta.getDeletionTimestamp() != null,
                spec.getPriority() == null ? 0 : spec.getPriority(),
                timestamp(meta.getCreationTimestamp()),
                safeMap(meta.getLabels()),
                RetainedAnnotations.forPod(safeMap(meta.getAnnotations())),
                ResourceList.EMPTY, ResourceList.EMPTY, List.of(),
                safeMap(spec.getNodeSelector()),
                NodeAffinity.NONE, List.of(), QosClass.BEST_EFFORT, List.of(),
                spec.getSchedulingGates() != null && !spec.getSchedulingGates().isEmpty(),
                schedulingGroup(spec),
                List.of());
    }

    private PodInfo read(Pod pod) throws InvalidSpecException {
        if (pod == null || pod.getMetadata() == null || pod.getMetadata().getName() == null) {
            throw new InvalidSpecException("pod has no metadata.name");
        }
        ObjectMeta meta = pod.getMetadata();
        PodSpec spec = pod.getSpec() == null ? new PodSpec() : pod.getSpec();
        if (schedulerName == null || schedulerName.equals(schedulerName(spec))) {
            checkNumaRequest(meta.getAnnotations());
        }
        Resources resources = resources(spec, pod.getStatus());

        PodStatus status = pod.getStatus();
        // What copies of one template have in common is shared between them (see CanonicalValues):
        // the scheduler keeps a translated pod for every pod of the cluster.
        return new PodInfo(
                new PodKey(CanonicalValues.intern(nullToEmpty(meta.getNamespace())), meta.getName()),
                meta.getUid(),
                CanonicalValues.intern(schedulerName(spec)),
                CanonicalValues.intern(spec.getNodeName()),
                PodPhase.fromApiName(status == null ? null : status.getPhase()),
                meta.getDeletionTimestamp() != null,
                spec.getPriority() == null ? 0 : spec.getPriority(),
                timestamp(meta.getCreationTimestamp()),
                CanonicalValues.internedMap(safeMap(meta.getLabels())),
                shared.strings(RetainedAnnotations.forPod(safeMap(meta.getAnnotations()))),
                shared.of(resources.requests()),
                shared.of(resources.nonZero()),
                shared.list(resources.hostPorts()),
                shared.strings(safeMap(spec.getNodeSelector())),
                shared.of(nodeAffinity(spec.getAffinity())),
                shared.list(tolerations(spec.getTolerations())),
                resources.qos(),
                shared.list(unsupportedConstraints(spec)),
                spec.getSchedulingGates() != null && !spec.getSchedulingGates().isEmpty(),
                CanonicalValues.intern(schedulingGroup(spec)),
                shared.list(resources.containers()),
                shared.of(InterPodConstraintsTranslator.read(spec, safeMap(meta.getLabels()))),
                preemptionPolicy(spec),
                declaredRunTime(spec),
                status == null || status.getStartTime() == null ? null : timestamp(status.getStartTime()),
                controllerUid(meta));
    }

    private static PreemptionPolicy preemptionPolicy(PodSpec spec) throws InvalidSpecException {
        try {
            return PreemptionPolicy.fromApiName(spec.getPreemptionPolicy());
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException("spec.preemptionPolicy: " + e.getMessage());
        }
    }

    /** {@code spec.activeDeadlineSeconds}: the kubelet ends the pod after it, so the pod runs no longer. */
    private static Duration declaredRunTime(PodSpec spec) throws InvalidSpecException {
        Long seconds = spec.getActiveDeadlineSeconds();
        if (seconds == null) {
            return null;
        }
        if (seconds <= 0) {
            throw new InvalidSpecException("spec.activeDeadlineSeconds: must be positive, not " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }

    private static String controllerUid(ObjectMeta meta) {
        if (meta.getOwnerReferences() != null) {
            for (OwnerReference owner : meta.getOwnerReferences()) {
                if (owner != null && Boolean.TRUE.equals(owner.getController())) {
                    return CanonicalValues.intern(owner.getUid());
                }
            }
        }
        return null;
    }

    /** What a pod asks of its node: requests as charged, host ports, containers as charged, QoS class. */
    private record Resources(ResourceList requests, ResourceList nonZero, QosClass qos, List<HostPort> hostPorts,
                             List<ContainerResources> containers) {
    }

    /**
     * @param status the pod's status, for the amounts of an in-place resize; null to read the spec alone
     */
    private static Resources resources(PodSpec spec, PodStatus status) throws InvalidSpecException {
        List<ContainerResources> containers = containers(spec.getContainers(), false);
        List<ContainerResources> initContainers = containers(spec.getInitContainers(), true);
        // QoS comes from the spec: a resize cannot change a pod's class.
        QosClass specQos = PodRequests.qosClass(containers, initContainers);
        if (status != null) {
            boolean infeasible = resizeInfeasible(status);
            containers = withResize(containers, false, status, infeasible);
            initContainers = withResize(initContainers, true, status, infeasible);
        }
        ResourceList overhead = KubeQuantities.resourceList(
                KubeQuantities.toUnits(spec.getOverhead(), "overhead: ", ""));
        PodLevel podLevel = podLevel(spec.getResources());

        ResourceList requests;
        ResourceList nonZero;
        QosClass qos;
        try {
            if (podLevel == null) {
                requests = PodRequests.effective(containers, initContainers, overhead);
                nonZero = PodRequests.nonZero(containers, initContainers, overhead);
                qos = specQos;
            } else {
                requests = podLevel.override(PodRequests.effective(containers, initContainers, ResourceList.EMPTY))
                        .plus(overhead);
                nonZero = podLevel.override(PodRequests.nonZero(containers, initContainers, ResourceList.EMPTY))
                        .plus(overhead);
                qos = PodRequests.qosClass(List.of(podLevel.asContainer()), List.of());
            }
        } catch (ArithmeticException e) {
            throw new InvalidSpecException("pod requests are too large: their sum overflows");
        }

        List<HostPort> hostPorts = new ArrayList<>();
        for (ContainerResources container : containers) {
            hostPorts.addAll(container.hostPorts());
        }
        for (ContainerResources init : initContainers) {
            if (init.restartable()) {
                hostPorts.addAll(init.hostPorts());
            }
        }
        return new Resources(requests, nonZero, qos, hostPorts, containers);
    }

    /** kube's IsPodResizeInfeasible: the PodResizePending condition with reason Infeasible. */
    private static boolean resizeInfeasible(PodStatus status) {
        if (status.getConditions() == null) {
            return false;
        }
        for (PodCondition condition : status.getConditions()) {
            if (condition != null && RESIZE_PENDING.equals(condition.getType())) {
                return RESIZE_INFEASIBLE.equals(condition.getReason());
            }
        }
        return false;
    }

    /**
     * The containers as the kubelet may hold them during an in-place resize (kube's
     * determineContainerReqs): for an app container or sidecar whose status reports resources, the
     * larger of spec, status and allocated requests per resource; without the spec when infeasible.
     * Ordinary init containers have finished and keep their spec requests.
     */
    private static List<ContainerResources> withResize(List<ContainerResources> containers, boolean init,
                                                       PodStatus status, boolean infeasible)
            throws InvalidSpecException {
        if (containers.isEmpty()) {
            return containers;
        }
        Map<String, ContainerStatus> statuses = new HashMap<>();
        for (List<ContainerStatus> list : List.of(safeList(status.getContainerStatuses()),
                safeList(status.getInitContainerStatuses()))) {
            for (ContainerStatus containerStatus : list) {
                if (containerStatus != null && containerStatus.getName() != null) {
                    statuses.putIfAbsent(containerStatus.getName(), containerStatus);
                }
            }
        }
        if (statuses.isEmpty()) {
            return containers;
        }
        List<ContainerResources> result = null;
        for (int i = 0; i < containers.size(); i++) {
            ContainerResources container = containers.get(i);
            ContainerStatus containerStatus = statuses.get(container.name());
            boolean runsBesideApps = !init || container.restartable();
            if (!runsBesideApps || containerStatus == null || containerStatus.getResources() == null) {
                continue;
            }
            String where = "status of container \"" + container.name() + "\": ";
            ResourceList actual = KubeQuantities.resourceList(
                    KubeQuantities.toUnits(containerStatus.getResources().getRequests(), where, "request"));
            ResourceList allocated = KubeQuantities.resourceList(
                    KubeQuantities.toUnits(containerStatus.getAllocatedResources(), where, "allocated"));
            ResourceList charged = (infeasible ? actual : container.requests().max(actual)).max(allocated);
            if (!charged.equals(container.requests())) {
                if (result == null) {
                    result = new ArrayList<>(containers);
                }
                result.set(i, new ContainerResources(container.name(), charged, container.limits(),
                        container.hostPorts(), container.restartable()));
            }
        }
        return result == null ? containers : result;
    }

    /**
     * A malformed {@code numa.scheduling.kubenexus.io/*} annotation makes the pod unreadable, so the
     * user hears about it at once rather than getting a placement that ignores it.
     */
    private static void checkNumaRequest(Map<String, String> annotations) throws InvalidSpecException {
        if (annotations == null || annotations.isEmpty()) {
            return;
        }
        try {
            NumaRequest.parse(annotations);
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException(e.getMessage());
        }
    }

    /** Kubernetes' own gang API (1.35+): {@code spec.schedulingGroup.podGroupName}. */
    private static String schedulingGroup(PodSpec spec) {
        return spec.getSchedulingGroup() == null ? null : spec.getSchedulingGroup().getPodGroupName();
    }

    private static List<ContainerResources> containers(List<Container> containers, boolean init)
            throws InvalidSpecException {
        if (containers == null || containers.isEmpty()) {
            return List.of();
        }
        List<ContainerResources> result = new ArrayList<>(containers.size());
        for (int i = 0; i < containers.size(); i++) {
            Container container = containers.get(i);
            if (container == null) {
                throw new InvalidSpecException((init ? "spec.initContainers[" : "spec.containers[") + i + "] is null");
            }
            String where = (init ? "init container \"" : "container \"") + container.getName() + "\": ";
            ResourceRequirements resources = container.getResources();
            Map<String, Long> limits = Map.of();
            Map<String, Long> requests = Map.of();
            if (resources != null) {
                limits = KubeQuantities.toUnits(resources.getLimits(), where, "limit");
                requests = withDefaultsFromLimits(
                        KubeQuantities.toUnits(resources.getRequests(), where, "request"),
                        resources.getRequests() == null ? Map.of() : resources.getRequests(), limits);
            }
            List<HostPort> hostPorts = List.of();
            if (container.getPorts() != null) {
                hostPorts = new ArrayList<>();
                for (ContainerPort port : container.getPorts()) {
                    if (port == null) {
                        throw new InvalidSpecException(where + "a port is null");
                    }
                    if (port.getHostPort() != null && port.getHostPort() > 65535) {
                        throw new InvalidSpecException(where + "host port " + port.getHostPort()
                                + " is outside 1..65535");
                    }
                    if (port.getHostPort() != null && port.getHostPort() > 0) {
                        hostPorts.add(new HostPort(port.getHostIP(), port.getProtocol(), port.getHostPort()));
                    }
                }
            }
            boolean restartable = init && "Always".equals(container.getRestartPolicy());
            result.add(new ContainerResources(container.getName(), KubeQuantities.resourceList(requests),
                    KubeQuantities.resourceList(limits), hostPorts, restartable));
        }
        return result;
    }

    /** API server defaulting: a resource with a limit and no request requests its limit. */
    private static Map<String, Long> withDefaultsFromLimits(Map<String, Long> requests, Map<String, ?> declared,
                                                            Map<String, Long> limits) {
        if (limits.isEmpty()) {
            return requests;
        }
        Map<String, Long> merged = null;
        for (Map.Entry<String, Long> limit : limits.entrySet()) {
            if (!declared.containsKey(limit.getKey())) {
                if (merged == null) {
                    merged = new HashMap<>(requests);
                }
                merged.put(limit.getKey(), limit.getValue());
            }
        }
        return merged == null ? requests : merged;
    }

    /** Pod-level requests and limits for the resources the feature supports. */
    private record PodLevel(Map<String, Long> requests, Map<String, Long> limits) {
        ResourceList override(ResourceList aggregated) {
            ResourceList result = aggregated;
            for (Map.Entry<String, Long> request : requests.entrySet()) {
                result = result.with(request.getKey(), request.getValue());
            }
            return result;
        }

        ContainerResources asContainer() {
            return new ContainerResources("pod", ResourceList.of(requests), ResourceList.of(limits), List.of(), false);
        }
    }

    private static PodLevel podLevel(ResourceRequirements resources) throws InvalidSpecException {
        if (resources == null) {
            return null;
        }
        Map<String, Long> limits = supportedOnly(KubeQuantities.toUnits(resources.getLimits(), "pod resources: ", "limit"));
        Map<String, Long> requests = supportedOnly(withDefaultsFromLimits(
                KubeQuantities.toUnits(resources.getRequests(), "pod resources: ", "request"),
                resources.getRequests() == null ? Map.of() : resources.getRequests(), limits));
        return requests.isEmpty() && limits.isEmpty() ? null : new PodLevel(requests, limits);
    }

    private static Map<String, Long> supportedOnly(Map<String, Long> amounts) {
        Map<String, Long> supported = new HashMap<>();
        for (String resource : POD_LEVEL_RESOURCES) {
            Long amount = amounts.get(resource);
            if (amount != null) {
                supported.put(resource, amount);
            }
        }
        return supported;
    }

    private static List<Toleration> tolerations(List<io.fabric8.kubernetes.api.model.Toleration> tolerations)
            throws InvalidSpecException {
        if (tolerations == null || tolerations.isEmpty()) {
            return List.of();
        }
        List<Toleration> result = new ArrayList<>(tolerations.size());
        for (io.fabric8.kubernetes.api.model.Toleration toleration : tolerations) {
            if (toleration == null) {
                throw new InvalidSpecException("spec.tolerations: an entry is null");
            }
            String key = nullToEmpty(toleration.getKey());
            String operatorName = nullToEmpty(toleration.getOperator());
            Toleration.Operator operator = switch (operatorName) {
                case "", "Equal" -> Toleration.Operator.EQUAL;
                case "Exists" -> Toleration.Operator.EXISTS;
                default -> throw new InvalidSpecException(
                        "toleration \"" + key + "\": unknown operator \"" + operatorName + "\"");
            };
            TaintEffect effect = null;
            String effectName = nullToEmpty(toleration.getEffect());
            if (!effectName.isEmpty()) {
                try {
                    effect = TaintEffect.fromApiName(effectName);
                } catch (IllegalArgumentException e) {
                    throw new InvalidSpecException(
                            "toleration \"" + key + "\": unknown effect \"" + effectName + "\"");
                }
            }
            result.add(new Toleration(key, operator, toleration.getValue(), effect));
        }
        return result;
    }

    /**
     * The node affinity of a pod or of a pod template (e.g. a SparkApplication's executor), by the
     * rules {@link #translate} applies, or the first problem found.
     */
    public static Translation<NodeAffinity> nodeAffinityOf(Affinity affinity) {
        try {
            return Translation.valid(nodeAffinity(affinity));
        } catch (InvalidSpecException e) {
            return Translation.invalid(e.getMessage());
        } catch (RuntimeException e) {
            return Translation.invalid("node affinity cannot be read: " + e);
        }
    }

    private static NodeAffinity nodeAffinity(Affinity affinity) throws InvalidSpecException {
        if (affinity == null || affinity.getNodeAffinity() == null) {
            return NodeAffinity.NONE;
        }
        io.fabric8.kubernetes.api.model.NodeAffinity nodeAffinity = affinity.getNodeAffinity();
        List<NodeSelectorTerm> required = null;
        io.fabric8.kubernetes.api.model.NodeSelector selector =
                nodeAffinity.getRequiredDuringSchedulingIgnoredDuringExecution();
        if (selector != null) {
            required = new ArrayList<>();
            if (selector.getNodeSelectorTerms() != null) {
                for (io.fabric8.kubernetes.api.model.NodeSelectorTerm term : selector.getNodeSelectorTerms()) {
                    if (term == null) {
                        throw new InvalidSpecException("node affinity: a required term is null");
                    }
                    required.add(term(term));
                }
            }
        }
        List<PreferredSchedulingTerm> preferred = new ArrayList<>();
        if (nodeAffinity.getPreferredDuringSchedulingIgnoredDuringExecution() != null) {
            for (io.fabric8.kubernetes.api.model.PreferredSchedulingTerm term
                    : nodeAffinity.getPreferredDuringSchedulingIgnoredDuringExecution()) {
                if (term == null) {
                    throw new InvalidSpecException("node affinity: a preferred term is null");
                }
                int weight = term.getWeight() == null ? 0 : term.getWeight();
                if (weight < 1 || weight > 100) {
                    throw new InvalidSpecException(
                            "node affinity: preferred term weight " + weight + " is outside 1..100");
                }
                preferred.add(new PreferredSchedulingTerm(weight,
                        term.getPreference() == null ? new NodeSelectorTerm(List.of(), List.of())
                                : term(term.getPreference())));
            }
        }
        return new NodeAffinity(required, preferred);
    }

    private static NodeSelectorTerm term(io.fabric8.kubernetes.api.model.NodeSelectorTerm term)
            throws InvalidSpecException {
        List<NodeSelectorRequirement> expressions = new ArrayList<>();
        if (term.getMatchExpressions() != null) {
            for (io.fabric8.kubernetes.api.model.NodeSelectorRequirement requirement : term.getMatchExpressions()) {
                if (requirement == null) {
                    throw new InvalidSpecException("node affinity: a match expression is null");
                }
                expressions.add(labelRequirement(requirement));
            }
        }
        List<NodeSelectorRequirement> fields = new ArrayList<>();
        if (term.getMatchFields() != null) {
            for (io.fabric8.kubernetes.api.model.NodeSelectorRequirement requirement : term.getMatchFields()) {
                if (requirement == null) {
                    throw new InvalidSpecException("node affinity: a match field is null");
                }
                fields.add(fieldRequirement(requirement));
            }
        }
        return new NodeSelectorTerm(expressions, fields);
    }

    private static NodeSelectorRequirement labelRequirement(
            io.fabric8.kubernetes.api.model.NodeSelectorRequirement requirement) throws InvalidSpecException {
        String key = nullToEmpty(requirement.getKey());
        if (key.isEmpty()) {
            throw new InvalidSpecException("node affinity: a match expression has no key");
        }
        NodeSelectorOperator operator = operator(key, requirement.getOperator());
        List<String> values = values(key, requirement);
        String where = "node affinity: key \"" + key + "\": operator " + operator.apiName();
        switch (operator) {
            case IN, NOT_IN -> {
                if (values.isEmpty()) {
                    throw new InvalidSpecException(where + " needs at least one value");
                }
            }
            case EXISTS, DOES_NOT_EXIST -> {
                if (!values.isEmpty()) {
                    throw new InvalidSpecException(where + " takes no values, got " + values);
                }
            }
            case GT, LT -> {
                // The API server checks only the count; a value that is no integer makes the term match nothing.
                if (values.size() != 1) {
                    throw new InvalidSpecException(where + " needs exactly one value, got " + values);
                }
            }
            default -> throw new IllegalStateException(operator.toString());
        }
        return new NodeSelectorRequirement(key, operator, values);
    }

    /** The API server only accepts {@code metadata.name} with In or NotIn and exactly one value. */
    private static NodeSelectorRequirement fieldRequirement(
            io.fabric8.kubernetes.api.model.NodeSelectorRequirement requirement) throws InvalidSpecException {
        String key = nullToEmpty(requirement.getKey());
        if (!NodeSelectorTerm.FIELD_NODE_NAME.equals(key)) {
            throw new InvalidSpecException("node affinity: match field \"" + key
                    + "\" is not supported (only " + NodeSelectorTerm.FIELD_NODE_NAME + ")");
        }
        NodeSelectorOperator operator = operator(key, requirement.getOperator());
        List<String> values = values(key, requirement);
        if (operator != NodeSelectorOperator.IN && operator != NodeSelectorOperator.NOT_IN) {
            throw new InvalidSpecException("node affinity: match field \"" + key + "\": operator "
                    + operator.apiName() + " is not supported (only In and NotIn)");
        }
        if (values.size() != 1) {
            throw new InvalidSpecException("node affinity: match field \"" + key
                    + "\" needs exactly one value, got " + values);
        }
        return new NodeSelectorRequirement(key, operator, values);
    }

    private static List<String> values(String key, io.fabric8.kubernetes.api.model.NodeSelectorRequirement requirement)
            throws InvalidSpecException {
        List<String> values = requirement.getValues();
        if (values == null) {
            return List.of();
        }
        if (values.contains(null)) {
            throw new InvalidSpecException("node affinity: key \"" + key + "\": a value is null");
        }
        return values;
    }

    private static NodeSelectorOperator operator(String key, String name) throws InvalidSpecException {
        try {
            return NodeSelectorOperator.fromApiName(name);
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException(
                    "node affinity: key \"" + key + "\": unknown operator \"" + name + "\"");
        }
    }

    private static List<String> unsupportedConstraints(PodSpec spec) {
        List<String> unsupported = new ArrayList<>(0);
        if (spec.getVolumes() != null) {
            for (Volume volume : spec.getVolumes()) {
                if (volume.getPersistentVolumeClaim() != null || volume.getEphemeral() != null) {
                    unsupported.add(PERSISTENT_VOLUME_CLAIMS);
                    break;
                }
            }
        }
        if (notEmpty(spec.getResourceClaims())) {
            unsupported.add(RESOURCE_CLAIMS);
        }
        return unsupported;
    }

    private static String schedulerName(PodSpec spec) {
        String name = spec.getSchedulerName();
        return name == null || name.isEmpty() ? DEFAULT_SCHEDULER_NAME : name;
    }

    /**
     * The API server writes RFC 3339 timestamps; a missing or unreadable one sorts first (EPOCH)
     * rather than making the pod unschedulable, since it only orders pods of equal priority.
     */
    static Instant timestamp(String value) {
        if (value == null || value.isEmpty()) {
            return Instant.EPOCH;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    private static boolean notEmpty(List<?> list) {
        return list != null && !list.isEmpty();
    }

    private static <E> List<E> safeList(List<E> list) {
        return list == null ? List.of() : list;
    }

    private static <K, V> Map<K, V> safeMap(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
