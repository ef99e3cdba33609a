package io.kubenexus.scheduler.numa;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * An immutable set of NUMA zone ids 0..63 packed in a {@code long}, the counterpart of the
 * kubelet's {@code topologymanager/bitmask.BitMask}.
 *
 * @param bits bit {@code i} set means zone {@code i} is in the set
 */
public record NumaMask(long bits) {

    /** Zone ids must be below this (one bit per zone in a long, like the kubelet's uint64). */
    public static final int MAX_ZONES = 64;
    /** Above this many zones {@link #nonEmptySubsets()} refuses to enumerate 2^n sets. */
    public static final int MAX_ENUMERABLE_ZONES = 16;
    public static final NumaMask EMPTY = new NumaMask(0L);

    /**
     * The set of the given zone ids.
     *
     * @throws IllegalArgumentException if an id is outside 0..63
     */
    public static NumaMask of(int... zones) {
        long bits = 0L;
        for (int zone : zones) {
            bits |= bit(zone);
        }
        return new NumaMask(bits);
    }

    /** Zones {@code 0..count-1}. */
    public static NumaMask firstZones(int count) {
        if (count < 0 || count > MAX_ZONES) {
            throw new IllegalArgumentException("zone count must be in 0.." + MAX_ZONES + ", got " + count);
        }
        return new NumaMask(count == MAX_ZONES ? -1L : (1L << count) - 1);
    }

    public int count() {
        return Long.bitCount(bits);
    }

    public boolean isEmpty() {
        return bits == 0L;
    }

    public boolean contains(int zone) {
        return zone >= 0 && zone < MAX_ZONES && (bits & (1L << zone)) != 0;
    }

    public NumaMask and(NumaMask other) {
        return new NumaMask(bits & other.bits);
    }

    public NumaMask or(NumaMask other) {
        return new NumaMask(bits | other.bits);
    }

    /** True when every zone of this set is in {@code other}. */
    public boolean isSubsetOf(NumaMask other) {
        return (bits & ~other.bits) == 0;
    }

    /**
     * The kubelet's ordering of affinities: fewer zones is narrower; at equal count the set with
     * more lower-numbered zones (the smaller unsigned value) is narrower. Strict: a mask is not
     * narrower than itself.
     */
    public boolean isNarrowerThan(NumaMask other) {
        int count = count();
        int otherCount = other.count();
        return count == otherCount ? isLessThan(other) : count < otherCount;
    }

    /** Unsigned comparison of the packed bits, the kubelet's {@code IsLessThan}. */
    public boolean isLessThan(NumaMask other) {
        return Long.compareUnsigned(bits, other.bits) < 0;
    }

    /** The zone ids, ascending. */
    public int[] zones() {
        int[] zones = new int[count()];
        long rest = bits;
        for (int i = 0; rest != 0; i++) {
            zones[i] = Long.numberOfTrailingZeros(rest);
            rest &= rest - 1;
        }
        return zones;
    }

    /**
     * Every non-empty subset of this set, narrowest first (the order {@link #isNarrowerThan}
     * defines). Hint providers walk these the way the kubelet's {@code IterateBitMasks} does; the
     * order does not change any result, it only makes outputs deterministic.
     *
     * @throws IllegalArgumentException above {@link #MAX_ENUMERABLE_ZONES} zones
     */
    public List<NumaMask> nonEmptySubsets() {
        int n = count();
        if (n > MAX_ENUMERABLE_ZONES) {
            throw new IllegalArgumentException("refusing to enumerate the subsets of " + n + " zones (max "
                    + MAX_ENUMERABLE_ZONES + ")");
        }
        List<NumaMask> subsets = new ArrayList<>((1 << n) - 1);
        for (long sub = bits; sub != 0; sub = (sub - 1) & bits) {
            subsets.add(new NumaMask(sub));
        }
        subsets.sort((a, b) -> a.equals(b) ? 0 : a.isNarrowerThan(b) ? -1 : 1);
        return List.copyOf(subsets);
    }

    @Override
    public String toString() {
        StringJoiner joiner = new StringJoiner(",", "{", "}");
        for (int zone : zones()) {
            joiner.add(Integer.toString(zone));
        }
        return joiner.toString();
    }

    private static long bit(int zone) {
        if (zone < 0 || zone >= MAX_ZONES) {
            throw new IllegalArgumentException("NUMA zone id must be in 0.." + (MAX_ZONES - 1) + ", got " + zone);
        }
        return 1L << zone;
    }
}
