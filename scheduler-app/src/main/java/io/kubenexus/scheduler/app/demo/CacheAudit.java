package io.kubenexus.scheduler.app.demo;

import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.core.state.ClusterView;
import io.kubenexus.scheduler.core.state.NodeView;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Compares the scheduler's published view of every node with what the API's pods request there. */
final class CacheAudit {
    private static final List<String> CHECKED_RESOURCES = List.of(ResourceNames.CPU, ResourceNames.MEMORY,
            ResourceNames.PODS, ResourceNames.NVIDIA_GPU);

    private CacheAudit() {
    }

    /**
     * Nodes where the scheduler's published view and the API disagree on cpu, memory, GPUs or pod
     * count. Executor places the scheduler reserves are in its view but are no pods: the view says,
     * per node, how much of what it counts is such places ({@code NodeView#reserved}), and only the
     * rest is compared with the API, node by node.
     */
    static int mismatches(ClusterView view, Map<String, Map<String, BigDecimal>> requestedPerNode, PrintStream progress) {
        List<String> columns = view.columnNames();
        List<NodeRequests> differing = new ArrayList<>();
        long places = 0;
        for (NodeView node : view.nodes()) {
            Map<String, BigDecimal> fromApi = requestedPerNode.getOrDefault(node.node().name(), Map.of());
            long[] cached = new long[CHECKED_RESOURCES.size()];
            BigDecimal[] api = new BigDecimal[CHECKED_RESOURCES.size()];
            for (int r = 0; r < CHECKED_RESOURCES.size(); r++) {
                String resource = CHECKED_RESOURCES.get(r);
                int column = columns.indexOf(resource);
                cached[r] = column < 0 ? 0 : node.requested(column) - node.reserved(column);
                BigDecimal amount = fromApi.getOrDefault(resource, BigDecimal.ZERO);
                api[r] = ResourceNames.CPU.equals(resource) ? amount.movePointRight(3).setScale(0, RoundingMode.CEILING)
                        : amount;
            }
            int pods = columns.indexOf(ResourceNames.PODS);
            places += pods < 0 ? 0 : node.reserved(pods);
            NodeRequests requests = new NodeRequests(node.node().name(), cached, api);
            if (requests.firstDifference() >= 0) {
                differing.add(requests);
            }
        }
        if (places > 0) {
            progress.printf("demo: %d executor place(s) reserved in the scheduler's view, left out of the comparison%n",
                    places);
        }
        for (NodeRequests requests : differing) {
            int r = requests.firstDifference();
            progress.printf("demo: CACHE MISMATCH %s %s: scheduler %d, API %s%n", requests.node(),
                    CHECKED_RESOURCES.get(r), requests.cached()[r], requests.api()[r].toPlainString());
        }
        return differing.size();
    }

    /** What one node's pods request, per {@link #CHECKED_RESOURCES}, in the scheduler's view and in the API. */
    private record NodeRequests(String node, long[] cached, BigDecimal[] api) {
        BigDecimal schedulerHoldsMore(int resource) {
            return BigDecimal.valueOf(cached[resource]).subtract(api[resource]);
        }

        /** The first resource on which they differ, or -1. */
        int firstDifference() {
            for (int r = 0; r < cached.length; r++) {
                if (schedulerHoldsMore(r).signum() != 0) {
                    return r;
                }
            }
            return -1;
        }
    }
}
