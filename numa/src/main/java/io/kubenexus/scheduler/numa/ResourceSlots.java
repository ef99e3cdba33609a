package io.kubenexus.scheduler.numa;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Dense numbers for the resources NUMA zones report, so per-zone amounts live in primitive arrays
 * ({@code slot * zones + zone}). cpu, memory and nvidia.com/gpu are always 0, 1 and 2; other
 * resources get a slot when a topology first reports them. Loop thread only.
 */
final class ResourceSlots {
    static final int CPU = 0;
    static final int MEMORY = 1;
    static final int GPU = 2;

    private final Map<String, Integer> slotByName = new HashMap<>();
    private final List<String> names = new ArrayList<>();

    ResourceSlots() {
        register("cpu");
        register("memory");
        register("nvidia.com/gpu");
    }

    int register(String name) {
        Integer slot = slotByName.get(name);
        if (slot != null) {
            return slot;
        }
        names.add(name);
        slotByName.put(name, names.size() - 1);
        return names.size() - 1;
    }

    /** The slot of {@code name}, or -1 when no topology has reported it. */
    int slotOf(String name) {
        Integer slot = slotByName.get(name);
        return slot == null ? -1 : slot;
    }

    String name(int slot) {
        return names.get(slot);
    }

    int count() {
        return names.size();
    }
}
