package io.kubenexus.scheduler.extender.metrics;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every metric and label the PromQL in docs/metrics.md uses is served by the registry. */
class DocumentedMetricsTest {
    /** Labels Prometheus attaches to every series it scrapes (the target's), valid on any metric. */
    static final Set<String> TARGET_LABELS = Set.of("job", "instance");

    @Test
    void everyMetricAndLabelInTheDocsIsExported() throws IOException {
        List<String> expressions = PromQlExpressions.fromMarkdown(Files.readString(docs("metrics.md")));
        assertThat(expressions).as("the page has example queries").hasSizeGreaterThan(20);

        Map<String, Set<String>> uses = PromQlExpressions.uses(expressions);
        List<String> problems = check(uses, servedScrape());

        assertThat(problems).isEmpty();
        assertThat(uses).as("the tables' names are read too").containsKeys("scheduler_preemption_attempts_total",
                "scheduler_pending_pods", "kubenexus_cluster_capacity", "kubenexus_reservations_expired_total",
                "kubenexus_scheduling_attempt_duration_seconds", "scheduler_pod_scheduling_sli_duration_seconds",
                "leader_election_master_status", "kubenexus_replica_info");
        assertThat(uses.get("kubenexus_cluster_allocatable")).contains("pool", "resource");
    }

    @Test
    void reportsMetricsAndLabelsThatAreNotServed() {
        List<String> problems = check(PromQlExpressions.uses(List.of(
                "sum by (pool) (kubenexus_cluster_allocated)",
                "scheduler_pending_pods{profile=\"x\"}",
                "histogram_quantile(0.9, sum by (le) (rate(scheduler_pod_scheduling_sli_duration_seconds_bucket[5m])))")),
                servedScrape());

        assertThat(problems).containsExactlyInAnyOrder(
                "kubenexus_cluster_allocated is not exported",
                "scheduler_pending_pods has no label profile (it has [queue])");
    }

    /**
     * What is wrong with {@code uses} (metric family to label names, from {@link PromQlExpressions})
     * against a scrape: metrics it does not serve, labels its metric does not carry (the target labels
     * {@link #TARGET_LABELS} aside). Empty when all is
     * served. Also used for the dashboard and alert rules ({@code MonitoringAssetsTest}).
     */
    static List<String> check(Map<String, Set<String>> uses, ScrapedMetrics scrape) {
        List<String> problems = new ArrayList<>();
        uses.forEach((metric, labels) -> {
            String family = scrape.familyOf(metric);
            if (family == null) {
                problems.add(metric + " is not exported");
                return;
            }
            Set<String> served = scrape.familyLabelNames(family);
            for (String label : labels) {
                if (!served.contains(label) && !TARGET_LABELS.contains(label)) {
                    problems.add(metric + " has no label " + label + " (it has " + served + ")");
                }
            }
        });
        return problems;
    }

    /** A scrape with every family present: a real loop driven through attempts, pools and a bind failure. */
    static ScrapedMetrics servedScrape() {
        MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
        SchedulerSettings settings = SchedulerSettings.defaults();
        ScriptedBinder binder = new ScriptedBinder();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SchedulingLoop loop = new SchedulingLoop(settings, SchedulingProfile.defaults(settings), binder,
                new RecordingEventSink(), new MicrometerSchedulerMetrics(registry, settings.schedulerName()), clock);
        new ClusterCapacityMetrics(loop::view, ServedMetricsTest.POOL_LABEL, 2).bindTo(registry);
        // The process series every replica serves beside ours, bound as SchedulerReplica binds them.
        ProcessMetrics.bindTo(registry);
        new LeadershipMetrics(() -> new Leadership(Leadership.State.LEADING, Instant.EPOCH, 1, 0),
                "kubenexus-scheduler", "replica-a").bindTo(registry);
        ServedMetricsTest.drive(loop, binder, clock);
        ServedMetricsTest.addLargeNode(loop, clock);
        registry.scrape();
        return ScrapedMetrics.parse(registry.scrape());
    }

    private static Path docs(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("docs/" + name + " not found above " + Path.of("").toAbsolutePath());
    }
}
