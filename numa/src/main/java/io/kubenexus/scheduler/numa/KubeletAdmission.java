package io.kubenexus.scheduler.numa;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Predicts the kubelet Topology Manager's admission of a pod on a node from the node's
 * NodeResourceTopology, so the scheduler never binds a pod the kubelet then fails with
 * {@code TopologyAffinityError}. Stateless and thread-safe.
 *
 * <p>Mirrors kubelet {@code pkg/kubelet/cm/topologymanager}: {@code scope_container.go},
 * {@code scope_pod.go}, {@code policy.go}, {@code policy_best_effort.go},
 * {@code policy_restricted.go}, {@code policy_single_numa_node.go}, and the hint providers (see
 * {@link HintProviders}).
 *
 * <h2>What is modelled</h2>
 * <ul>
 *   <li>Hint providers. The node is assumed to run the {@code static} CPU manager and the
 *       {@code Static} memory manager whenever its policy is not {@code none}: NRT exporters
 *       report meaningful per-zone CPU and memory only for such nodes. Then
 *       <ul>
 *         <li>{@code cpu} is aligned only for a Guaranteed pod and a container whose request is a
 *             whole number of cores (exclusive CPUs); other CPU comes from the shared pool;</li>
 *         <li>{@code memory} and {@code hugepages-*} are aligned only for Guaranteed pods, jointly
 *             (one zone set must hold all of them);</li>
 *         <li>any other requested resource that the zones report (e.g. {@code nvidia.com/gpu}) is a
 *             device aligned for every QoS class.</li>
 *       </ul>
 *       With the {@code none} CPU manager, cpu gets no hints; with the {@code None} memory manager,
 *       memory and hugepages get none: callers on such nodes should drop those resources from the
 *       requests (this model would otherwise be stricter than the kubelet, never looser).</li>
 *   <li>Hints: every zone set whose free amount covers the request; preferred when its size is the
 *       minimum that would cover the request on an empty node (capacity for cpu and devices,
 *       allocatable for memory). A cpu or device request no zone set can cover yields no hints,
 *       hence the kubelet's {@code {any, not preferred}}; for memory the kubelet instead reports
 *       "no preference" and fails later in allocation, which we report as
 *       {@code UnexpectedAdmissionError}.</li>
 *   <li>Merge: the cross product of the per-resource hints, AND of masks, preferred only when every
 *       hint is preferred <em>and</em> all masks are equal; best = preferred over not, then
 *       narrowest; among non-preferred ones, the width closest to the widest resource's narrowest
 *       hint. {@code single-numa-node} first keeps only preferred single-zone hints.</li>
 *   <li>Policies: {@code none} admits without affinity; {@code best-effort} always admits with the
 *       best hint; {@code restricted} and {@code single-numa-node} admit only a preferred best
 *       hint.</li>
 *   <li>Container scope: containers are admitted in order; each takes its aligned resources from
 *       the zones' available amounts before the next is evaluated. Simplification of the kubelet's
 *       allocators: we take from the affinity's zones, lowest id first, then from the other zones
 *       lowest id first (the kubelet's CPU manager picks by socket/core topology instead). Pod scope:
 *       one hint for the summed requests, shared by every container. Either way, an aligned request
 *       the zones cannot supply at all is rejected as the allocation failure it would be.</li>
 * </ul>
 *
 * <h2>What is not modelled</h2>
 * Init and sidecar containers (callers pass app containers only; an init container larger than the
 * app containers can make the kubelet stricter than this model); pod-level resources; CPU manager
 * options ({@code full-pcpus-only}, {@code distribute-cpus-across-numa}, ...); Topology Manager
 * options ({@code prefer-closest-numa-nodes} changes only which equal-width set is picked, not
 * admission); the memory manager's rule that zones used by a single-zone allocation cannot join a
 * multi-zone one (NRT does not publish those groups); devices attached to several zones; hints
 * regenerated for already-allocated containers after a kubelet restart.
 */
public final class KubeletAdmission {

    private static final long MILLIS_PER_CORE = 1000L;
    private static final String TOPOLOGY_AFFINITY_ERROR =
            "TopologyAffinityError: resources cannot be allocated with Topology locality";

    private enum Provider { CPU_MANAGER, MEMORY_MANAGER, DEVICE_MANAGER }

    /** A request some hint provider aligns; amounts in scheduler units. */
    private record Aligned(String resource, Provider provider, long amount) {
    }

    /** Either an affinity or a rejection reason. */
    private record Alignment(NumaMask affinity, String rejection) {
    }

    /**
     * Predicts whether the kubelet on {@code node} admits a pod with these app containers.
     *
     * @param node       the node's topology, policy and scope
     * @param containers the pod's app containers, in spec order, with distinct names
     * @param guaranteed whether the pod's QoS class is Guaranteed
     */
    public Admission admit(NodeTopology node, List<ContainerRequest> containers, boolean guaranteed) {
        if (node == null || containers == null) {
            throw new IllegalArgumentException("node and containers must not be null");
        }
        Set<String> names = new HashSet<>();
        for (ContainerRequest container : containers) {
            if (!names.add(container.name())) {
                throw new IllegalArgumentException("duplicate container name " + container.name());
            }
        }
        if (node.policy() == TopologyManagerPolicy.NONE) {
            return Admission.admit(Map.of());
        }
        Map<String, long[]> free = freeAmounts(node);
        Map<String, NumaMask> affinities = new LinkedHashMap<>();
        if (node.scope() == TopologyManagerScope.CONTAINER) {
            for (ContainerRequest container : containers) {
                String subject = "container " + container.name();
                List<Aligned> aligned = aligned(node, container.requests(), guaranteed);
                Alignment alignment = align(withAvailable(node, free), aligned, subject);
                if (alignment.rejection() != null) {
                    return Admission.reject(alignment.rejection());
                }
                String failure = allocate(node, free, aligned, alignment.affinity(), subject);
                if (failure != null) {
                    return Admission.reject(failure);
                }
                affinities.put(container.name(), alignment.affinity());
            }
            return Admission.admit(affinities);
        }
        Alignment alignment = align(node, podAligned(node, containers, guaranteed), "pod");
        if (alignment.rejection() != null) {
            return Admission.reject(alignment.rejection());
        }
        for (ContainerRequest container : containers) {
            String failure = allocate(node, free, aligned(node, container.requests(), guaranteed),
                    alignment.affinity(), "container " + container.name());
            if (failure != null) {
                return Admission.reject(failure);
            }
            affinities.put(container.name(), alignment.affinity());
        }
        return Admission.admit(affinities);
    }

    /** The requests some hint provider would align, sorted by resource name. */
    private static List<Aligned> aligned(NodeTopology node, Map<String, Long> requests, boolean guaranteed) {
        List<Aligned> aligned = new ArrayList<>();
        for (Map.Entry<String, Long> request : new TreeMap<>(requests).entrySet()) {
            String resource = request.getKey();
            long amount = request.getValue();
            Provider provider = providerOf(node, resource);
            if (amount <= 0 || provider == null) {
                continue;
            }
            boolean hinted = switch (provider) {
                // guaranteedCPUs(): fractional requests run in the shared pool.
                case CPU_MANAGER -> guaranteed && amount % MILLIS_PER_CORE == 0;
                case MEMORY_MANAGER -> guaranteed;
                case DEVICE_MANAGER -> true;
            };
            if (hinted) {
                aligned.add(new Aligned(resource, provider, amount));
            }
        }
        return aligned;
    }

    /** Pod scope: per-resource sums of what each container would align (the kubelet's pod requests). */
    private static List<Aligned> podAligned(NodeTopology node, List<ContainerRequest> containers, boolean guaranteed) {
        Map<String, Aligned> sums = new TreeMap<>();
        for (ContainerRequest container : containers) {
            for (Aligned a : aligned(node, container.requests(), guaranteed)) {
                sums.merge(a.resource(), a, (x, y) -> new Aligned(x.resource(), x.provider(), x.amount() + y.amount()));
            }
        }
        return List.copyOf(sums.values());
    }

    private static Provider providerOf(NodeTopology node, String resource) {
        if (resource.equals("cpu")) {
            return Provider.CPU_MANAGER;
        }
        if (resource.equals("memory") || resource.startsWith("hugepages-")) {
            return Provider.MEMORY_MANAGER;
        }
        // Only resources the zones report have NUMA affinity; others get no hints (device without topology).
        for (NumaZone zone : node.zones()) {
            if (zone.capacity().containsKey(resource)) {
                return Provider.DEVICE_MANAGER;
            }
        }
        return null;
    }

    private static Alignment align(NodeTopology node, List<Aligned> aligned, String subject) {
        Map<String, List<TopologyHint>> hints = new TreeMap<>();
        Map<String, Long> memory = new TreeMap<>();
        for (Aligned a : aligned) {
            switch (a.provider()) {
                case CPU_MANAGER -> hints.put(a.resource(), HintProviders.cpuHints(node, a.amount() / MILLIS_PER_CORE));
                case DEVICE_MANAGER -> hints.put(a.resource(), HintProviders.deviceHints(node, a.resource(), a.amount()));
                case MEMORY_MANAGER -> memory.put(a.resource(), a.amount());
            }
        }
        if (!memory.isEmpty()) {
            List<TopologyHint> memoryHints = HintProviders.memoryHints(node, memory);
            // No fitting set: the memory manager returns no hints ("no preference") and fails in allocate.
            if (!memoryHints.isEmpty()) {
                memory.keySet().forEach(resource -> hints.put(resource, memoryHints));
            }
        }
        NumaMask all = node.allZones();
        TopologyHint best = HintMerger.merge(List.copyOf(hints.values()), all, node.policy());
        if (node.policy() == TopologyManagerPolicy.BEST_EFFORT || best.preferred()) {
            return new Alignment(best.zonesWithin(all), null);
        }
        return new Alignment(null, TOPOLOGY_AFFINITY_ERROR + ": " + subject + ": " + explain(hints, node.policy())
                + " (policy " + node.policy() + ", scope " + node.scope() + ")");
    }

    /** Which resources kept the merged hint from being preferred. */
    private static String explain(Map<String, List<TopologyHint>> hints, TopologyManagerPolicy policy) {
        boolean single = policy == TopologyManagerPolicy.SINGLE_NUMA_NODE;
        List<String> problems = new ArrayList<>();
        hints.forEach((resource, list) -> {
            if (list.isEmpty()) {
                problems.add(resource + " does not fit the free amount of any set of NUMA zones");
            } else if (single && list.stream().noneMatch(h -> h.preferred() && h.mask().count() == 1)) {
                problems.add(resource + " cannot be satisfied from a single NUMA zone");
            } else if (list.stream().noneMatch(TopologyHint::preferred)) {
                problems.add(resource + " fits only sets of NUMA zones wider than the minimal one");
            }
        });
        if (problems.isEmpty()) {
            problems.add("no " + (single ? "single NUMA zone" : "minimal set of NUMA zones") + " is shared by "
                    + String.join(", ", hints.keySet()));
        }
        return String.join("; ", problems);
    }

    /**
     * Takes the aligned requests from {@code free}: affinity zones first, then the others, lowest id
     * first; whole cores for cpu. Returns the failure reason, or null.
     */
    private static String allocate(NodeTopology node, Map<String, long[]> free, List<Aligned> aligned,
                                   NumaMask affinity, String subject) {
        List<NumaZone> zones = node.zones();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < zones.size(); i++) {
            if (affinity.contains(zones.get(i).id())) {
                order.add(i);
            }
        }
        for (int i = 0; i < zones.size(); i++) {
            if (!affinity.contains(zones.get(i).id())) {
                order.add(i);
            }
        }
        for (Aligned a : aligned) {
            long unit = a.provider() == Provider.CPU_MANAGER ? MILLIS_PER_CORE : 1L;
            long[] amounts = free.computeIfAbsent(a.resource(), r -> new long[zones.size()]);
            long totalFree = 0;
            for (long amount : amounts) {
                totalFree += amount / unit * unit;
            }
            if (totalFree < a.amount()) {
                return "UnexpectedAdmissionError: allocate failed for " + subject + ": not enough free "
                        + a.resource() + " in the NUMA zones (requested " + a.amount() + ", free " + totalFree + ")";
            }
            long remaining = a.amount();
            for (int i : order) {
                long take = Math.min(remaining, amounts[i] / unit * unit);
                amounts[i] -= take;
                remaining -= take;
            }
        }
        return null;
    }

    private static Map<String, long[]> freeAmounts(NodeTopology node) {
        Map<String, long[]> free = new TreeMap<>();
        List<NumaZone> zones = node.zones();
        for (int i = 0; i < zones.size(); i++) {
            for (Map.Entry<String, Long> e : zones.get(i).available().entrySet()) {
                free.computeIfAbsent(e.getKey(), r -> new long[zones.size()])[i] = e.getValue();
            }
        }
        return free;
    }

    private static NodeTopology withAvailable(NodeTopology node, Map<String, long[]> free) {
        List<NumaZone> zones = new ArrayList<>(node.zones().size());
        for (int i = 0; i < node.zones().size(); i++) {
            Map<String, Long> available = new TreeMap<>();
            for (Map.Entry<String, long[]> e : free.entrySet()) {
                available.put(e.getKey(), e.getValue()[i]);
            }
            zones.add(node.zones().get(i).withAvailable(available));
        }
        return new NodeTopology(zones, node.policy(), node.scope());
    }
}
