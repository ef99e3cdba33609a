package io.kubenexus.scheduler.numa;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How a node's GPUs of one device resource are grouped into NVLink islands.
 *
 * @param resource the device resource, e.g. {@code nvidia.com/gpu}
 * @param islands  the islands; names are distinct
 */
public record GpuInterconnect(String resource, List<GpuIsland> islands) {
    public GpuInterconnect {
        if (resource == null || resource.isBlank()) {
            throw new IllegalArgumentException("the GPU resource name must be set");
        }
        if (islands == null || islands.isEmpty()) {
            throw new IllegalArgumentException("at least one NVLink island is needed");
        }
        Set<String> names = new HashSet<>();
        for (GpuIsland island : islands) {
            if (!names.add(island.name())) {
                throw new IllegalArgumentException("duplicate NVLink island name " + island.name());
            }
        }
        islands = List.copyOf(islands);
    }

    /** GPUs in all islands. */
    public int totalGpus() {
        int total = 0;
        for (GpuIsland island : islands) {
            total += island.gpus();
        }
        return total;
    }
}
