package io.kubenexus.scheduler.core.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * Amounts of named resources in the scheduler's units: cpu in millicores, memory and ephemeral
 * storage in bytes, pods and extended resources (such as {@code nvidia.com/gpu}) as counts.
 * Zero amounts are not stored, so two lists are equal exactly when they ask for the same things.
 */
public record ResourceList(Map<String, Long> amounts) {

    public static final ResourceList EMPTY = new ResourceList(Map.of());

    public ResourceList {
        TreeMap<String, Long> copy = new TreeMap<>();
        amounts.forEach((name, amount) -> {
            if (amount == null || amount < 0) {
                throw new IllegalArgumentException("resource " + name + " has a negative amount: " + amount);
            }
            if (amount > 0) {
                copy.put(name, amount);
            }
        });
        amounts = java.util.Collections.unmodifiableMap(copy);
    }

    public static ResourceList of(Map<String, Long> amounts) {
        return amounts.isEmpty() ? EMPTY : new ResourceList(amounts);
    }

    public long get(String name) {
        Long amount = amounts.get(name);
        return amount == null ? 0 : amount;
    }

    public boolean isEmpty() {
        return amounts.isEmpty();
    }

    public ResourceList plus(ResourceList other) {
        if (other.isEmpty()) {
            return this;
        }
        TreeMap<String, Long> sum = new TreeMap<>(amounts);
        other.amounts.forEach((name, amount) -> sum.merge(name, amount, Math::addExact));
        return new ResourceList(sum);
    }

    /** The larger amount of each resource (kube-scheduler's rule for init containers). */
    public ResourceList max(ResourceList other) {
        TreeMap<String, Long> max = new TreeMap<>(amounts);
        other.amounts.forEach((name, amount) -> max.merge(name, amount, Math::max));
        return new ResourceList(max);
    }

    public ResourceList with(String name, long amount) {
        TreeMap<String, Long> copy = new TreeMap<>(amounts);
        copy.put(name, amount);
        return new ResourceList(copy);
    }

    /** Human-readable form in Kubernetes units, e.g. {@code cpu=1500m, memory=2Gi}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        amounts.forEach((name, amount) -> {
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append(name).append('=').append(Quantities.format(name, amount));
        });
        return out.toString();
    }
}
