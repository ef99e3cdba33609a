package io.kubenexus.scheduler.extender.loop;

import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.query.ExtenderBindResult;
import io.kubenexus.scheduler.core.query.GangExplanation;
import io.kubenexus.scheduler.core.query.GroupState;
import io.kubenexus.scheduler.core.query.GroupSummary;
import io.kubenexus.scheduler.core.query.NodeFilterResult;
import io.kubenexus.scheduler.core.query.NodeScores;
import io.kubenexus.scheduler.core.query.PodExplanation;
import io.kubenexus.scheduler.core.query.PodState;
import io.kubenexus.scheduler.core.query.SchedulerQueries;
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
    public CompletableFuture<Map<String, List<String>>> acceptVictimUids(PodInfo pod, Map<String, List<String>> uidsByNode) {
        throw new UnsupportedOperationException("the debug pages never preempt");
    }
}
