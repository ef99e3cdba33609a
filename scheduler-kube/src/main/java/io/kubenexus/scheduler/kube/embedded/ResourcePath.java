package io.kubenexus.scheduler.kube.embedded;

import java.util.Optional;

/**
 * A REST path of the Kubernetes API taken apart: {@code /api/v1/namespaces/ns/pods/p/status} is
 * group "", version v1, namespace ns, resource pods, name p, subresource status.
 *
 * @param namespace   empty for cluster-scoped paths and for lists across namespaces
 * @param name        empty for a list
 * @param subresource empty for the object itself
 */
record ResourcePath(String group, String version, String namespace, String resource, String name,
                    String subresource) {

    /** Parses a path without its query; empty when it is not a resource path (discovery, /version, ...). */
    static Optional<ResourcePath> parse(String path) {
        String[] parts = path.replaceAll("^/+|/+$", "").split("/");
        int i;
        String group;
        String version;
        if (parts.length >= 3 && "api".equals(parts[0])) {
            group = "";
            version = parts[1];
            i = 2;
        } else if (parts.length >= 4 && "apis".equals(parts[0])) {
            group = parts[1];
            version = parts[2];
            i = 3;
        } else {
            return Optional.empty();
        }
        String namespace = "";
        // "namespaces/<ns>/<resource>..." is a namespaced path; "namespaces" or "namespaces/<ns>" alone is the
        // Namespace resource itself.
        if ("namespaces".equals(parts[i]) && parts.length >= i + 3) {
            namespace = parts[i + 1];
            i += 2;
        }
        String resource = parts[i];
        String name = parts.length > i + 1 ? parts[i + 1] : "";
        String subresource = parts.length > i + 2 ? parts[i + 2] : "";
        return Optional.of(new ResourcePath(group, version, namespace, resource, name, subresource));
    }

    boolean isList() {
        return name.isEmpty();
    }
}
