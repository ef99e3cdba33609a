package io.kubenexus.scheduler.core.query;

import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What other threads may ask the scheduling loop: the kube-scheduler extender's verbs and the
 * debug pages. Every answer is computed on the loop thread, between attempts, against the live
 * state with the very plugins the loop decides with; callable from any thread, never blocking.
 * Answers complete on the loop thread: a caller must not block it waiting for another answer.
 */
public interface SchedulerQueries {
    /** Which of {@code nodeNames} pass the filters for {@code pod}, and why the others do not. */
    CompletableFuture<NodeFilterResult> filter(PodInfo pod, List<String> nodeNames);

    /** The feasible named nodes' scores, 0..10. */
    CompletableFuture<NodeScores> prioritize(PodInfo pod, List<String> nodeNames);

    /**
     * Binds {@code pod} where kube-scheduler chose, gang-aware (a member is held up to
     * {@code holdLimit} for its group); only the leader binds.
     */
    CompletableFuture<ExtenderBindResult> bindFor(PodInfo pod, String nodeName, Duration holdLimit);

    /**
     * The extender's preempt: for each proposed node, the victims this scheduler's preemption would
     * choose there (by UID, with their budget violations), or the node left out when our rules allow
     * no preemption there. The proposed victims are not binding: ours are answered.
     */
    CompletableFuture<Map<String, NodeVictims>> acceptVictimUids(PodInfo pod, Map<String, List<String>> uidsByNode);

    /** Why the pod is where it is; empty when the loop knows nothing of it. */
    CompletableFuture<Optional<PodExplanation>> explain(PodKey key);

    /** Every group the loop knows, sorted by id. */
    CompletableFuture<List<GroupSummary>> groups();

    /** One snapshot of nodes, gangs and pending pods, for the cluster page. */
    CompletableFuture<ClusterOverview> overview(OverviewRequest request);
}
