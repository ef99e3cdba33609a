package io.kubenexus.scheduler.kube.embedded;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API groups a test declares its cluster to serve, answered as a real API server answers
 * discovery: {@code GET /apis} (an APIGroupList), {@code GET /apis/<group>} (an APIGroup, the first
 * version declared preferred) and {@code GET /apis/<group>/<version>} (an APIResourceList, each
 * resource with its {@code /status} subresource). A request for a version of a declared group that
 * is not declared answers 404, as a cluster that does not serve it would, and so does the discovery
 * of a group version of a group never declared once the test declares any; other requests of
 * undeclared groups are left to the mock. With nothing declared it answers nothing, and the embedded
 * API's standard discovery ({@link ApiDiscovery#STANDARD}, for kubectl) answers. Thread-safe.
 */
final class ServedApiGroups {
    private static final Pattern APIS_PATH = Pattern.compile("/apis/([^/]+)(?:/([^/]+))?(/.*)?");
    private static final List<String> VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch",
            "update", "watch");
    private static final List<String> STATUS_VERBS = List.of("get", "patch", "update");

    /**
     * The resources (plural to kind) of each declared version, by group; versions in declaration
     * order. Replaced, never changed, so requests read it without a lock.
     */
    private volatile Map<String, Map<String, Map<String, String>>> groups = Map.of();
    private final ObjectMapper mapper;

    ServedApiGroups(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** Declares that {@code group/version} is served with the namespaced resources {@code kindsByPlural}. */
    synchronized void serve(String group, String version, Map<String, String> kindsByPlural) {
        Map<String, Map<String, Map<String, String>>> copy = new LinkedHashMap<>();
        groups.forEach((name, versions) -> copy.put(name, new LinkedHashMap<>(versions)));
        copy.computeIfAbsent(group, g -> new LinkedHashMap<>()).put(version, new LinkedHashMap<>(kindsByPlural));
        groups = copy;
    }

    /** The answer for a request the declarations decide, or null when they do not (the mock answers). */
    Answer answer(String method, String path) {
        if (!path.startsWith("/apis")) {
            return null;
        }
        Map<String, Map<String, Map<String, String>>> groups = this.groups;
        if (groups.isEmpty()) {
            return null; // nothing declared: the embedded API's standard discovery answers (ApiServerViews)
        }
        Matcher matcher = APIS_PATH.matcher(path);
        boolean groupVersionDiscovery = matcher.matches() && matcher.group(2) != null
                && (matcher.group(3) == null || "/".equals(matcher.group(3))) && "GET".equals(method);
        if (groupVersionDiscovery && !groups.containsKey(matcher.group(1))) {
            // A test that declares what its cluster serves: a group it did not declare is not served.
            return notFound();
        }
        if ("/apis".equals(path) || "/apis/".equals(path)) {
            return "GET".equals(method) ? ok(groupList(groups)) : null;
        }
        if (!matcher.matches() || !groups.containsKey(matcher.group(1))) {
            return null;
        }
        String group = matcher.group(1);
        String version = matcher.group(2);
        String rest = matcher.group(3);
        if (version == null) {
            return "GET".equals(method) ? ok(apiGroup(group, groups.get(group).keySet())) : null;
        }
        Map<String, String> resources = groups.get(group).get(version);
        if (resources == null) {
            return notFound();
        }
        if (rest == null || "/".equals(rest)) {
            return "GET".equals(method) ? ok(resourceList(group, version, resources)) : null;
        }
        return null; // a served version: the mock stores and answers its objects
    }

    private static Map<String, Object> groupList(Map<String, Map<String, Map<String, String>>> groups) {
        List<Object> list = new ArrayList<>();
        groups.forEach((group, versions) -> list.add(apiGroup(group, versions.keySet())));
        return Map.of("kind", "APIGroupList", "apiVersion", "v1", "groups", list);
    }

    private static Map<String, Object> apiGroup(String group, java.util.Set<String> declared) {
        List<Object> versions = new ArrayList<>();
        for (String version : declared) {
            versions.add(Map.of("groupVersion", group + "/" + version, "version", version));
        }
        Map<String, Object> apiGroup = new LinkedHashMap<>();
        apiGroup.put("kind", "APIGroup");
        apiGroup.put("apiVersion", "v1");
        apiGroup.put("name", group);
        apiGroup.put("versions", versions);
        apiGroup.put("preferredVersion", versions.get(0));
        return apiGroup;
    }

    private Map<String, Object> resourceList(String group, String version, Map<String, String> resources) {
        List<Object> list = new ArrayList<>();
        resources.forEach((plural, kind) -> {
            list.add(Map.of("name", plural, "singularName", kind.toLowerCase(java.util.Locale.ROOT), "namespaced", true,
                    "kind", kind, "verbs", VERBS));
            list.add(Map.of("name", plural + "/status", "singularName", "", "namespaced", true, "kind", kind,
                    "verbs", STATUS_VERBS));
        });
        return Map.of("kind", "APIResourceList", "apiVersion", "v1", "groupVersion", group + "/" + version,
                "resources", list);
    }

    private Answer notFound() {
        return new Answer(HttpURLConnection.HTTP_NOT_FOUND, json(Map.of("apiVersion", "v1", "kind", "Status",
                "metadata", Map.of(), "status", "Failure", "reason", "NotFound", "code", 404,
                "message", "the server could not find the requested resource")));
    }

    private Answer ok(Map<String, Object> document) {
        return new Answer(HttpURLConnection.HTTP_OK, json(document));
    }

    private String json(Object document) {
        try {
            return mapper.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("discovery document not serializable", e);
        }
    }

    /** A status code and JSON body. */
    record Answer(int code, String body) {
    }
}
