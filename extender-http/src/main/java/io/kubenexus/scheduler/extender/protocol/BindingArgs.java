package io.kubenexus.scheduler.extender.protocol;

import java.util.Objects;

/**
 * A decoded bind request ({@code ExtenderBindingArgs}).
 *
 * @param podName required, not empty
 * @param podNamespace required, not empty
 * @param podUid the pod's UID, empty when not sent
 * @param node the node kube-scheduler chose, required, not empty
 */
public record BindingArgs(String podName, String podNamespace, String podUid, String node) {
    public BindingArgs {
        Objects.requireNonNull(podName, "podName");
        Objects.requireNonNull(podNamespace, "podNamespace");
        Objects.requireNonNull(podUid, "podUid");
        Objects.requireNonNull(node, "node");
    }
}
