package io.kubenexus.scheduler.gang.lifecycle;

import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.gang.group.GroupMembership;
import io.kubenexus.scheduler.gang.group.GroupPolicy;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.PodRequests;
import io.kubenexus.scheduler.core.model.QosClass;
import io.kubenexus.scheduler.core.model.ResourceList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a driver's executors will ask for before they exist, and the stand-ins that hold their places.
 * The sources, by precedence: the group's PodGroup {@code minResources} with min-available above 1
 * (the driver's share taken out, the rest split evenly over min-available - 1 executors), the
 * application's template (a SparkApplication), the driver's own executor-resources annotation, then
 * a PodGroup's {@code minResources} with min-available 1 (spark-operator's kube-scheduler mode), as
 * places no larger than the driver ({@link #shapedLikeDriver}). Used only on the loop thread.
 */
public final class ExecutorSizing {
    /** The annotation on a driver giving one executor's requests, read by the Kubernetes adapter. */
    public static final String EXECUTOR_RESOURCES_ANNOTATION = "pod-group.scheduling.kubenexus.io/executor-resources";

    /** Executor templates by application ("ns/app"), or by driver ("pod:ns/name") for the annotation. */
    private final Map<String, ExecutorTemplate> templates = new HashMap<>();

    /** The executors of application {@code appKey} ("ns/app") are sized by {@code template}, or unknown again (null). */
    public void application(String appKey, ExecutorTemplate template) {
        put(appKey, template);
    }

    /** The driver's own annotation sizes its executors, or no longer does (null). */
    public void driverAnnotation(PodKey driver, ExecutorTemplate template) {
        put("pod:" + driver, template);
    }

    /** The driver is gone: its annotation's template goes with it. */
    public void driverRemoved(PodKey driver) {
        templates.remove("pod:" + driver);
    }

    private void put(String key, ExecutorTemplate template) {
        if (template == null) {
            templates.remove(key);
        } else {
            templates.put(key, template);
        }
    }

    /**
     * The executors a driver needs, or null when none of the sources is known.
     *
     * @param minimum the group's min-available (0 when none is declared)
     * @param policy  the group's PodGroup policy, or null
     */
    public ExecutorTemplate template(PodInfo driver, GroupMembership membership, int minimum, GroupPolicy policy) {
        if (policy != null && !policy.minResources().isEmpty() && minimum > 1) {
            ResourceList perExecutor = splitMinResources(policy.minResources(), driver.requests(), minimum - 1);
            return new ExecutorTemplate(perExecutor, minimum - 1, Map.of(), List.of(), policy.source());
        }
        ExecutorTemplate template = declared(driver, membership);
        if (template == null && policy != null && !policy.minResources().isEmpty()) {
            return shapedLikeDriver(policy, driver.requests());
        }
        if (template == null) {
            return null;
        }
        // min-available, when declared, says how many executors belong to the gang.
        int count = minimum > 1 ? minimum - 1 : template.count();
        return template.withCount(count);
    }

    /** The template the application or the driver's annotation declares, or null. */
    ExecutorTemplate declared(PodInfo driver, GroupMembership membership) {
        ExecutorTemplate template = membership.appName() == null ? null
                : templates.get(driver.key().namespace() + "/" + membership.appName());
        return template != null ? template : templates.get("pod:" + driver.key());
    }

    /**
     * spark-operator's kube-scheduler mode without a readable SparkApplication: its PodGroup says
     * only minMember 1 and minResources (driver + executors x instances). The driver is held until the
     * remainder fits too, as coscheduling's minResources check does, and the remainder is reserved as
     * places no larger than the driver (the only pod shape the cluster shows), as many as it takes to
     * cover it in every resource the driver asks for, split evenly; a resource only executors ask for
     * (e.g. GPUs) is split over the same places, or held as one place when the driver asks for none of
     * what remains. Null when the driver covers minResources alone.
     */
    static ExecutorTemplate shapedLikeDriver(GroupPolicy policy, ResourceList driver) {
        Map<String, Long> remainder = new HashMap<>();
        policy.minResources().amounts().forEach((name, total) -> {
            long left = total - driver.get(name);
            if (left > 0) {
                remainder.put(name, left);
            }
        });
        if (remainder.isEmpty()) {
            return null;
        }
        long places = 0;
        for (Map.Entry<String, Long> left : remainder.entrySet()) {
            long each = driver.get(left.getKey());
            if (each > 0) {
                places = Math.max(places, (left.getValue() + each - 1) / each);
            }
        }
        int count = (int) Math.max(1, Math.min(places, MAX_SHAPED_PLACES));
        Map<String, Long> perPlace = new HashMap<>();
        remainder.forEach((name, left) -> perPlace.put(name, (left + count - 1) / count));
        return new ExecutorTemplate(ResourceList.of(perPlace), count, Map.of(), List.of(),
                policy.source() + " minResources (no SparkApplication: " + count + " place(s) no larger than the driver)");
    }

    /** A bound on places shaped like the driver, so a tiny driver with a huge minResources cannot plan thousands. */
    static final int MAX_SHAPED_PLACES = 256;

    private static ResourceList splitMinResources(ResourceList minResources, ResourceList driver, int executors) {
        Map<String, Long> each = new HashMap<>();
        minResources.amounts().forEach((name, total) -> {
            long left = Math.max(0, total - driver.get(name));
            each.put(name, (left + executors - 1) / executors);
        });
        return ResourceList.of(each);
    }

    /**
     * Pods standing in for executors not created yet: the template's size, and the executors' own
     * shape when the template knows it (a SparkApplication's {@code spec.executor}: node selector,
     * affinity, tolerations, the NUMA policy annotation, the QoS class), so that a place is held only
     * where the executor itself will be admitted; else the driver's constraints. Numbered from
     * {@code firstIndex} + 1.
     */
    public static List<PodInfo> standIns(PodInfo driver, ExecutorTemplate template, int firstIndex) {
        List<PodInfo> standIns = new ArrayList<>(template.count());
        boolean own = template.shapeKnown();
        Map<String, String> annotations = new HashMap<>(own ? template.annotations() : Map.of());
        annotations.put(PodInfo.STAND_IN_ANNOTATION, "true");
        Map<String, String> standInAnnotations = Map.copyOf(annotations);
        QosClass qos = own && template.qosClass() != null ? template.qosClass() : driver.qosClass();
        for (int i = 0; i < template.count(); i++) {
            // The name shows up in messages ("the best plan fits 1 of 3; <name>: 0/50 nodes ..."), so it says what it is.
            String name = driver.key().name() + " executor " + (firstIndex + i + 1) + " (not created yet)";
            standIns.add(new PodInfo(new PodKey(driver.key().namespace(), name),
                    "", driver.schedulerName(), null, driver.phase(), false, driver.priority(), driver.createdAt(),
                    Map.of(), standInAnnotations, template.requests(), nonZero(template.requests()), List.of(),
                    own ? template.nodeSelector() : driver.nodeSelector(),
                    own ? template.nodeAffinity() : driver.nodeAffinity(),
                    own ? template.tolerations() : driver.tolerations(),
                    qos, List.of(), false, null, List.of()));
        }
        return standIns;
    }

    private static ResourceList nonZero(ResourceList requests) {
        ResourceList out = requests;
        if (out.get("cpu") == 0) {
            out = out.with("cpu", PodRequests.DEFAULT_NON_ZERO_CPU_MILLI);
        }
        if (out.get("memory") == 0) {
            out = out.with("memory", PodRequests.DEFAULT_NON_ZERO_MEMORY_BYTES);
        }
        return out;
    }

    public void sizes(Map<String, Integer> out) {
        out.put("templates", templates.size());
    }
}
