package io.kubenexus.scheduler.kube;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One rule of Kubernetes API access the scheduler needs, as RBAC writes it: an API group, a
 * resource (with its subresource, e.g. {@code pods/binding}) and verbs, with what uses it and what
 * stops working without it.
 *
 * <p>{@link #REQUIRED} is the single declared list of everything the code calls. The Helm chart's
 * ClusterRole must equal it (a chart test compares them), the integration test {@code ApiAccessIT}
 * records every request a real run makes and checks each against it, and {@link ApiAccessCheck}
 * asks the API server at start-up whether each entry is granted. A new API call in the code belongs
 * here first.
 *
 * <p>Not listed: {@code authorization.k8s.io selfsubjectaccessreviews create}, which the start-up
 * check itself uses; every authenticated user holds it through the built-in
 * {@code system:basic-user} ClusterRole. Nor API discovery ({@code GET /apis/scheduling.k8s.io/<version>}
 * at start-up, to find the Workload API's version), granted to every authenticated user by the
 * built-in {@code system:discovery} ClusterRole.
 *
 * @param apiGroup        {@code ""} for the core group
 * @param resource        plural resource name, {@code resource/subresource} for a subresource
 * @param verbs           RBAC verbs ({@code get, list, watch, create, update, patch, delete})
 * @param usedBy          what in the code makes these calls, and why
 * @param withoutIt       what stops working when the rule is not granted
 * @param reachedOnlyWhen empty when every scheduler run uses all the verbs; otherwise the condition
 *                        under which they are used, for the verbs a test run may not reach
 */
public record ApiAccess(String apiGroup, String resource, List<String> verbs, String usedBy, String withoutIt,
                        String reachedOnlyWhen) {
    private static final Set<String> RBAC_VERBS = Set.of("get", "list", "watch", "create", "update", "patch",
            "delete", "deletecollection");
    private static final Pattern RESOURCE = Pattern.compile("[a-z0-9.-]+(/[a-z0-9.-]+)?");

    public ApiAccess {
        Objects.requireNonNull(apiGroup, "apiGroup");
        if (!RESOURCE.matcher(Objects.requireNonNull(resource, "resource")).matches()) {
            throw new IllegalArgumentException("not a resource or resource/subresource: " + resource);
        }
        verbs = List.copyOf(verbs);
        if (verbs.isEmpty() || !RBAC_VERBS.containsAll(verbs) || Set.copyOf(verbs).size() != verbs.size()) {
            throw new IllegalArgumentException("verbs of " + resource + ": " + verbs);
        }
        Objects.requireNonNull(usedBy, "usedBy");
        Objects.requireNonNull(withoutIt, "withoutIt");
        Objects.requireNonNull(reachedOnlyWhen, "reachedOnlyWhen");
    }

    /** Every API access the scheduler's code makes; nothing more. */
    public static final List<ApiAccess> REQUIRED = List.of(
            new ApiAccess("", "pods", List.of("get", "list", "watch", "delete"),
                    "informers keep every pod (ours to schedule, all others to count on their nodes); the PodScheduled"
                            + " writer reads a pod before patching its conditions; a bind answered 409 is read back;"
                            + " preemption deletes a victim (with its grace period) whose eviction a"
                            + " PodDisruptionBudget refused",
                    "nothing is scheduled: the pod informer cannot sync (without delete: a victim a budget protects"
                            + " stays, and its preemptor waits)",
                    "delete: only when preemption evicts a pod a PodDisruptionBudget protects"),
            new ApiAccess("", "pods/eviction", List.of("create"),
                    "preemption evicts its victims through the Eviction API (policy/v1 Eviction on pods/eviction)",
                    "preemption cannot evict: pods that fit only by preempting stay pending",
                    "only when a pod of higher priority fits nowhere and preemption.enabled (the default)"),
            new ApiAccess("policy", "poddisruptionbudgets", List.of("list", "watch"),
                    "preemption prefers victims whose PodDisruptionBudget allows the disruption",
                    "preemption does not know the budgets and may choose protected victims where others would do",
                    ""),
            new ApiAccess("", "nodes", List.of("list", "watch"),
                    "the node informer (capacity, labels, taints, NUMA topology annotations)",
                    "nothing is scheduled: the node informer cannot sync", ""),
            new ApiAccess("", "pods/binding", List.of("create"),
                    "KubernetesBinder binds through POST pods/{name}/binding, as kube-scheduler's DefaultBinder",
                    "no pod is ever bound", ""),
            new ApiAccess("", "pods/status", List.of("patch"),
                    "PodScheduled=False/Unschedulable on pods that fit nowhere (JSON patch of the status subresource);"
                            + " status.nominatedNodeName of a preemptor (JSON merge patch)",
                    "pending pods show no Unschedulable condition: kubectl describe and the cluster autoscaler"
                            + " do not see why they wait", ""),
            new ApiAccess("", "events", List.of("create", "get", "patch"),
                    "Scheduled / FailedScheduling / reservation events on pods and malformed-topology events on"
                            + " nodes; a repeated event gets a new count by JSON patch, which fabric8 sends after"
                            + " reading the Event (get)",
                    "no events: kubectl describe pod shows nothing from this scheduler",
                    "get, patch: only when the same event repeats after events.aggregationInterval"),
            new ApiAccess("coordination.k8s.io", "leases", List.of("get", "create", "patch"),
                    "leader election on a Lease: fabric8's LeaseLock reads it, creates it once and renews it by"
                            + " patch (not update)",
                    "with leaderElection.enabled no replica ever leads (or keeps leading), so nothing is bound",
                    "only with leaderElection.enabled (the default)"),
            new ApiAccess("scheduling.x-k8s.io", "podgroups", List.of("get", "list", "watch"),
                    "gang sizes from scheduler-plugins PodGroups (spark-operator creates one per SparkApplication);"
                            + " fabric8 reads a PodGroup (get) before patching its status",
                    "scheduler-plugins PodGroups are ignored: their pods are scheduled one by one",
                    "only where the scheduler-plugins PodGroup CRD is installed; get only when a status is written"),
            new ApiAccess("scheduling.x-k8s.io", "podgroups/status", List.of("patch"),
                    "the leader keeps scheduler-plugins PodGroups' status (phase, running, occupiedBy) current",
                    "PodGroup status stays empty: spark-operator and kubectl get podgroups see no progress",
                    "only where the scheduler-plugins PodGroup CRD is installed and a PodGroup has pods"),
            new ApiAccess("scheduling.k8s.io", "podgroups", List.of("get", "list", "watch"),
                    "gang sizes from Kubernetes' own PodGroups (Workload API: v1beta1 in 1.37, v1alpha2 in 1.36,"
                            + " the version found by discovery); fabric8 reads a PodGroup (get) before patching its"
                            + " status",
                    "Kubernetes PodGroups are ignored: their pods are scheduled one by one",
                    "only where the cluster serves scheduling.k8s.io/v1beta1 or v1alpha2 PodGroups; get only when a"
                            + " condition is written"),
            new ApiAccess("scheduling.k8s.io", "podgroups/status", List.of("patch"),
                    "the leader keeps Kubernetes PodGroups' scheduling condition (PodGroupInitiallyScheduled in"
                            + " v1beta1, PodGroupScheduled in v1alpha2) current, by JSON patch",
                    "Kubernetes PodGroups show no scheduling condition: kubectl and controllers waiting for it see"
                            + " no progress",
                    "only where the cluster serves scheduling.k8s.io PodGroups and one has pods of this scheduler"),
            new ApiAccess("sparkoperator.k8s.io", "sparkapplications", List.of("list", "watch"),
                    "executor sizes and counts of Spark drivers from their SparkApplication",
                    "drivers are bound without room reserved from the SparkApplication's executor spec",
                    "only where the SparkApplication CRD is installed"),
            new ApiAccess("topology.node.k8s.io", "noderesourcetopologies", List.of("list", "watch"),
                    "NUMA zones per node as node-feature-discovery or the resource-topology-exporter publish them",
                    "NUMA topology comes only from node annotations",
                    "only with numa.enabled (the default) and where the NodeResourceTopology CRD is installed"));

    /** {@code resource} without its subresource. */
    public String baseResource() {
        int slash = resource.indexOf('/');
        return slash < 0 ? resource : resource.substring(0, slash);
    }

    /** The subresource, or {@code ""}. */
    public String subresource() {
        int slash = resource.indexOf('/');
        return slash < 0 ? "" : resource.substring(slash + 1);
    }

    /** As kubectl names it: {@code pods/binding}, {@code podgroups.scheduling.x-k8s.io/status}. */
    public String qualifiedResource() {
        return apiGroup.isEmpty() ? resource
                : baseResource() + "." + apiGroup + (subresource().isEmpty() ? "" : "/" + subresource());
    }

    /** As RBAC prints a rule: {@code create pods/binding} or {@code list,watch podgroups.scheduling.x-k8s.io}. */
    public String describe() {
        return String.join(",", verbs) + " " + qualifiedResource();
    }

    /** Whether {@code verb} on {@code apiGroup}/{@code resource} is one of the declared accesses. */
    public static boolean declares(String apiGroup, String resource, String verb) {
        return REQUIRED.stream().anyMatch(access -> access.apiGroup.equals(apiGroup) && access.resource.equals(resource)
                && access.verbs.contains(verb));
    }
}
