package io.kubenexus.scheduler.core.framework;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Why nodes were rejected for one pod: a histogram of reasons (one node may add several, e.g.
 * "Insufficient cpu" and "Insufficient memory") and the plugins that rejected any node. Renders
 * kube-scheduler's message: {@code 0/50 nodes are available: 20 node(s) had untolerated taint
 * {gpu: true}, 30 Insufficient cpu.} (reasons sorted as strings, as kube-scheduler sorts them).
 *
 * <p>Owned by the scheduling loop and reused across cycles: {@link #reset} clears it.
 */
public final class FilterDiagnosis {
    private final Map<String, int[]> reasonCounts = new HashMap<>();
    private final Set<String> rejectingPlugins = new LinkedHashSet<>();
    private final EnumSet<ClusterEventType> helpfulEvents = EnumSet.noneOf(ClusterEventType.class);
    private String unresolvable;

    public void reset() {
        reasonCounts.clear();
        rejectingPlugins.clear();
        helpfulEvents.clear();
        unresolvable = null;
    }

    /** Records that one node was rejected for {@code reason}. */
    public void reject(FilterPlugin plugin, String reason) {
        count(plugin, reason, 1);
    }

    /** Records that every node in {@code rejected} was rejected for {@code reason}. */
    public void rejectAll(FilterPlugin plugin, BitSet rejected, String reason) {
        int n = rejected.cardinality();
        if (n > 0) {
            count(plugin, reason, n);
        }
    }

    /** Records {@code n} nodes rejected for {@code reason}. */
    public void rejectCount(FilterPlugin plugin, String reason, int n) {
        if (n > 0) {
            count(plugin, reason, n);
        }
    }

    /** Marks the pod unschedulable on every node for a reason no cluster change can fix. */
    public void unresolvable(String reason) {
        this.unresolvable = reason;
    }

    private void count(FilterPlugin plugin, String reason, int n) {
        int[] counter = reasonCounts.computeIfAbsent(reason, r -> new int[1]);
        counter[0] += n;
        if (rejectingPlugins.add(plugin.name())) {
            helpfulEvents.addAll(plugin.eventsThatMayHelp());
        }
    }

    public Set<String> rejectingPlugins() {
        return Collections.unmodifiableSet(rejectingPlugins);
    }

    /** The union of the rejecting plugins' {@link FilterPlugin#eventsThatMayHelp}. */
    public Set<ClusterEventType> eventsThatMayHelp() {
        return Collections.unmodifiableSet(helpfulEvents);
    }

    public Map<String, Integer> reasonHistogram() {
        Map<String, Integer> copy = new HashMap<>();
        reasonCounts.forEach((reason, count) -> copy.put(reason, count[0]));
        return copy;
    }

    public String unresolvableReason() {
        return unresolvable;
    }

    /** kube-scheduler's FailedScheduling message for a cluster of {@code totalNodes} nodes. */
    public String message(int totalNodes) {
        StringBuilder out = new StringBuilder("0/").append(totalNodes).append(" nodes are available");
        if (unresolvable != null) {
            return out.append(": ").append(unresolvable).append('.').toString();
        }
        List<String> parts = new ArrayList<>(reasonCounts.size());
        reasonCounts.forEach((reason, count) -> parts.add(count[0] + " " + reason));
        Collections.sort(parts);
        if (!parts.isEmpty()) {
            out.append(": ").append(String.join(", ", parts)).append('.');
        } else {
            out.append('.');
        }
        return out.toString();
    }
}
