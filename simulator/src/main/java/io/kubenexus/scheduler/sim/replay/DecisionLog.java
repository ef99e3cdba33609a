package io.kubenexus.scheduler.sim.replay;

import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.ports.BindOutcome;
import io.kubenexus.scheduler.core.ports.EventSink;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the loop told the world during a replay, kept for the report: the last reason each pending
 * pod was given, the placement within the node (NUMA zone) of each bound pod, attempts, and how
 * long gangs waited. The loop's {@link EventSink} and {@link SchedulerMetrics}; replay thread only.
 */
final class DecisionLog implements EventSink, SchedulerMetrics {
    private static final Pattern REASON = Pattern.compile("(\\d+) ([^,]+)");

    private final Map<PodKey, String> lastUnschedulable = new HashMap<>();
    private final Map<PodKey, String> placements = new HashMap<>();
    long attempts;
    long gangsPlaced;
    long gangsTimedOut;
    long gangWaitNanosTotal;
    long gangWaitNanosMax;

    @Override
    public void scheduled(PodInfo pod, String nodeName) {
        lastUnschedulable.remove(pod.key());
    }

    @Override
    public void scheduled(PodInfo pod, String nodeName, String placement) {
        scheduled(pod, nodeName);
        if (placement != null) {
            placements.put(pod.key(), placement);
        }
    }

    @Override
    public void unschedulable(PodInfo pod, String message) {
        lastUnschedulable.put(pod.key(), message);
    }

    @Override
    public void invalid(PodInfo pod, String message) {
        lastUnschedulable.put(pod.key(), "invalid: " + message);
    }

    @Override
    public void warning(PodInfo pod, String reason, String message) {
    }

    @Override
    public void bindFailed(PodInfo pod, String nodeName, String message) {
    }

    @Override
    public void attempt(String result, long durationNanos) {
        attempts++;
    }

    @Override
    public void bind(BindOutcome outcome, long durationNanos) {
    }

    @Override
    public void queueSize(String queue, int size) {
    }

    @Override
    public void groupWaited(String result, long nanos) {
        if ("placed".equals(result)) {
            gangsPlaced++;
            gangWaitNanosTotal += nanos;
            gangWaitNanosMax = Math.max(gangWaitNanosMax, nanos);
        } else if ("timeout".equals(result)) {
            gangsTimedOut++;
        }
    }

    /** Where within its node the pod was placed ("NUMA zone 1, ..."), or null. */
    String placement(PodKey key) {
        return placements.get(key);
    }

    /**
     * Why the pod is pending, in a word or two: the reason most nodes gave in its last
     * FailedScheduling message ("Insufficient nvidia.com/gpu"), the message itself when it lists no
     * counts, "never tried" when it had none.
     */
    String reason(PodKey key) {
        String message = lastUnschedulable.get(key);
        if (message == null) {
            return "never tried";
        }
        int colon = message.indexOf(": ");
        String reasons = colon < 0 ? message : message.substring(colon + 2);
        Matcher matcher = REASON.matcher(reasons);
        String best = null;
        long bestCount = -1;
        while (matcher.find()) {
            long count = Long.parseLong(matcher.group(1));
            if (count > bestCount) {
                bestCount = count;
                best = matcher.group(2).trim();
            }
        }
        if (best == null) {
            return message.length() > 120 ? message.substring(0, 120) + "..." : message;
        }
        return best.endsWith(".") ? best.substring(0, best.length() - 1) : best;
    }
}
