package io.kubenexus.scheduler.kube.translate;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.gang.lifecycle.ExecutorSizing;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads {@code pod-group.scheduling.kubenexus.io/executor-resources} on a driver: one executor's
 * requests as {@code cpu=2,memory=8Gi,nvidia.com/gpu=1} (Kubernetes quantities, memory including
 * Spark's overhead). The number of executors comes from the group's min-available. Used when
 * neither a PodGroup's minResources nor a SparkApplication sizes the executors.
 *
 * <p>The value is free text anyone can write on any pod, so it is read without ever throwing: each
 * part must be {@code resource=quantity} with a Kubernetes resource name, named once, and a quantity
 * in the API server's grammar; anything else is an invalid translation naming the part.
 */
public final class ExecutorResourcesAnnotation {
    public static final String KEY = ExecutorSizing.EXECUTOR_RESOURCES_ANNOTATION;

    /** A Kubernetes resource name: an optional DNS-subdomain prefix and a name of at most 63 characters. */
    private static final Pattern RESOURCE_NAME =
            Pattern.compile("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

    private static final Pattern STANDARD = Pattern.compile("cpu|memory|ephemeral-storage|hugepages-[0-9A-Za-z]+");

    /** The template, null when the pod has no such annotation, or invalid naming the bad part. Never throws. */
    public Translation<ExecutorTemplate> read(Pod pod) {
        Map<String, String> annotations = pod == null || pod.getMetadata() == null ? null
                : pod.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(KEY);
        if (value == null) {
            return null;
        }
        String where = "annotation " + KEY + " \"" + value + "\": ";
        Map<String, Long> amounts = new LinkedHashMap<>();
        for (String part : value.split(",")) { // a trailing comma is tolerated, as it always was
            String trimmed = part.trim();
            int eq = trimmed.indexOf('=');
            if (eq <= 0 || eq == trimmed.length() - 1) {
                return Translation.invalid(where + "\"" + trimmed
                        + "\" is not resource=quantity (e.g. cpu=2,memory=8Gi)");
            }
            String resource = trimmed.substring(0, eq).trim();
            String quantity = trimmed.substring(eq + 1).trim();
            if (!RESOURCE_NAME.matcher(resource).matches()) {
                return Translation.invalid(where + "\"" + resource + "\" is not a resource name");
            }
            if (resource.indexOf('/') < 0 && !STANDARD.matcher(resource).matches()) {
                // The API's rule: a name without a domain must be a standard resource (a typo like cpuu is not).
                return Translation.invalid(where + "\"" + resource
                        + "\" is not a standard resource (cpu, memory, ephemeral-storage, hugepages-<size>)"
                        + " and has no domain (e.g. nvidia.com/gpu)");
            }
            if (amounts.containsKey(resource)) {
                return Translation.invalid(where + "names " + resource + " twice");
            }
            try {
                amounts.put(resource, KubeQuantities.toUnits(resource, quantity));
            } catch (KubeQuantities.BadQuantity bad) {
                return Translation.invalid(bad.describe(where + resource));
            }
        }
        if (amounts.isEmpty()) {
            return Translation.invalid(where + "names no resource (e.g. cpu=2,memory=8Gi)");
        }
        String namespace = pod.getMetadata().getNamespace();
        return Translation.valid(new ExecutorTemplate(KubeQuantities.resourceList(amounts), 0, Map.of(), List.of(),
                "annotation " + KEY + " on " + namespace + "/" + pod.getMetadata().getName()));
    }
}
