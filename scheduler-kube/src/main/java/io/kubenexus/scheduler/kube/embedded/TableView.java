package io.kubenexus.scheduler.kube.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Server-side printing as kube-apiserver does it for {@code kubectl get}: a request that accepts
 * {@code as=Table;g=meta.k8s.io;v=v1} gets a {@code meta.k8s.io/v1} Table instead of the objects.
 * kubectl prints only what the Table holds, so without this {@code kubectl get pods -o wide} has no
 * NODE column. Columns follow kube-apiserver's printers (pods, nodes, events, namespaces) and the
 * CRDs' {@code additionalPrinterColumns} (SparkApplication, PodGroup); every other resource gets
 * NAME and AGE. Columns of priority 1 are the ones kubectl shows with {@code -o wide}.
 * Stateless apart from the clock; safe from any thread.
 */
final class TableView {
    private static final String NONE = "<none>";

    private record Column(String name, String type, int priority, Function<JsonNode, Object> cell) {
    }

    private final Clock clock;
    private final ObjectMapper mapper = new ObjectMapper();

    TableView(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether an Accept header asks for a Table (kubectl get sends it first, with JSON as the fallback). */
    static boolean wanted(String accept) {
        return accept != null && accept.contains("as=Table");
    }

    /** The Table of {@code body} (one object or a list) of {@code resource}. */
    String render(ResourcePath path, JsonNode body) {
        List<Column> columns = columns(path);
        ObjectNode table = mapper.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        table.putObject("metadata").put("resourceVersion", body.path("metadata").path("resourceVersion").asText(""));
        ArrayNode definitions = table.putArray("columnDefinitions");
        for (Column column : columns) {
            definitions.addObject().put("name", column.name()).put("type", column.type())
                    .put("format", "Name".equals(column.name()) ? "name" : "").put("description", "")
                    .put("priority", column.priority());
        }
        ArrayNode rows = table.putArray("rows");
        List<JsonNode> items = new ArrayList<>();
        if (body.has("items") && body.get("items").isArray()) {
            body.get("items").forEach(items::add);
        } else {
            items.add(body);
        }
        for (JsonNode item : items) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (Column column : columns) {
                Object value = column.cell().apply(item);
                if (value instanceof Integer number) {
                    cells.add(number);
                } else {
                    cells.add(String.valueOf(value));
                }
            }
            ObjectNode object = row.putObject("object").put("kind", "PartialObjectMetadata")
                    .put("apiVersion", "meta.k8s.io/v1");
            object.set("metadata", item.path("metadata").deepCopy());
        }
        return table.toString();
    }

    private List<Column> columns(ResourcePath path) {
        Column name = new Column("Name", "string", 0, o -> o.path("metadata").path("name").asText());
        Column age = new Column("Age", "string", 0, o -> age(o.path("metadata").path("creationTimestamp").asText("")));
        String key = path.group() + "/" + path.resource();
        return switch (key) {
            case "/pods" -> List.of(name,
                    new Column("Ready", "string", 0, TableView::podReady),
                    new Column("Status", "string", 0, TableView::podStatus),
                    new Column("Restarts", "string", 0, TableView::podRestarts),
                    age,
                    new Column("IP", "string", 1, o -> text(o.path("status").path("podIP"))),
                    new Column("Node", "string", 1, o -> text(o.path("spec").path("nodeName"))),
                    new Column("Nominated Node", "string", 1, o -> text(o.path("status").path("nominatedNodeName"))),
                    new Column("Readiness Gates", "string", 1, o -> NONE));
            case "/nodes" -> List.of(name,
                    new Column("Status", "string", 0, TableView::nodeStatus),
                    new Column("Roles", "string", 0, o -> NONE),
                    age,
                    new Column("Version", "string", 0, o -> o.path("status").path("nodeInfo").path("kubeletVersion")
                            .asText("")),
                    new Column("Internal-IP", "string", 1, o -> address(o, "InternalIP")),
                    new Column("External-IP", "string", 1, o -> address(o, "ExternalIP")));
            case "/namespaces" -> List.of(name,
                    new Column("Status", "string", 0, o -> o.path("status").path("phase").asText("Active")), age);
            case "/events" -> List.of(
                    new Column("Last Seen", "string", 0, o -> age(lastSeen(o))),
                    new Column("Type", "string", 0, o -> o.path("type").asText("")),
                    new Column("Reason", "string", 0, o -> o.path("reason").asText("")),
                    new Column("Object", "string", 0, o -> o.path("involvedObject").path("kind").asText("")
                            .toLowerCase(java.util.Locale.ROOT) + "/" + o.path("involvedObject").path("name").asText("")),
                    new Column("Message", "string", 0, o -> o.path("message").asText("")));
            case "sparkoperator.k8s.io/sparkapplications" -> List.of(name,
                    new Column("Status", "string", 0, o -> o.path("status").path("applicationState").path("state")
                            .asText("")),
                    new Column("Attempts", "string", 0, o -> o.path("status").path("submissionAttempts").asText("")),
                    new Column("Start", "string", 0, o -> o.path("status").path("lastSubmissionAttemptTime").asText("")),
                    new Column("Finish", "string", 0, o -> o.path("status").path("terminationTime").asText("")),
                    age);
            case "scheduling.x-k8s.io/podgroups" -> List.of(name,
                    new Column("Phase", "string", 0, o -> o.path("status").path("phase").asText("")),
                    new Column("MinMember", "string", 0, o -> o.path("spec").path("minMember").asText("")),
                    new Column("Running", "string", 0, o -> o.path("status").path("running").asText("")),
                    new Column("Succeeded", "string", 0, o -> o.path("status").path("succeeded").asText("")),
                    new Column("Failed", "string", 0, o -> o.path("status").path("failed").asText("")),
                    age);
            default -> List.of(name, age);
        };
    }

