package io.kubenexus.scheduler.gang.group;

import java.time.Duration;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * When a waiting gang starts to starve: after that long, room is held for it as it frees up (see
 * docs/gang-scheduling.md). Set per priority: a gang's priority (the highest of its members') picks
 * the entry with the greatest priority at or below it, else {@code after}. A zero duration means
 * never (no room is held).
 *
 * @param after           for gangs below every entry of {@code afterByPriority}; zero = never (default)
 * @param afterByPriority from a priority (a PriorityClass value) upwards, the wait after which gangs starve
 */
public record StarvationSettings(Duration after, NavigableMap<Integer, Duration> afterByPriority) {
    public StarvationSettings {
        check("gang.starvation.after", after);
        if (afterByPriority == null) {
            afterByPriority = new TreeMap<>();
        }
        for (Map.Entry<Integer, Duration> entry : afterByPriority.entrySet()) {
            if (entry.getKey() == null) {
                throw new IllegalArgumentException("gang.starvation.afterByPriority: a priority is missing");
            }
            check("gang.starvation.afterByPriority." + entry.getKey(), entry.getValue());
        }
        afterByPriority = java.util.Collections.unmodifiableNavigableMap(new TreeMap<>(afterByPriority));
    }

    private static void check(String key, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(key + ": must be a duration of 0 (never) or more, was " + value);
        }
    }

    /** Starvation protection off: no gang ever gets room held. */
    public static StarvationSettings off() {
        return new StarvationSettings(Duration.ZERO, new TreeMap<>());
    }

    /** Every gang, whatever its priority, starves after {@code after}. */
    public static StarvationSettings after(Duration after) {
        return new StarvationSettings(after, new TreeMap<>());
    }

    /** The wait after which a gang of {@code priority} starves, or null when it never does. */
    public Duration starvesAfter(int priority) {
        Map.Entry<Integer, Duration> entry = afterByPriority.floorEntry(priority);
        Duration wait = entry == null ? after : entry.getValue();
        return wait.isZero() ? null : wait;
    }

    /** The shortest wait after which some gang starves (zero when none ever does). */
    public Duration shortest() {
        Duration shortest = Duration.ZERO;
        for (Duration wait : afterByPriority.values()) {
            shortest = !wait.isZero() && (shortest.isZero() || wait.compareTo(shortest) < 0) ? wait : shortest;
        }
        return !after.isZero() && (shortest.isZero() || after.compareTo(shortest) < 0) ? after : shortest;
    }

    /** Whether some gang may starve. */
    public boolean enabled() {
        return !after.isZero() || afterByPriority.values().stream().anyMatch(d -> !d.isZero());
    }
}
