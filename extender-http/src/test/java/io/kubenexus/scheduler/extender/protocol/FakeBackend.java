package io.kubenexus.scheduler.extender.protocol;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.LinkedHashMap;
import io.kubenexus.scheduler.core.query.NodeVictims;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/** A scriptable {@link ExtenderBackend} that records every call it gets. */
final class FakeBackend implements ExtenderBackend {
    /** One recorded call: the verb and its arguments. */
    record Call(String verb, Pod pod, Object arguments) {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    volatile BiFunction<Pod, List<String>, CompletionStage<FilterVerdicts>> filter =
            (pod, nodes) -> CompletableFuture.completedFuture(FilterVerdicts.allFeasible(nodes));
    volatile BiFunction<Pod, List<String>, CompletionStage<Map<String, Integer>>> prioritize = (pod, nodes) -> {
        Map<String, Integer> scores = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            scores.put(nodes.get(i), i % 11);
        }
        return CompletableFuture.completedFuture(scores);
    };
    volatile BiFunction<BindingArgs, Void, CompletionStage<BindVerdict>> bind =
            (args, unused) -> CompletableFuture.completedFuture(BindVerdict.bound());
    /** By default every proposed node with its proposed victims and no budget violation. */
    volatile BiFunction<Pod, Map<String, List<String>>, CompletionStage<Map<String, NodeVictims>>> preempt =
            (pod, victims) -> {
                Map<String, NodeVictims> out = new java.util.LinkedHashMap<>();
                victims.forEach((node, uids) -> out.put(node, new NodeVictims(uids, 0)));
                return CompletableFuture.completedFuture(out);
            };

    @Override
    public CompletionStage<FilterVerdicts> filter(Pod pod, List<String> nodeNames) {
        calls.add(new Call("filter", pod, nodeNames));
        return filter.apply(pod, nodeNames);
    }

    @Override
    public CompletionStage<Map<String, Integer>> prioritize(Pod pod, List<String> nodeNames) {
        calls.add(new Call("prioritize", pod, nodeNames));
        return prioritize.apply(pod, nodeNames);
    }

    @Override
    public CompletionStage<BindVerdict> bind(String namespace, String name, String uid, String node) {
        BindingArgs args = new BindingArgs(name, namespace, uid, node);
        calls.add(new Call("bind", null, args));
        return bind.apply(args, null);
    }

    @Override
    public CompletionStage<Map<String, NodeVictims>> preempt(Pod pod, Map<String, List<String>> victimUidsByNode) {
        calls.add(new Call("preempt", pod, victimUidsByNode));
        return preempt.apply(pod, victimUidsByNode);
    }
}
