package io.kubenexus.scheduler.app.demo;

import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.numa.Admission;
import io.kubenexus.scheduler.numa.ContainerRequest;
import io.kubenexus.scheduler.numa.KubeletAdmission;
import io.kubenexus.scheduler.numa.NodeTopology;
import io.kubenexus.scheduler.numa.NumaMask;
import io.kubenexus.scheduler.numa.NumaPolicy;
import io.kubenexus.scheduler.numa.NumaRequest;
import io.kubenexus.scheduler.numa.NumaZone;
import io.kubenexus.scheduler.numa.TopologyManagerPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The kubelets of the demo's nodes with a NUMA topology, as far as NUMA goes: each node's true
 * per-zone state, kept here and nowhere else (the scheduler sees it only through the reports
 * {@link KubeletLoop} publishes, late). A pod bound to such a node is admitted by the Topology
 * Manager model ({@link KubeletAdmission}) against that true state; when admitted, its aligned
 * resources are taken from the zones of its affinity, lowest id first (the model's own allocation
 * rule), and given back when it ends.
 *
 * <p>Each admission is also judged for the audit, against the state it was made on: a pod that
 * required alignment ({@code single-numa}, {@code isolated}, {@code restricted}) is
 * {@link Alignment#ALIGNED} when its listed resources were all available in the zones it was pinned
 * to (one zone, or a minimal set for {@code restricted}), and for {@code isolated} no other pod held
 * resources in that zone. A pod of any policy whose resources land in a zone an isolated pod holds
 * breaks that isolation and is {@link Alignment#MISALIGNED}.
 *
 * <p>Thread-safe: every method is synchronized.
 */
final class SimulatedKubelet {
    private static final KubeletAdmission MODEL = new KubeletAdmission();
    private static final long MILLIS_PER_CORE = 1000;

    /** How a pod's placement met its NUMA policy. */
    enum Alignment {
        /** No policy, or {@code best-effort}, and no isolation broken. */
        NOT_REQUIRED,
        ALIGNED,
        MISALIGNED
    }

    /**
     * One admission.
     *
     * @param policy    the pod's NUMA policy, or null
     * @param admitted  false: the kubelet failed the pod ({@code TopologyAffinityError})
     * @param reason    the rejection reason; empty when admitted
     * @param zones     the zones its aligned resources were taken from; empty when none were
     * @param problem   why it is {@link Alignment#MISALIGNED}; empty otherwise
     */
    record Outcome(PodKey pod, String node, NumaPolicy policy, boolean admitted, String reason, NumaMask zones,
                   Alignment alignment, String problem) {
    }

    /** One node's true state. */
    private static final class NodeState {
        final NodeTopology idle;
        /** Resource to free amount per zone index. */
        final Map<String, long[]> available = new TreeMap<>();
        final Map<PodKey, Map<String, long[]>> allocations = new LinkedHashMap<>();
        /** Zone index to the isolated pod holding it. */
        final Map<Integer, PodKey> isolatedBy = new HashMap<>();
        boolean changed;

        NodeState(NodeTopology idle) {
            this.idle = idle;
            List<NumaZone> zones = idle.zones();
            for (int z = 0; z < zones.size(); z++) {
                for (Map.Entry<String, Long> e : zones.get(z).available().entrySet()) {
                    available.computeIfAbsent(e.getKey(), r -> new long[zones.size()])[z] = e.getValue();
                }
            }
        }

        NodeTopology current() {
            List<NumaZone> zones = new ArrayList<>(idle.zones().size());
            for (int z = 0; z < idle.zones().size(); z++) {
                Map<String, Long> free = new TreeMap<>();
                for (Map.Entry<String, long[]> e : available.entrySet()) {
                    free.put(e.getKey(), e.getValue()[z]);
                }
                zones.add(idle.zones().get(z).withAvailable(free));
            }
            return new NodeTopology(zones, idle.policy(), idle.scope());
        }

        int zoneCount() {
            return idle.zones().size();
        }

        boolean heldByOthers(int zone, PodKey pod) {
            for (Map.Entry<PodKey, Map<String, long[]>> e : allocations.entrySet()) {
                if (!e.getKey().equals(pod) && e.getValue().values().stream().anyMatch(a -> a[zone] > 0)) {
                    return true;
                }
            }
            return false;
        }
    }

    private final Map<String, NodeState> nodes = new LinkedHashMap<>();
    private final Map<PodKey, String> nodeOfPod = new HashMap<>();
    private final Map<PodKey, Outcome> outcomes = new LinkedHashMap<>();

    /** @param topologies each node's topology when idle (available equal to allocatable), by node name */
    SimulatedKubelet(Map<String, NodeTopology> topologies) {
        topologies.forEach((name, topology) -> nodes.put(name, new NodeState(topology)));
    }

    synchronized boolean hasTopology(String nodeName) {
        return nodes.containsKey(nodeName);
    }

    synchronized Set<String> nodeNames() {
        return new LinkedHashSet<>(nodes.keySet());
    }

    /**
     * Admits a pod bound to {@code nodeName} as its kubelet would, taking its aligned resources from
     * the node's zones. Idempotent: a pod already admitted (or rejected) gets its first outcome back.
     *
     * @param containers the pod's app containers in spec order, amounts in scheduler units
     * @param request    the pod's NUMA request, or null
     * @throws IllegalArgumentException if the node has no topology here
     */
    synchronized Outcome admit(PodKey pod, String nodeName, List<ContainerRequest> containers, boolean guaranteed,
                               NumaRequest request) {
        Outcome previous = outcomes.get(pod);
        if (previous != null && nodeName.equals(previous.node())) {
            return previous;
        }
        NodeState node = nodes.get(nodeName);
        if (node == null) {
            throw new IllegalArgumentException("node " + nodeName + " has no NUMA topology in this simulation");
        }
        NumaPolicy policy = request == null ? null : request.policy();
        Admission admission = MODEL.admit(node.current(), containers, guaranteed);
        Outcome outcome;
        if (!admission.admitted()) {
            outcome = new Outcome(pod, nodeName, policy, false, admission.reason(), NumaMask.EMPTY,
                    policy != null && policy.isRequired() ? Alignment.MISALIGNED : Alignment.NOT_REQUIRED,
                    policy != null && policy.isRequired() ? "rejected by the kubelet: " + admission.reason() : "");
        } else {
            Map<String, long[]> taken = allocation(node, containers, guaranteed, admission.affinityPerContainer());
            NumaMask zones = zonesOf(node, taken);
            String problem = policy == null ? null : policyProblem(node, pod, policy, request, totals(containers), zones);
            String broken = isolationBroken(node, pod, zones);
            problem = problem != null ? problem : broken;
            Alignment alignment = problem != null ? Alignment.MISALIGNED
                    : policy != null && policy.isRequired() ? Alignment.ALIGNED : Alignment.NOT_REQUIRED;
            taken.forEach((resource, amounts) -> {
                long[] free = node.available.get(resource);
                for (int z = 0; z < amounts.length; z++) {
                    free[z] -= amounts[z];
                }
            });
            if (!taken.isEmpty()) {
                node.allocations.put(pod, taken);
                node.changed = true;
            }
            if (policy == NumaPolicy.ISOLATED && zones.count() == 1) {
                node.isolatedBy.put(indexOf(node, zones.zones()[0]), pod);
            }
            nodeOfPod.put(pod, nodeName);
            outcome = new Outcome(pod, nodeName, policy, true, "", zones, alignment, problem == null ? "" : problem);
        }
        outcomes.put(pod, outcome);
        return outcome;
    }

    /** Gives back what the pod holds (it ended or was deleted); false when it held nothing. */
    synchronized boolean release(PodKey pod) {
        String nodeName = nodeOfPod.remove(pod);
        NodeState node = nodeName == null ? null : nodes.get(nodeName);
        if (node == null) {
            return false;
        }
        node.isolatedBy.values().removeIf(pod::equals);
        Map<String, long[]> taken = node.allocations.remove(pod);
        if (taken == null) {
            return false;
        }
        taken.forEach((resource, amounts) -> {
            long[] free = node.available.get(resource);
            for (int z = 0; z < amounts.length; z++) {
                free[z] += amounts[z];
            }
        });
        node.changed = true;
        return true;
    }

    /** The node's zones with their true available amounts now. */
    synchronized NodeTopology current(String nodeName) {
        NodeState node = nodes.get(nodeName);
        if (node == null) {
            throw new IllegalArgumentException("node " + nodeName + " has no NUMA topology in this simulation");
        }
        return node.current();
    }

    /** Nodes whose available amounts changed since the last call, with their state now. */
    synchronized Map<String, NodeTopology> takeChanged() {
        Map<String, NodeTopology> changed = new LinkedHashMap<>();
        nodes.forEach((name, node) -> {
            if (node.changed) {
                node.changed = false;
                changed.put(name, node.current());
            }
        });
        return changed;
    }

    /** Every admission so far, in order. */
    synchronized List<Outcome> outcomes() {
        return List.copyOf(outcomes.values());
    }

    synchronized Outcome outcome(PodKey pod) {
        return outcomes.get(pod);
    }

    // ------------------------------------------------------------------ allocation

    /**
     * What the pod's containers take per resource and zone: the aligned requests (exclusive whole
     * cores and memory for a Guaranteed pod, devices the zones report for any pod), each from its
     * container's affinity zones first, then the others, lowest id first, container after container.
     */
    private static Map<String, long[]> allocation(NodeState node, List<ContainerRequest> containers,
                                                  boolean guaranteed, Map<String, NumaMask> affinities) {
        Map<String, long[]> taken = new TreeMap<>();
        if (node.idle.policy() == TopologyManagerPolicy.NONE) {
            return taken;
        }
        Map<String, long[]> free = new TreeMap<>();
        node.available.forEach((resource, amounts) -> free.put(resource, amounts.clone()));
        List<Integer> zoneIds = node.idle.zones().stream().map(NumaZone::id).toList();
        for (ContainerRequest container : containers) {
            NumaMask affinity = affinities.getOrDefault(container.name(), node.idle.allZones());
            List<Integer> order = new ArrayList<>();
            for (int z = 0; z < zoneIds.size(); z++) {
                if (affinity.contains(zoneIds.get(z))) {
                    order.add(z);
                }
            }
            for (int z = 0; z < zoneIds.size(); z++) {
                if (!affinity.contains(zoneIds.get(z))) {
                    order.add(z);
                }
            }
            for (Map.Entry<String, Long> request : new TreeMap<>(container.requests()).entrySet()) {
                String resource = request.getKey();
                long amount = request.getValue();
                if (amount <= 0 || !isAligned(node, resource, amount, guaranteed)) {
                    continue;
                }
                long unit = ResourceNames.CPU.equals(resource) ? MILLIS_PER_CORE : 1;
                long[] zoneFree = free.get(resource);
                long[] mine = taken.computeIfAbsent(resource, r -> new long[zoneIds.size()]);
                long remaining = amount;
                for (int z : order) {
                    long take = Math.min(remaining, zoneFree[z] / unit * unit);
                    zoneFree[z] -= take;
                    mine[z] += take;
                    remaining -= take;
                }
            }
        }
        taken.values().removeIf(amounts -> Arrays.stream(amounts).allMatch(a -> a == 0));
        return taken;
    }

    /** Whether a hint provider aligns this request (the static CPU and memory managers, the device manager). */
    private static boolean isAligned(NodeState node, String resource, long amount, boolean guaranteed) {
        if (!node.available.containsKey(resource)) {
            return false;
        }
        if (ResourceNames.CPU.equals(resource)) {
            return guaranteed && amount % MILLIS_PER_CORE == 0;
        }
        if (ResourceNames.MEMORY.equals(resource) || resource.startsWith("hugepages-")) {
            return guaranteed;
        }
        return true;
    }

    private static NumaMask zonesOf(NodeState node, Map<String, long[]> taken) {
        NumaMask zones = NumaMask.EMPTY;
        for (long[] amounts : taken.values()) {
            for (int z = 0; z < amounts.length; z++) {
                if (amounts[z] > 0) {
                    zones = zones.or(NumaMask.of(node.idle.zones().get(z).id()));
                }
            }
        }
        return zones;
    }

    private static int indexOf(NodeState node, int zoneId) {
        for (int z = 0; z < node.zoneCount(); z++) {
            if (node.idle.zones().get(z).id() == zoneId) {
                return z;
            }
        }
        throw new IllegalArgumentException("no zone " + zoneId);
    }

    // ------------------------------------------------------------------ judging alignment

    /** Why the pod's placement does not meet its required policy, or null when it does (or none is required). */
    private static String policyProblem(NodeState node, PodKey pod, NumaPolicy policy, NumaRequest request,
                                        Map<String, Long> totals, NumaMask pinned) {
        if (!policy.isRequired()) {
            return null;
        }
        Map<String, Long> listed = new TreeMap<>();
        for (String resource : request.resources()) {
            long amount = totals.getOrDefault(resource, 0L);
            if (amount > 0) {
                listed.put(resource, amount);
            }
        }
        if (policy.isSingleZone()) {
            if (pinned.count() > 1) {
                return "pinned to zones " + pinned + ", not one";
            }
            List<Integer> candidates = new ArrayList<>();
            for (int z = 0; z < node.zoneCount(); z++) {
                if (pinned.isEmpty() || pinned.contains(node.idle.zones().get(z).id())) {
                    candidates.add(z);
                }
            }
            String last = null;
            for (int z : candidates) {
                String shortOf = shortOf(node, listed, List.of(z));
                if (shortOf != null) {
                    last = "zone " + node.idle.zones().get(z).id() + " had " + shortOf;
                } else if (policy == NumaPolicy.ISOLATED && node.heldByOthers(z, pod)) {
                    last = "zone " + node.idle.zones().get(z).id() + " was held by another aligned pod";
                } else {
                    return null;
                }
            }
            return last == null ? "no zone" : last;
        }
        // restricted: a set of exactly the minimal width of every listed resource must hold them all.
        int width = -1;
        for (Map.Entry<String, Long> e : listed.entrySet()) {
            int w = minimalWidth(node.idle, e.getKey(), e.getValue());
            if (width >= 0 && w != width) {
                return "listed resources need different minimal numbers of zones";
            }
            width = w;
        }
        if (width <= 0) {
            return listed.isEmpty() ? null : "a listed resource fits no set of zones";
        }
        if (!pinned.isEmpty()) {
            if (pinned.count() != width) {
                return "pinned to zones " + pinned + ", the minimal width is " + width;
            }
            List<Integer> set = new ArrayList<>();
            for (int zone : pinned.zones()) {
                set.add(indexOf(node, zone));
            }
            String shortOf = shortOf(node, listed, set);
            return shortOf == null ? null : "zones " + pinned + " had " + shortOf;
        }
        for (NumaMask set : node.idle.allZones().nonEmptySubsets()) {
            if (set.count() == width) {
                List<Integer> indexes = Arrays.stream(set.zones()).mapToObj(id -> indexOf(node, id)).toList();
                if (shortOf(node, listed, indexes) == null) {
                    return null;
                }
            }
        }
        return "no set of " + width + " zones held the listed resources";
    }

    /** What the zones together lacked of the listed resources, e.g. "2 nvidia.com/gpu free of 4", or null. */
    private static String shortOf(NodeState node, Map<String, Long> listed, List<Integer> zones) {
        for (Map.Entry<String, Long> e : listed.entrySet()) {
            long[] free = node.available.get(e.getKey());
            long sum = 0;
            for (int z : zones) {
                sum += free == null ? 0 : free[z];
            }
            if (sum < e.getValue()) {
                return sum + " " + e.getKey() + " free of " + e.getValue() + " requested";
            }
        }
        return null;
    }

    /** The fewest zones that could hold the amount on the empty node (capacity; allocatable for memory). */
    private static int minimalWidth(NodeTopology idle, String resource, long amount) {
        boolean memory = ResourceNames.MEMORY.equals(resource) || resource.startsWith("hugepages-");
        List<Long> sizes = idle.zones().stream()
                .map(z -> memory ? z.allocatableOf(resource) : z.capacityOf(resource))
                .sorted((a, b) -> Long.compare(b, a)).toList();
        long sum = 0;
        for (int i = 0; i < sizes.size(); i++) {
            sum += sizes.get(i);
            if (sum >= amount) {
                return i + 1;
            }
        }
        return -1;
    }

    /** A pod whose resources land in a zone an isolated pod holds breaks that pod's isolation. */
    private static String isolationBroken(NodeState node, PodKey pod, NumaMask zones) {
        for (int zone : zones.zones()) {
            PodKey holder = node.isolatedBy.get(indexOf(node, zone));
            if (holder != null && !holder.equals(pod)) {
                return "joined zone " + zone + ", which isolated pod " + holder + " holds";
            }
        }
        return null;
    }

    private static Map<String, Long> totals(List<ContainerRequest> containers) {
        Map<String, Long> totals = new TreeMap<>();
        for (ContainerRequest container : containers) {
            container.requests().forEach((resource, amount) -> totals.merge(resource, amount, Long::sum));
        }
        return totals;
    }
}
