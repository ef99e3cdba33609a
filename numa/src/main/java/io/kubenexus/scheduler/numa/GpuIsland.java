package io.kubenexus.scheduler.numa;

/**
 * GPUs joined by NVLink (or NVSwitch) into one island, attached to one NUMA zone. GPUs of one
 * island exchange data without crossing PCIe or the socket interconnect, so a multi-GPU pod whose
 * GPUs share an island trains faster.
 *
 * @param name the island's name as published (for events), e.g. {@code nvl0}
 * @param zone the NUMA zone id the island's GPUs hang off
 * @param gpus how many GPUs the island has, at least 1
 */
public record GpuIsland(String name, int zone, int gpus) {
    public GpuIsland {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an NVLink island needs a name");
        }
        if (zone < 0 || zone >= NumaMask.MAX_ZONES) {
            throw new IllegalArgumentException("island " + name + ": zone must be in 0.." + (NumaMask.MAX_ZONES - 1)
                    + ", got " + zone);
        }
        if (gpus < 1) {
            throw new IllegalArgumentException("island " + name + ": gpus must be >= 1, got " + gpus);
        }
    }
}
