package io.kubenexus.scheduler.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /debug/explain}'s JSON as a person reads it in a terminal, beside {@code kubectl describe
 * pod}: where the pod stands, the reason it was last given (its PodScheduled condition), why the
 * nodes refuse it now, and for a gang member the group's side.
 */
final class PodExplanationText {
    private PodExplanationText() {
    }

    static String render(JsonNode explanation) {
        StringBuilder out = new StringBuilder();
        out.append("Pod:       ").append(explanation.path("key").asText()).append('\n');
        if (!explanation.path("uid").asText().isEmpty()) {
            out.append("UID:       ").append(explanation.path("uid").asText()).append('\n');
        }
        out.append("State:     ").append(state(explanation.path("state").asText())).append('\n');
        String last = text(explanation.path("lastUnschedulableMessage"));
        if (last != null) {
            out.append("Reported:  ").append(last).append("\n           (the message of its PodScheduled=False condition "
                    + "and FailedScheduling event)\n");
        }
        String state = explanation.path("state").asText();
        if (state.equals("BOUND") || state.equals("IN_FLIGHT")) {
            // Placed: how many nodes would take it again says nothing about it.
            appendGang(out, explanation.path("gang"));
            return out.toString();
        }
        int nodes = explanation.path("nodeCount").asInt();
        int feasible = explanation.path("feasibleNodes").asInt();
        out.append(String.format(Locale.ROOT, "Now:       %d of %d node(s) would take it on its own%n", feasible, nodes));
        JsonNode byPlugin = explanation.path("reasonsByPlugin");
        if (byPlugin.isObject() && byPlugin.size() > 0) {
            out.append("Nodes refuse it because (nodes, reason):\n");
            for (Iterator<Map.Entry<String, JsonNode>> plugins = byPlugin.fields(); plugins.hasNext(); ) {
                Map.Entry<String, JsonNode> plugin = plugins.next();
                out.append("  ").append(plugin.getKey()).append('\n');
                for (Map.Entry<String, JsonNode> reason : sortedByCount(plugin.getValue())) {
                    out.append(String.format(Locale.ROOT, "    %6d  %s%n", reason.getValue().asInt(), reason.getKey()));
                }
            }
        }
        appendGang(out, explanation.path("gang"));
        return out.toString();
    }

    private static void appendGang(StringBuilder out, JsonNode gang) {
        if (gang.isObject()) {
            out.append(String.format(Locale.ROOT, "Gang:      %s, min-available %d: %d bound, %d pending, %d not created yet%n",
                    gang.path("groupId").asText(), gang.path("minAvailable").asInt(), gang.path("membersBound").asInt(),
                    gang.path("membersPending").asInt(), gang.path("membersMissing").asInt()));
            String plan = text(gang.path("planResult"));
            if (plan != null) {
                out.append("  Plan now: ").append(plan).append('\n');
            }
            int held = gang.path("reservationsHeld").asInt();
            if (held > 0) {
                List<String> where = new ArrayList<>();
                gang.path("reservedNodes").forEach(n -> where.add(n.asText()));
                out.append(String.format(Locale.ROOT, "  Reserved: %d executor place(s) on %s; the first is released at %s%n",
                        held, String.join(", ", where), gang.path("earliestExpiry").asText("?")));
            }
        }
    }

    private static String state(String state) {
        return switch (state) {
            case "PENDING_ACTIVE" -> "pending, waiting for its turn in the queue";
            case "BACKOFF" -> "pending, backing off after a failed attempt";
            case "UNSCHEDULABLE" -> "pending, unschedulable: retried when the cluster changes in a way that may help";
            case "IN_FLIGHT" -> "binding: a node was chosen and the bind is under way";
            case "BOUND" -> "bound";
            case "NOT_OURS" -> "not scheduled by this scheduler (its spec.schedulerName names another)";
            default -> state.toLowerCase(Locale.ROOT);
        };
    }

    private static List<Map.Entry<String, JsonNode>> sortedByCount(JsonNode reasons) {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        reasons.fields().forEachRemaining(entries::add);
        entries.sort((a, b) -> b.getValue().asInt() != a.getValue().asInt()
                ? Integer.compare(b.getValue().asInt(), a.getValue().asInt()) : a.getKey().compareTo(b.getKey()));
        return entries;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() || node.asText().isEmpty() ? null : node.asText();
    }
}
