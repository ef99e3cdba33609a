package io.kubenexus.scheduler.numa;

import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.testing.NodeFixture;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fluent node topologies in scheduler units: {@code gpuNode().freeGpus(0, 0).freeCores(1, 4)} or
 * {@code zones(4).eachZoneCores(16).eachZoneMemoryGi(64).policy(RESTRICTED).scope(POD)}. Every zone
 * has the same capacity (= allocatable); {@code free...} sets one zone's reported {@code available}.
 * Each shape method returns a fresh builder, so cases may change it freely.
 */
final class TopologyFixture {
    static final long GI = 1L << 30;
    static final String CPU = "cpu";
    static final String MEMORY = "memory";
    static final String GPU = "nvidia.com/gpu";

    private final int zoneCount;
    private final Map<String, Long> eachZone = new LinkedHashMap<>();
    private final Map<Integer, Map<String, Long>> allocatable = new TreeMap<>();
    private final Map<Integer, Map<String, Long>> available = new TreeMap<>();
    private final List<GpuIsland> islands = new ArrayList<>();
    private TopologyManagerPolicy policy = TopologyManagerPolicy.NONE;
    private TopologyManagerScope scope = TopologyManagerScope.CONTAINER;

    private TopologyFixture(int zoneCount) {
        this.zoneCount = zoneCount;
    }

    /** {@code count} empty zones with ids 0..count-1, kubelet policy none, scope container. */
    static TopologyFixture zones(int count) {
        return new TopologyFixture(count);
    }

    /**
     * The 8-GPU training node: 2 zones x {48 cores, 512Gi, 4 GPUs}, kubelet single-numa-node with
     * container scope, NVLink islands nvl0 (zone 0) and nvl1 (zone 1) of 4 GPUs each.
     */
    static TopologyFixture gpuNode() {
        return zones(2).eachZoneCores(48).eachZoneMemoryGi(512).eachZoneGpus(4)
                .policy(TopologyManagerPolicy.SINGLE_NUMA_NODE).scope(TopologyManagerScope.CONTAINER)
                .island("nvl0", 0, 4).island("nvl1", 1, 4);
    }

    /** The CPU node: 4 zones x {16 cores, 64Gi}, kubelet restricted with pod scope. */
    static TopologyFixture cpuNode() {
        return zones(4).eachZoneCores(16).eachZoneMemoryGi(64)
                .policy(TopologyManagerPolicy.RESTRICTED).scope(TopologyManagerScope.POD);
    }

    /** A node without topology, as large as the GPU node. */
    static NodeInfo plainNode(String name) {
        return NodeFixture.node(name).cpu(96).memoryGi(1024).gpus(8).pods(110).build();
    }

    // ------------------------------------------------------------------ zones

    TopologyFixture eachZone(String resource, long amount) {
        eachZone.put(resource, amount);
        return this;
    }

    TopologyFixture eachZoneCores(double cores) {
        return eachZone(CPU, Math.round(cores * 1000));
    }

    TopologyFixture eachZoneMemoryGi(long gib) {
        return eachZone(MEMORY, gib * GI);
    }

    TopologyFixture eachZoneGpus(long gpus) {
        return eachZone(GPU, gpus);
    }

    /** The zone's {@code allocatable} of {@code resource} (and its available, unless set). */
    TopologyFixture allocatable(int zone, String resource, long amount) {
        allocatable.computeIfAbsent(zone, z -> new LinkedHashMap<>()).put(resource, amount);
        return this;
    }

    /** The zone's reported {@code available} amount of {@code resource}. */
    TopologyFixture free(int zone, String resource, long amount) {
        available.computeIfAbsent(zone, z -> new LinkedHashMap<>()).put(resource, amount);
        return this;
    }

    TopologyFixture freeCores(int zone, double cores) {
        return free(zone, CPU, Math.round(cores * 1000));
    }

    TopologyFixture freeMemoryGi(int zone, long gib) {
        return free(zone, MEMORY, gib * GI);
    }

    TopologyFixture freeGpus(int zone, long gpus) {
        return free(zone, GPU, gpus);
    }

    /** Free cores per zone, zone 0 first. */
    TopologyFixture freeCoresPerZone(double... cores) {
        for (int z = 0; z < cores.length; z++) {
            freeCores(z, cores[z]);
        }
        return this;
    }

    // ------------------------------------------------------------------ kubelet and interconnect

    TopologyFixture policy(TopologyManagerPolicy value) {
        this.policy = value;
        return this;
    }

    TopologyFixture scope(TopologyManagerScope value) {
        this.scope = value;
        return this;
    }

    TopologyFixture island(String name, int zone, int gpus) {
        islands.add(new GpuIsland(name, zone, gpus));
        return this;
    }

    /** Drops the islands given so far, e.g. to split each zone's GPUs into smaller islands. */
    TopologyFixture withoutIslands() {
        islands.clear();
        return this;
    }

    // ------------------------------------------------------------------ build

    NodeTopology topology() {
        List<NumaZone> list = new ArrayList<>(zoneCount);
        for (int z = 0; z < zoneCount; z++) {
            Map<String, Long> alloc = new LinkedHashMap<>(eachZone);
            alloc.putAll(allocatable.getOrDefault(z, Map.of()));
            Map<String, Long> free = new LinkedHashMap<>(alloc);
            free.putAll(available.getOrDefault(z, Map.of()));
            list.add(new NumaZone(z, eachZone, alloc, free));
        }
        return new NodeTopology(list, policy, scope);
    }

    /** The NVLink islands, or null when none were given. */
    GpuInterconnect interconnect() {
        return islands.isEmpty() ? null : new GpuInterconnect(GPU, islands);
    }

    /** The node as the API reports it: allocatable = the zones' allocatable summed, 110 pods. */
    NodeInfo node(String name) {
        NodeTopology topology = topology();
        NodeFixture node = NodeFixture.node(name).pods(110);
        Map<String, Long> total = new LinkedHashMap<>();
        for (NumaZone zone : topology.zones()) {
            zone.allocatable().forEach((resource, amount) -> total.merge(resource, amount, Long::sum));
        }
        total.forEach(node::allocatable);
        return node.build();
    }

    /** Adds the node to {@code state} and publishes its topology. */
    void install(ClusterState state, NumaZones zones, String name, TopologySource source) {
        state.upsertNode(node(name));
        report(zones, name, source);
    }

    /** Publishes (again) this topology for {@code name}: a new report from the node's exporter. */
    void report(NumaZones zones, String name, TopologySource source) {
        zones.setTopology(name, topology(), interconnect(), source);
    }
}
