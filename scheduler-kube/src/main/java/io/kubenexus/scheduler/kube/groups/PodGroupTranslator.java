package io.kubenexus.scheduler.kube.groups;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubenexus.scheduler.gang.group.GroupPolicy;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.kube.translate.KubeQuantities;
import io.kubenexus.scheduler.kube.translate.Translation;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the two PodGroup APIs into a {@link GroupPolicy}. Stateless and thread-safe.
 *
 * <p><b>scheduler-plugins</b> ({@code scheduling.x-k8s.io/v1alpha1}, sigs.k8s.io/scheduler-plugins
 * apis/scheduling/v1alpha1/types.go): {@code spec.minMember} (int32, omitempty) is the gang size. A
 * missing or 0 minMember reads as 1, because coscheduling then neither holds pods in PreFilter
 * ({@code len(pods) < 0} is false) nor in Permit ({@code assigned + 1 >= 0}): every pod goes alone.
 * {@code spec.minResources} is converted to the scheduler's units (cpu millicores, everything else
 * whole units, rounded up as the API server's {@code MilliValue()}/{@code Value()} do);
 * {@code spec.scheduleTimeoutSeconds} is taken as is when present, 0 included, as
 * coscheduling's {@code GetWaitTimeDuration} does.
 *
 * <p><b>Kubernetes</b> ({@code scheduling.k8s.io/v1beta1} and {@code v1alpha2}, see
 * {@link WorkloadApiVersion}): {@code spec.schedulingPolicy} is a union with exactly one member:
 * {@code basic: {}} (pods go one by one: minMembers 1) or {@code gang: {minCount: N}} with N a
 * positive int32, the same in both versions. It declares no resources and no timeout
 * (kube-scheduler's timeout is fixed), so those stay empty. The PodGroup's reference to its
 * Workload ({@code spec.workloadRef} in v1beta1, {@code spec.podGroupTemplateRef} in v1alpha2) is
 * not needed: the policy is the PodGroup's own, copied from the Workload's template by whoever
 * created it, and kube-scheduler reads only the PodGroup too.
 *
 * <p>Everything else a bad object can hold (negative counts, fractions, strings where numbers
 * belong, unreadable quantities) is {@link Translation#invalid invalid}, with a message naming the
 * object and the field.
 */
public final class PodGroupTranslator {
    public static final String SCHEDULER_PLUGINS_API = "scheduling.x-k8s.io/v1alpha1";
    /** Kubernetes' PodGroups before v1beta1; {@link WorkloadApiVersion} lists every version read. */
    public static final String KUBERNETES_API = "scheduling.k8s.io/v1alpha2";

    private static final BigInteger INT32_MAX = BigInteger.valueOf(Integer.MAX_VALUE);

    /** A scheduler-plugins PodGroup: {@code spec.minMember}, {@code minResources}, {@code scheduleTimeoutSeconds}. */
    public Translation<GroupPolicy> fromSchedulerPlugins(GenericKubernetesResource podGroup) {
        String source = source(SCHEDULER_PLUGINS_API, podGroup);
        try {
            String groupId = groupId(podGroup);
            Map<String, Object> spec = object(podGroup.getAdditionalProperties(), "spec", "spec");
            BigInteger minMember = int32(spec.get("minMember"), "spec.minMember");
            if (minMember != null && minMember.signum() < 0) {
                throw new Invalid("spec.minMember is " + minMember + ": it must not be negative");
            }
            int minMembers = minMember == null ? 1 : Math.max(1, minMember.intValueExact());
            ResourceList minResources = resources(object(spec, "minResources", "spec.minResources"));
            BigInteger timeout = int32(spec.get("scheduleTimeoutSeconds"), "spec.scheduleTimeoutSeconds");
            if (timeout != null && timeout.signum() < 0) {
                throw new Invalid("spec.scheduleTimeoutSeconds is " + timeout + ": it must not be negative");
            }
            Duration scheduleTimeout = timeout == null ? null : Duration.ofSeconds(timeout.longValueExact());
            return Translation.valid(new GroupPolicy(groupId, minMembers, minResources, scheduleTimeout, source));
        } catch (Invalid invalid) {
            return Translation.invalid(source + ": " + invalid.getMessage());
        }
    }

    /**
     * A Kubernetes PodGroup of the version its {@code apiVersion} names (v1alpha2 when it names none
     * of ours): {@code spec.schedulingPolicy} {@code basic: {}} or {@code gang: {minCount: N}}.
     */
    public Translation<GroupPolicy> fromKubernetes(GenericKubernetesResource podGroup) {
        WorkloadApiVersion version = WorkloadApiVersion.ofApiVersion(podGroup.getApiVersion());
        return fromKubernetes(podGroup, version == null ? WorkloadApiVersion.V1ALPHA2 : version);
    }

    /** A Kubernetes PodGroup read as {@code version}. */
    public Translation<GroupPolicy> fromKubernetes(GenericKubernetesResource podGroup, WorkloadApiVersion version) {
        String source = source(version.apiVersion(), podGroup);
        try {
            String groupId = groupId(podGroup);
            Map<String, Object> spec = object(podGroup.getAdditionalProperties(), "spec", "spec");
            Object rawPolicy = spec.get("schedulingPolicy");
            if (rawPolicy == null) {
                throw new Invalid("spec.schedulingPolicy is missing: it must be one of basic or gang");
            }
            Map<String, Object> policy = object(spec, "schedulingPolicy", "spec.schedulingPolicy");
            boolean basic = policy.get("basic") != null;
            boolean gang = policy.get("gang") != null;
            if (basic == gang) {
                throw new Invalid("spec.schedulingPolicy " + (basic ? "sets both basic and gang" : "sets neither basic nor gang")
                        + ": exactly one must be set");
            }
            int minMembers = 1;
            if (gang) {
                Map<String, Object> gangPolicy = object(policy, "gang", "spec.schedulingPolicy.gang");
                BigInteger minCount = int32(gangPolicy.get("minCount"), "spec.schedulingPolicy.gang.minCount");
                if (minCount == null) {
                    throw new Invalid("spec.schedulingPolicy.gang.minCount is missing: it is required");
                }
                if (minCount.signum() <= 0) {
                    throw new Invalid("spec.schedulingPolicy.gang.minCount is " + minCount + ": it must be positive");
                }
                minMembers = minCount.intValueExact();
            } else {
                object(policy, "basic", "spec.schedulingPolicy.basic"); // must at least be an object
            }
            return Translation.valid(new GroupPolicy(groupId, minMembers, ResourceList.EMPTY, null, source));
        } catch (Invalid invalid) {
            return Translation.invalid(source + ": " + invalid.getMessage());
        }
    }

    /** {@code namespace/name}, the group id pods name through their label or schedulingGroup. */
    public static String key(GenericKubernetesResource object) {
        ObjectMeta meta = object.getMetadata();
        String namespace = meta == null ? null : meta.getNamespace();
        String name = meta == null ? null : meta.getName();
        return (namespace == null ? "" : namespace) + "/" + (name == null ? "" : name);
    }

    /** e.g. {@code PodGroup scheduling.x-k8s.io/v1alpha1 spark-jobs/pi}. */
    static String source(String api, GenericKubernetesResource object) {
        return "PodGroup " + api + " " + key(object);
    }

    private static String groupId(GenericKubernetesResource object) throws Invalid {
        ObjectMeta meta = object.getMetadata();
        if (meta == null || meta.getName() == null || meta.getName().isEmpty()) {
            throw new Invalid("metadata.name is missing");
        }
        if (meta.getNamespace() == null || meta.getNamespace().isEmpty()) {
            throw new Invalid("metadata.namespace is missing: PodGroups are namespaced");
        }
        return meta.getNamespace() + "/" + meta.getName();
    }

    // ------------------------------------------------------------------ field readers

    /** The map at {@code field} of {@code parent}; empty when absent or null. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> parent, String field, String path) throws Invalid {
        Object value = parent == null ? null : parent.get(field);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map)) {
            throw new Invalid(path + " is " + describe(value) + ": it must be an object");
        }
        return (Map<String, Object>) value;
    }

    /** A whole number in int32's range, or null when absent. */
    private static BigInteger int32(Object value, String path) throws Invalid {
        if (value == null) {
            return null;
        }
        BigInteger whole = null;
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            whole = BigInteger.valueOf(((Number) value).longValue());
        } else if (value instanceof BigInteger big) {
            whole = big;
        } else if (value instanceof Number number) {
            BigDecimal decimal = decimal(number);
            if (decimal != null && decimal.stripTrailingZeros().scale() <= 0) {
                whole = decimal.toBigIntegerExact();
            }
        }
        if (whole == null) {
            throw new Invalid(path + " is " + describe(value) + ": it must be a whole number");
        }
        if (whole.abs().compareTo(INT32_MAX) > 0) {
            throw new Invalid(path + " is " + whole + ": it does not fit in int32");
        }
        return whole;
    }

    private static ResourceList resources(Map<String, Object> quantities) throws Invalid {
        if (quantities.isEmpty()) {
            return ResourceList.EMPTY;
        }
        Map<String, Long> amounts = new HashMap<>();
        for (Map.Entry<String, Object> entry : quantities.entrySet()) {
            amounts.put(entry.getKey(), units(entry.getKey(), entry.getValue()));
        }
        return ResourceList.of(amounts);
    }

    /** One quantity in the scheduler's units, rounded up, by the same rules as pod requests. */
    private static long units(String resource, Object value) throws Invalid {
        String path = "spec.minResources[" + resource + "]";
        if (!(value instanceof String) && !(value instanceof Number)) {
            throw new Invalid(path + " is " + describe(value) + ": it must be a quantity");
        }
        String raw = value instanceof Number number ? plain(number) : (String) value;
        try {
            return KubeQuantities.toUnits(resource, new Quantity(raw));
        } catch (KubeQuantities.BadQuantity bad) {
            throw new Invalid(bad.describe(path));
        } catch (RuntimeException e) {
            throw new Invalid(path + " \"" + raw + "\" is not a valid quantity");
        }
    }

    /** null for NaN and infinities. */
    private static BigDecimal decimal(Number number) {
        try {
            return new BigDecimal(number.toString());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String plain(Number number) {
        BigDecimal decimal = decimal(number);
        return decimal == null ? number.toString() : decimal.toPlainString();
    }

    private static String describe(Object value) {
        if (value instanceof String text) {
            return "\"" + text + "\"";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof Iterable) {
            return "a list";
        }
        return String.valueOf(value);
    }

    /** A field that cannot be read; carries the field and the reason, the caller adds the object. */
    private static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }
}
