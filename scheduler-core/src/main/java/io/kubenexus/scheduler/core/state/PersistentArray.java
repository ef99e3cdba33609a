package io.kubenexus.scheduler.core.state;

import java.util.Arrays;

/**
 * An immutable array indexed by int whose {@link #with} shares all but one path with the
 * original: a trie of 32-way nodes, so changing K slots copies O(K log32 n) references instead of
 * the whole array. This is what lets the cluster state publish a read view in O(changes).
 */
public final class PersistentArray<T> {
    private static final int BITS = 5;
    private static final int WIDTH = 1 << BITS;
    private static final int MASK = WIDTH - 1;
    private static final PersistentArray<?> EMPTY = new PersistentArray<>(new Object[WIDTH], BITS, WIDTH);

    private final Object[] root;
    /** Bits of index consumed by the levels above the leaves; the leaves consume the last BITS. */
    private final int shift;
    /** Indices below this fit without growing the trie. */
    private final int capacity;

    private PersistentArray(Object[] root, int shift, int capacity) {
        this.root = root;
        this.shift = shift;
        this.capacity = capacity;
    }

    @SuppressWarnings("unchecked")
    public static <T> PersistentArray<T> empty() {
        return (PersistentArray<T>) EMPTY;
    }

    public int capacity() {
        return capacity;
    }

    @SuppressWarnings("unchecked")
    public T get(int index) {
        if (index < 0 || index >= capacity) {
            return null;
        }
        Object[] node = root;
        for (int level = shift; level > 0; level -= BITS) {
            node = (Object[]) node[(index >>> level) & MASK];
            if (node == null) {
                return null;
            }
        }
        return (T) node[index & MASK];
    }

    /** A new array equal to this one except that {@code index} holds {@code value}. */
    public PersistentArray<T> with(int index, T value) {
        if (index < 0) {
            throw new IndexOutOfBoundsException(index);
        }
        PersistentArray<T> target = this;
        while (index >= target.capacity) {
            target = target.grown();
        }
        return new PersistentArray<>(set(target.root, target.shift, index, value), target.shift, target.capacity);
    }

    private PersistentArray<T> grown() {
        Object[] newRoot = new Object[WIDTH];
        newRoot[0] = root;
        return new PersistentArray<>(newRoot, shift + BITS, capacity << BITS);
    }

    private static Object[] set(Object[] node, int level, int index, Object value) {
        Object[] copy = node == null ? new Object[WIDTH] : Arrays.copyOf(node, WIDTH);
        if (level == 0) {
            copy[index & MASK] = value;
        } else {
            int slot = (index >>> level) & MASK;
            copy[slot] = set((Object[]) copy[slot], level - BITS, index, value);
        }
        return copy;
    }
}
