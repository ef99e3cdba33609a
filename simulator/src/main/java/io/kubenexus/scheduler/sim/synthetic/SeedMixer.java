package io.kubenexus.scheduler.sim.synthetic;

/**
 * Derives independent random seeds from a user seed and an index, so that item {@code i} of a
 * synthetic stream is the same whatever was generated before it.
 */
final class SeedMixer {
    private SeedMixer() {
    }

    /**
     * A seed for item {@code index} of the stream seeded with {@code seed}. Both inputs pass through
     * the SplitMix64 finaliser: SplittableRandom instances built from nearby raw seeds would produce
     * shifted copies of one another's output.
     */
    static long seedFor(long seed, long index) {
        return mix64(mix64(seed) ^ mix64(index + 0x632BE59BD9B4E019L));
    }

    /** SplitMix64's output function (Steele, Lea and Flood, 2014). */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
