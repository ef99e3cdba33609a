package io.kubenexus.scheduler.core.testing;

import io.kubenexus.scheduler.core.model.ContainerResources;
import io.kubenexus.scheduler.core.model.HostPort;
import io.kubenexus.scheduler.core.model.InterPodConstraints;
import io.kubenexus.scheduler.core.model.PreemptionPolicy;
import io.kubenexus.scheduler.core.model.NodeAffinity;
import io.kubenexus.scheduler.core.model.NodeSelectorOperator;
import io.kubenexus.scheduler.core.model.NodeSelectorRequirement;
import io.kubenexus.scheduler.core.model.NodeSelectorTerm;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.PodPhase;
import io.kubenexus.scheduler.core.model.PodRequests;
import io.kubenexus.scheduler.core.model.PreferredSchedulingTerm;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.core.model.Toleration;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fluent pod fixtures: {@code pod("p").cpu(2).memoryGi(4).gpu(1).toleratesAll().build()}.
 * Requests describe one app container; the effective and non-zero requests are computed with the
 * production {@link PodRequests} rules.
 */
public final class PodFixture {
    public static final String SCHEDULER = "kubenexus-scheduler";

    private final String name;
    private String namespace = "default";
    private String uid;
    private String schedulerName = SCHEDULER;
    private String nodeName;
    private PodPhase phase = PodPhase.PENDING;
    private int priority;
    private Instant createdAt = Instant.parse("2026-01-01T00:00:00Z");
    private final Map<String, String> labels = new HashMap<>();
    private final Map<String, String> annotations = new HashMap<>();
    private final Map<String, Long> requests = new HashMap<>();
    private final List<HostPort> hostPorts = new ArrayList<>();
    private final Map<String, String> nodeSelector = new HashMap<>();
    private List<NodeSelectorTerm> requiredTerms;
    private final List<PreferredSchedulingTerm> preferredTerms = new ArrayList<>();
    private final List<Toleration> tolerations = new ArrayList<>();
    private final List<String> unsupported = new ArrayList<>();
    private boolean gated;
    private String schedulingGroup;
    private boolean terminating;
    private boolean guaranteed;
    private final List<ContainerResources> extraContainers = new ArrayList<>();
    private InterPodConstraints interPod = InterPodConstraints.NONE;
    private PreemptionPolicy preemptionPolicy = PreemptionPolicy.PREEMPT_LOWER_PRIORITY;
    private Duration declaredRunTime;
    private Instant startedAt;
    private String controllerUid;

    private PodFixture(String name) {
        this.name = name;
        this.uid = "uid-" + name;
    }

    public static PodFixture pod(String name) {
        return new PodFixture(name);
    }

    public PodFixture namespace(String value) {
        this.namespace = value;
        return this;
    }

    public PodFixture uid(String value) {
        this.uid = value;
        return this;
    }

    public PodFixture schedulerName(String value) {
        this.schedulerName = value;
        return this;
    }

    /** The pod is bound to {@code node} and running. */
    public PodFixture boundTo(String node) {
        this.nodeName = node;
        this.phase = PodPhase.RUNNING;
        return this;
    }

    public PodFixture phase(PodPhase value) {
        this.phase = value;
        return this;
    }

    public PodFixture terminating() {
        this.terminating = true;
        return this;
    }

    public PodFixture priority(int value) {
        this.priority = value;
        return this;
    }

    public PodFixture createdAt(Instant value) {
        this.createdAt = value;
        return this;
    }

    public PodFixture createdAtSecond(long epochSecond) {
        this.createdAt = Instant.ofEpochSecond(epochSecond);
        return this;
    }

    public PodFixture label(String key, String value) {
        labels.put(key, value);
        return this;
    }

    public PodFixture annotation(String key, String value) {
        annotations.put(key, value);
        return this;
    }

    /** CPU request in cores (fractions allowed: 0.5 = 500m). */
    public PodFixture cpu(double cores) {
        return cpuMilli(Math.round(cores * 1000));
    }

    public PodFixture cpuMilli(long milli) {
        requests.put(ResourceNames.CPU, milli);
        return this;
    }

    public PodFixture memoryGi(double gib) {
        return memoryBytes(Math.round(gib * 1024 * 1024 * 1024));
    }

    public PodFixture memoryMi(long mib) {
        return memoryBytes(mib * 1024 * 1024);
    }

    public PodFixture memoryBytes(long bytes) {
        requests.put(ResourceNames.MEMORY, bytes);
        return this;
    }

    public PodFixture gpu(long count) {
        requests.put(ResourceNames.NVIDIA_GPU, count);
        return this;
    }

    public PodFixture request(String resource, long amount) {
        requests.put(resource, amount);
        return this;
    }

    public PodFixture hostPort(int port) {
        hostPorts.add(new HostPort(null, "TCP", port));
        return this;
    }

