package io.kubenexus.scheduler.kube.testing;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A request as the API server's RBAC authorizer sees it: API group, resource (with subresource)
 * and verb, derived from the HTTP method and path the way kube-apiserver's request-info resolver
 * does ({@code GET} of a collection is {@code list}, with {@code watch=true} {@code watch}, of an
 * item {@code get}; {@code POST} {@code create}, {@code PUT} {@code update}, {@code PATCH}
 * {@code patch}, {@code DELETE} {@code delete} or {@code deletecollection}). Paths outside
 * {@code /api} and {@code /apis/<group>/<version>} (discovery, {@code /version}) are non-resource
 * requests: resource {@code ""} and the path in {@code nonResourcePath}.
 */
public record RbacRequest(String apiGroup, String resource, String verb, String nonResourcePath) {

    public static RbacRequest of(String method, URI uri) {
        List<String> parts = Arrays.stream(uri.getPath().split("/")).filter(s -> !s.isEmpty()).toList();
        String group;
        List<String> rest;
        if (parts.size() >= 2 && parts.get(0).equals("api")) {
            group = "";
            rest = parts.subList(2, parts.size());
        } else if (parts.size() >= 3 && parts.get(0).equals("apis")) {
            group = parts.get(1);
            rest = parts.subList(3, parts.size());
        } else {
            return new RbacRequest("", "", method.toLowerCase(Locale.ROOT), uri.getPath());
        }
        if (rest.isEmpty()) {
            return new RbacRequest("", "", method.toLowerCase(Locale.ROOT), uri.getPath()); // group discovery
        }
        // namespaces/{ns}/{resource}/... ; a bare namespaces/{ns} is the namespace object itself
        if (rest.get(0).equals("namespaces") && rest.size() >= 3) {
            rest = rest.subList(2, rest.size());
        }
        String resource = rest.get(0);
        boolean item = rest.size() >= 2;
        if (rest.size() >= 3) {
            resource = resource + "/" + rest.get(2);
        }
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        boolean watch = Arrays.asList(query.split("&")).contains("watch=true");
        String verb = switch (method.toUpperCase(Locale.ROOT)) {
            case "GET", "HEAD" -> watch ? "watch" : item ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> item ? "delete" : "deletecollection";
            default -> method.toLowerCase(Locale.ROOT);
        };
        return new RbacRequest(group, resource, verb, "");
    }

    public boolean isResourceRequest() {
        return nonResourcePath.isEmpty();
    }

    @Override
    public String toString() {
        return isResourceRequest() ? verb + " " + (apiGroup.isEmpty() ? "" : apiGroup + "/") + resource
                : verb + " " + nonResourcePath;
    }
}
