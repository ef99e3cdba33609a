package io.kubenexus.scheduler.kube.topology;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.kubenexus.scheduler.kube.translate.Translation;
import io.kubenexus.scheduler.numa.NodeTopology;
import io.kubenexus.scheduler.numa.NumaMask;
import io.kubenexus.scheduler.numa.NumaZone;
import io.kubenexus.scheduler.numa.TopologyManagerPolicy;
import io.kubenexus.scheduler.numa.TopologyManagerScope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a NodeResourceTopology ({@code topology.node.k8s.io/v1alpha2}, cluster-scoped, named after
 * its node), as published by node-feature-discovery's topology-updater or the
 * resource-topology-exporter, into a {@link NodeTopology}.
 *
 * <p>Fields read:
 * <ul>
 *   <li>{@code attributes[]} entries {@code topologyManagerPolicy} (none, best-effort, restricted,
 *       single-numa-node) and {@code topologyManagerScope} (container, pod); other attributes are
 *       ignored.</li>
 *   <li>When an attribute is missing, the v1alpha1-era top-level {@code topologyPolicies} list (its
 *       first entry, e.g. {@code SingleNUMANodeContainerLevel}) supplies it.</li>
 *   <li>When neither says, the kubelet's defaults apply: policy {@code none}, scope
 *       {@code container}.</li>
 *   <li>{@code zones[]} of {@code type: Node} only (other zone types, e.g. cores or caches, are
 *       skipped); the zone id is the number in the name {@code node-<id>}; each
 *       {@code resources[]} entry's {@code name}, {@code capacity}, {@code allocatable} (missing:
 *       capacity) and {@code available} (missing: allocatable), converted to scheduler units as
 *       {@link io.kubenexus.scheduler.kube.translate.KubeQuantities} does. {@code costs} are not
 *       read.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe. {@link #translate} never throws: a bad object is a
 * {@link Translation.Invalid} whose message names the object, the field path (e.g.
 * {@code zones[1].resources[0].available}) and the bad value.
 */
public final class NodeResourceTopologyTranslator {
    public static final ResourceDefinitionContext NODE_RESOURCE_TOPOLOGIES = new ResourceDefinitionContext.Builder()
            .withGroup("topology.node.k8s.io").withVersion("v1alpha2").withKind("NodeResourceTopology")
            .withPlural("noderesourcetopologies").withNamespaced(false).build();

    static final String ZONE_TYPE_NODE = "Node";
    static final String ATTRIBUTE_POLICY = "topologyManagerPolicy";
    static final String ATTRIBUTE_SCOPE = "topologyManagerScope";
    private static final Pattern ZONE_NAME = Pattern.compile("node-(0|[1-9][0-9]{0,8})");

    /** v1alpha1's combined policy names, still published (deprecated) by some exporters. */
    private static final Map<String, LegacyPolicy> LEGACY_POLICIES = Map.of(
            "SingleNUMANodeContainerLevel", new LegacyPolicy(TopologyManagerPolicy.SINGLE_NUMA_NODE, TopologyManagerScope.CONTAINER),
            "SingleNUMANodePodLevel", new LegacyPolicy(TopologyManagerPolicy.SINGLE_NUMA_NODE, TopologyManagerScope.POD),
            "RestrictedContainerLevel", new LegacyPolicy(TopologyManagerPolicy.RESTRICTED, TopologyManagerScope.CONTAINER),
            "RestrictedPodLevel", new LegacyPolicy(TopologyManagerPolicy.RESTRICTED, TopologyManagerScope.POD),
            "BestEffortContainerLevel", new LegacyPolicy(TopologyManagerPolicy.BEST_EFFORT, TopologyManagerScope.CONTAINER),
            "BestEffortPodLevel", new LegacyPolicy(TopologyManagerPolicy.BEST_EFFORT, TopologyManagerScope.POD),
            "None", new LegacyPolicy(TopologyManagerPolicy.NONE, TopologyManagerScope.CONTAINER));

    private record LegacyPolicy(TopologyManagerPolicy policy, TopologyManagerScope scope) {
    }

    public NodeResourceTopologyTranslator() {
    }

    /** The object's topology, or the first problem found. */
    public Translation<NodeTopology> translate(GenericKubernetesResource nrt) {
        String object = "NodeResourceTopology " + nameOf(nrt);
        try {
            return Translation.valid(read(nrt, object + ": "));
        } catch (MalformedTopologyException e) {
            return Translation.invalid(e.getMessage());
        } catch (IllegalArgumentException e) {
            // What the model itself refuses (too many zones, an id out of range).
            return Translation.invalid(object + ": " + e.getMessage());
        } catch (RuntimeException e) {
            return Translation.invalid(object + " cannot be read: " + e);
        }
    }

    static String nameOf(GenericKubernetesResource nrt) {
        return nrt == null || nrt.getMetadata() == null ? "<unnamed>" : String.valueOf(nrt.getMetadata().getName());
    }

    private static NodeTopology read(GenericKubernetesResource nrt, String where) throws MalformedTopologyException {
        Map<String, Object> fields = nrt.getAdditionalProperties() == null ? Map.of() : nrt.getAdditionalProperties();
        TopologyManagerPolicy policy = null;
        TopologyManagerScope scope = null;

        List<?> attributes = list(fields.get("attributes"), where + "attributes");
        for (int i = 0; i < attributes.size(); i++) {
            String at = where + "attributes[" + i + "]";
            Map<?, ?> attribute = object(attributes.get(i), at);
            Object name = attribute.get("name");
            Object value = attribute.get("value");
            if (ATTRIBUTE_POLICY.equals(name)) {
                try {
                    policy = TopologyManagerPolicy.fromApiName(text(value, at + ".value"));
                } catch (IllegalArgumentException e) {
                    throw new MalformedTopologyException(at + ".value: " + e.getMessage());
                }
            } else if (ATTRIBUTE_SCOPE.equals(name)) {
                try {
                    scope = TopologyManagerScope.fromApiName(text(value, at + ".value"));
                } catch (IllegalArgumentException e) {
                    throw new MalformedTopologyException(at + ".value: " + e.getMessage());
                }
            }
        }
        if (policy == null || scope == null) {
            List<?> legacy = list(fields.get("topologyPolicies"), where + "topologyPolicies");
            if (!legacy.isEmpty()) {
                Object first = legacy.get(0);
                LegacyPolicy meaning = first instanceof String s ? LEGACY_POLICIES.get(s) : null;
                if (meaning == null) {
                    throw new MalformedTopologyException(where + "topologyPolicies[0] " + ZoneAmounts.describe(first)
                            + " is not a known policy, expected one of " + String.join(", ", new TreeSet<>(LEGACY_POLICIES.keySet())));
                }
                policy = policy == null ? meaning.policy() : policy;
                scope = scope == null ? meaning.scope() : scope;
            }
        }
        policy = policy == null ? TopologyManagerPolicy.NONE : policy;
        scope = scope == null ? TopologyManagerScope.CONTAINER : scope;

        Object zonesField = fields.get("zones");
        if (zonesField == null) {
            throw new MalformedTopologyException(where + "zones is missing");
        }
        List<?> zones = list(zonesField, where + "zones");
        List<NumaZone> numaZones = new ArrayList<>();
        Map<Integer, Integer> seenIds = new HashMap<>();
        for (int z = 0; z < zones.size(); z++) {
            String at = where + "zones[" + z + "]";
            Map<?, ?> zone = object(zones.get(z), at);
            String type = text(zone.get("type"), at + ".type");
            if (!ZONE_TYPE_NODE.equals(type)) {
                continue;
            }
            String name = text(zone.get("name"), at + ".name");
            Matcher matcher = ZONE_NAME.matcher(name);
            if (!matcher.matches()) {
                throw new MalformedTopologyException(at + ".name \"" + name + "\" is not of the form node-<id>");
            }
            int id = Integer.parseInt(matcher.group(1));
            if (id >= NumaMask.MAX_ZONES) {
                throw new MalformedTopologyException(at + ".name \"" + name + "\": the zone id must be at most "
                        + (NumaMask.MAX_ZONES - 1));
            }
            Integer previous = seenIds.put(id, z);
            if (previous != null) {
                throw new MalformedTopologyException(at + ".name \"" + name + "\" repeats zones[" + previous + "]");
            }
            numaZones.add(zone(id, zone.get("resources"), at + ".resources"));
        }
        if (numaZones.isEmpty()) {
            throw new MalformedTopologyException(where + "zones has no zone of type " + ZONE_TYPE_NODE);
        }
        try {
            return new NodeTopology(numaZones, policy, scope);
        } catch (IllegalArgumentException e) {
            throw new MalformedTopologyException(where + "zones: " + e.getMessage()); // too many zones
        }
    }

    private static NumaZone zone(int id, Object resourcesField, String where) throws MalformedTopologyException {
        Map<String, Long> capacity = new LinkedHashMap<>();
        Map<String, Long> allocatable = new LinkedHashMap<>();
        Map<String, Long> available = new LinkedHashMap<>();
        List<?> resources = list(resourcesField, where);
        Set<String> names = new HashSet<>();
        for (int r = 0; r < resources.size(); r++) {
            String at = where + "[" + r + "]";
            Map<?, ?> resource = object(resources.get(r), at);
            String name = text(resource.get("name"), at + ".name");
            if (name.isEmpty()) {
                throw new MalformedTopologyException(at + ".name is empty");
            }
            if (!names.add(name)) {
                throw new MalformedTopologyException(at + ".name \"" + name + "\" is listed twice in this zone");
            }
            Object rawCapacity = resource.get("capacity");
            if (rawCapacity == null) {
                throw new MalformedTopologyException(at + ".capacity is missing");
            }
            long cap = ZoneAmounts.toUnits(name, rawCapacity, at + ".capacity");
            Object rawAllocatable = resource.get("allocatable");
            long alloc = rawAllocatable == null ? cap : ZoneAmounts.toUnits(name, rawAllocatable, at + ".allocatable");
            Object rawAvailable = resource.get("available");
            long avail = rawAvailable == null ? alloc : ZoneAmounts.toUnits(name, rawAvailable, at + ".available");
            capacity.put(name, cap);
            allocatable.put(name, alloc);
            available.put(name, avail);
        }
        return new NumaZone(id, capacity, allocatable, available);
    }

    /** A list field; absent means empty. */
    private static List<?> list(Object value, String where) throws MalformedTopologyException {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list;
        }
        throw new MalformedTopologyException(where + " is " + ZoneAmounts.describe(value) + ", expected a list");
    }

    private static Map<?, ?> object(Object value, String where) throws MalformedTopologyException {
        if (value instanceof Map<?, ?> map) {
            return map;
        }
        throw new MalformedTopologyException(where + " is " + ZoneAmounts.describe(value) + ", expected an object");
    }

    private static String text(Object value, String where) throws MalformedTopologyException {
        if (value == null) {
            throw new MalformedTopologyException(where + " is missing");
        }
        if (value instanceof String s) {
            return s;
        }
        throw new MalformedTopologyException(where + " is " + ZoneAmounts.describe(value) + ", expected a string");
    }
}