    public PodFixture hostPort(String ip, String protocol, int port) {
        hostPorts.add(new HostPort(ip, protocol, port));
        return this;
    }

    public PodFixture nodeSelector(String key, String value) {
        nodeSelector.put(key, value);
        return this;
    }

    /** Adds a required node-affinity term (terms are ORed; requirements within one are ANDed). */
    public PodFixture requiredTerm(NodeSelectorRequirement... requirements) {
        if (requiredTerms == null) {
            requiredTerms = new ArrayList<>();
        }
        requiredTerms.add(new NodeSelectorTerm(Arrays.asList(requirements), List.of()));
        return this;
    }

    public PodFixture requiredTerm(NodeSelectorTerm term) {
        if (requiredTerms == null) {
            requiredTerms = new ArrayList<>();
        }
        requiredTerms.add(term);
        return this;
    }

    public PodFixture preferred(int weight, NodeSelectorRequirement... requirements) {
        preferredTerms.add(new PreferredSchedulingTerm(weight, new NodeSelectorTerm(Arrays.asList(requirements), List.of())));
        return this;
    }

    public PodFixture toleration(Toleration toleration) {
        tolerations.add(toleration);
        return this;
    }

    /** Tolerates every taint (an empty key with Exists). */
    public PodFixture toleratesAll() {
        tolerations.add(new Toleration("", Toleration.Operator.EXISTS, "", null));
        return this;
    }

    public PodFixture unsupported(String constraint) {
        unsupported.add(constraint);
        return this;
    }

    /** Joins a Kubernetes-native PodGroup through {@code spec.schedulingGroup.podGroupName}. */
    public PodFixture schedulingGroup(String podGroupName) {
        this.schedulingGroup = podGroupName;
        return this;
    }

    /** Limits equal to requests on every container: QoS class Guaranteed (what the kubelet aligns). */
    public PodFixture guaranteed() {
        this.guaranteed = true;
        return this;
    }

    /**
     * Another app container after "main" (or the only one when no request is set on "main"), with
     * these requests, and limits equal to them when {@link #guaranteed()} is set at build time.
     */
    public PodFixture container(String containerName, Map<String, Long> containerRequests) {
        extraContainers.add(new ContainerResources(containerName, ResourceList.of(containerRequests),
                ResourceList.EMPTY, List.of(), false));
        return this;
    }

    /** Inter-pod affinity, anti-affinity and topology spread, as a whole. */
    public PodFixture interPod(InterPodConstraints value) {
        interPod = value;
        return this;
    }

    public PodFixture preemptionPolicy(PreemptionPolicy value) {
        preemptionPolicy = value;
        return this;
    }

    /** {@code spec.activeDeadlineSeconds}. */
    public PodFixture declaredRunTime(Duration value) {
        declaredRunTime = value;
        return this;
    }

    public PodFixture startedAt(Instant value) {
        startedAt = value;
        return this;
    }

    public PodFixture controllerUid(String value) {
        controllerUid = value;
        return this;
    }

    public PodFixture gated() {
        this.gated = true;
        return this;
    }

    public static NodeSelectorRequirement req(String key, NodeSelectorOperator op, String... values) {
        return new NodeSelectorRequirement(key, op, List.of(values));
    }

    public static NodeSelectorRequirement nameIn(String... nodeNames) {
        return new NodeSelectorRequirement(NodeSelectorTerm.FIELD_NODE_NAME, NodeSelectorOperator.IN, List.of(nodeNames));
    }

    public PodInfo build() {
        List<ContainerResources> containers = extraContainers.isEmpty() || !requests.isEmpty()
                ? new java.util.ArrayList<>(List.of(new ContainerResources("main", ResourceList.of(requests),
                        guaranteed ? ResourceList.of(requests) : ResourceList.EMPTY, List.of(), false)))
                : new java.util.ArrayList<>();
        for (ContainerResources extra : extraContainers) {
            containers.add(guaranteed ? new ContainerResources(extra.name(), extra.requests(), extra.requests(),
                    List.of(), false) : extra);
        }
        ResourceList effective = PodRequests.effective(containers, List.of(), null);
        ResourceList nonZero = PodRequests.nonZero(containers, List.of(), null);
        NodeAffinity affinity = requiredTerms == null && preferredTerms.isEmpty()
                ? NodeAffinity.NONE : new NodeAffinity(requiredTerms, preferredTerms);
        return new PodInfo(new PodKey(namespace, name), uid, schedulerName, nodeName, phase, terminating, priority,
                createdAt, labels, annotations, effective, nonZero, hostPorts, nodeSelector, affinity, tolerations,
                PodRequests.qosClass(containers, List.of()), unsupported, gated, schedulingGroup, containers, interPod,
                preemptionPolicy, declaredRunTime, startedAt, controllerUid);
    }
}
