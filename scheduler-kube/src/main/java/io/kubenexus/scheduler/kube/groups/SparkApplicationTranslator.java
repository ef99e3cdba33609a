package io.kubenexus.scheduler.kube.groups;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.core.model.NodeAffinity;
import io.kubenexus.scheduler.core.model.QosClass;
import io.kubenexus.scheduler.core.model.TaintEffect;
import io.kubenexus.scheduler.core.model.Toleration;
import io.kubenexus.scheduler.gang.spark.SparkExecutorSizing;
import io.kubenexus.scheduler.gang.spark.SparkExecutorSpec;
import io.kubenexus.scheduler.gang.spark.SparkMemory;
import io.kubenexus.scheduler.numa.NumaRequest;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.kube.translate.KubeQuantities;
import io.kubenexus.scheduler.kube.translate.PodTranslator;
import io.kubenexus.scheduler.kube.translate.RetainedAnnotations;
import io.kubenexus.scheduler.kube.translate.Translation;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the executors of a spark-operator SparkApplication ({@code sparkoperator.k8s.io/v1beta2})
 * into an {@link ExecutorTemplate}, sized by {@link SparkExecutorSizing} as Spark will request
 * them. Fields read, with the Spark setting spark-operator turns them into:
 * <ul>
 *   <li>{@code spec.executor.cores} (int), {@code .coreRequest} (a Kubernetes quantity),
 *       {@code .memory} and {@code .memoryOverhead} (Spark sizes, a bare number is MiB),
 *       {@code .gpu.{name,quantity}}, {@code .instances}, {@code .nodeSelector},
 *       {@code .tolerations};</li>
 *   <li>the executors' shape ({@link ExecutorTemplate#shapeKnown()}): {@code spec.executor.affinity}
 *       (its node affinity), {@code .annotations} (the keys the scheduler reads, the NUMA request
 *       checked) and the QoS class from {@code .coreLimit} against the CPU request;</li>
 *   <li>{@code spec.nodeSelector}, which spark-submit gives the executors too (the executor's own
 *       keys win, as the operator's webhook applies them last);</li>
 *   <li>{@code spec.memoryOverheadFactor} (a string such as {@code "0.2"}), {@code spec.type},
 *       {@code spec.dynamicAllocation.{enabled,initialExecutors,minExecutors}}.</li>
 * </ul>
 * Not read: {@code spec.sparkConf} (settings there are used only when the fields above are unset)
 * and {@code spec.executor.template}.
 *
 * <p>A malformed field gives {@link Translation#invalid} naming the field and quoting the value;
 * this never throws for bad input. Stateless and safe to call from informer threads.
 */
public final class SparkApplicationTranslator {
    public static final String API_VERSION = "sparkoperator.k8s.io/v1beta2";
    public static final String KIND = "SparkApplication";
    /** Converts {@code spec.executor.affinity} to fabric8's model; thread-safe once built. */
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /**
     * The API server's quantity grammar (apimachinery resource.ParseQuantity); fabric8's parser
     * accepts strings the API server rejects. Kept in step with translate.KubeQuantities.
     */

    /** A field that cannot be read; the message names it and quotes the value. */
    private static final class BadField extends Exception {
        private static final long serialVersionUID = 1L;

        BadField(String message) {
            super(message, null, false, false);
        }
    }

    /** The executor template of {@code app}, or why it cannot be sized. */
    public Translation<ExecutorTemplate> translate(GenericKubernetesResource app) {
        String source = KIND + " " + name(app.getMetadata());
        try {
            Map<String, Object> spec = object(app.getAdditionalProperties().get("spec"), "spec");
            if (spec == null) {
                return Translation.invalid("spec is missing");
            }
            Map<String, Object> executor = object(spec.get("executor"), "spec.executor");
            if (executor == null) {
                executor = Map.of();
            }
            Map<String, Object> gpu = object(executor.get("gpu"), "spec.executor.gpu");
            Map<String, Object> dynamic = object(spec.get("dynamicAllocation"), "spec.dynamicAllocation");
            Boolean dynamicEnabled = dynamic == null ? null : bool(dynamic.get("enabled"), "spec.dynamicAllocation.enabled");

            Map<String, String> nodeSelector = new LinkedHashMap<>(strings(spec.get("nodeSelector"), "spec.nodeSelector"));
            nodeSelector.putAll(strings(executor.get("nodeSelector"), "spec.executor.nodeSelector"));

            String memory = text(executor.get("memory"), "spec.executor.memory");
            String overhead = text(executor.get("memoryOverhead"), "spec.executor.memoryOverhead");
            SparkExecutorSpec executorSpec = new SparkExecutorSpec(
                    coreRequestMilli(text(executor.get("coreRequest"), "spec.executor.coreRequest")),
                    int32(executor.get("cores"), "spec.executor.cores"),
                    memory == null ? SparkExecutorSizing.DEFAULT_MEMORY_BYTES : sparkSize(memory, "spec.executor.memory"),
                    overhead == null ? null : sparkSize(overhead, "spec.executor.memoryOverhead"),
                    factor(text(spec.get("memoryOverheadFactor"), "spec.memoryOverheadFactor")),
                    text(spec.get("type"), "spec.type"),
                    gpu == null ? null : text(gpu.get("name"), "spec.executor.gpu.name"),
                    gpu == null ? null : int64(gpu.get("quantity"), "spec.executor.gpu.quantity"),
                    int32(executor.get("instances"), "spec.executor.instances"),
                    Boolean.TRUE.equals(dynamicEnabled),
                    dynamic == null ? null : int32(dynamic.get("initialExecutors"), "spec.dynamicAllocation.initialExecutors"),
                    dynamic == null ? null : int32(dynamic.get("minExecutors"), "spec.dynamicAllocation.minExecutors"),
                    nodeSelector,
                    tolerations(executor.get("tolerations")));
            ExecutorTemplate sized = SparkExecutorSizing.template(executorSpec, source);
            Long coreLimitMilli = cpuMilli(text(executor.get("coreLimit"), "spec.executor.coreLimit"),
                    "spec.executor.coreLimit");
            return Translation.valid(sized.withShape(sized.nodeSelector(), sized.tolerations(),
                    nodeAffinity(executor.get("affinity")), annotations(executor.get("annotations")),
                    qosClass(sized.requests().get(ResourceNames.CPU), coreLimitMilli)));
        } catch (BadField e) {
            return Translation.invalid(e.getMessage());
        } catch (IllegalArgumentException e) {
            // SparkExecutorSpec and SparkExecutorSizing name the field in their messages.
            return Translation.invalid(e.getMessage());
        }
    }

    private static String name(ObjectMeta metadata) {
        if (metadata == null) {
            return "<unnamed>";
        }
        String namespace = metadata.getNamespace() == null ? "" : metadata.getNamespace();
        return namespace + "/" + metadata.getName();
    }

    private static long sparkSize(String value, String field) throws BadField {
        try {
            return SparkMemory.mebibytesAsBytes(value);
        } catch (IllegalArgumentException e) {
            throw new BadField(field + " " + e.getMessage());
        }
    }

    /** spark.kubernetes.memoryOverheadFactor is read with Double.parseDouble after a trim; "" means unset. */
    private static Double factor(String value) throws BadField {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new BadField("spec.memoryOverheadFactor \"" + value + "\" is not a number");
        }
    }

    private static Long coreRequestMilli(String value) throws BadField {
        return cpuMilli(value, "spec.executor.coreRequest");
    }

    /** A Kubernetes quantity in millicores, rounded up as the API server's MilliValue() does. */
    private static Long cpuMilli(String value, String field) throws BadField {
        if (value == null) {
            return null;
        }
        try {
            return KubeQuantities.toUnits(ResourceNames.CPU, new Quantity(value));
        } catch (KubeQuantities.BadQuantity bad) {
            throw new BadField(bad.describe(field));
        } catch (RuntimeException e) {
            throw new BadField(field + " \"" + value + "\" is not a valid quantity");
        }
    }

    /**
     * The executors' QoS class as the kubelet will compute it. Spark's BasicExecutorFeatureStep
     * gives the executor container a memory limit equal to its memory request, and a CPU limit only
     * from {@code spark.kubernetes.executor.limit.cores} (spark-operator's {@code coreLimit}); a GPU
     * is requested as a limit, which the API server copies to the request. So the executors are
     * Guaranteed exactly when coreLimit is set and equals the CPU request, else Burstable.
     */
    private static QosClass qosClass(long cpuRequestMilli, Long coreLimitMilli) throws BadField {
        if (coreLimitMilli == null) {
            return QosClass.BURSTABLE;
        }
        if (coreLimitMilli < cpuRequestMilli) {
            throw new BadField("spec.executor.coreLimit (" + coreLimitMilli + "m) is below the executors' CPU request ("
                    + cpuRequestMilli + "m): the API server would reject the executor pods");
        }
        return coreLimitMilli == cpuRequestMilli ? QosClass.GUARANTEED : QosClass.BURSTABLE;
    }

    /** {@code spec.executor.affinity}: a core/v1 Affinity, of which the node affinity decides placement. */
    private static NodeAffinity nodeAffinity(Object value) throws BadField {
        Map<String, Object> affinity = object(value, "spec.executor.affinity");
        if (affinity == null) {
            return NodeAffinity.NONE;
        }
        Affinity parsed;
        try {
            parsed = SERIALIZATION.convertValue(affinity, Affinity.class);
        } catch (RuntimeException e) {
            throw new BadField("spec.executor.affinity is not a valid affinity: " + e.getMessage());
        }
        Translation<NodeAffinity> nodeAffinity = PodTranslator.nodeAffinityOf(parsed);
        if (!nodeAffinity.isValid()) {
            throw new BadField("spec.executor.affinity: " + nodeAffinity.errorOrNull());
        }
        return nodeAffinity.orElseThrow();
    }

    /**
     * {@code spec.executor.annotations}, only the keys the scheduler reads (as pods are translated),
     * with the NUMA request checked: a bad one would make every executor unschedulable, so it is
     * reported on the SparkApplication before the driver is placed.
     */
    private static Map<String, String> annotations(Object value) throws BadField {
        Map<String, String> kept = RetainedAnnotations.forPod(strings(value, "spec.executor.annotations"));
        try {
            NumaRequest.parse(kept);
        } catch (IllegalArgumentException e) {
            throw new BadField("spec.executor.annotations: " + e.getMessage());
        }
        return kept;
    }

    private static List<Toleration> tolerations(Object value) throws BadField {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new BadField("spec.executor.tolerations is " + describe(value) + ", expected a list");
        }
        List<Toleration> result = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String field = "spec.executor.tolerations[" + i + "]";
            Map<String, Object> toleration = object(list.get(i), field);
            if (toleration == null) {
                throw new BadField(field + " is null, expected an object");
            }
            String key = orEmpty(text(toleration.get("key"), field + ".key"));
            String operatorName = orEmpty(text(toleration.get("operator"), field + ".operator"));
            Toleration.Operator operator = switch (operatorName) {
                case "", "Equal" -> Toleration.Operator.EQUAL;
                case "Exists" -> Toleration.Operator.EXISTS;
                default -> throw new BadField(field + ".operator \"" + operatorName + "\" is not Equal or Exists");
            };
            String effectName = orEmpty(text(toleration.get("effect"), field + ".effect"));
            TaintEffect effect = null;
            if (!effectName.isEmpty()) {
                try {
                    effect = TaintEffect.fromApiName(effectName);
                } catch (IllegalArgumentException e) {
                    throw new BadField(field + ".effect \"" + effectName
                            + "\" is not NoSchedule, PreferNoSchedule or NoExecute");
                }
            }
            result.add(new Toleration(key, operator, text(toleration.get("value"), field + ".value"), effect));
        }
        return result;
    }

    // ------------------------------------------------------------------ JSON shapes

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String field) throws BadField {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?>)) {
            throw new BadField(field + " is " + describe(value) + ", expected an object");
        }
        return (Map<String, Object>) value;
    }

    private static Map<String, String> strings(Object value, String field) throws BadField {
        Map<String, Object> map = object(value, field);
        if (map == null) {
            return Map.of();
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : map.entrySet()) {
            if (!(entry.getValue() instanceof String text)) {
                throw new BadField(field + "." + entry.getKey() + " is " + describe(entry.getValue())
                        + ", expected a string");
            }
            result.put(entry.getKey(), text);
        }
        return result;
    }

    /** A string field; a number written without quotes is taken as its text (1024 for "1024"). */
    private static String text(Object value, String field) throws BadField {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (value instanceof Number number) {
            return number instanceof BigDecimal decimal ? decimal.toPlainString() : number.toString();
        }
        throw new BadField(field + " is " + describe(value) + ", expected a string");
    }

    private static Integer int32(Object value, String field) throws BadField {
        Long whole = int64(value, field);
        if (whole == null) {
            return null;
        }
        if (whole < Integer.MIN_VALUE || whole > Integer.MAX_VALUE) {
            throw new BadField(field + " " + whole + " is out of range for an int32");
        }
        return whole.intValue();
    }

    private static Long int64(Object value, String field) throws BadField {
        if (value == null) {
            return null;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big) {
            try {
                return big.longValueExact();
            } catch (ArithmeticException e) {
                throw new BadField(field + " " + big + " is out of range");
            }
        }
        if (value instanceof Number number) {
            try {
                return new BigDecimal(number.toString()).longValueExact();
            } catch (ArithmeticException | NumberFormatException e) {
                throw new BadField(field + " " + number + " is not a whole number in range");
            }
        }
        throw new BadField(field + " is " + describe(value) + ", expected an integer");
    }

    private static Boolean bool(Object value, String field) throws BadField {
        if (value == null || value instanceof Boolean) {
            return (Boolean) value;
        }
        throw new BadField(field + " is " + describe(value) + ", expected true or false");
    }

    private static String describe(Object value) {
        if (value instanceof String text) {
            return "\"" + text + "\"";
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        if (value instanceof List<?>) {
            return "a list";
        }
        return String.valueOf(value);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
