package io.kubenexus.scheduler.bench.memory;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Used heap after full collections: {@link System#gc()} repeated until the reading stops falling,
 * with pauses so reference processing and concurrent phases finish. Differences of two readings
 * around building something, divided by the count, are its retained size per object.
 */
public final class HeapMeter {
    private static final int MAX_ROUNDS = 8;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    public long usedAfterGc() throws InterruptedException {
        long best = Long.MAX_VALUE;
        int stable = 0;
        for (int round = 0; round < MAX_ROUNDS && stable < 2; round++) {
            System.gc();
            Thread.sleep(150);
            long used = memory.getHeapMemoryUsage().getUsed();
            // Stable once a round no longer frees more than 64 KiB.
            stable = used >= best - 65_536 ? stable + 1 : 0;
            best = Math.min(best, used);
        }
        return best;
    }
}
