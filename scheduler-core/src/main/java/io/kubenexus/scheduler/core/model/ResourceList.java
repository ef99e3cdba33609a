package io.kubenexus.scheduler.core.model;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;

/**
 * Amounts of named resources in the scheduler's units: cpu in millicores, memory and ephemeral
 * storage in bytes, pods and extended resources (such as {@code nvidia.com/gpu}) as counts.
 * Zero amounts are not stored, so two lists are equal exactly when they ask for the same things.
 *
 * <p>Held as two sorted arrays with the hash computed once: the scheduler keeps several per cached
 * pod (a TreeMap cost about 250 bytes each), and the gang planner counts members by their request
 * list, so hashing must not walk a map each time. Immutable.
 */
public final class ResourceList {

    public static final ResourceList EMPTY = new ResourceList(Map.of());

    private final String[] names;
    private final long[] amounts;
    private final int hash;

    /**
     * @throws IllegalArgumentException if an amount is null or negative (the message names the resource)
     */
    public ResourceList(Map<String, Long> amounts) {
        TreeMap<String, Long> sorted = new TreeMap<>();
        amounts.forEach((name, amount) -> {
            if (amount == null || amount < 0) {
                throw new IllegalArgumentException("resource " + name + " has a negative amount: " + amount);
            }
            if (amount > 0) {
                sorted.put(name, amount);
            }
        });
        this.names = new String[sorted.size()];
        this.amounts = new long[sorted.size()];
        int i = 0;
        for (Map.Entry<String, Long> entry : sorted.entrySet()) {
            // Resource names are few (cpu, memory, a handful of devices): one instance each.
            this.names[i] = entry.getKey().intern();
            this.amounts[i] = entry.getValue();
            i++;
        }
        this.hash = 31 * Arrays.hashCode(this.names) + Arrays.hashCode(this.amounts);
    }

    public static ResourceList of(Map<String, Long> amounts) {
        return amounts.isEmpty() ? EMPTY : new ResourceList(amounts);
    }

    /** The amounts by resource name, in ascending name order; a read-only view. */
    public Map<String, Long> amounts() {
        return new AmountsView();
    }

    /** How many resources have a (positive) amount. */
    public int size() {
        return names.length;
    }

    /** The {@code i}-th resource name in ascending order, {@code 0 <= i < size()}. */
    public String name(int i) {
        return names[i];
    }

    /** The amount of {@link #name(int) name(i)}. */
    public long amount(int i) {
        return amounts[i];
    }

    public long get(String name) {
        int i = indexOf(name);
        return i < 0 ? 0 : amounts[i];
    }

    public boolean isEmpty() {
        return names.length == 0;
    }

    public ResourceList plus(ResourceList other) {
        if (other.isEmpty()) {
            return this;
        }
        TreeMap<String, Long> sum = new TreeMap<>(amounts());
        other.amounts().forEach((name, amount) -> sum.merge(name, amount, Math::addExact));
        return new ResourceList(sum);
    }

    /** The larger amount of each resource (kube-scheduler's rule for init containers). */
    public ResourceList max(ResourceList other) {
        TreeMap<String, Long> max = new TreeMap<>(amounts());
        other.amounts().forEach((name, amount) -> max.merge(name, amount, Math::max));
        return new ResourceList(max);
    }

    public ResourceList with(String name, long amount) {
        TreeMap<String, Long> copy = new TreeMap<>(amounts());
        copy.put(name, amount);
        return new ResourceList(copy);
    }

    @Override
    public boolean equals(Object other) {
        return this == other || other instanceof ResourceList list && hash == list.hash
                && Arrays.equals(names, list.names) && Arrays.equals(amounts, list.amounts);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Human-readable form in Kubernetes units, e.g. {@code cpu=1500m, memory=2Gi}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(names[i]).append('=').append(Quantities.format(names[i], amounts[i]));
        }
        return out.toString();
    }

    private int indexOf(Object name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Read-only map over the arrays (AbstractMap supplies equals, hashCode and the rest). */
    private final class AmountsView extends AbstractMap<String, Long> {
        @Override
        public int size() {
            return names.length;
        }

        @Override
        public Long get(Object name) {
            int i = indexOf(name);
            return i < 0 ? null : amounts[i];
        }

        @Override
        public boolean containsKey(Object name) {
            return indexOf(name) >= 0;
        }

        @Override
        public Set<Map.Entry<String, Long>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public int size() {
                    return names.length;
                }

                @Override
                public Iterator<Map.Entry<String, Long>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < names.length;
                        }

                        @Override
                        public Map.Entry<String, Long> next() {
                            if (next >= names.length) {
                                throw new NoSuchElementException();
                            }
                            int i = next++;
                            return new SimpleImmutableEntry<>(names[i], amounts[i]);
                        }
                    };
                }
            };
        }
    }
}
