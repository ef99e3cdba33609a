package io.kubenexus.scheduler.app.demo;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.loop.Decision;
import io.kubenexus.scheduler.core.loop.SchedulingAlgorithm;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.sim.PodSpecTemplate;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.gang.GangLabels;
import io.kubenexus.scheduler.kube.translate.NodeTranslator;
import io.kubenexus.scheduler.kube.translate.PodTranslator;
import io.kubenexus.scheduler.kube.translate.Translation;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Asks the production plugins, independently of the scheduler's loop, what could be placed: which
 * pods no node could run even on the empty cluster (pending by design), and which pending pods would
 * fit on the cluster the API shows now (missed by the scheduler). A Spark driver is judged with its
 * gang: it fits when it and every executor it will create can be placed at once.
 */
final class PlacementAudit {
    /** The gang planner's order: the hardest member chooses first. */
    private static final Comparator<PodInfo> LARGEST_FIRST = Comparator
            .comparingLong((PodInfo p) -> -p.requests().get(ResourceNames.NVIDIA_GPU))
            .thenComparingLong(p -> -p.requests().get(ResourceNames.CPU))
            .thenComparingLong(p -> -p.requests().get(ResourceNames.MEMORY))
            .thenComparing(PodInfo::key);

    private PlacementAudit() {
    }

    /**
     * Pods that no node could run even with the whole cluster empty: pending by design, not a miss.
     * A Spark driver counts when it and its executors cannot all be placed together.
     */
    static int unschedulableOnEmptyCluster(List<PodSpecTemplate> pods, List<SparkApp> apps,
                                           List<NodeInfo> nodes, SchedulerSettings settings) {
        ClusterState empty = new ClusterState();
        nodes.forEach(empty::upsertNode);
        SchedulingAlgorithm algorithm = new SchedulingAlgorithm(SchedulingProfile.defaults(settings), 100);
        int count = 0;
        for (PodSpecTemplate pod : pods) {
            if (algorithm.schedule(pod.toPodInfo(settings.schedulerName(), Instant.EPOCH), empty)
                    instanceof Decision.Unschedulable) {
                count++;
            }
        }
        for (SparkApp app : apps) {
            if (!fitsTogether(gangMembers(app, settings.schedulerName()), empty, algorithm)) {
                count++;
            }
        }
        return count;
    }

    /**
     * Rebuilds a cluster state from the API objects alone and asks the production plugins whether any
     * pending pod would fit on its own, or, for a pending Spark driver, together with all its
     * executors: a pod or gang that would was missed by the scheduler.
     */
    static int pendingThatWouldFit(KubernetesClient client, String namespace, List<SparkApp> apps,
                                   SchedulerSettings settings, PrintStream progress) {
        ClusterState state = new ClusterState();
        NodeTranslator nodeTranslator = new NodeTranslator();
        PodTranslator podTranslator = new PodTranslator();
        for (Node node : client.nodes().list().getItems()) {
            if (nodeTranslator.translate(node) instanceof Translation.Valid<NodeInfo> valid) {
                state.upsertNode(valid.value());
            }
        }
        List<PodInfo> pending = new ArrayList<>();
        for (Pod pod : client.pods().inAnyNamespace().list().getItems()) {
            if (podTranslator.translate(pod) instanceof Translation.Valid<PodInfo> valid) {
                if (valid.value().isAssigned()) {
                    state.upsertPod(valid.value());
                } else if (namespace.equals(valid.value().key().namespace())) {
                    pending.add(valid.value());
                }
            }
        }
        Map<String, SparkApp> appsByDriver = apps.stream()
                .collect(Collectors.toMap(SparkApp::driverPodName, Function.identity()));
        SchedulingAlgorithm algorithm = new SchedulingAlgorithm(SchedulingProfile.defaults(settings), 100);
        int fit = 0;
        for (PodInfo pod : pending) {
            SparkApp app = SparkObjects.DRIVER.equals(pod.labels().get(GangLabels.SPARK_ROLE))
                    ? appsByDriver.get(pod.key().name()) : null;
            if (app != null) {
                if (fitsTogether(gangMembers(app, settings.schedulerName()), state, algorithm)) {
                    fit++;
                    progress.println("demo: MISSED gang " + app.name() + ": the driver and its " + app.executors()
                            + " executors would fit together");
                }
            } else if (algorithm.schedule(pod, state) instanceof Decision.Placed placed) {
                fit++;
                progress.println("demo: MISSED " + pod.key() + " would fit on " + placed.nodeName());
            }
        }
        return fit;
    }

    /**
     * Whether all {@code members} fit on {@code state} at once, each placed by the production plugins
     * and assumed before the next, largest first; the state is left as it was.
     */
    private static boolean fitsTogether(List<PodInfo> members, ClusterState state, SchedulingAlgorithm algorithm) {
        List<PodInfo> ordered = new ArrayList<>(members);
        ordered.sort(LARGEST_FIRST);
        List<PodKey> assumed = new ArrayList<>(ordered.size());
        try {
            for (PodInfo member : ordered) {
                if (!(algorithm.schedule(member, state) instanceof Decision.Placed placed)) {
                    return false;
                }
                state.assume(member.withNodeName(placed.nodeName()));
                assumed.add(member.key());
            }
            return true;
        } finally {
            assumed.forEach(state::forget);
        }
    }

    /** The application's driver and every executor it will create, as the scheduler reads those pods. */
    private static List<PodInfo> gangMembers(SparkApp app, String schedulerName) {
        PodTranslator translator = new PodTranslator();
        Pod driver = SparkObjects.driver(app, SparkObjects.sparkApplication(app, schedulerName), schedulerName);
        List<Pod> pods = new ArrayList<>(app.minAvailable());
        pods.add(driver);
        for (int id = 1; id <= app.executors(); id++) {
            pods.add(SparkObjects.executor(app, id, driver, schedulerName));
        }
        List<PodInfo> members = new ArrayList<>(pods.size());
        for (Pod pod : pods) {
            if (!(translator.translate(pod) instanceof Translation.Valid<PodInfo> valid)) {
                throw new IllegalStateException("the demo's own pod " + pod.getMetadata().getName() + " is unreadable");
            }
            members.add(valid.value());
        }
        return members;
    }
}
