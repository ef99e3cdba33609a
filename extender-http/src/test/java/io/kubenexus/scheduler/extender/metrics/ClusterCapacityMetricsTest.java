package io.kubenexus.scheduler.extender.metrics;

import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.state.ClusterView;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ClusterCapacityMetricsTest {
    private static final double GI = 1024.0 * 1024 * 1024;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ClusterState state = new ClusterState();
    private final ClusterCapacityMetrics capacity = new ClusterCapacityMetrics(state::lastPublished);

    private ScrapedMetrics scrape() {
        return ScrapedMetrics.parse(registry.scrape());
    }

    /** Without a pool label every node is in pool "". */
    private static String allocatableOf(String resource) {
        return "kubenexus_cluster_allocatable{pool=\"\",resource=\"" + resource + "\"}";
    }

    private static String requestedOf(String resource) {
        return "kubenexus_cluster_requested{pool=\"\",resource=\"" + resource + "\"}";
    }

    @Test
    void sumsAllocatableAndRequestsOfAPublishedViewInBaseUnits() {
        state.upsertNode(node("gpu-1").cpu(32).memoryGi(128).gpus(8).allocatable("ephemeral-storage", 100_000_000_000L).build());
        state.upsertNode(node("cpu-1").cpu(8).memoryGi(32).pods(50).build());
        state.upsertPod(pod("driver").cpu(1.5).memoryGi(4).boundTo("cpu-1").build());
        state.upsertPod(pod("trainer").cpu(4).memoryGi(16).gpu(2).request("ephemeral-storage", 5_000_000_000L)
                .boundTo("gpu-1").build());
        state.upsertPod(pod("waiting").cpu(64).build());
        state.publish();
        capacity.bindTo(registry);

        ScrapedMetrics s = scrape();
        assertThat(s.get(allocatableOf("cpu"))).isEqualTo(40.0);
        assertThat(s.get(requestedOf("cpu"))).isEqualTo(5.5);
        assertThat(s.get(allocatableOf("memory"))).isEqualTo(160 * GI);
        assertThat(s.get(requestedOf("memory"))).isEqualTo(20 * GI);
        assertThat(s.get(allocatableOf("pods"))).isEqualTo(160.0);
        assertThat(s.get(requestedOf("pods"))).isEqualTo(2.0);
        assertThat(s.get(allocatableOf("ephemeral-storage"))).isEqualTo(1.0e11);
        assertThat(s.get(requestedOf("ephemeral-storage"))).isEqualTo(5.0e9);
        assertThat(s.get(allocatableOf("nvidia.com/gpu"))).isEqualTo(8.0);
        assertThat(s.get(requestedOf("nvidia.com/gpu"))).isEqualTo(2.0);
        for (String family : new String[] {"capacity", "allocatable", "requested", "reserved"}) {
            assertThat(s.labelNames("kubenexus_cluster_" + family)).containsExactly("pool", "resource");
        }
        assertThat(capacity.allocatable("cpu", "")).isEqualTo(40.0);
        assertThat(capacity.requested("nvidia.com/gpu", "")).isEqualTo(2.0);
    }

    @Test
    void followsNewlyPublishedViews() {
        state.upsertNode(node("n1").cpu(4).build());
        state.publish();
        capacity.bindTo(registry);
        assertThat(scrape().get(requestedOf("cpu"))).isZero();

        state.upsertPod(pod("p1").cpu(3).boundTo("n1").build());
        assertThat(scrape().get(requestedOf("cpu"))).as("unpublished changes are not visible").isZero();

        state.publish();
        assertThat(scrape().get(requestedOf("cpu"))).isEqualTo(3.0);

        state.removePod(pod("p1").build().key());
        state.removeNode("n1");
        state.publish();
        ScrapedMetrics s = scrape();
        assertThat(s.get(allocatableOf("cpu"))).isZero();
        assertThat(s.get(requestedOf("cpu"))).isZero();
    }

    @Test
    void computesOncePerPublishedViewForAllGauges() {
        state.upsertNode(node("n1").build());
        state.upsertNode(node("n2").gpus(2).build());
        state.publish();
        capacity.bindTo(registry);
        long afterBind = capacity.computations();

        scrape();
        scrape();
        scrape();
        assertThat(capacity.computations()).as("10 gauges, 3 scrapes, one view").isEqualTo(afterBind);

        state.publish();
        scrape();
        assertThat(capacity.computations()).as("publish without changes returns the same view").isEqualTo(afterBind);

        state.upsertPod(pod("p").cpu(1).boundTo("n1").build());
        state.publish();
        scrape();
        scrape();
        assertThat(capacity.computations()).isEqualTo(afterBind + 1);
    }

    @Test
    void aResourceANodeStartsAdvertisingGetsItsSeries() {
        state.upsertNode(node("cpu-1").build());
        state.publish();
        capacity.bindTo(registry);
        assertThat(scrape().labelValues("kubenexus_cluster_capacity", "resource"))
                .containsExactlyInAnyOrder("cpu", "memory", "pods", "ephemeral-storage");

        state.upsertNode(node("gpu-1").gpus(4).build());
        state.publish();
        scrape(); // the scrape that first sees the resource registers it
        ScrapedMetrics s = scrape();
        assertThat(s.get(allocatableOf("nvidia.com/gpu"))).isEqualTo(4.0);
        assertThat(s.get(requestedOf("nvidia.com/gpu"))).isZero();

        state.removeNode("gpu-1");
        state.publish();
        assertThat(scrape().get(allocatableOf("nvidia.com/gpu"))).as("series stay, reading zero").isZero();
    }

    @Test
    void resourcesOnlyPodsMentionGetNoSeries() {
        state.upsertNode(node("n1").build());
        // A pending pod's requests register columns as the cycle resolves them; no node offers these.
        for (int i = 0; i < 50; i++) {
            state.podContext(pod("odd-" + i).request("example.com/made-up-" + i, 1).build());
        }
        state.publish();
        assertThat(state.lastPublished().columnNames()).contains("example.com/made-up-0");
        capacity.bindTo(registry);
        scrape();

        assertThat(scrape().labelValues("kubenexus_cluster_capacity", "resource"))
                .containsExactlyInAnyOrder("cpu", "memory", "pods", "ephemeral-storage");
    }

    @Test
    void aThousandNodesAndPodsProduceNoPerNodeOrPerPodLabel() {
        for (int n = 0; n < 1000; n++) {
            state.upsertNode(node("node-" + n).cpu(16).memoryGi(64).label("rack", "rack-" + (n % 40)).build());
        }
        for (int p = 0; p < 1000; p++) {
            state.upsertPod(pod("pod-" + p).namespace("team-" + (p % 7)).cpu(2).memoryGi(1)
                    .label("pod-group.scheduling.kubenexus.io/name", "spark-" + (p / 10))
                    .boundTo("node-" + p).build());
        }
        state.publish();
        capacity.bindTo(registry);
        new MicrometerSchedulerMetrics(registry);
        scrape();

        ScrapedMetrics s = scrape();
        assertThat(s.allLabelValues()).noneMatch(v -> v.startsWith("node-") || v.startsWith("pod-")
                || v.startsWith("team-") || v.startsWith("spark-") || v.startsWith("rack-"));
        assertThat(s.labelValues("kubenexus_cluster_capacity", "resource")).hasSize(4);
        assertThat(s.labelValues("kubenexus_cluster_requested", "resource")).hasSize(4);
        assertThat(s.get(allocatableOf("cpu"))).isEqualTo(16_000.0);
        assertThat(s.get(requestedOf("cpu"))).isEqualTo(2_000.0);
        assertThat(s.get(requestedOf("memory"))).isEqualTo(1000 * GI);
    }

    @Test
    void readsZeroBeforeTheFirstView() {
        AtomicReference<ClusterView> latest = new AtomicReference<>();
        new ClusterCapacityMetrics(latest::get).bindTo(registry);

        ScrapedMetrics s = scrape();
        assertThat(s.get(allocatableOf("cpu"))).isZero();
        assertThat(s.get(requestedOf("memory"))).isZero();

        state.upsertNode(node("n1").cpu(2).build());
        latest.set(state.publish());
        assertThat(scrape().get(allocatableOf("cpu"))).isEqualTo(2.0);
    }

    @Test
    void keepsReportingWhenTheBinderIsNotReferencedAnyMore() {
        state.upsertNode(node("n1").cpu(6).build());
        state.publish();
        new ClusterCapacityMetrics(state::lastPublished).bindTo(registry);

        System.gc();

        assertThat(scrape().get(allocatableOf("cpu"))).isEqualTo(6.0);
    }

    @Test
    void servesSeveralRegistries() {
        state.upsertNode(node("n1").cpu(4).build());
        state.publish();
        PrometheusMeterRegistry other = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        capacity.bindTo(registry);
        capacity.bindTo(other);

        state.upsertNode(node("n2").gpus(1).build());
        state.publish();
        scrape();

        assertThat(ScrapedMetrics.parse(other.scrape()).get(allocatableOf("nvidia.com/gpu"))).isEqualTo(1.0);
        assertThat(scrape().get(allocatableOf("nvidia.com/gpu"))).isEqualTo(1.0);
    }
}
