package io.kubenexus.scheduler.kube.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubenexus.scheduler.kube.translate.Translation;
import io.kubenexus.scheduler.numa.GpuInterconnect;
import io.kubenexus.scheduler.numa.GpuIsland;
import io.kubenexus.scheduler.numa.NodeTopology;
import io.kubenexus.scheduler.numa.NumaMask;
import io.kubenexus.scheduler.numa.NumaZone;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Reads the node annotation {@value #KEY}: which GPUs share an NVLink (or NVSwitch) island and the
 * NUMA zone each island hangs off.
 * <pre>
 * {"resource": "nvidia.com/gpu",
 *  "islands": [{"name": "nvl0", "zone": 0, "gpus": 4}, {"name": "nvl1", "zone": 1, "gpus": 4}]}
 * </pre>
 * {@code resource} defaults to {@code nvidia.com/gpu}. Strict like {@link TopologyAnnotation}. The
 * islands are checked against the node's topology by {@link #checkAgainst}, since the topology may
 * come from another source and change on its own.
 *
 * <p>Stateless and thread-safe; never throws.
 */
public final class GpuIslandsAnnotation {
    public static final String KEY = "numa.scheduling.kubenexus.io/gpu-islands";
    public static final String DEFAULT_RESOURCE = "nvidia.com/gpu";

    private static final Set<String> TOP_KEYS = Set.of("resource", "islands");
    private static final Set<String> ISLAND_KEYS = Set.of("name", "zone", "gpus");

    public GpuIslandsAnnotation() {
    }

    /** The islands the annotation value describes, or the first problem found. */
    public Translation<GpuInterconnect> read(String nodeName, String value) {
        String where = where(nodeName);
        try {
            return Translation.valid(parse(value, where));
        } catch (MalformedTopologyException e) {
            return Translation.invalid(e.getMessage());
        } catch (IllegalArgumentException e) {
            return Translation.invalid(where + e.getMessage());
        } catch (RuntimeException e) {
            return Translation.invalid(where + "cannot be read: " + e);
        }
    }

    /**
     * Whether {@code islands} fit {@code topology}: every island's zone exists, and the islands of a
     * zone hold no more GPUs than the zone's capacity of the resource.
     *
     * @return null when they fit, else the problem, naming the node and the field
     */
    public String checkAgainst(String nodeName, GpuInterconnect islands, NodeTopology topology) {
        String where = where(nodeName);
        Map<Integer, NumaZone> zones = new HashMap<>();
        for (NumaZone zone : topology.zones()) {
            zones.put(zone.id(), zone);
        }
        Map<Integer, Long> perZone = new TreeMap<>();
        Map<Integer, List<String>> namesPerZone = new HashMap<>();
        for (int i = 0; i < islands.islands().size(); i++) {
            GpuIsland island = islands.islands().get(i);
            if (!zones.containsKey(island.zone())) {
                return where + "islands[" + i + "].zone " + island.zone() + " (island " + island.name()
                        + ") is not a NUMA zone of the node; its zones are "
                        + zones.keySet().stream().sorted().map(String::valueOf).collect(Collectors.joining(", "));
            }
            perZone.merge(island.zone(), (long) island.gpus(), Long::sum);
            namesPerZone.computeIfAbsent(island.zone(), z -> new ArrayList<>()).add("islands[" + i + "] " + island.name());
        }
        for (Map.Entry<Integer, Long> total : perZone.entrySet()) {
            long capacity = zones.get(total.getKey()).capacityOf(islands.resource());
            if (total.getValue() > capacity) {
                return where + String.join(", ", namesPerZone.get(total.getKey())) + " put " + total.getValue()
                        + " " + islands.resource() + " in zone " + total.getKey() + ", whose capacity is " + capacity;
            }
        }
        return null;
    }

    private static String where(String nodeName) {
        return "node " + nodeName + ": annotation " + KEY + ": ";
    }

    private static GpuInterconnect parse(String value, String where) throws MalformedTopologyException {
        JsonNode root = AnnotationJson.parse(value, where);
        AnnotationJson.onlyKeys(root, TOP_KEYS, where, "");
        String resource = DEFAULT_RESOURCE;
        if (root.has("resource")) {
            resource = AnnotationJson.text(root.get("resource"), where, "resource");
            if (resource.isBlank()) {
                throw new MalformedTopologyException(where + "resource is empty");
            }
        }
        JsonNode list = AnnotationJson.nonEmptyArray(root.get("islands"), where, "islands");
        List<GpuIsland> islands = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String path = "islands[" + i + "]";
            JsonNode island = AnnotationJson.object(list.get(i), where, path);
            AnnotationJson.onlyKeys(island, ISLAND_KEYS, where, path);
            String name = AnnotationJson.text(island.get("name"), where, path + ".name");
            if (name.isBlank()) {
                throw new MalformedTopologyException(where + path + ".name is empty");
            }
            Integer previous = names.put(name, i);
            if (previous != null) {
                throw new MalformedTopologyException(where + path + ".name \"" + name + "\" repeats islands[" + previous + "]");
            }
            int zone = AnnotationJson.integer(island.get("zone"), where, path + ".zone");
            if (zone < 0 || zone >= NumaMask.MAX_ZONES) {
                throw new MalformedTopologyException(where + path + ".zone " + zone + " must be in 0.." + (NumaMask.MAX_ZONES - 1));
            }
            int gpus = AnnotationJson.integer(island.get("gpus"), where, path + ".gpus");
            if (gpus < 1) {
                throw new MalformedTopologyException(where + path + ".gpus " + gpus + " must be at least 1");
            }
            islands.add(new GpuIsland(name, zone, gpus));
        }
        return new GpuInterconnect(resource, islands);
    }
}
