package io.kubenexus.scheduler.numa;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The predicted kubelet admission of a pod on a node.
 *
 * @param admitted             whether the kubelet would admit the pod
 * @param affinityPerContainer when admitted, the NUMA zones each container's aligned resources are
 *                             pinned to, in container order; in pod scope every container carries
 *                             the pod's single affinity; empty under the {@code none} policy and
 *                             when rejected
 * @param reason               empty when admitted, else the kubelet-style rejection reason
 */
public record Admission(boolean admitted, Map<String, NumaMask> affinityPerContainer, String reason) {

    public Admission {
        if (affinityPerContainer == null || reason == null) {
            throw new IllegalArgumentException("affinityPerContainer and reason must not be null");
        }
        if (admitted != reason.isEmpty()) {
            throw new IllegalArgumentException("a reason is given exactly when the pod is rejected");
        }
        affinityPerContainer = Collections.unmodifiableMap(new LinkedHashMap<>(affinityPerContainer));
    }

    public static Admission admit(Map<String, NumaMask> affinityPerContainer) {
        return new Admission(true, affinityPerContainer, "");
    }

    public static Admission reject(String reason) {
        if (reason == null || reason.isEmpty()) {
            throw new IllegalArgumentException("a rejection needs a reason");
        }
        return new Admission(false, Map.of(), reason);
    }
}
