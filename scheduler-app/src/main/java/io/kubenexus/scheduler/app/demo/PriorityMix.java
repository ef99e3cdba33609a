package io.kubenexus.scheduler.app.demo;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenexus.scheduler.app.DemoSummary;
import io.kubenexus.scheduler.gang.GangLabels;
import io.kubenexus.scheduler.sim.synthetic.SyntheticCluster;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo's priority mix (issue 15): batch gangs of the {@link DemoPriorities#BATCH} class start with
 * the workload and fill the CPU pool with it; once everything has settled, urgent gangs and an urgent
 * Spark application ({@link DemoPriorities#URGENT}) arrive that fit only if lower-priority work goes.
 * The scheduler must evict whole gangs only, and leave no gang partial, theirs or the victims'.
 */
final class PriorityMix {
    /** Members of every batch and urgent gang; each a quarter of a CPU node. */
    static final int GANG_SIZE = 4;
    static final String BATCH_PREFIX = "batch-gang-";
    static final String URGENT_PREFIX = "urgent-gang-";
    static final String URGENT_SPARK = "spark-urgent-001";
    private static final long MEMBER_CPU = 8;
    private static final long MEMBER_MEMORY_GI = 16;

    private final String namespace;
    private final String schedulerName;
    private final int batchGangs;
    private final int urgentGangs;

    /** Sized to the cluster: a batch gang per 10 nodes and an urgent gang per 25 (at least one each with nodes). */
    PriorityMix(int nodes, String namespace, String schedulerName) {
        this.namespace = namespace;
        this.schedulerName = schedulerName;
        this.batchGangs = nodes == 0 ? 0 : Math.max(1, nodes / 10);
        this.urgentGangs = nodes == 0 ? 0 : Math.max(1, nodes / 25);
    }

    /** The batch gangs' pods, to be created with the workload. */
    List<Pod> batchPods() {
        return gangs(BATCH_PREFIX, batchGangs, DemoPriorities.BATCH);
    }

    /** The urgent gangs' pods, created once the cluster is full. */
    List<Pod> urgentPods() {
        return gangs(URGENT_PREFIX, urgentGangs, DemoPriorities.URGENT);
    }

    /** The urgent Spark application: a driver and three executors on the CPU pool. */
    SparkApp urgentSparkApp() {
        return new SparkApp(URGENT_SPARK, namespace, "spark-" + "0".repeat(31) + "f", SparkApp.Kind.CPU,
                new SparkApp.Size(2, 4096, 0), new SparkApp.Size(4, 8192, 0), 3, Map.of(), List.of(),
                DemoPriorities.URGENT);
    }

    int urgentPodCount() {
        return urgentGangs * GANG_SIZE + (urgentGangs == 0 ? 0 : 1 + urgentSparkApp().executors());
    }

    boolean active() {
        return urgentGangs > 0;
    }

    private List<Pod> gangs(String prefix, int count, String priorityClass) {
        List<Pod> pods = new ArrayList<>(count * GANG_SIZE);
        for (int g = 0; g < count; g++) {
            String gang = prefix + String.format("%02d", g + 1);
            for (int m = 0; m < GANG_SIZE; m++) {
                pods.add(new PodBuilder()
                        .withNewMetadata().withName(gang + "-" + m).withNamespace(namespace)
                        .addToLabels(GangLabels.NAME, gang)
                        .addToLabels(GangLabels.MIN_AVAILABLE, Integer.toString(GANG_SIZE))
                        .endMetadata()
                        .withNewSpec().withSchedulerName(schedulerName)
                        .withPriorityClassName(priorityClass).withPriority(DemoPriorities.value(priorityClass))
                        .withNodeSelector(Map.of(SyntheticCluster.POOL_LABEL, "cpu"))
                        .addNewContainer().withName("main").withImage(DemoObjects.PAUSE_IMAGE)
                        .withNewResources().addToRequests("cpu", new Quantity(Long.toString(MEMBER_CPU)))
                        .addToRequests("memory", new Quantity(MEMBER_MEMORY_GI + "Gi")).endResources()
                        .endContainer().endSpec().build());
            }
        }
        return pods;
    }

    /**
     * What the API and the scheduler's metrics show at the end of any run the scheduler placed itself
     * (the workload's own high-priority pods preempt too; urgent pods are the mix's): urgent pods bound, preemption's
     * attempts and victims, pods gone from the API ({@code podsEvicted}: nothing else deletes pods in
     * the demo) and the gangs left partial as {@link SparkGangAudit} counts them (plain and Spark).
     */
    static DemoSummary.Preemption audit(KubernetesClient client, String namespace, MeterRegistry registry,
                                        int podsEvicted, int partialGangs) {
        int urgent = 0;
        int urgentBound = 0;
        for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
            if (pod.getSpec().getPriority() != null && pod.getSpec().getPriority() >= DemoPriorities.URGENT_VALUE) {
                urgent++;
                urgentBound += pod.getSpec().getNodeName() != null ? 1 : 0;
            }
        }
        return new DemoSummary.Preemption(true, urgent, urgentBound, count(registry, "kubenexus.preemption.attempts",
                "result", null), count(registry, "kubenexus.preemption.victims", "kind", "pod"),
                count(registry, "kubenexus.preemption.victims", "kind", "gang"), podsEvicted, partialGangs);
    }

    /** A counter's total over the tag's values ({@code value} null), or for one value. */
    private static long count(MeterRegistry registry, String name, String tag, String value) {
        double total = 0;
        for (Counter counter : (value == null ? registry.find(name) : registry.find(name).tag(tag, value)).counters()) {
            total += counter.count();
        }
        return Math.round(total);
    }
}