    private static String podReady(JsonNode pod) {
        int containers = pod.path("spec").path("containers").size();
        int ready = 0;
        for (JsonNode status : pod.path("status").path("containerStatuses")) {
            if (status.path("ready").asBoolean(false)) {
                ready++;
            }
        }
        return ready + "/" + containers;
    }

    /** As kubectl's printer: the reason when set, Completed for Succeeded, Terminating while deleted. */
    private static String podStatus(JsonNode pod) {
        if (!pod.path("metadata").path("deletionTimestamp").asText("").isEmpty()) {
            return "Terminating";
        }
        String reason = pod.path("status").path("reason").asText("");
        if (!reason.isEmpty()) {
            return reason;
        }
        String phase = pod.path("status").path("phase").asText("Pending");
        return "Succeeded".equals(phase) ? "Completed" : phase;
    }

    private static String podRestarts(JsonNode pod) {
        int restarts = 0;
        for (JsonNode status : pod.path("status").path("containerStatuses")) {
            restarts += status.path("restartCount").asInt(0);
        }
        return Integer.toString(restarts);
    }

    private static String nodeStatus(JsonNode node) {
        String ready = "Unknown";
        for (JsonNode condition : node.path("status").path("conditions")) {
            if ("Ready".equals(condition.path("type").asText())) {
                ready = "True".equals(condition.path("status").asText()) ? "Ready" : "NotReady";
            }
        }
        return node.path("spec").path("unschedulable").asBoolean(false) ? ready + ",SchedulingDisabled" : ready;
    }

    private static String address(JsonNode node, String type) {
        for (JsonNode address : node.path("status").path("addresses")) {
            if (type.equals(address.path("type").asText())) {
                return address.path("address").asText(NONE);
            }
        }
        return NONE;
    }

    private static String lastSeen(JsonNode event) {
        for (String field : List.of("lastTimestamp", "eventTime", "firstTimestamp")) {
            String value = event.path(field).asText("");
            if (!value.isEmpty() && !"null".equals(value)) {
                return value;
            }
        }
        String series = event.path("series").path("lastObservedTime").asText("");
        return series.isEmpty() ? event.path("metadata").path("creationTimestamp").asText("") : series;
    }

    private static String text(JsonNode value) {
        String text = value.asText("");
        return text.isEmpty() ? NONE : text;
    }

    /** As apimachinery's HumanDuration: 42s, 3m10s, 25m, 5h3m, 3d. */
    private String age(String timestamp) {
        if (timestamp.isEmpty()) {
            return NONE;
        }
        Instant since;
        try {
            since = Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return NONE;
        }
        return humanDuration(Duration.between(since, clock.instant()));
    }

    static String humanDuration(Duration elapsed) {
        long seconds = Math.max(0, elapsed.getSeconds());
        if (seconds < 120) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 10) {
            return seconds % 60 == 0 ? minutes + "m" : minutes + "m" + seconds % 60 + "s";
        }
        if (minutes < 180) {
            return minutes + "m";
        }
        long hours = minutes / 60;
        if (hours < 8) {
            return minutes % 60 == 0 ? hours + "h" : hours + "h" + minutes % 60 + "m";
        }
        if (hours < 48) {
            return hours + "h";
        }
        long days = hours / 24;
        if (days < 8) {
            return hours % 24 == 0 ? days + "d" : days + "d" + hours % 24 + "h";
        }
        return days + "d";
    }
}
