package io.kubenexus.scheduler.kube.embedded;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The binds the embedded API applied, per pod UID: the witness of "every pod bound exactly once".
 * A bind whose answer the client never got (a timeout) counts as applied, as it is. Thread-safe.
 */
public final class BindLedger {
    private final Map<String, AtomicInteger> appliedByUid = new ConcurrentHashMap<>();
    private final Map<String, String> podByUid = new ConcurrentHashMap<>();

    void applied(String uid, String namespacedName) {
        String id = uid.isEmpty() ? "name:" + namespacedName : uid;
        podByUid.putIfAbsent(id, namespacedName);
        appliedByUid.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    }

    /** Binds applied so far, all pods. */
    public long applied() {
        return appliedByUid.values().stream().mapToLong(AtomicInteger::get).sum();
    }

    /** Pods bound more than once ({@code ns/name (uid): n binds}), sorted; must be empty. */
    public List<String> boundMoreThanOnce() {
        Map<String, Integer> sorted = new TreeMap<>();
        appliedByUid.forEach((uid, n) -> {
            if (n.get() > 1) {
                sorted.put(podByUid.get(uid) + " (" + uid + ")", n.get());
            }
        });
        return sorted.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue() + " binds").toList();
    }
}
