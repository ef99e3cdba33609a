package io.kubenexus.scheduler.core.state;

import io.kubenexus.scheduler.core.model.ResourceNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Dense column numbers for resources: the four every node has come first, extended resources
 * (nvidia.com/gpu, hugepages-*, ...) are registered on first sight and never removed.
 *
 * <p>Owned by the {@link ClusterState}; registration happens only on the scheduling loop thread.
 */
public final class ResourceColumns {
    public static final int CPU = 0;
    public static final int MEMORY = 1;
    public static final int PODS = 2;
    public static final int EPHEMERAL_STORAGE = 3;

    private final Map<String, Integer> byName = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    private final List<String> insufficientReasons = new ArrayList<>();

    public ResourceColumns() {
        register(ResourceNames.CPU);
        register(ResourceNames.MEMORY);
        register(ResourceNames.PODS);
        register(ResourceNames.EPHEMERAL_STORAGE);
    }

    /** The column of {@code resource}, or -1 when no node or pod has mentioned it yet. */
    public int columnOf(String resource) {
        Integer column = byName.get(resource);
        return column == null ? -1 : column;
    }

    /** The column of {@code resource}, registering it if new. */
    public int register(String resource) {
        Integer column = byName.get(resource);
        if (column != null) {
            return column;
        }
        int next = names.size();
        byName.put(resource, next);
        names.add(resource);
        insufficientReasons.add(ResourceNames.PODS.equals(resource) ? "Too many pods" : "Insufficient " + resource);
        return next;
    }

    public int count() {
        return names.size();
    }

    public String name(int column) {
        return names.get(column);
    }

    /** kube-scheduler's NodeResourcesFit reason for this column ("Insufficient cpu", "Too many pods"). */
    public String insufficientReason(int column) {
        return insufficientReasons.get(column);
    }
}
