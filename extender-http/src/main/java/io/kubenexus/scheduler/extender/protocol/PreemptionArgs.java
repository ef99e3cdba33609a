package io.kubenexus.scheduler.extender.protocol;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A decoded preempt request ({@code ExtenderPreemptionArgs}). Whether kube-scheduler sent whole
 * victim pods ({@code NodeNameToVictims}, nodeCacheCapable false) or only their UIDs
 * ({@code NodeNameToMetaVictims}, true), they are kept as UIDs: that is all the answer carries.
 *
 * @param pod the preemptor
 * @param victimsByNode candidate node to its proposed victims, in the order sent
 */
public record PreemptionArgs(Pod pod, Map<String, MetaVictims> victimsByNode) {
    public PreemptionArgs {
        Objects.requireNonNull(pod, "pod");
        victimsByNode = Collections.unmodifiableMap(new LinkedHashMap<>(victimsByNode));
    }

    /** Node to victim UIDs, the shape {@link ExtenderBackend#preempt} takes. */
    public Map<String, List<String>> victimUidsByNode() {
        Map<String, List<String>> uids = new LinkedHashMap<>();
        victimsByNode.forEach((node, victims) -> uids.put(node, victims.podUids()));
        return Collections.unmodifiableMap(uids);
    }
}
