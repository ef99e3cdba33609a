package io.kubenexus.scheduler.gang.lifecycle;

import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.core.model.ResourceList;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Whether a PodGroup's {@code minResources} agrees with a driver plus its executors as sized from
 * the SparkApplication. spark-operator writes minResources from the application's cores and memory
 * (plus memoryOverhead only when it is set), while the pods Spark creates also carry the default
 * memory overhead (max(384Mi, 10% of memory)): so memory may differ by up to that much per pod
 * without anything being wrong; any other difference is reported.
 */
final class MinResourcesCheck {
    private static final long MIN_OVERHEAD_BYTES = 384L << 20;

    private MinResourcesCheck() {
    }

    /** Null when they agree; else a description of the difference. */
    static String mismatch(ResourceList minResources, ResourceList driver, ExecutorTemplate executors) {
        Map<String, Long> expected = new TreeMap<>();
        driver.amounts().forEach((name, amount) -> expected.merge(name, amount, Long::sum));
        executors.requests().amounts().forEach((name, amount) -> expected.merge(name, amount * executors.count(), Long::sum));
        TreeSet<String> names = new TreeSet<>(expected.keySet());
        names.addAll(minResources.amounts().keySet());
        names.remove("pods");
        int pods = executors.count() + 1;
        for (String name : names) {
            long declared = minResources.get(name);
            long sized = expected.getOrDefault(name, 0L);
            if (declared == 0 && !minResources.amounts().containsKey(name)) {
                continue; // minResources says nothing of it (spark-operator writes only cpu and memory)
            }
            long tolerance = name.equals("memory") ? Math.max(pods * MIN_OVERHEAD_BYTES, sized / 10) : 0;
            if (Math.abs(declared - sized) > tolerance) {
                return ResourceList.of(Map.of(name, declared)) + " differs from the driver and " + executors.count()
                        + " executor(s), " + ResourceList.of(Map.of(name, sized));
            }
        }
        return null;
    }
}
