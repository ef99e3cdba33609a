package io.kubenexus.scheduler.core.model;

import java.util.Objects;

/** A pod's identity in the API: namespace and name. */
public record PodKey(String namespace, String name) implements Comparable<PodKey> {
    public PodKey {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    @Override
    public int compareTo(PodKey other) {
        int byNamespace = namespace.compareTo(other.namespace);
        return byNamespace != 0 ? byNamespace : name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
