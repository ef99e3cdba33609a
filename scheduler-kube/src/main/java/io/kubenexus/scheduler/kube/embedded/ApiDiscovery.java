package io.kubenexus.scheduler.kube.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The discovery documents of the embedded API, as kube-apiserver writes them, so that kubectl and
 * other discovery-driven clients can map kinds to resources: {@code /api} (APIVersions),
 * {@code /api/v1} and {@code /apis/<group>/<version>} (APIResourceList), {@code /apis}
 * (APIGroupList). Without them the mock answers these paths with lists of stored objects and kubectl
 * says {@code the server doesn't have a resource type "pods"}.
 *
 * <p>Only the resources the scheduler, its simulators and its examples use are listed: there are no
 * controllers here (no Deployment or Job ever makes a pod), so listing apps or batch would let
 * {@code kubectl apply} store objects that never do anything. The aggregated discovery format
 * (apidiscovery.k8s.io/v2) is not served; kubectl falls back to these legacy documents on its own.
 * Immutable.
 */
public final class ApiDiscovery {
    private static final List<String> ALL_VERBS = List.of("create", "delete", "deletecollection", "get", "list",
            "patch", "update", "watch");

    /**
     * One resource of a group version.
     *
     * @param plural     the resource name in URLs
     * @param kind       the kind of its objects
     * @param namespaced whether its objects live in namespaces
     * @param shortNames kubectl's short names ({@code po}, {@code sparkapp})
     * @param status     whether it has a {@code /status} subresource
     */
    public record Resource(String group, String version, String plural, String singular, String kind,
                           boolean namespaced, List<String> shortNames, boolean status) {
        public Resource {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(plural, "plural");
            Objects.requireNonNull(singular, "singular");
            Objects.requireNonNull(kind, "kind");
            shortNames = List.copyOf(shortNames);
        }

        /** {@code v1} for the core group, {@code group/version} otherwise. */
        public String groupVersion() {
            return group.isEmpty() ? version : group + "/" + version;
        }
    }

    /** What the sandbox and the demos serve, in each group's preferred version first. */
    public static final ApiDiscovery STANDARD = new ApiDiscovery(List.of(
            new Resource("", "v1", "pods", "pod", "Pod", true, List.of("po"), true),
            new Resource("", "v1", "nodes", "node", "Node", false, List.of("no"), true),
            new Resource("", "v1", "namespaces", "namespace", "Namespace", false, List.of("ns"), true),
            new Resource("", "v1", "events", "event", "Event", true, List.of("ev"), false),
            new Resource("", "v1", "services", "service", "Service", true, List.of("svc"), true),
            new Resource("", "v1", "configmaps", "configmap", "ConfigMap", true, List.of("cm"), false),
            new Resource("", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", true, List.of("sa"), false),
            new Resource("scheduling.k8s.io", "v1", "priorityclasses", "priorityclass", "PriorityClass", false,
                    List.of("pc"), false),
            new Resource("scheduling.k8s.io", "v1beta1", "workloads", "workload", "Workload", true, List.of(), false),
            new Resource("scheduling.k8s.io", "v1beta1", "podgroups", "podgroup", "PodGroup", true, List.of(), true),
            new Resource("scheduling.k8s.io", "v1alpha2", "workloads", "workload", "Workload", true, List.of(), false),
            new Resource("scheduling.k8s.io", "v1alpha2", "podgroups", "podgroup", "PodGroup", true, List.of(), true),
            new Resource("scheduling.x-k8s.io", "v1alpha1", "podgroups", "podgroup", "PodGroup", true,
                    List.of("pg", "pgs"), true),
            new Resource("sparkoperator.k8s.io", "v1beta2", "sparkapplications", "sparkapplication",
                    "SparkApplication", true, List.of("sparkapp"), true),
            new Resource("coordination.k8s.io", "v1", "leases", "lease", "Lease", true, List.of(), false),
            new Resource("events.k8s.io", "v1", "events", "event", "Event", true, List.of("ev"), false),
            new Resource("topology.node.k8s.io", "v1alpha2", "noderesourcetopologies", "noderesourcetopology",
                    "NodeResourceTopology", false, List.of("node-res-topo"), false),
            new Resource("policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", true,
                    List.of("pdb"), true)));

    /** The documents never change while the process runs: one hash for kubectl's cache keys. */
    private static final String HASH = "kubenexus-embedded-1";

    private final List<Resource> resources;
    /** Group to its versions, preferred first, in the order of first appearance. */
    private final Map<String, List<String>> versionsByGroup;
    private final ObjectMapper mapper = new ObjectMapper();

    public ApiDiscovery(List<Resource> resources) {
        this.resources = List.copyOf(resources);
        Map<String, List<String>> versions = new LinkedHashMap<>();
        for (Resource resource : this.resources) {
            List<String> known = versions.computeIfAbsent(resource.group(), g -> new java.util.ArrayList<>());
            if (!known.contains(resource.version())) {
                known.add(resource.version());
            }
        }
        versions.replaceAll((group, list) -> List.copyOf(list));
        this.versionsByGroup = Map.copyOf(versions);
    }

    public List<Resource> resources() {
        return resources;
    }

    /**
     * The discovery document for a request path without its query, or empty when the path is not a
     * discovery path (or names a group version not served: the caller answers 404 as the API server).
     */
    public Optional<String> document(String path) {
        String trimmed = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        if ("/api".equals(trimmed)) {
            return Optional.of(apiVersions());
        }
        if ("/api/v1".equals(trimmed)) {
            return Optional.of(resourceList("", "v1"));
        }
        if ("/apis".equals(trimmed)) {
            return Optional.of(groupList());
        }
        if (trimmed.startsWith("/apis/")) {
            String[] parts = trimmed.substring("/apis/".length()).split("/");
            if (parts.length == 2 && versionsByGroup.getOrDefault(parts[0], List.of()).contains(parts[1])) {
                return Optional.of(resourceList(parts[0], parts[1]));
            }
            if (parts.length == 1 && versionsByGroup.containsKey(parts[0]) && !parts[0].isEmpty()) {
                return Optional.of(mapper.createObjectNode().put("kind", "APIGroup").put("apiVersion", "v1")
                        .setAll(group(parts[0])).toString());
            }
        }
        return Optional.empty();
    }

    /**
     * The OpenAPI v3 document for a path under {@code /openapi/v3}, or empty. Only what kubectl looks
     * up before {@code apply} and {@code create} is described: the root lists the group versions, and
     * each group version's PATCH operations name their kind and accept {@code fieldValidation}, so
     * kubectl leaves validation to the server instead of refusing to send anything ("failed to
     * download openapi"). No schemas are published; the embedded API validates no fields.
     */
    public Optional<String> openApiV3(String path) {
        String trimmed = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        if ("/openapi/v3".equals(trimmed)) {
            ObjectNode root = mapper.createObjectNode();
            ObjectNode paths = root.putObject("paths");
            versionsByGroup.forEach((group, versions) -> versions.forEach(version -> {
                String gv = group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
                paths.putObject(gv).put("serverRelativeURL", "/openapi/v3/" + gv + "?hash=" + HASH);
            }));
            return Optional.of(root.toString());
        }
        String prefix = "/openapi/v3/";
        if (!trimmed.startsWith(prefix)) {
            return Optional.empty();
        }
        String gv = trimmed.substring(prefix.length());
        for (Map.Entry<String, List<String>> entry : versionsByGroup.entrySet()) {
            for (String version : entry.getValue()) {
                String served = entry.getKey().isEmpty() ? "api/" + version : "apis/" + entry.getKey() + "/" + version;
                if (served.equals(gv)) {
                    return Optional.of(groupVersionSpec(entry.getKey(), version));
                }
            }
        }
        return Optional.empty();
    }

    private String groupVersionSpec(String group, String version) {
        ObjectNode doc = mapper.createObjectNode().put("openapi", "3.0.0");
        doc.putObject("info").put("title", "Kubernetes").put("version", "v1.33.0");
        ObjectNode paths = doc.putObject("paths");
        for (Resource resource : resources) {
            if (!resource.group().equals(group) || !resource.version().equals(version)) {
                continue;
            }
            String base = "/" + (group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version)
                    + (resource.namespaced() ? "/namespaces/{namespace}/" : "/") + resource.plural() + "/{name}";
            ObjectNode patch = paths.putObject(base).putObject("patch");
            patch.putObject("x-kubernetes-group-version-kind").put("group", group).put("version", version)
                    .put("kind", resource.kind());
            patch.putArray("parameters").addObject().put("name", "fieldValidation").put("in", "query")
                    .putObject("schema").put("type", "string");
            patch.putObject("responses");
        }
        doc.putObject("components").putObject("schemas");
        return doc.toString();
    }

    /** Whether {@code path} is one of the discovery roots or a group (version) path this API could serve. */
    public static boolean isDiscoveryPath(String path) {
        String trimmed = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        if ("/api".equals(trimmed) || "/api/v1".equals(trimmed) || "/apis".equals(trimmed)) {
            return true;
        }
        if (!trimmed.startsWith("/apis/")) {
            return false;
        }
        int segments = trimmed.substring("/apis/".length()).split("/").length;
        return segments <= 2;
    }

    /** The resource served under {@code group/version} with this plural, if any. */
    public Optional<Resource> resource(String group, String version, String plural) {
        return resources.stream().filter(r -> r.group().equals(group) && r.version().equals(version)
                && r.plural().equals(plural)).findFirst();
    }

    private String apiVersions() {
        ObjectNode doc = mapper.createObjectNode().put("kind", "APIVersions");
        doc.putArray("versions").add("v1");
        doc.putArray("serverAddressByClientCIDRs").addObject().put("clientCIDR", "0.0.0.0/0").put("serverAddress", "");
        return doc.toString();
    }

    private String groupList() {
        ObjectNode doc = mapper.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = doc.putArray("groups");
        versionsByGroup.keySet().stream().filter(g -> !g.isEmpty()).sorted().forEach(g -> groups.add(group(g)));
        return doc.toString();
    }

    private ObjectNode group(String name) {
        ObjectNode group = mapper.createObjectNode().put("name", name);
        ArrayNode versions = group.putArray("versions");
        List<String> served = versionsByGroup.get(name);
        for (String version : served) {
            versions.addObject().put("groupVersion", name + "/" + version).put("version", version);
        }
        group.putObject("preferredVersion").put("groupVersion", name + "/" + served.get(0)).put("version", served.get(0));
        return group;
    }

    private String resourceList(String group, String version) {
        ObjectNode doc = mapper.createObjectNode().put("kind", "APIResourceList").put("apiVersion", "v1")
                .put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode list = doc.putArray("resources");
        for (Resource resource : resources) {
            if (!resource.group().equals(group) || !resource.version().equals(version)) {
                continue;
            }
            ObjectNode entry = list.addObject().put("name", resource.plural()).put("singularName", resource.singular())
                    .put("namespaced", resource.namespaced()).put("kind", resource.kind());
            ArrayNode verbs = entry.putArray("verbs");
            ALL_VERBS.forEach(verbs::add);
            if (!resource.shortNames().isEmpty()) {
                ArrayNode shortNames = entry.putArray("shortNames");
                resource.shortNames().forEach(shortNames::add);
            }
            if (group.isEmpty() && ("pods".equals(resource.plural()) || "services".equals(resource.plural()))) {
                entry.putArray("categories").add("all"); // kubectl get all: the workloads, as kube-apiserver lists them
            }
            if (resource.status()) {
                list.addObject().put("name", resource.plural() + "/status").put("singularName", "")
                        .put("namespaced", resource.namespaced()).put("kind", resource.kind())
                        .putArray("verbs").add("get").add("patch").add("update");
            }
            if ("pods".equals(resource.plural()) && group.isEmpty()) {
                list.addObject().put("name", "pods/binding").put("singularName", "").put("namespaced", true)
                        .put("kind", "Binding").putArray("verbs").add("create");
                // As kube-apiserver serves it: group and version of the Eviction body it takes.
                list.addObject().put("name", "pods/eviction").put("singularName", "").put("namespaced", true)
                        .put("group", "policy").put("version", "v1").put("kind", "Eviction")
                        .putArray("verbs").add("create");
            }
        }
        if (group.isEmpty()) {
            list.addObject().put("name", "bindings").put("singularName", "binding").put("namespaced", true)
                    .put("kind", "Binding").putArray("verbs").add("create");
        }
        return doc.toString();
    }
}
