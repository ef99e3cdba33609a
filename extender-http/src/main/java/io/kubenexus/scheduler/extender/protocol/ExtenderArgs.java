package io.kubenexus.scheduler.extender.protocol;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Objects;

/**
 * A decoded filter or prioritize request ({@code k8s.io/kube-scheduler/extender/v1.ExtenderArgs}).
 *
 * @param pod the pod being scheduled
 * @param nodes the candidates, in the mode they were sent
 */
public record ExtenderArgs(Pod pod, CandidateNodes nodes) {
    public ExtenderArgs {
        Objects.requireNonNull(pod, "pod");
        Objects.requireNonNull(nodes, "nodes");
    }
}
