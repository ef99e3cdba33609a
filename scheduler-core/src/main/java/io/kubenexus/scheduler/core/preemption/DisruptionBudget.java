package io.kubenexus.scheduler.core.preemption;

import io.kubenexus.scheduler.core.model.LabelSelector;
import java.util.Objects;

/**
 * A PodDisruptionBudget (policy/v1) as preemption reads it: which pods it covers and how many of
 * them may go now.
 *
 * @param namespace          the budget covers pods of this namespace only
 * @param name               the budget's name
 * @param selector           the pods it covers; null (no selector) or empty covers none, as
 *                           kube-scheduler's preemption reads it
 * @param allowedByStatus    {@code status.disruptionsAllowed} when the disruption controller has
 *                           published it (status.observedGeneration set), else null
 * @param minAvailable       {@code spec.minAvailable} ("3" or "50%"), or null
 * @param maxUnavailable     {@code spec.maxUnavailable} ("1" or "25%"), or null
 */
public record DisruptionBudget(String namespace, String name, LabelSelector selector, Integer allowedByStatus,
                               String minAvailable, String maxUnavailable) {
    public DisruptionBudget {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        if (minAvailable != null) {
            scaled("spec.minAvailable", minAvailable, 0);
        }
        if (maxUnavailable != null) {
            scaled("spec.maxUnavailable", maxUnavailable, 0);
        }
    }

    /** Whether the budget covers a pod of {@code podNamespace} with {@code labels}. */
    public boolean covers(String podNamespace, java.util.Map<String, String> labels) {
        return namespace.equals(podNamespace) && selector != null && !selector.isEmpty() && selector.matches(labels);
    }

    /**
     * How many covered pods may be disrupted now: the status's answer when published, else computed
     * from the spec over {@code healthy} covered pods (running, not terminating), taking them as the
     * expected count too (we do not read the controllers' scale). Never negative.
     */
    public int disruptionsAllowed(int healthy) {
        if (allowedByStatus != null) {
            return Math.max(0, allowedByStatus);
        }
        if (minAvailable != null) {
            return Math.max(0, healthy - scaled("spec.minAvailable", minAvailable, healthy));
        }
        if (maxUnavailable != null) {
            return Math.max(0, scaled("spec.maxUnavailable", maxUnavailable, healthy));
        }
        return 0;
    }

    /** An int-or-percent of {@code total}, percentages rounded up as the disruption controller does. */
    static int scaled(String key, String value, int total) {
        String text = value.trim();
        try {
            if (text.endsWith("%")) {
                int percent = Integer.parseInt(text.substring(0, text.length() - 1).trim());
                if (percent < 0) {
                    throw new IllegalArgumentException(key + ": must not be negative, was " + value);
                }
                return (int) ((percent * (long) total + 99) / 100);
            }
            int count = Integer.parseInt(text);
            if (count < 0) {
                throw new IllegalArgumentException(key + ": must not be negative, was " + value);
            }
            return count;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": must be an integer or a percentage, was " + value, e);
        }
    }
}
