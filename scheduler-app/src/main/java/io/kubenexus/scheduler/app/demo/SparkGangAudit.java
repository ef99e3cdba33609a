package io.kubenexus.scheduler.app.demo;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenexus.scheduler.gang.GangLabels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Spark gangs as the API holds them after a run, re-read from the pods alone: per driver,
 * whether it is bound and how many of its executors (same {@code spark-app-selector}) are. Other pod
 * groups (the NUMA gangs, {@code pod-group.scheduling.kubenexus.io/name}) count as partial too when
 * some members are bound and fewer than their min-available.
 *
 * @param apps       SparkApplications stored
 * @param completed  driver bound and at least min-available - 1 executors bound
 * @param waiting    driver pending
 * @param partial    driver bound, fewer than min-available - 1 executors bound; or a pod group with
 *                   members bound, fewer than its min-available
 * @param partialGangs one line per partial gang, for the progress output
 */
record SparkGangAudit(int apps, int completed, int waiting, int partial, List<String> partialGangs) {

    static SparkGangAudit of(KubernetesClient client, String namespace) {
        int apps = client.genericKubernetesResources(SparkObjects.SPARK_APPLICATIONS).inNamespace(namespace).list()
                .getItems().size();
        List<Pod> drivers = new ArrayList<>();
        Map<String, Integer> boundExecutors = new HashMap<>();
        Map<String, Integer> executors = new HashMap<>();
        Map<String, List<String>> pendingExecutors = new HashMap<>();
        Map<String, Integer> groupBound = new java.util.TreeMap<>();
        Map<String, Integer> groupMin = new HashMap<>();
        for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
            Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
            String role = labels.get(GangLabels.SPARK_ROLE);
            String app = labels.get(GangLabels.SPARK_APP_SELECTOR);
            String group = labels.get(GangLabels.NAME);
            if (role == null && group != null) {
                groupMin.merge(group, minAvailable(labels.get(GangLabels.MIN_AVAILABLE)), Math::max);
                groupBound.merge(group, pod.getSpec().getNodeName() != null ? 1 : 0, Integer::sum);
            }
            if (SparkObjects.DRIVER.equals(role) && app != null) {
                drivers.add(pod);
            } else if (SparkObjects.EXECUTOR.equals(role) && app != null) {
                executors.merge(app, 1, Integer::sum);
                if (pod.getSpec().getNodeName() != null) {
                    boundExecutors.merge(app, 1, Integer::sum);
                } else {
                    pendingExecutors.computeIfAbsent(app, a -> new ArrayList<>()).add(pod.getMetadata().getName()
                            + " (" + whyPending(pod) + ")");
                }
            }
        }
        int completed = 0;
        int waiting = 0;
        List<String> partial = new ArrayList<>();
        for (Pod driver : drivers) {
            Map<String, String> labels = driver.getMetadata().getLabels();
            String app = labels.get(GangLabels.SPARK_APP_SELECTOR);
            int wanted = Math.max(0, minAvailable(labels.get(GangLabels.MIN_AVAILABLE)) - 1);
            int bound = boundExecutors.getOrDefault(app, 0);
            if (driver.getSpec().getNodeName() == null) {
                waiting++;
            } else if (bound >= wanted) {
                completed++;
            } else {
                partial.add(driver.getMetadata().getName() + " on " + driver.getSpec().getNodeName() + ": " + bound + "/"
                        + wanted + " executors bound, " + executors.getOrDefault(app, 0) + " created; pending: "
                        + pendingExecutors.getOrDefault(app, List.of()));
            }
        }
        groupBound.forEach((group, bound) -> {
            if (bound > 0 && bound < groupMin.get(group)) {
                partial.add("pod group " + group + ": " + bound + "/" + groupMin.get(group) + " members bound");
            }
        });
        return new SparkGangAudit(apps, completed, waiting, partial.size(), List.copyOf(partial));
    }

    /** The pod's PodScheduled=False message, as kubectl describe shows it, or "no condition". */
    private static String whyPending(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return "no condition";
        }
        return pod.getStatus().getConditions().stream().filter(c -> "PodScheduled".equals(c.getType()))
                .map(c -> c.getReason() + ": " + c.getMessage()).findFirst().orElse("no condition");
    }

    /** A driver without a readable min-available is a gang of itself. */
    private static int minAvailable(String label) {
        try {
            return label == null ? 1 : Math.max(1, Integer.parseInt(label.trim()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
