package io.kubenexus.scheduler.core.query;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Why a pod is where it is ({@code /debug/explain}), computed on the loop thread from the live state
 * without changing it.
 *
 * @param key                     {@code namespace/name}
 * @param uid                     the pod's UID as the loop knows it ("" when unknown)
 * @param state                   where the pod stands
 * @param lastUnschedulableMessage the last message sent to the EventSink for it as unschedulable
 *                                (the text of its PodScheduled=False condition), or null
 * @param nodeReasons             fresh, from the live state: reason to the number of nodes rejected
 *                                for it (a node may count under several), as in the FailedScheduling
 *                                message; for a pod that a pre-filter rejects, that reason counts every
 *                                node
 * @param reasonsByPlugin         the same reasons grouped by the filter that recorded them, so NUMA
 *                                reasons (the NumaTopology plugin) are told apart from the others
 * @param nodeCount               nodes in the cluster state
 * @param feasibleNodes           nodes that pass every filter now
 * @param gang                    for a member of a group, the group's side; else null
 */
public record PodExplanation(String key, String uid, PodState state, String lastUnschedulableMessage,
                             Map<String, Integer> nodeReasons, Map<String, Map<String, Integer>> reasonsByPlugin,
                             int nodeCount, int feasibleNodes, GangExplanation gang) {
    public PodExplanation {
        nodeReasons = Collections.unmodifiableMap(new TreeMap<>(nodeReasons));
        TreeMap<String, Map<String, Integer>> byPlugin = new TreeMap<>();
        reasonsByPlugin.forEach((plugin, reasons) -> byPlugin.put(plugin, Collections.unmodifiableMap(new TreeMap<>(reasons))));
        reasonsByPlugin = Collections.unmodifiableMap(byPlugin);
    }
}
