package io.kubenexus.scheduler.app.demo;

import java.util.Map;

/**
 * The demo's PriorityClasses, resolved as the API server's Priority admission does (the embedded API
 * has none): a pod naming a class gets its value as {@code spec.priority}; no class, priority 0.
 */
final class DemoPriorities {
    /** Batch work that urgent work may preempt. */
    static final String BATCH = "kubenexus-demo-batch";
    /** Urgent work, above the generator's high priority (1000). */
    static final String URGENT = "kubenexus-demo-urgent";
    static final int URGENT_VALUE = 100_000;
    private static final Map<String, Integer> VALUES = Map.of(BATCH, 0, URGENT, URGENT_VALUE);

    private DemoPriorities() {
    }

    static int value(String priorityClassName) {
        if (priorityClassName == null) {
            return 0;
        }
        Integer value = VALUES.get(priorityClassName);
        if (value == null) {
            throw new IllegalArgumentException("no PriorityClass " + priorityClassName + " in the demo (known: "
                    + VALUES.keySet() + ")");
        }
        return value;
    }
}
