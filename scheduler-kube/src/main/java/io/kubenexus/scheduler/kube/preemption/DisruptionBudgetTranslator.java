package io.kubenexus.scheduler.kube.preemption;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.kubenexus.scheduler.core.model.LabelSelector;
import io.kubenexus.scheduler.core.model.LabelSelectorOperator;
import io.kubenexus.scheduler.core.preemption.DisruptionBudget;
import java.util.ArrayList;
import java.util.List;

/**
 * A policy/v1 PodDisruptionBudget as preemption reads it: namespace, selector, and
 * {@code status.disruptionsAllowed} once the disruption controller has published a status
 * ({@code status.observedGeneration} set), else the spec's minAvailable / maxUnavailable.
 */
public final class DisruptionBudgetTranslator {
    /** @throws IllegalArgumentException with the field's name when the budget cannot be read */
    public DisruptionBudget translate(PodDisruptionBudget pdb) {
        String namespace = pdb.getMetadata().getNamespace();
        String name = pdb.getMetadata().getName();
        var spec = pdb.getSpec();
        LabelSelector selector = spec == null || spec.getSelector() == null ? null : selector(spec.getSelector());
        var status = pdb.getStatus();
        Integer allowed = status != null && status.getObservedGeneration() != null ? status.getDisruptionsAllowed() : null;
        return new DisruptionBudget(namespace == null ? "" : namespace, name, selector, allowed,
                spec == null ? null : text(spec.getMinAvailable()), spec == null ? null : text(spec.getMaxUnavailable()));
    }

    private static LabelSelector selector(io.fabric8.kubernetes.api.model.LabelSelector selector) {
        List<io.kubenexus.scheduler.core.model.LabelSelectorRequirement> expressions = new ArrayList<>();
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
                expressions.add(new io.kubenexus.scheduler.core.model.LabelSelectorRequirement(requirement.getKey(),
                        LabelSelectorOperator.fromApiName(requirement.getOperator()),
                        requirement.getValues() == null ? List.of() : requirement.getValues()));
            }
        }
        return new LabelSelector(selector.getMatchLabels(), expressions);
    }

    private static String text(IntOrString value) {
        if (value == null) {
            return null;
        }
        return value.getIntVal() != null ? String.valueOf(value.getIntVal()) : value.getStrVal();
    }
}
