package io.kubenexus.scheduler.app.demo;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
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
import io.kubenexus.scheduler.sim.synthetic.NumaLayout;
import io.kubenexus.scheduler.sim.synthetic.PodSpecTemplate;
import io.kubenexus.scheduler.sim.synthetic.SyntheticNode;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.gang.GangLabels;
import io.kubenexus.scheduler.kube.topology.GpuIslandsAnnotation;
import io.kubenexus.scheduler.kube.topology.NodeResourceTopologyTranslator;
import io.kubenexus.scheduler.kube.translate.NodeTranslator;
import io.kubenexus.scheduler.kube.translate.PodTranslator;
import io.kubenexus.scheduler.kube.translate.Translation;
import io.kubenexus.scheduler.numa.GpuInterconnect;
import io.kubenexus.scheduler.numa.NodeTopology;
import io.kubenexus.scheduler.numa.NumaPlugins;
import io.kubenexus.scheduler.numa.NumaSettings;
import io.kubenexus.scheduler.numa.NumaZones;
import io.kubenexus.scheduler.numa.TopologySource;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
     * A Spark driver counts when it and its executors cannot all be placed together. NUMA pods are
     * judged with the NUMA plugins on the nodes' idle zones (a pod that fits a node's totals but no
     * zone counts).
     */
    static int unschedulableOnEmptyCluster(List<PodSpecTemplate> pods, List<SparkApp> apps,
                                           List<NumaWorkload.NumaPod> numaPods, List<SyntheticNode> nodes,
                                           SchedulerSettings settings, String workloadScheduler) {
        ClusterState empty = numaAwareState();
        nodes.forEach(n -> empty.upsertNode(n.node()));
        NumaZones zones = empty.extension(NumaZones.class);
        for (SyntheticNode node : nodes) {
            NumaLayout layout = node.shape().numa();
            if (layout != null) {
                zones.setTopology(node.node().name(), TopologyObjects.idle(layout), TopologyObjects.interconnect(layout),
                        TopologySource.NODE_RESOURCE_TOPOLOGY);
            }
        }
        SchedulingAlgorithm algorithm = algorithm(settings);
        int count = 0;
        for (PodSpecTemplate pod : pods) {
            if (algorithm.schedule(pod.toPodInfo(workloadScheduler, Instant.EPOCH), empty)
                    instanceof Decision.Unschedulable) {
                count++;
            }
        }
        for (SparkApp app : apps) {
            if (!fitsTogether(gangMembers(app, workloadScheduler), empty, algorithm)) {
                count++;
            }
        }
        PodTranslator translator = new PodTranslator(workloadScheduler);
        for (NumaWorkload.NumaPod pod : numaPods) {
            if (algorithm.schedule(readable(translator, DemoObjects.numaPod(pod, workloadScheduler)), empty)
                    instanceof Decision.Unschedulable) {
                count++;
            }
        }
        return count;
    }

    /** {@link #unschedulableOnEmptyCluster} for a workload of the scheduler's own pods. */
    static int unschedulableOnEmptyCluster(List<PodSpecTemplate> pods, List<SparkApp> apps,
                                           List<NumaWorkload.NumaPod> numaPods, List<SyntheticNode> nodes,
                                           SchedulerSettings settings) {
        return unschedulableOnEmptyCluster(pods, apps, numaPods, nodes, settings, settings.schedulerName());
    }

    /** {@link #pendingThatWouldFit} for a workload of the scheduler's own pods. */
    static int pendingThatWouldFit(KubernetesClient client, String namespace, List<SparkApp> apps,
                                   SchedulerSettings settings, PrintStream progress) {
        return pendingThatWouldFit(client, namespace, apps, settings, settings.schedulerName(), progress);
    }

    /** A state that keeps per-zone accounting, as the scheduler's does. */
    private static ClusterState numaAwareState() {
        ClusterState state = new ClusterState();
        state.addExtension(new NumaZones(NumaSettings.defaults()));
        return state;
    }

    /** The production plugins with the NUMA filter and score, as the scheduler runs them. */
    private static SchedulingAlgorithm algorithm(SchedulerSettings settings) {
        return new SchedulingAlgorithm(NumaPlugins.profiles(NumaSettings.defaults()).create(settings), 100);
    }

    /**
     * Rebuilds a cluster state from the API objects alone and asks the production plugins whether any
     * pending pod would fit on its own, or, for a pending Spark driver, together with all its
     * executors: a pod or gang that would was missed by the scheduler.
     */
    static int pendingThatWouldFit(KubernetesClient client, String namespace, List<SparkApp> apps,
                                   SchedulerSettings settings, String workloadScheduler, PrintStream progress) {
        ClusterState state = numaAwareState();
        NodeTranslator nodeTranslator = new NodeTranslator();
        // Our annotations are read on the workload's pods, whichever scheduler they name (the extender does so too).
        PodTranslator podTranslator = new PodTranslator(workloadScheduler);
        List<Node> nodes = client.nodes().list().getItems();
        for (Node node : nodes) {
            if (nodeTranslator.translate(node) instanceof Translation.Valid<NodeInfo> valid) {
                state.upsertNode(valid.value());
            }
        }
        List<PodInfo> pending = new ArrayList<>();
        Map<String, List<PodInfo>> pendingGroups = new LinkedHashMap<>();
        Map<String, Integer> boundMembers = new HashMap<>();
        Map<String, Integer> minAvailable = new HashMap<>();
        for (Pod pod : client.pods().inAnyNamespace().list().getItems()) {
            if (KubeletLoop.isTerminal(pod)) {
                continue;
            }
            if (podTranslator.translate(pod) instanceof Translation.Valid<PodInfo> valid) {
                // Spark pods are judged with their application below; other groups' members together.
                String group = valid.value().labels().containsKey(GangLabels.SPARK_ROLE) ? null
                        : valid.value().labels().get(GangLabels.NAME);
                if (group != null) {
                    minAvailable.merge(group, minAvailable(valid.value().labels().get(GangLabels.MIN_AVAILABLE)),
                            Math::max);
                }
                if (valid.value().isAssigned()) {
                    state.upsertPod(valid.value());
                    if (group != null) {
                        boundMembers.merge(group, 1, Integer::sum);
                    }
                } else if (namespace.equals(valid.value().key().namespace())) {
                    if (group != null) {
                        pendingGroups.computeIfAbsent(group, g -> new ArrayList<>()).add(valid.value());
                    } else {
                        pending.add(valid.value());
                    }
                }
            }
        }
        // After the pods, so that the reports count the running ones, as they do for the scheduler.
        publishTopologies(client, nodes, state.extension(NumaZones.class));
        Map<String, SparkApp> appsByDriver = apps.stream()
                .collect(Collectors.toMap(SparkApp::driverPodName, Function.identity()));
        SchedulingAlgorithm algorithm = algorithm(settings);
        int fit = 0;
        for (Map.Entry<String, List<PodInfo>> group : pendingGroups.entrySet()) {
            int bound = boundMembers.getOrDefault(group.getKey(), 0);
            if (bound >= minAvailable.getOrDefault(group.getKey(), 1)) {
                // Members beyond min-available are placed on their own.
                pending.addAll(group.getValue());
            } else if (fitsTogether(group.getValue(), state, algorithm)) {
                fit++;
                progress.println("demo: MISSED pod group " + group.getKey() + ": its " + group.getValue().size()
                        + " pending members would fit together");
            }
        }
        for (PodInfo pod : pending) {
            SparkApp app = SparkObjects.DRIVER.equals(pod.labels().get(GangLabels.SPARK_ROLE))
                    ? appsByDriver.get(pod.key().name()) : null;
            if (app != null) {
                if (fitsTogether(gangMembers(app, workloadScheduler), state, algorithm)) {
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

    /** Every NodeResourceTopology the API holds, with its node's NVLink islands, into {@code zones}. */
    private static void publishTopologies(KubernetesClient client, List<Node> nodes, NumaZones zones) {
        Map<String, GpuInterconnect> islands = new HashMap<>();
        GpuIslandsAnnotation reader = new GpuIslandsAnnotation();
        for (Node node : nodes) {
            Map<String, String> annotations = node.getMetadata().getAnnotations();
            String value = annotations == null ? null : annotations.get(GpuIslandsAnnotation.KEY);
            if (value != null && reader.read(node.getMetadata().getName(), value)
                    instanceof Translation.Valid<GpuInterconnect> valid) {
                islands.put(node.getMetadata().getName(), valid.value());
            }
        }
        NodeResourceTopologyTranslator translator = new NodeResourceTopologyTranslator();
        for (GenericKubernetesResource nrt : client.genericKubernetesResources(
                NodeResourceTopologyTranslator.NODE_RESOURCE_TOPOLOGIES).list().getItems()) {
            if (translator.translate(nrt) instanceof Translation.Valid<NodeTopology> valid) {
                String name = nrt.getMetadata().getName();
                zones.setTopology(name, valid.value(), islands.get(name), TopologySource.NODE_RESOURCE_TOPOLOGY);
            }
        }
    }

    private static PodInfo readable(PodTranslator translator, Pod pod) {
        if (!(translator.translate(pod) instanceof Translation.Valid<PodInfo> valid)) {
            throw new IllegalStateException("the demo's own pod " + pod.getMetadata().getName() + " is unreadable");
        }
        return valid.value();
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
        PodTranslator translator = new PodTranslator(schedulerName);
        Pod driver = SparkObjects.driver(app, SparkObjects.sparkApplication(app, schedulerName), schedulerName);
        List<Pod> pods = new ArrayList<>(app.minAvailable());
        pods.add(driver);
        for (int id = 1; id <= app.executors(); id++) {
            pods.add(SparkObjects.executor(app, id, driver, schedulerName));
        }
        List<PodInfo> members = new ArrayList<>(pods.size());
        for (Pod pod : pods) {
            members.add(readable(translator, pod));
        }
        return members;
    }

    /** A member without a readable min-available is a group of itself. */
    private static int minAvailable(String label) {
        try {
            return label == null ? 1 : Math.max(1, Integer.parseInt(label.trim()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
