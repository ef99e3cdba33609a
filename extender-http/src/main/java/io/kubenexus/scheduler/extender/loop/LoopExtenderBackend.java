package io.kubenexus.scheduler.extender.loop;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.query.ExtenderBindResult;
import io.kubenexus.scheduler.core.query.NodeFilterResult;
import io.kubenexus.scheduler.core.query.SchedulerQueries;
import io.kubenexus.scheduler.extender.protocol.BindVerdict;
import io.kubenexus.scheduler.extender.protocol.ExtenderBackend;
import io.kubenexus.scheduler.extender.protocol.FilterVerdicts;
import io.kubenexus.scheduler.kube.translate.PodTranslator;
import io.kubenexus.scheduler.kube.translate.Translation;
import java.time.Duration;
import java.util.LinkedHashMap;
import io.kubenexus.scheduler.core.query.NodeVictims;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * The extender's verbs answered by the scheduling loop ({@link SchedulerQueries}): the pod
 * kube-scheduler sends is translated as the informers translate pods, and the loop filters, scores,
 * binds and judges victims with the same plugins and state it schedules its own pods with.
 *
 * <p>The pods come with another {@code schedulerName} (kube-scheduler's), yet they asked for our
 * placement by being sent here: they are translated with their own scheduler's name so that our
 * annotations (NUMA policy, executor resources) are read on them.
 *
 * <p>The bind verb names the pod only; the pod seen by the latest filter is kept for it (by UID, a
 * bounded cache), else it is read from the API. Thread-safe; nothing here blocks.
 */
public final class LoopExtenderBackend implements ExtenderBackend {
    /** kube-scheduler binds right after filtering; a pod waits at most a few backoffs in between. */
    private static final Duration SEEN_PODS_TTL = Duration.ofMinutes(10);
    private static final int SEEN_PODS_MAX = 20_000;

    private final SchedulerQueries loop;
    private final BiFunction<String, String, CompletionStage<Pod>> readPod;
    private final Duration bindHoldLimit;
    /** A translator per scheduler name a pod came with: few names, bounded all the same. */
    private final Cache<String, PodTranslator> translators = Caffeine.newBuilder().maximumSize(16).build();
    private final Cache<String, PodInfo> seenPods = Caffeine.newBuilder()
            .maximumSize(SEEN_PODS_MAX).expireAfterWrite(SEEN_PODS_TTL).build();

    /**
     * @param readPod       reads a pod from the API by namespace and name (null when there is none), off the caller's thread
     * @param bindHoldLimit how long a gang member's bind is held for its group ({@code extender.bindHoldLimit})
     */
    public LoopExtenderBackend(SchedulerQueries loop, BiFunction<String, String, CompletionStage<Pod>> readPod,
                               Duration bindHoldLimit) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.readPod = Objects.requireNonNull(readPod, "readPod");
        this.bindHoldLimit = Objects.requireNonNull(bindHoldLimit, "bindHoldLimit");
    }

    @Override
    public CompletionStage<FilterVerdicts> filter(Pod pod, List<String> nodeNames) {
        Translation<PodInfo> translation = translate(pod);
        if (translation instanceof Translation.Invalid<PodInfo> invalid) {
            // A pod we cannot read fits nowhere, and kube-scheduler's FailedScheduling event says why.
            Map<String, String> unresolvable = new LinkedHashMap<>();
            nodeNames.forEach(node -> unresolvable.put(node, invalid.message()));
            return CompletableFuture.completedFuture(new FilterVerdicts(List.of(), Map.of(), unresolvable));
        }
        PodInfo info = ((Translation.Valid<PodInfo>) translation).value();
        remember(info);
        return loop.filter(info, nodeNames).thenApply(LoopExtenderBackend::verdicts);
    }

    @Override
    public CompletionStage<Map<String, Integer>> prioritize(Pod pod, List<String> nodeNames) {
        Translation<PodInfo> translation = translate(pod);
        if (translation instanceof Translation.Invalid<PodInfo>) {
            return CompletableFuture.completedFuture(Map.of());
        }
        return loop.prioritize(((Translation.Valid<PodInfo>) translation).value(), nodeNames)
                .thenApply(scores -> scores.scores());
    }

    @Override
    public CompletionStage<BindVerdict> bind(String namespace, String name, String uid, String node) {
        PodInfo seen = uid == null || uid.isEmpty() ? null : seenPods.getIfPresent(uid);
        CompletionStage<PodInfo> pod = seen != null ? CompletableFuture.completedFuture(seen)
                : readPod.apply(namespace, name).thenApply(read -> read == null ? null : translateForBind(read, uid));
        return pod.thenCompose(info -> {
            if (info == null) {
                return CompletableFuture.completedFuture(BindVerdict.refused("pod " + namespace + "/" + name
                        + (uid == null || uid.isEmpty() ? "" : " with UID " + uid) + " does not exist"));
            }
            return loop.bindFor(info, node, bindHoldLimit).thenApply(result -> result instanceof ExtenderBindResult.Refused refused
                    ? BindVerdict.refused(refused.error()) : BindVerdict.bound());
        });
    }

    @Override
    public CompletionStage<Map<String, NodeVictims>> preempt(Pod pod, Map<String, List<String>> victimUidsByNode) {
        Translation<PodInfo> translation = translate(pod);
        if (translation instanceof Translation.Invalid<PodInfo>) {
            return CompletableFuture.completedFuture(Map.of());
        }
        return loop.acceptVictimUids(((Translation.Valid<PodInfo>) translation).value(), victimUidsByNode);
    }

    /** The pod read from the API for a bind: null when it is not the one kube-scheduler means, or unreadable. */
    private PodInfo translateForBind(Pod read, String uid) {
        if (uid != null && !uid.isEmpty() && !uid.equals(read.getMetadata().getUid())) {
            return null;
        }
        Translation<PodInfo> translation = translate(read);
        return translation instanceof Translation.Valid<PodInfo> valid ? valid.value() : null;
    }

    private Translation<PodInfo> translate(Pod pod) {
        String schedulerName = pod.getSpec() == null || pod.getSpec().getSchedulerName() == null
                ? PodTranslator.DEFAULT_SCHEDULER_NAME : pod.getSpec().getSchedulerName();
        return translators.get(schedulerName, PodTranslator::new).translate(pod);
    }

    private void remember(PodInfo pod) {
        if (pod.uid() != null && !pod.uid().isEmpty()) {
            seenPods.put(pod.uid(), pod);
        }
    }

    private static FilterVerdicts verdicts(NodeFilterResult result) {
        return new FilterVerdicts(result.feasible(), result.failed(), result.failedAndUnresolvable());
    }
}
