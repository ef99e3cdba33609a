package io.kubenexus.scheduler.extender.protocol;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The answer to a filter call: which of the candidate nodes the pod may run on, and why the others
 * may not.
 *
 * <p>Every name must be one of the candidates the call was given; a name that was not is a backend
 * bug and fails the call with a 500 (kube-scheduler itself rejects a filter result that names a node
 * it did not send). A node listed in {@code failedAndUnresolvable} is one that preemption on that
 * node would not help; kube-scheduler gives it precedence over {@code failed}.
 *
 * @param feasible the candidates that pass, in any order (answered in the request's order)
 * @param failed candidates that fail, node name to a human-readable reason
 * @param failedAndUnresolvable candidates that fail whatever is preempted, node name to reason
 */
public record FilterVerdicts(
        List<String> feasible, Map<String, String> failed, Map<String, String> failedAndUnresolvable) {

    public FilterVerdicts {
        feasible = List.copyOf(Objects.requireNonNull(feasible, "feasible"));
        failed = Map.copyOf(Objects.requireNonNull(failed, "failed"));
        failedAndUnresolvable =
                Map.copyOf(Objects.requireNonNull(failedAndUnresolvable, "failedAndUnresolvable"));
    }

    /** Every given node passes. */
    public static FilterVerdicts allFeasible(List<String> nodeNames) {
        return new FilterVerdicts(nodeNames, Map.of(), Map.of());
    }
}
