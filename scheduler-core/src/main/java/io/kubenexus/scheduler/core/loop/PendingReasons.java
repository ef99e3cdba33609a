package io.kubenexus.scheduler.core.loop;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the message of a pending pod's PodScheduled condition into the reasons the cluster page
 * groups pods by: each reason of kube-scheduler's {@code 0/50 nodes are available: 20 node(s) had
 * untolerated taint {gpu: true}, 30 Insufficient cpu.} without its node count, and one reason per
 * kind of gang wait without the gang's name, so that pods waiting for the same thing count together.
 */
final class PendingReasons {
    static final String NO_ATTEMPT_YET = "waiting for its first attempt";
    static final String BACKING_OFF = "backing off after a failed attempt";
    static final String NO_NODES = "no nodes in the cluster";

    private static final Pattern NODES_AVAILABLE = Pattern.compile("^\\d+/\\d+ nodes are available(?:: (.*?))?\\.?$",
            Pattern.DOTALL);
    private static final Pattern COUNTED = Pattern.compile("^(\\d+) (.+)$", Pattern.DOTALL);
    /** A part starts where ", " is followed by a count: taints' and selectors' texts may hold ", " too. */
    private static final Pattern PART = Pattern.compile(", (?=\\d+ )");
    private static final Pattern DRIVER_PREFIX = Pattern.compile("^driver and \\d+ executor\\(s\\) sized by [^:]+: ");
    private static final Pattern GANG_PREFIX = Pattern.compile("^gang [^ :]+: ");
    private static final int LONGEST = 160;

    private PendingReasons() {
    }

    /** The reasons of {@code message}; for a pod without one, what its place in the queue says. */
    static List<String> of(String message, boolean backingOff) {
        if (message == null || message.isBlank()) {
            return List.of(backingOff ? BACKING_OFF : NO_ATTEMPT_YET);
        }
        String text = DRIVER_PREFIX.matcher(message.strip()).replaceFirst("");
        Matcher gang = GANG_PREFIX.matcher(text);
        if (gang.find()) {
            return List.of(gangReason(text.substring(gang.end())));
        }
        Matcher nodes = NODES_AVAILABLE.matcher(text);
        if (nodes.matches()) {
            String parts = nodes.group(1);
            if (parts == null || parts.isBlank()) {
                return List.of(NO_NODES);
            }
            List<String> reasons = new ArrayList<>();
            for (String part : PART.split(parts)) {
                Matcher counted = COUNTED.matcher(part);
                // A pre-filter's reason (an unsupported constraint) stands alone, without a count.
                reasons.add(shortened(counted.matches() ? counted.group(2) : part));
            }
            return reasons;
        }
        return List.of(shortened(text));
    }

    private static String gangReason(String rest) {
        if (rest.contains("members present, waiting for the rest")) {
            return "gang waiting for its members";
        }
        if (rest.startsWith("waiting for PodGroup")) {
            return "gang waiting for its PodGroup object";
        }
        if (rest.startsWith("waiting for SparkApplication")) {
            return "driver waiting for its SparkApplication to size the executors";
        }
        if (rest.startsWith("timed out after")) {
            return "gang timed out (scheduleTimeoutSeconds)";
        }
        if (rest.contains("the whole cluster has")) {
            return "gang needs more than the whole cluster has free";
        }
        if (rest.contains("the best plan fits") || rest.contains("more member(s) need")) {
            return "gang does not fit as a whole";
        }
        return shortened("gang: " + rest.replaceAll("\\d+", "N"));
    }

    private static String shortened(String reason) {
        return reason.length() <= LONGEST ? reason : reason.substring(0, LONGEST - 1) + "…";
    }
}
