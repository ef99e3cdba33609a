package io.kubenexus.scheduler.kube.translate;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubenexus.scheduler.core.framework.ExecutorTemplate;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code pod-group.scheduling.kubenexus.io/executor-resources} on a driver: one executor's
 * requests as {@code cpu=2,memory=8Gi,nvidia.com/gpu=1} (Kubernetes quantities, memory including
 * Spark's overhead). The number of executors comes from the group's min-available. Used when
 * neither a PodGroup's minResources nor a SparkApplication sizes the executors.
 */
public final class ExecutorResourcesAnnotation {
    public static final String KEY = SchedulingLoop.EXECUTOR_RESOURCES_ANNOTATION;

    /** The template, null when the pod has no such annotation, or invalid naming the bad part. */
    public Translation<ExecutorTemplate> read(Pod pod) {
        Map<String, String> annotations = pod.getMetadata() == null ? null : pod.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(KEY);
        if (value == null) {
            return null;
        }
        Map<String, Quantity> quantities = new LinkedHashMap<>();
        for (String part : value.split(",")) {
            String trimmed = part.trim();
            int eq = trimmed.indexOf('=');
            if (eq <= 0 || eq == trimmed.length() - 1) {
                return Translation.invalid("annotation " + KEY + " \"" + value + "\": \"" + trimmed
                        + "\" is not resource=quantity (e.g. cpu=2,memory=8Gi)");
            }
            quantities.put(trimmed.substring(0, eq).trim(), new Quantity(trimmed.substring(eq + 1).trim()));
        }
        try {
            Map<String, Long> amounts = KubeQuantities.toUnits(quantities, "annotation " + KEY + ": ", "");
            return Translation.valid(new ExecutorTemplate(KubeQuantities.resourceList(amounts), 0, Map.of(), List.of(),
                    "annotation " + KEY + " on " + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName()));
        } catch (InvalidSpecException e) {
            return Translation.invalid(e.getMessage());
        }
    }
}
