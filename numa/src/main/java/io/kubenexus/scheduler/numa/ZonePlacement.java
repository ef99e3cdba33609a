package io.kubenexus.scheduler.numa;

/**
 * Where within its node a pod's aligned resources were charged.
 *
 * @param nodeName the node
 * @param zones    the NUMA zone ids the pod's aligned resources come from
 * @param island   the NVLink island its GPUs were counted against, or null (no GPUs or no
 *                 interconnect data)
 */
public record ZonePlacement(String nodeName, NumaMask zones, String island) {

    /** For events: "NUMA zone 0" or "NUMA zones 0,1", then ", NVLink island nvl0" when known. */
    public String describe() {
        int[] ids = zones.zones();
        StringBuilder text = new StringBuilder(ids.length == 1 ? "NUMA zone " : "NUMA zones ");
        for (int i = 0; i < ids.length; i++) {
            text.append(i == 0 ? "" : ",").append(ids[i]);
        }
        if (island != null) {
            text.append(", NVLink island ").append(island);
        }
        return text.toString();
    }
}
