package io.kubenexus.scheduler.numa;

import java.util.Map;

/**
 * One NUMA zone of a NodeResourceTopology ({@code zones[]} with {@code type: Node}), holding the
 * three amounts NRT reports per resource, in scheduler units: {@code cpu} in millicores,
 * {@code memory} and {@code hugepages-*} in bytes, devices such as {@code nvidia.com/gpu} as counts.
 *
 * <p>All three are needed to predict the kubelet: hint providers decide which zone sets are
 * <em>possible</em> from {@code available}, but which are <em>preferred</em> (minimal) from what
 * the zone would hold if it were empty: the CPU manager counts every CPU of the zone and the
 * device manager every device ({@link #capacity}), the memory manager counts {@link #allocatable}.
 * A missing resource counts as zero.
 *
 * @param id          the zone id, the number in the NRT zone name {@code node-<id>}
 * @param capacity    NRT {@code capacity}
 * @param allocatable NRT {@code allocatable}
 * @param available   NRT {@code available}: allocatable minus what pods hold exclusively
 */
public record NumaZone(int id, Map<String, Long> capacity, Map<String, Long> allocatable,
                       Map<String, Long> available) {

    public NumaZone {
        if (id < 0 || id >= NumaMask.MAX_ZONES) {
            throw new IllegalArgumentException("NUMA zone id must be in 0.." + (NumaMask.MAX_ZONES - 1) + ", got " + id);
        }
        capacity = checked(id, "capacity", capacity);
        allocatable = checked(id, "allocatable", allocatable);
        available = checked(id, "available", available);
    }

    /** An empty zone: capacity, allocatable and available are all {@code resources}. */
    public static NumaZone idle(int id, Map<String, Long> resources) {
        return new NumaZone(id, resources, resources, resources);
    }

    /** The same zone with other available amounts. */
    public NumaZone withAvailable(Map<String, Long> newAvailable) {
        return new NumaZone(id, capacity, allocatable, newAvailable);
    }

    public long capacityOf(String resource) {
        return capacity.getOrDefault(resource, 0L);
    }

    public long allocatableOf(String resource) {
        return allocatable.getOrDefault(resource, 0L);
    }

    public long availableOf(String resource) {
        return available.getOrDefault(resource, 0L);
    }

    private static Map<String, Long> checked(int id, String field, Map<String, Long> amounts) {
        if (amounts == null) {
            throw new IllegalArgumentException("zone " + id + ": " + field + " must not be null");
        }
        amounts.forEach((resource, amount) -> {
            if (amount == null || amount < 0) {
                throw new IllegalArgumentException("zone " + id + ": " + field + " of " + resource
                        + " must be >= 0, got " + amount);
            }
        });
        return Map.copyOf(amounts);
    }
}
