package io.kubenexus.scheduler.extender.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.testing.MutableClock;
import io.kubenexus.scheduler.core.testing.RecordingEventSink;
import io.kubenexus.scheduler.core.testing.ScriptedBinder;
import io.kubenexus.scheduler.kube.leader.Leadership;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard (deploy/grafana) and the alert rules (deploy/prometheus) query only what the
 * scheduler serves: every metric and label in their PromQL is checked against a scrape of a registry
 * fed by the real meters (a scheduling loop with attempts, binds and pools, a GPU node in its pool,
 * gang waits, an expired reservation, the leadership gauges). Prometheus' own {@code up} and the
 * target labels it adds to every series ({@code job}, {@code instance}) are allowed besides.
 */
class MonitoringAssetsTest {
    private static final Path ROOT = repositoryRoot();
    private static final Path DASHBOARD = ROOT.resolve("deploy/grafana/kubenexus-scheduler.json");
    private static final Path ALERTS = ROOT.resolve("deploy/prometheus/kubenexus-alerts.yaml");
    private static final Path RUNBOOKS = ROOT.resolve("docs/alerts.md");

    /** Labels Prometheus attaches to every scraped series (the scrape target's). */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance");
    /** Grafana's built-in interval variables, and what stands in for them when the query is read. */
    private static final Set<String> GRAFANA_INTERVALS = Set.of("__rate_interval", "__interval", "__range");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)");
    private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.+),\\s*(\\w+)\\)$");
    private static final Pattern RUNBOOK = Pattern.compile("^docs/alerts\\.md#([\\w-]+)$");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new YAMLMapper();
    private static ScrapedMetrics scrape;

    @BeforeAll
    static void scrapeTheRealMeters() {
        MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
        SchedulerSettings settings = SchedulerSettings.defaults();
        ScriptedBinder binder = new ScriptedBinder();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MicrometerSchedulerMetrics metrics = new MicrometerSchedulerMetrics(registry, settings.schedulerName());
        SchedulingLoop loop = new SchedulingLoop(settings, SchedulingProfile.defaults(settings), binder,
                new RecordingEventSink(), metrics, clock);
        new ClusterCapacityMetrics(loop::view, ServedMetricsTest.POOL_LABEL, 2).bindTo(registry);
        new LeadershipMetrics(() -> new Leadership(Leadership.State.LEADING, Instant.EPOCH, 1, 0),
                "kubenexus-scheduler", "replica-a").bindTo(registry);
        ServedMetricsTest.drive(loop, binder, clock); // a GPU node in pool "gpu", attempts, a failed bind
        ServedMetricsTest.addLargeNode(loop, clock);
        metrics.groupsWaiting(2);
        metrics.groupWaited("placed", 3_000_000_000L);
        metrics.groupWaited("timeout", 600_000_000_000L);
        metrics.reservedCapacity("nvidia.com/gpu", 2);
        metrics.reservationsExpired(1);
        registry.scrape();
        scrape = ScrapedMetrics.parse(registry.scrape());
        assertThat(scrape.labelValues("kubenexus_cluster_allocatable", "resource")).contains("nvidia.com/gpu");
    }

    // ------------------------------------------------------------------ dashboard

    @Test
    void everyDashboardQueryUsesServedMetricsAndLabels() throws IOException {
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
        List<String> expressions = dashboardExpressions(dashboard);
        assertThat(expressions).as("panel targets and variable queries").hasSizeGreaterThan(30);

        Map<String, Set<String>> uses = PromQlExpressions.uses(expressions);
        assertThat(problems(uses)).isEmpty();
        assertThat(uses.keySet()).as("what the dashboard is for").contains(
                "kubenexus_cluster_capacity", "kubenexus_cluster_allocatable", "kubenexus_cluster_requested",
                "kubenexus_cluster_reserved", "scheduler_pending_pods", "kubenexus_gangs_waiting",
                "kubenexus_gang_wait_duration_seconds", "scheduler_scheduling_attempt_duration_seconds",
                "scheduler_schedule_attempts_total", "scheduler_pod_scheduling_sli_duration_seconds",
                "kubenexus_binds_total", "kubenexus_bind_duration_seconds", "kubenexus_reservations_expired_total",
                "leader_election_master_status", "kubenexus_replica_info");
        assertThat(uses.get("kubenexus_cluster_allocatable")).contains("pool", "resource");
        assertThat(uses.get("kubenexus_replica_info")).contains("instance");
    }

    @Test
    void theDashboardIsValidWithUniquePanelIdsAndNoExternalLinks() throws IOException {
        String text = Files.readString(DASHBOARD);
        JsonNode dashboard = JSON.readTree(text);

        assertThat(dashboard.at("/uid").asText()).isEqualTo("kubenexus-scheduler");
        assertThat(dashboard.at("/schemaVersion").asInt()).isBetween(36, 41);
        List<Integer> ids = new ArrayList<>();
        List<JsonNode> panels = panels(dashboard);
        panels.forEach(panel -> ids.add(panel.at("/id").asInt(-1)));
        assertThat(ids).as("panel ids").doesNotContain(-1).doesNotHaveDuplicates();
        assertThat(dashboard.at("/links")).isEmpty();
        assertThat(text).doesNotContain("http://", "https://");
        for (JsonNode panel : panels) {
            if (!panel.at("/type").asText().equals("row")) {
                assertThat(panel.at("/datasource/uid").asText()).as("panel %s", panel.at("/title"))
                        .isEqualTo("${datasource}");
                assertThat(panel.at("/targets")).as("panel %s", panel.at("/title")).isNotEmpty()
                        .allSatisfy(t -> assertThat(t.at("/datasource/uid").asText()).isEqualTo("${datasource}"));
            }
        }
    }

    @Test
    void theDashboardIsTemplatedOnDatasourceAndPoolAndPutsGpusFirst() throws IOException {
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
        JsonNode datasource = variable(dashboard, "datasource");
        assertThat(datasource.at("/type").asText()).isEqualTo("datasource");
        assertThat(datasource.at("/query").asText()).isEqualTo("prometheus");
        JsonNode pool = variable(dashboard, "pool");
        assertThat(query(pool)).startsWith("label_values(kubenexus_cluster_allocatable").endsWith(", pool)");
        assertThat(pool.at("/multi").asBoolean()).isTrue();
        assertThat(pool.at("/includeAll").asBoolean()).isTrue();

        List<String> rows = panels(dashboard).stream().filter(p -> p.at("/type").asText().equals("row"))
                .map(p -> p.at("/title").asText()).toList();
        assertThat(rows).containsSubsequence("GPU (nvidia.com/gpu)", "CPU", "Memory");
        List<String> capacityExpressions = dashboardExpressions(dashboard).stream()
                .filter(e -> e.contains("kubenexus_cluster_allocatable{") && e.contains("resource=")).toList();
        assertThat(capacityExpressions).isNotEmpty().allSatisfy(e -> assertThat(e).contains("pool=~\"$pool\""));
    }

    @Test
    void aMisspelledMetricOrLabelInTheDashboardIsReported() throws IOException {
        String text = Files.readString(DASHBOARD)
                .replace("kubenexus_gangs_waiting{", "kubenexus_gang_waiting{")
                .replace("sum by (outcome)", "sum by (result)");

        List<String> problems = problems(PromQlExpressions.uses(dashboardExpressions(JSON.readTree(text))));

        assertThat(problems).contains("kubenexus_gang_waiting is not exported")
                .anySatisfy(p -> assertThat(p).startsWith("kubenexus_binds_total has no label result"));
    }

    // ------------------------------------------------------------------ alerts

    @Test
    void everyAlertExpressionUsesServedMetricsAndLabels() throws IOException {
        List<JsonNode> rules = rules(YAML.readTree(ALERTS.toFile()));
        List<String> expressions = rules.stream().map(r -> r.at("/expr").asText()).toList();

        Map<String, Set<String>> uses = PromQlExpressions.uses(expressions);
        assertThat(problems(uses)).isEmpty();
        assertThat(uses.keySet()).contains("up", "leader_election_master_status", "kubenexus_gangs_waiting",
                "kubenexus_gang_wait_duration_seconds", "kubenexus_reservations_expired_total", "kubenexus_binds_total",
                "scheduler_pending_pods", "kubenexus_cluster_requested", "kubenexus_cluster_allocatable");
    }

    @Test
    void everyAlertHasSeveritySummaryDescriptionAndARunbookInTheDocs() throws IOException {
        List<JsonNode> rules = rules(YAML.readTree(ALERTS.toFile()));
        Set<String> anchors = anchors(Files.readString(RUNBOOKS));

        assertThat(rules).hasSizeGreaterThanOrEqualTo(6);
        assertThat(rules.stream().map(r -> r.at("/alert").asText()).toList()).doesNotHaveDuplicates();
        for (JsonNode rule : rules) {
            String name = rule.at("/alert").asText();
            assertThat(name).as("alert name").matches("[A-Z][A-Za-z]+");
            assertThat(rule.at("/for").asText()).as("%s for", name).matches("\\d+[smh]");
            assertThat(rule.at("/labels/severity").asText()).as("%s severity", name).isIn("critical", "warning", "info");
            assertThat(rule.at("/annotations/summary").asText()).as("%s summary", name).isNotBlank();
            assertThat(rule.at("/annotations/description").asText()).as("%s description", name).isNotBlank();
            Matcher runbook = RUNBOOK.matcher(rule.at("/annotations/runbook_url").asText());
            assertThat(runbook.matches()).as("%s runbook_url %s", name, rule.at("/annotations/runbook_url")).isTrue();
            assertThat(anchors).as("%s's runbook anchor in docs/alerts.md", name).contains(runbook.group(1));
            assertThat(runbook.group(1)).as("%s's runbook is its own section", name).isEqualTo(anchor(name));
        }
    }

    @Test
    void aMisspelledMetricOrLabelInAnAlertIsReported() {
        Map<String, Set<String>> uses = PromQlExpressions.uses(List.of(
                "sum(rate(kubenexus_reservation_expired_total[1h])) > 3",
                "max(kubenexus_cluster_requested{pools=\"gpu\"}) > 0",
                "absent(up{job=\"kubenexus-scheduler\", pod=\"x\"} == 1)"));

        assertThat(problems(uses)).containsExactlyInAnyOrder(
                "kubenexus_reservation_expired_total is not exported",
                "kubenexus_cluster_requested has no label pools (it has [pool, resource])",
                "up has no label pod (it has [instance, job])");
    }

    // ------------------------------------------------------------------ helpers

    /** {@link DocumentedMetricsTest#check} against the scrape, with Prometheus' {@code up} (target labels only) besides. */
    private static List<String> problems(Map<String, Set<String>> uses) {
        Map<String, Set<String>> ours = new TreeMap<>(uses);
        List<String> problems = new ArrayList<>();
        for (String label : ours.getOrDefault("up", Set.of())) {
            if (!TARGET_LABELS.contains(label)) {
                problems.add("up has no label " + label + " (it has " + new TreeSet<>(TARGET_LABELS) + ")");
            }
        }
        ours.remove("up");
        problems.addAll(DocumentedMetricsTest.check(ours, scrape));
        return problems;
    }

    /**
     * Every PromQL expression of the dashboard: panel targets (rows' nested panels too) and query
     * variables, with Grafana's interval variables replaced by a duration and {@code label_values(m, l)}
     * read as {@code group by (l) (m)}. Fails on a variable the dashboard does not define.
     */
    private static List<String> dashboardExpressions(JsonNode dashboard) {
        Set<String> variables = new HashSet<>(GRAFANA_INTERVALS);
        List<String> raw = new ArrayList<>();
        for (JsonNode variable : dashboard.at("/templating/list")) {
            variables.add(variable.at("/name").asText());
            if (variable.at("/type").asText().equals("query")) {
                Matcher m = LABEL_VALUES.matcher(query(variable).strip());
                assertThat(m.matches()).as("variable %s: %s", variable.at("/name"), query(variable)).isTrue();
                raw.add("group by (" + m.group(2) + ") (" + m.group(1) + ")");
            }
        }
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.at("/expr").asText()).as("panel %s target", panel.at("/title")).isNotBlank();
                raw.add(target.at("/expr").asText());
            }
        }
        List<String> out = new ArrayList<>();
        for (String expression : raw) {
            Matcher m = VARIABLE.matcher(expression);
            while (m.find()) {
                assertThat(variables).as("variables of %s", expression).contains(m.group(1));
            }
            out.add(expression.replaceAll("\\$\\{?__(rate_interval|interval|range)}?", "5m"));
        }
        return out;
    }

    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode panel : dashboard.at("/panels")) {
            out.add(panel);
            panel.path("panels").forEach(out::add);
        }
        return out;
    }

    private static JsonNode variable(JsonNode dashboard, String name) {
        for (JsonNode variable : dashboard.at("/templating/list")) {
            if (variable.at("/name").asText().equals(name)) {
                return variable;
            }
        }
        throw new AssertionError("no variable " + name);
    }

    private static String query(JsonNode variable) {
        JsonNode query = variable.at("/query");
        return query.isObject() ? query.at("/query").asText() : query.asText();
    }

    private static List<JsonNode> rules(JsonNode file) {
        List<JsonNode> out = new ArrayList<>();
        assertThat(file.at("/groups")).as("groups").isNotEmpty();
        for (JsonNode group : file.at("/groups")) {
            assertThat(group.at("/name").asText()).isNotBlank();
            group.at("/rules").forEach(out::add);
        }
        return out;
    }

    /** The anchors GitHub gives a page's headings. */
    private static Set<String> anchors(String markdown) {
        Set<String> out = new LinkedHashSet<>();
        for (String line : markdown.split("\n")) {
            if (line.startsWith("#")) {
                out.add(anchor(line.replaceFirst("^#+\\s*", "")));
            }
        }
        return out;
    }

    private static String anchor(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\w\\- ]", "").replace(' ', '-');
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy/grafana")) && Files.isRegularFile(dir.resolve("docs/metrics.md"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no deploy/grafana above " + Path.of("").toAbsolutePath());
    }
}
