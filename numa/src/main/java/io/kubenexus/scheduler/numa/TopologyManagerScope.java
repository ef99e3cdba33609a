package io.kubenexus.scheduler.numa;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The kubelet's {@code --topology-manager-scope}, as published in the NodeResourceTopology
 * attribute {@code topologyManagerScope}.
 */
public enum TopologyManagerScope {
    /** Each container is aligned on its own, in order, after the previous one took its resources. */
    CONTAINER("container"),
    /** The whole pod's aligned resources are merged into one hint shared by all containers. */
    POD("pod");

    private final String apiName;

    TopologyManagerScope(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    /**
     * Parses the kubelet spelling.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static TopologyManagerScope fromApiName(String name) {
        for (TopologyManagerScope scope : values()) {
            if (scope.apiName.equals(name)) {
                return scope;
            }
        }
        throw new IllegalArgumentException("unknown topologyManagerScope '" + name + "', expected one of "
                + Arrays.stream(values()).map(TopologyManagerScope::apiName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return apiName;
    }
}
