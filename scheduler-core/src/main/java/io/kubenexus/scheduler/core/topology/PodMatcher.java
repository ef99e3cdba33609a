package io.kubenexus.scheduler.core.topology;

import io.kubenexus.scheduler.core.model.PodAffinityTerm;
import io.kubenexus.scheduler.core.model.PodInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The pods a count is kept for: those every selection selects. One selection for an anti-affinity
 * term or a spread constraint; all of a pod's required affinity terms together, because
 * kube-scheduler counts an existing pod for required affinity only when it matches every term.
 * A value, used as the key of {@link PodTopologyCounts}.
 *
 * @param allOf            selections a pod must all match; never empty
 * @param countTerminating whether pods being deleted count: topology spread leaves them out (as
 *                         kube-scheduler does), inter-pod affinity counts them while they run
 */
public record PodMatcher(List<PodSelection> allOf, boolean countTerminating) {
    public PodMatcher {
        allOf = List.copyOf(allOf);
        if (allOf.isEmpty()) {
            throw new IllegalArgumentException("a pod matcher needs at least one selection");
        }
    }

    /** The pods one affinity term of a pod in {@code ownerNamespace} selects, or null when it selects none. */
    public static PodMatcher ofTerm(PodAffinityTerm term, String ownerNamespace) {
        PodSelection selection = PodSelection.of(term, ownerNamespace);
        return selection == null ? null : new PodMatcher(List.of(selection), true);
    }

    /** The pods matching every term, or null when some term selects no pod (then none matches all). */
    public static PodMatcher ofAllTerms(List<PodAffinityTerm> terms, String ownerNamespace) {
        List<PodSelection> selections = new ArrayList<>(terms.size());
        for (PodAffinityTerm term : terms) {
            PodSelection selection = PodSelection.of(term, ownerNamespace);
            if (selection == null) {
                return null;
            }
            selections.add(selection);
        }
        return selections.isEmpty() ? null : new PodMatcher(selections, true);
    }

    /** A spread constraint's counted pods, or null when it has no selector (it counts none). */
    public static PodMatcher forSpread(PodSelection selection) {
        return selection == null ? null : new PodMatcher(List.of(selection), false);
    }

    public boolean readsNamespaceLabels() {
        for (PodSelection selection : allOf) {
            if (selection.readsNamespaceLabels()) {
                return true;
            }
        }
        return false;
    }

    public boolean matches(PodInfo pod, Function<String, Map<String, String>> namespaceLabels) {
        if (!countTerminating && pod.terminating()) {
            return false;
        }
        for (int i = 0, n = allOf.size(); i < n; i++) {
            if (!allOf.get(i).matches(pod, namespaceLabels)) {
                return false;
            }
        }
        return true;
    }
}
