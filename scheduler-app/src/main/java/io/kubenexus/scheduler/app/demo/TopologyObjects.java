package io.kubenexus.scheduler.app.demo;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.sim.synthetic.NumaLayout;
import io.kubenexus.scheduler.kube.topology.GpuIslandsAnnotation;
import io.kubenexus.scheduler.kube.topology.NodeResourceTopologyTranslator;
import io.kubenexus.scheduler.numa.GpuInterconnect;
import io.kubenexus.scheduler.numa.GpuIsland;
import io.kubenexus.scheduler.numa.NodeTopology;
import io.kubenexus.scheduler.numa.NumaZone;
import io.kubenexus.scheduler.numa.TopologyManagerPolicy;
import io.kubenexus.scheduler.numa.TopologyManagerScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A synthetic node's NUMA layout as the model's types and as the API objects a topology exporter
 * writes: the NodeResourceTopology ({@code topology.node.k8s.io/v1alpha2}) and the NVLink islands
 * annotation.
 */
final class TopologyObjects {
    static final String API_VERSION = NodeResourceTopologyTranslator.NODE_RESOURCE_TOPOLOGIES.getGroup() + "/"
            + NodeResourceTopologyTranslator.NODE_RESOURCE_TOPOLOGIES.getVersion();
    static final String KIND = NodeResourceTopologyTranslator.NODE_RESOURCE_TOPOLOGIES.getKind();
    /** SLIT distances as a two-socket server's firmware reports them: 10 local, 20 (or more) remote. */
    private static final int LOCAL_DISTANCE = 10;
    private static final int REMOTE_DISTANCE = 20;

    private TopologyObjects() {
    }

    /** The node's zones, idle: every zone's available equals its allocatable equals its capacity. */
    static NodeTopology idle(NumaLayout layout) {
        List<NumaZone> zones = new ArrayList<>(layout.zones());
        for (int z = 0; z < layout.zones(); z++) {
            Map<String, Long> resources = new LinkedHashMap<>();
            resources.put(ResourceNames.CPU, layout.cpuMilliPerZone());
            resources.put(ResourceNames.MEMORY, layout.memoryBytesPerZone());
            if (layout.gpusPerZone() > 0) {
                resources.put(ResourceNames.NVIDIA_GPU, (long) layout.gpusPerZone());
            }
            zones.add(NumaZone.idle(z, resources));
        }
        return new NodeTopology(zones, TopologyManagerPolicy.fromApiName(layout.topologyManagerPolicy()),
                TopologyManagerScope.fromApiName(layout.topologyManagerScope()));
    }

    /** One NVLink island per zone when the layout has them, else null. */
    static GpuInterconnect interconnect(NumaLayout layout) {
        if (!layout.nvlinkIslandPerZone()) {
            return null;
        }
        List<GpuIsland> islands = new ArrayList<>(layout.zones());
        for (int z = 0; z < layout.zones(); z++) {
            islands.add(new GpuIsland("nvl" + z, z, layout.gpusPerZone()));
        }
        return new GpuInterconnect(ResourceNames.NVIDIA_GPU, islands);
    }

    /** The value of the node annotation {@value GpuIslandsAnnotation#KEY}. */
    static String islandsAnnotation(GpuInterconnect interconnect) {
        StringBuilder json = new StringBuilder("{\"resource\":\"").append(interconnect.resource()).append("\",\"islands\":[");
        for (int i = 0; i < interconnect.islands().size(); i++) {
            GpuIsland island = interconnect.islands().get(i);
            json.append(i == 0 ? "" : ",").append("{\"name\":\"").append(island.name()).append("\",\"zone\":")
                    .append(island.zone()).append(",\"gpus\":").append(island.gpus()).append('}');
        }
        return json.append("]}").toString();
    }

    /**
     * The NodeResourceTopology an exporter publishes for the node: policy and scope as attributes (and
     * in the deprecated {@code topologyPolicies} list, as node-feature-discovery still writes it), one
     * zone of type Node per NUMA zone with its costs and its resources' capacity, allocatable and
     * available amounts as Kubernetes quantities.
     */
    static GenericKubernetesResource nodeResourceTopology(String nodeName, NodeTopology topology) {
        GenericKubernetesResource nrt = new GenericKubernetesResource();
        nrt.setApiVersion(API_VERSION);
        nrt.setKind(KIND);
        nrt.setMetadata(new ObjectMetaBuilder().withName(nodeName).build());
        nrt.setAdditionalProperty("topologyPolicies", List.of(legacyPolicy(topology)));
        nrt.setAdditionalProperty("attributes", List.of(
                Map.of("name", "topologyManagerPolicy", "value", topology.policy().apiName()),
                Map.of("name", "topologyManagerScope", "value", topology.scope().apiName())));
        List<Map<String, Object>> zones = new ArrayList<>();
        for (NumaZone zone : topology.zones()) {
            List<Map<String, Object>> costs = new ArrayList<>();
            for (NumaZone other : topology.zones()) {
                costs.add(Map.of("name", zoneName(other.id()), "value",
                        other.id() == zone.id() ? LOCAL_DISTANCE : REMOTE_DISTANCE));
            }
            List<Map<String, Object>> resources = new ArrayList<>();
            for (String resource : new TreeMap<>(zone.capacity()).keySet()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", resource);
                entry.put("capacity", quantity(resource, zone.capacityOf(resource)));
                entry.put("allocatable", quantity(resource, zone.allocatableOf(resource)));
                entry.put("available", quantity(resource, zone.availableOf(resource)));
                resources.add(entry);
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", zoneName(zone.id()));
            entry.put("type", "Node");
            entry.put("costs", costs);
            entry.put("resources", resources);
            zones.add(entry);
        }
        nrt.setAdditionalProperty("zones", zones);
        return nrt;
    }

    static String zoneName(int id) {
        return "node-" + id;
    }

    /** Whole cores as a plain number, as exporters write cpu; millicores otherwise. Others are counts. */
    private static String quantity(String resource, long amount) {
        if (ResourceNames.CPU.equals(resource)) {
            return amount % 1000 == 0 ? Long.toString(amount / 1000) : amount + "m";
        }
        return Long.toString(amount);
    }

    private static String legacyPolicy(NodeTopology topology) {
        String level = topology.scope() == TopologyManagerScope.POD ? "PodLevel" : "ContainerLevel";
        return switch (topology.policy()) {
            case NONE -> "None";
            case BEST_EFFORT -> "BestEffort" + level;
            case RESTRICTED -> "Restricted" + level;
            case SINGLE_NUMA_NODE -> "SingleNUMANode" + level;
        };
    }
}
