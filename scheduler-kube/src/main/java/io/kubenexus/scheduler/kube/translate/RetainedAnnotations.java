package io.kubenexus.scheduler.kube.translate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The annotations the scheduler reads. Everything else (kubectl's last-applied configuration,
 * Spark's and operators' bookkeeping) is dropped when translating and trimming, because
 * annotations are the largest part of most pod objects and the scheduler never looks at them.
 */
public final class RetainedAnnotations {
    private static final String[] POD_KEY_PARTS = {
        "scheduling.kubenexus.io/", "scheduling.x-k8s.io/", "scheduling.sigs.k8s.io/"};
    private static final String NODE_KEY_PART = "kubenexus.io/";

    private RetainedAnnotations() {
    }

    /**
     * Gang and NUMA annotations: ours (e.g. {@code pod-group.scheduling.kubenexus.io/*},
     * {@code numa.scheduling.kubenexus.io/policy} and {@code /resources}) and the scheduler-plugins /
     * Koordinator aliases.
     */
    public static boolean isPodKey(String key) {
        for (String part : POD_KEY_PARTS) {
            if (key.contains(part)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Topology and interconnect annotations published for our scheduler
     * ({@code numa.scheduling.kubenexus.io/topology} and {@code /gpu-islands}).
     */
    public static boolean isNodeKey(String key) {
        return key.contains(NODE_KEY_PART);
    }

    public static Map<String, String> forPod(Map<String, String> annotations) {
        return filter(annotations, true);
    }

    public static Map<String, String> forNode(Map<String, String> annotations) {
        return filter(annotations, false);
    }

    private static Map<String, String> filter(Map<String, String> annotations, boolean pod) {
        if (annotations == null || annotations.isEmpty()) {
            return Map.of();
        }
        Map<String, String> kept = null;
        for (Map.Entry<String, String> entry : annotations.entrySet()) {
            if (pod ? isPodKey(entry.getKey()) : isNodeKey(entry.getKey())) {
                if (kept == null) {
                    kept = new LinkedHashMap<>();
                }
                kept.put(entry.getKey(), entry.getValue());
            }
        }
        return kept == null ? Map.of() : kept;
    }
}
