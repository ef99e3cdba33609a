package io.kubenexus.scheduler.bench.harness;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When each pod of the run was sent, created and seen bound, in {@link System#nanoTime()} units
 * (0: not yet). Creator threads write the create times, the harness's own watch writes the bind
 * times; readers on any thread. Pods are identified by their index in the run.
 */
final class PodTimeline {
    private final Map<String, Integer> indexByName;
    private final AtomicLongArray createSent;
    private final AtomicLongArray createReturned;
    private final AtomicLongArray boundSeen;
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicInteger bound = new AtomicInteger();

    /** @param indexByName pod name to its index in the run */
    PodTimeline(Map<String, Integer> indexByName) {
        this.indexByName = Map.copyOf(indexByName);
        int pods = indexByName.size();
        this.createSent = new AtomicLongArray(pods);
        this.createReturned = new AtomicLongArray(pods);
        this.boundSeen = new AtomicLongArray(pods);
    }

    int pods() {
        return createSent.length();
    }

    void createSent(int index, long nanos) {
        createSent.set(index, nanos);
    }

    void createReturned(int index, long nanos) {
        createReturned.set(index, nanos);
        created.incrementAndGet();
    }

    /** The first sighting counts; later events of a bound pod (conditions, status) do not. */
    void boundSeen(String podName, long nanos) {
        Integer index = indexByName.get(podName);
        if (index != null && boundSeen.compareAndSet(index, 0, nanos)) {
            bound.incrementAndGet();
        }
    }

    int created() {
        return created.get();
    }

    int bound() {
        return bound.get();
    }

    /** Pod creation rate: created pods over first send to last return, per second. */
    double creationRate() {
        long first = min(createSent);
        long last = max(createReturned);
        return rate(created(), first, last);
    }

    double creationSeconds() {
        return seconds(min(createSent), max(createReturned));
    }

    /** Bind rate: bound pods over first to last bind seen, per second. */
    double bindRate() {
        return bound() < 2 ? 0 : rate(bound() - 1, min(boundSeen), max(boundSeen));
    }

    double bindSeconds() {
        return seconds(min(boundSeen), max(boundSeen));
    }

    /** First create sent to last bind seen. */
    double endToEndSeconds() {
        return seconds(min(createSent), max(boundSeen));
    }

    /** Milliseconds from the return of each pod's create call to its bind being seen, sorted. */
    double[] createToBindMillis() {
        double[] latencies = new double[pods()];
        int n = 0;
        for (int i = 0; i < pods(); i++) {
            long returned = createReturned.get(i);
            long bind = boundSeen.get(i);
            if (returned != 0 && bind != 0) {
                // The watch can see the bind before the creator thread sees its response: count 0.
                latencies[n++] = Math.max(0, bind - returned) / 1e6;
            }
        }
        double[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        return sorted;
    }

    /** Pods whose bind the watch reported before their create call had returned to the creator. */
    int boundBeforeCreateReturned() {
        int count = 0;
        for (int i = 0; i < pods(); i++) {
            long returned = createReturned.get(i);
            long bind = boundSeen.get(i);
            if (returned != 0 && bind != 0 && bind < returned) {
                count++;
            }
        }
        return count;
    }

    private static double rate(int count, long firstNanos, long lastNanos) {
        return lastNanos <= firstNanos ? 0 : count * 1e9 / (lastNanos - firstNanos);
    }

    private static double seconds(long firstNanos, long lastNanos) {
        return lastNanos <= firstNanos ? 0 : (lastNanos - firstNanos) / 1e9;
    }

    private static long min(AtomicLongArray values) {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < values.length(); i++) {
            long v = values.get(i);
            if (v != 0 && v < min) {
                min = v;
            }
        }
        return min == Long.MAX_VALUE ? 0 : min;
    }

    private static long max(AtomicLongArray values) {
        long max = 0;
        for (int i = 0; i < values.length(); i++) {
            max = Math.max(max, values.get(i));
        }
        return max;
    }
}
