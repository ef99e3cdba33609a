package io.kubenexus.scheduler.core.plugins;

/**
 * A reusable lookup table from a small raw score (a count of taints, a sum of term weights) to its
 * normalized score, so normalizing thousands of nodes costs one division per distinct raw value
 * instead of one per node. Scratch of one plugin instance, used on the loop thread only.
 */
final class NormalizedScores {
    private long[] table = new long[16];

    /** A table with room for raw scores 0..max; its contents are the caller's to fill. */
    long[] table(long max) {
        if (max >= Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("raw score too large for a table: " + max);
        }
        if (table.length <= max) {
            table = new long[(int) Math.max(max + 1, table.length * 2L)];
        }
        return table;
    }
}
