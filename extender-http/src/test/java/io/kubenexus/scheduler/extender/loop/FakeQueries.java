package io.kubenexus.scheduler.extender.loop;

import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.query.ClusterOverview;
import io.kubenexus.scheduler.core.query.ExtenderBindResult;
import io.kubenexus.scheduler.core.query.GangExplanation;
import io.kubenexus.scheduler.core.query.GroupState;
import io.kubenexus.scheduler.core.query.GroupSummary;
import io.kubenexus.scheduler.core.query.NodeFilterResult;
import io.kubenexus.scheduler.core.query.NodeScores;
import io.kubenexus.scheduler.core.query.OverviewRequest;
import io.kubenexus.scheduler.core.query.PodExplanation;
import io.kubenexus.scheduler.core.query.PodState;
import io.kubenexus.scheduler.core.query.SchedulerQueries;
import io.kubenexus.scheduler.core.state.NodeZoneUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The debug pages' side of the loop, answering from fixed data: one known pending gang member and N groups. */
public final class FakeQueries implements SchedulerQueries {
    public static final String MESSAGE = "gang jobs/etl: 3 members need cpu=12; the best plan fits 1 of 3";

    private final int groups;

    public FakeQueries(int groups) {
        this.groups = groups;
    }

    public static PodExplanation pendingDriver() {
        return new PodExplanation("jobs/etl-driver", "uid-1", PodState.UNSCHEDULABLE, MESSAGE,
                Map.of("Insufficient cpu", 40, "node(s) had untolerated taint {gpu: true}", 10),
                Map.of("NodeResourcesFit", Map.of("Insufficient cpu", 40),
                        "TaintToleration", Map.of("node(s) had untolerated taint {gpu: true}", 10)),
                50, 0, new GangExplanation("jobs/etl", 3, 0, 1, 2, MESSAGE, 0, List.of(), null));
    }

    @Override
    public CompletableFuture<Optional<PodExplanation>> explain(PodKey key) {
        return CompletableFuture.completedFuture(key.equals(new PodKey("jobs", "etl-driver"))
                ? Optional.of(pendingDriver()) : Optional.empty());
    }

    @Override
    public CompletableFuture<List<GroupSummary>> groups() {
        List<GroupSummary> all = new ArrayList<>();
        for (int i = 0; i < groups; i++) {
            all.add(new GroupSummary(String.format("jobs/g-%03d", i), 2, GroupState.WAITING, 2, 0, 0, null,
                    Instant.parse("2026-12-07T10:00:00Z")));
        }
        return CompletableFuture.completedFuture(all);
    }

    /** Two nodes in two pools, the first with NUMA zones; one waiting gang; pending pods of two reasons. */
    @Override
    public CompletableFuture<ClusterOverview> overview(OverviewRequest request) {
        lastOverviewRequest = request;
        overviewCalls.incrementAndGet();
        ClusterOverview.NodeTable nodes = new ClusterOverview.NodeTable(List.of("gpu-0", "cpu-0"), List.of("gpu", "none"),
                new int[] {0, 1}, new int[] {3, 0}, new int[] {ClusterOverview.NodeTable.NUMA, ClusterOverview.NodeTable.CORDONED},
                List.of(new ClusterOverview.ResourceUse("cpu", new long[] {64000, 8000}, new long[] {62000, 8000},
                        new long[] {12000, 0}, new long[] {4000, 0})));
        NodeZoneUsage zones = "gpu-0".equals(request.zonesOfNode()) ? new NodeZoneUsage("single-numa-node",
                "NodeResourceTopology", List.of(new NodeZoneUsage.Zone(0, Map.of("cpu", 31000L), Map.of("cpu", 25000L), 1,
                        Map.of("nvl0", 4)))) : null;
        return CompletableFuture.completedFuture(new ClusterOverview(Instant.parse("2026-12-07T10:00:05Z"), nodes,
                List.of(new ClusterOverview.GroupStatus("jobs/etl", GroupState.WAITING, 3, 1, 0, 0, null,
                        Instant.parse("2026-12-07T10:00:00Z"), MESSAGE)), 1,
                new ClusterOverview.PendingPods(3, 0, 1, 2, 0, List.of(
                        new ClusterOverview.PendingReason("Insufficient cpu", 2, List.of("jobs/a", "jobs/b")),
                        new ClusterOverview.PendingReason("gang does not fit as a whole", 1, List.of("jobs/etl-driver")))),
                zones));
    }

    /** What the last {@link #overview} call asked, for tests of the routes. */
    public volatile OverviewRequest lastOverviewRequest;
    /** How many times {@link #overview} was asked. */
    public final java.util.concurrent.atomic.AtomicInteger overviewCalls = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public CompletableFuture<NodeFilterResult> filter(PodInfo pod, List<String> nodeNames) {
        throw new UnsupportedOperationException("the debug pages never filter");
    }

    @Override
    public CompletableFuture<NodeScores> prioritize(PodInfo pod, List<String> nodeNames) {
        throw new UnsupportedOperationException("the debug pages never prioritize");
    }

    @Override
    public CompletableFuture<ExtenderBindResult> bindFor(PodInfo pod, String nodeName, Duration holdLimit) {
        throw new UnsupportedOperationException("the debug pages never bind");
    }

    @Override
    public CompletableFuture<Map<String, io.kubenexus.scheduler.core.query.NodeVictims>> acceptVictimUids(PodInfo pod, Map<String, List<String>> uidsByNode) {
        throw new UnsupportedOperationException("the debug pages never preempt");
    }
}
