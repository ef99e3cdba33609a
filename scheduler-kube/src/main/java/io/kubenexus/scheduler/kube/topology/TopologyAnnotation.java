package io.kubenexus.scheduler.kube.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubenexus.scheduler.kube.translate.Translation;
import io.kubenexus.scheduler.numa.NodeTopology;
import io.kubenexus.scheduler.numa.NumaMask;
import io.kubenexus.scheduler.numa.NumaZone;
import io.kubenexus.scheduler.numa.TopologyManagerPolicy;
import io.kubenexus.scheduler.numa.TopologyManagerScope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the node annotation {@value #KEY}, for clusters without NodeResourceTopology exporters:
 * <pre>
 * {"topologyManagerPolicy": "single-numa-node", "topologyManagerScope": "container",
 *  "zones": [{"id": 0, "resources": {"cpu": "32", "memory": "128Gi", "nvidia.com/gpu": "4"}},
 *            {"id": 1, "resources": {"cpu": "32", "memory": "128Gi", "nvidia.com/gpu": "4"},
 *             "allocatable": {"cpu": "30"}}]}
 * </pre>
 * Each zone's {@code resources} are its capacity and, unless its optional {@code allocatable}
 * overrides some of them, its allocatable amounts. There is no {@code available}: the annotation is
 * static, so the scheduler counts the pods on the node itself. Policy and scope default to the
 * kubelet's defaults ({@code none}, {@code container}).
 *
 * <p>Strict: unknown keys, duplicate keys, non-integer ids and bad quantities are errors naming the
 * node, the annotation and the field. Stateless and thread-safe; {@link #read} never throws.
 */
public final class TopologyAnnotation {
    public static final String KEY = "numa.scheduling.kubenexus.io/topology";

    private static final Set<String> TOP_KEYS = Set.of("topologyManagerPolicy", "topologyManagerScope", "zones");
    private static final Set<String> ZONE_KEYS = Set.of("id", "resources", "allocatable");

    public TopologyAnnotation() {
    }

    /** The topology the annotation value describes, or the first problem found. */
    public Translation<NodeTopology> read(String nodeName, String value) {
        String where = "node " + nodeName + ": annotation " + KEY + ": ";
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

    private static NodeTopology parse(String value, String where) throws MalformedTopologyException {
        JsonNode root = AnnotationJson.parse(value, where);
        AnnotationJson.onlyKeys(root, TOP_KEYS, where, "");

        TopologyManagerPolicy policy = TopologyManagerPolicy.NONE;
        if (root.has("topologyManagerPolicy")) {
            String name = AnnotationJson.text(root.get("topologyManagerPolicy"), where, "topologyManagerPolicy");
            try {
                policy = TopologyManagerPolicy.fromApiName(name);
            } catch (IllegalArgumentException e) {
                throw new MalformedTopologyException(where + "topologyManagerPolicy: " + e.getMessage());
            }
        }
        TopologyManagerScope scope = TopologyManagerScope.CONTAINER;
        if (root.has("topologyManagerScope")) {
            String name = AnnotationJson.text(root.get("topologyManagerScope"), where, "topologyManagerScope");
            try {
                scope = TopologyManagerScope.fromApiName(name);
            } catch (IllegalArgumentException e) {
                throw new MalformedTopologyException(where + "topologyManagerScope: " + e.getMessage());
            }
        }

        JsonNode zones = AnnotationJson.nonEmptyArray(root.get("zones"), where, "zones");
        List<NumaZone> result = new ArrayList<>();
        Map<Integer, Integer> seenIds = new HashMap<>();
        for (int z = 0; z < zones.size(); z++) {
            String path = "zones[" + z + "]";
            JsonNode zone = AnnotationJson.object(zones.get(z), where, path);
            AnnotationJson.onlyKeys(zone, ZONE_KEYS, where, path);
            int id = AnnotationJson.integer(zone.get("id"), where, path + ".id");
            if (id < 0 || id >= NumaMask.MAX_ZONES) {
                throw new MalformedTopologyException(where + path + ".id " + id + " must be in 0.." + (NumaMask.MAX_ZONES - 1));
            }
            Integer previous = seenIds.put(id, z);
            if (previous != null) {
                throw new MalformedTopologyException(where + path + ".id " + id + " repeats zones[" + previous + "]");
            }
            Map<String, Long> capacity = amounts(AnnotationJson.object(zone.get("resources"), where, path + ".resources"),
                    where, path + ".resources");
            Map<String, Long> allocatable = new LinkedHashMap<>(capacity);
            if (zone.has("allocatable")) {
                String at = path + ".allocatable";
                Map<String, Long> overrides = amounts(AnnotationJson.object(zone.get("allocatable"), where, at), where, at);
                for (Map.Entry<String, Long> override : overrides.entrySet()) {
                    Long cap = capacity.get(override.getKey());
                    if (cap == null) {
                        throw new MalformedTopologyException(where + at + "." + override.getKey()
                                + ": not listed in " + path + ".resources");
                    }
                    if (override.getValue() > cap) {
                        throw new MalformedTopologyException(where + at + "." + override.getKey() + " "
                                + zone.get("allocatable").get(override.getKey()) + " exceeds the zone's resources");
                    }
                    allocatable.put(override.getKey(), override.getValue());
                }
            }
            // Available is never read from the annotation: it equals allocatable, and the scheduler charges the pods.
            result.add(new NumaZone(id, capacity, allocatable, allocatable));
        }
        try {
            return new NodeTopology(result, policy, scope);
        } catch (IllegalArgumentException e) {
            throw new MalformedTopologyException(where + "zones: " + e.getMessage()); // too many zones
        }
    }

    private static Map<String, Long> amounts(JsonNode object, String where, String path)
            throws MalformedTopologyException {
        Map<String, Long> amounts = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().isEmpty()) {
                throw new MalformedTopologyException(where + path + " has an empty resource name");
            }
            amounts.put(field.getKey(),
                    AnnotationJson.quantity(field.getKey(), field.getValue(), where, path + "." + field.getKey()));
        }
        return amounts;
    }
}
