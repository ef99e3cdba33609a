package io.kubenexus.scheduler.kube.groups;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * The versions of Kubernetes' own gang API ({@code scheduling.k8s.io}, the Workload API) this
 * scheduler reads, most preferred first. Checked against k8s.io/api
 * {@code scheduling/v1beta1/types.go} and {@code scheduling/v1alpha2/types.go}:
 * <ul>
 *   <li>both: a namespaced {@code PodGroup} whose {@code spec.schedulingPolicy} (required) is
 *       exactly one of {@code basic: {}} and {@code gang: {minCount: N}}, N a positive int32; pods
 *       join with {@code spec.schedulingGroup.podGroupName}; {@code status.conditions} are
 *       metav1.Conditions with reasons {@code Unschedulable} and {@code SchedulerError};</li>
 *   <li>v1beta1 (Kubernetes 1.37): the PodGroup's Workload is {@code spec.workloadRef
 *       {workloadName, templateName}}; the scheduling condition is {@code PodGroupInitiallyScheduled}
 *       (once True, never False again);</li>
 *   <li>v1alpha2 (1.36): {@code spec.podGroupTemplateRef.workload {workloadName,
 *       podGroupTemplateName}}; the condition is {@code PodGroupScheduled}.</li>
 * </ul>
 * A Workload's {@code spec.podGroupTemplates[].schedulingPolicy} is what a controller copies into
 * the PodGroups it creates; kube-scheduler reads only the PodGroup, and so do we.
 */
public enum WorkloadApiVersion {
    V1BETA1("v1beta1", "PodGroupInitiallyScheduled"),
    V1ALPHA2("v1alpha2", "PodGroupScheduled");

    public static final String GROUP = "scheduling.k8s.io";
    public static final String POD_GROUPS = "podgroups";
    public static final String WORKLOADS = "workloads";

    private final String version;
    private final String scheduledCondition;
    private final ResourceDefinitionContext podGroups;

    WorkloadApiVersion(String version, String scheduledCondition) {
        this.version = version;
        this.scheduledCondition = scheduledCondition;
        this.podGroups = new ResourceDefinitionContext.Builder().withGroup(GROUP).withVersion(version)
                .withKind("PodGroup").withPlural(POD_GROUPS).withNamespaced(true).build();
    }

    /** e.g. {@code v1beta1}. */
    public String version() {
        return version;
    }

    /** e.g. {@code scheduling.k8s.io/v1beta1}, as objects of this version carry it. */
    public String apiVersion() {
        return GROUP + "/" + version;
    }

    /** The condition type kube-scheduler keeps on PodGroups of this version. */
    public String scheduledCondition() {
        return scheduledCondition;
    }

    /** The PodGroups of this version, for generic clients and informers. */
    public ResourceDefinitionContext podGroups() {
        return podGroups;
    }

    /** The version whose objects carry {@code apiVersion}, or null for none of ours. */
    public static WorkloadApiVersion ofApiVersion(String apiVersion) {
        for (WorkloadApiVersion candidate : values()) {
            if (candidate.apiVersion().equals(apiVersion)) {
                return candidate;
            }
        }
        return null;
    }
}
