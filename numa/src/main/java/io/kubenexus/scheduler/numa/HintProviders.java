package io.kubenexus.scheduler.numa;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Topology hints as the kubelet's hint providers generate them from NRT zone amounts: the static
 * CPU manager ({@code cpumanager/policy_static.go generateCPUTopologyHints}), the device manager
 * ({@code devicemanager/topology_hints.go generateDeviceTopologyHints}) and the Static memory
 * manager ({@code memorymanager/policy_static.go calculateHints}).
 *
 * <p>All three: a hint for every zone set whose free amount covers the request; preferred when the
 * set has the minimal number of zones that could cover the request <em>on an empty machine</em>.
 * So a request that needs two zones only because one is partly used gets no preferred hint.
 */
final class HintProviders {

    private static final long MILLIS_PER_CORE = 1000L;

    private HintProviders() {
    }

    /** Static CPU manager: {@code cores} exclusive CPUs; counts whole CPUs per zone. */
    static List<TopologyHint> cpuHints(NodeTopology node, long cores) {
        return minimalSetHints(node,
                mask -> sum(node, mask, z -> z.capacityOf("cpu") / MILLIS_PER_CORE) >= cores,
                mask -> sum(node, mask, z -> z.availableOf("cpu") / MILLIS_PER_CORE) >= cores);
    }

    /** Device manager: {@code count} devices of {@code resource}, minimal width from all devices. */
    static List<TopologyHint> deviceHints(NodeTopology node, String resource, long count) {
        return minimalSetHints(node,
                mask -> sum(node, mask, z -> z.capacityOf(resource)) >= count,
                mask -> sum(node, mask, z -> z.availableOf(resource)) >= count);
    }

    /**
     * Static memory manager: one zone set must hold every requested memory type ({@code memory},
     * {@code hugepages-*}) at once; the same list serves each type. Empty when nothing fits.
     */
    static List<TopologyHint> memoryHints(NodeTopology node, Map<String, Long> memoryRequests) {
        return minimalSetHints(node,
                mask -> memoryRequests.entrySet().stream().allMatch(
                        e -> sum(node, mask, z -> z.allocatableOf(e.getKey())) >= e.getValue()),
                mask -> memoryRequests.entrySet().stream().allMatch(
                        e -> sum(node, mask, z -> z.availableOf(e.getKey())) >= e.getValue()));
    }

    private interface MaskTest {
        boolean test(NumaMask mask);
    }

    private static List<TopologyHint> minimalSetHints(NodeTopology node, MaskTest fitsWhenEmpty, MaskTest fitsNow) {
        NumaMask all = node.allZones();
        int minAffinitySize = all.count();
        List<NumaMask> possible = new ArrayList<>();
        for (NumaMask mask : all.nonEmptySubsets()) {
            if (fitsWhenEmpty.test(mask)) {
                minAffinitySize = Math.min(minAffinitySize, mask.count());
            }
            if (fitsNow.test(mask)) {
                possible.add(mask);
            }
        }
        List<TopologyHint> hints = new ArrayList<>(possible.size());
        for (NumaMask mask : possible) {
            hints.add(TopologyHint.of(mask, mask.count() == minAffinitySize));
        }
        return List.copyOf(hints);
    }

    private static long sum(NodeTopology node, NumaMask mask, ToLongFunction<NumaZone> amount) {
        long total = 0;
        for (NumaZone zone : node.zones()) {
            if (mask.contains(zone.id())) {
                total += amount.applyAsLong(zone);
            }
        }
        return total;
    }
}
