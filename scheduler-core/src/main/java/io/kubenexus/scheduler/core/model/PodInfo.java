package io.kubenexus.scheduler.core.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A pod as the scheduler sees it, translated once from the API object. Immutable.
 *
 * @param nodeName          the node the pod is bound to, or null while it is pending
 * @param terminating       the pod has a deletion timestamp (it still holds its resources)
 * @param requests          effective requests ({@link PodRequests#effective}); the implicit
 *                          {@code pods: 1} is not included, the scheduler adds it
 * @param nonZeroRequests   requests with kube-scheduler's non-zero cpu/memory defaults, for scoring
 * @param unsupportedConstraints names of constraints the pod uses that this scheduler does not
 *                          evaluate yet (e.g. "PersistentVolumeClaims"); such a pod is never placed
 * @param annotations       only the annotations the scheduler reads (gang, NUMA); others are dropped
 * @param schedulingGated   the pod has scheduling gates; it is not scheduled until they are removed
 * @param schedulingGroup   {@code spec.schedulingGroup.podGroupName} (Kubernetes' own gang API,
 *                          scheduling.k8s.io/v1alpha2), or null
 * @param containers        the app containers' requests and limits in spec order, for the NUMA
 *                          model (the kubelet aligns each container on its own in container scope);
 *                          empty when unknown (e.g. a stand-in), then {@code requests} is one container
 * @param interPod          inter-pod affinity, anti-affinity and topology spread
 * @param preemptionPolicy  whether the pod may evict lower-priority pods to fit
 * @param declaredRunTime   how long the pod says it runs at most ({@code spec.activeDeadlineSeconds}),
 *                          or null; backfill into room held for a starving gang relies on it
 * @param startedAt         when the kubelet started the pod ({@code status.startTime}), or null
 * @param controllerUid     the uid of the pod's controller (the owner reference marked controller),
 *                          or null; default topology spread counts the pods of one controller
 */
public record PodInfo(
        PodKey key,
        String uid,
        String schedulerName,
        String nodeName,
        PodPhase phase,
        boolean terminating,
        int priority,
        Instant createdAt,
        Map<String, String> labels,
        Map<String, String> annotations,
        ResourceList requests,
        ResourceList nonZeroRequests,
        List<HostPort> hostPorts,
        Map<String, String> nodeSelector,
        NodeAffinity nodeAffinity,
        List<Toleration> tolerations,
        QosClass qosClass,
        List<String> unsupportedConstraints,
        boolean schedulingGated,
        String schedulingGroup,
        List<ContainerResources> containers,
        InterPodConstraints interPod,
        PreemptionPolicy preemptionPolicy,
        Duration declaredRunTime,
        Instant startedAt,
        String controllerUid) {

    /**
     * Marks the stand-ins the scheduling loop assumes to hold places for executors not created yet
     * (reservations), so the cluster state can tell reserved capacity from requested. API pods never
     * carry it: the translator keeps only gang and NUMA annotations.
     */
    public static final String STAND_IN_ANNOTATION = "kubenexus.io/executor-stand-in";

    public PodInfo {
        Objects.requireNonNull(key, "key");
        uid = uid == null ? "" : uid;
        schedulerName = schedulerName == null ? "" : schedulerName;
        nodeName = nodeName == null || nodeName.isEmpty() ? null : nodeName;
        phase = phase == null ? PodPhase.PENDING : phase;
        createdAt = createdAt == null ? Instant.EPOCH : createdAt;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        requests = requests == null ? ResourceList.EMPTY : requests;
        nonZeroRequests = nonZeroRequests == null ? requests : nonZeroRequests;
        hostPorts = hostPorts == null ? List.of() : List.copyOf(hostPorts);
        nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
        nodeAffinity = nodeAffinity == null ? NodeAffinity.NONE : nodeAffinity;
        tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
        qosClass = qosClass == null ? QosClass.BEST_EFFORT : qosClass;
        unsupportedConstraints = unsupportedConstraints == null ? List.of() : List.copyOf(unsupportedConstraints);
        schedulingGroup = schedulingGroup == null || schedulingGroup.isEmpty() ? null : schedulingGroup;
        containers = containers == null ? List.of() : List.copyOf(containers);
        interPod = interPod == null ? InterPodConstraints.NONE : interPod;
        preemptionPolicy = preemptionPolicy == null ? PreemptionPolicy.PREEMPT_LOWER_PRIORITY : preemptionPolicy;
        controllerUid = controllerUid == null || controllerUid.isEmpty() ? null : controllerUid;
    }

    /** A pod without inter-pod constraints, declared run time, start time or controller. */
    public PodInfo(PodKey key, String uid, String schedulerName, String nodeName, PodPhase phase, boolean terminating,
                   int priority, Instant createdAt, Map<String, String> labels, Map<String, String> annotations,
                   ResourceList requests, ResourceList nonZeroRequests, List<HostPort> hostPorts,
                   Map<String, String> nodeSelector, NodeAffinity nodeAffinity, List<Toleration> tolerations,
                   QosClass qosClass, List<String> unsupportedConstraints, boolean schedulingGated,
                   String schedulingGroup, List<ContainerResources> containers) {
        this(key, uid, schedulerName, nodeName, phase, terminating, priority, createdAt, labels, annotations, requests,
                nonZeroRequests, hostPorts, nodeSelector, nodeAffinity, tolerations, qosClass, unsupportedConstraints,
                schedulingGated, schedulingGroup, containers, InterPodConstraints.NONE,
                PreemptionPolicy.PREEMPT_LOWER_PRIORITY, null, null, null);
    }

    /**
     * Whether the two pods are alike in everything that decides where a pod may go and how nodes
     * score for it: requests, containers, host ports, node name, selector, affinity, tolerations,
     * QoS, unsupported constraints, inter-pod constraints and the annotations kept (NUMA policy).
     * Names, uids, labels, priority and times may differ: the copies of one executor or worker
     * template are alike.
     */
    public boolean schedulesLike(PodInfo other) {
        return this == other || other != null
                && Objects.equals(nodeName, other.nodeName)
                && requests.equals(other.requests)
                && nonZeroRequests.equals(other.nonZeroRequests)
                && hostPorts.equals(other.hostPorts)
                && nodeSelector.equals(other.nodeSelector)
                && nodeAffinity.equals(other.nodeAffinity)
                && tolerations.equals(other.tolerations)
                && qosClass == other.qosClass
                && unsupportedConstraints.equals(other.unsupportedConstraints)
                && annotations.equals(other.annotations)
                && containers.equals(other.containers)
                && interPod.equals(other.interPod);
    }

    /** A stand-in holding a reserved place (see {@link #STAND_IN_ANNOTATION}), never a real pod. */
    public boolean isStandIn() {
        return annotations.containsKey(STAND_IN_ANNOTATION);
    }

    public boolean isAssigned() {
        return nodeName != null;
    }

    /** Whether the pod holds resources on its node: assigned and not finished. */
    public boolean holdsResources() {
        return nodeName != null && !phase.isTerminal();
    }

    /** The same pod in another phase (e.g. as the kubelet reports it Running). */
    public PodInfo withPhase(PodPhase newPhase) {
        return new PodInfo(key, uid, schedulerName, nodeName, newPhase, terminating, priority, createdAt, labels,
                annotations, requests, nonZeroRequests, hostPorts, nodeSelector, nodeAffinity, tolerations,
                qosClass, unsupportedConstraints, schedulingGated, schedulingGroup, containers, interPod,
                preemptionPolicy, declaredRunTime, startedAt, controllerUid);
    }

    public PodInfo withNodeName(String node) {
        return new PodInfo(key, uid, schedulerName, node, phase, terminating, priority, createdAt, labels,
                annotations, requests, nonZeroRequests, hostPorts, nodeSelector, nodeAffinity, tolerations,
                qosClass, unsupportedConstraints, schedulingGated, schedulingGroup, containers, interPod,
                preemptionPolicy, declaredRunTime, startedAt, controllerUid);
    }
}
