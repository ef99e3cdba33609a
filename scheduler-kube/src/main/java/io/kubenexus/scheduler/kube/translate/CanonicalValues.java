package io.kubenexus.scheduler.kube.translate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands out one shared instance per distinct immutable value (request lists, container lists,
 * tolerations, selectors, kept annotations) and interns strings, so the 20 executors of a Spark
 * application hold one copy of what they have in common. The scheduler keeps a translated pod for
 * every pod of the cluster; without sharing, identical sub-objects were most of its 3 KB.
 *
 * <p>Only immutable values may be passed (records of immutable parts, {@code List.copyOf},
 * {@code Map.copyOf}). Bounded: when full it starts over, which costs sharing, never correctness.
 * Thread-safe.
 */
final class CanonicalValues {
    private static final int MAX_ENTRIES = 16_384;

    private final ConcurrentHashMap<Object, Object> values = new ConcurrentHashMap<>();

    /** The shared instance equal to {@code value} (or {@code value} itself, from now on shared). */
    @SuppressWarnings("unchecked")
    <T> T of(T value) {
        if (value == null) {
            return null;
        }
        if (values.size() >= MAX_ENTRIES) {
            values.clear();
        }
        Object shared = values.putIfAbsent(value, value);
        return shared == null ? value : (T) shared;
    }

    /** An immutable list of the items, shared with every equal list. */
    <T> List<T> list(List<T> items) {
        return items.isEmpty() ? List.of() : of(List.copyOf(items));
    }

    /** An immutable map with interned keys and values, shared with every equal map. */
    Map<String, String> strings(Map<String, String> map) {
        return map.isEmpty() ? Map.of() : of(internedMap(map));
    }

    /**
     * An immutable map with interned keys and values, not shared: for maps that differ in some
     * value from pod to pod (labels carry executor ids and hashes).
     */
    static Map<String, String> internedMap(Map<String, String> map) {
        if (map.isEmpty()) {
            return Map.of();
        }
        Map<String, String> interned = new LinkedHashMap<>(map.size() * 2);
        map.forEach((key, value) -> interned.put(intern(key), intern(value)));
        return Map.copyOf(interned);
    }

    static String intern(String value) {
        return value == null ? null : value.intern();
    }
}
