package io.kubenexus.scheduler.sim;

import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.core.config.ScoringStrategy;
import io.kubenexus.scheduler.numa.NodeTopology;
import io.kubenexus.scheduler.sim.importer.Quantity;
import io.kubenexus.scheduler.sim.importer.TaskPods;
import io.kubenexus.scheduler.sim.model.SimCluster;
import io.kubenexus.scheduler.sim.policy.Policy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A change to try beside the base run: nodes added, nodes removed, other scoring. The what-if run
 * replays the same arrivals with the changed cluster and policy.
 *
 * @param addNodes        {@code N:NODE} (N copies of an existing node) or
 *                        {@code N:cpu=96,memory=512Gi,gpus=8,model=A100}; null for none
 * @param removeNodes     a label selector ({@code key=value}, {@code key!=value}, {@code key}, comma
 *                        separated, all must hold; {@code name=NODE} matches the node's name),
 *                        optionally {@code N:} first to remove only the first N matches; null for none
 * @param strategy        NodeResourcesFit scoring to use instead, or null
 * @param resourceWeights resource weights to override, empty for none
 * @param pluginWeights   score plugin weights to override, empty for none
 */
public record WhatIf(String addNodes, String removeNodes, ScoringStrategy strategy, Map<String, Integer> resourceWeights,
                     Map<String, Integer> pluginWeights) {
    public WhatIf {
        resourceWeights = resourceWeights == null ? Map.of() : Map.copyOf(resourceWeights);
        pluginWeights = pluginWeights == null ? Map.of() : Map.copyOf(pluginWeights);
    }

    public boolean isEmpty() {
        return addNodes == null && removeNodes == null && strategy == null && resourceWeights.isEmpty()
                && pluginWeights.isEmpty();
    }

    public boolean changesScoring() {
        return strategy != null || !resourceWeights.isEmpty() || !pluginWeights.isEmpty();
    }

    /** What changes, in one line for the report. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (addNodes != null) {
            parts.add("--add-nodes " + addNodes);
        }
        if (removeNodes != null) {
            parts.add("--remove-nodes " + removeNodes);
        }
        if (strategy != null) {
            parts.add("--strategy " + (strategy == ScoringStrategy.MOST_ALLOCATED ? "MostAllocated" : "LeastAllocated"));
        }
        resourceWeights.forEach((name, weight) -> parts.add("--resource-weight " + name + "=" + weight));
        pluginWeights.forEach((name, weight) -> parts.add("--plugin-weight " + name + "=" + weight));
        return String.join(" ", parts);
    }

    public Policy apply(Policy base) {
        if (!changesScoring()) {
            return base;
        }
        return base.withScoring(base.name(), strategy, resourceWeights.isEmpty() ? null : resourceWeights,
                pluginWeights.isEmpty() ? null : pluginWeights);
    }

    public SimCluster apply(SimCluster base) {
        List<NodeInfo> nodes = new ArrayList<>(base.nodes());
        Map<String, NodeTopology> topologies = new LinkedHashMap<>(base.topologies());
        if (removeNodes != null) {
            remove(nodes, topologies);
        }
        if (addNodes != null) {
            add(base, nodes, topologies);
        }
        return new SimCluster(base.source() + " (" + describe() + ")", nodes, topologies);
    }

    private void remove(List<NodeInfo> nodes, Map<String, NodeTopology> topologies) {
        String selector = removeNodes;
        int limit = Integer.MAX_VALUE;
        int colon = selector.indexOf(':');
        if (colon > 0 && selector.substring(0, colon).chars().allMatch(Character::isDigit)) {
            limit = Integer.parseInt(selector.substring(0, colon));
            selector = selector.substring(colon + 1);
        }
        List<String[]> terms = new ArrayList<>();
        for (String term : selector.split(",")) {
            String t = term.trim();
            if (t.isEmpty()) {
                throw new IllegalArgumentException("--remove-nodes: empty term in '" + removeNodes + "'");
            }
            int ne = t.indexOf("!=");
            int eq = t.indexOf('=');
            if (ne > 0) {
                terms.add(new String[] {t.substring(0, ne), "!=", t.substring(ne + 2)});
            } else if (eq > 0) {
                terms.add(new String[] {t.substring(0, eq), "=", t.substring(eq + 1)});
            } else {
                terms.add(new String[] {t, "exists", null});
            }
        }
        int removed = 0;
        for (int i = 0; i < nodes.size() && removed < limit; i++) {
            NodeInfo node = nodes.get(i);
            if (matches(node, terms)) {
                nodes.remove(i--);
                topologies.remove(node.name());
                removed++;
            }
        }
        if (removed == 0) {
            throw new IllegalArgumentException("--remove-nodes: no node matches '" + removeNodes + "'");
        }
    }

    private static boolean matches(NodeInfo node, List<String[]> terms) {
        for (String[] term : terms) {
            String value = "name".equals(term[0]) ? node.name() : node.labels().get(term[0]);
            boolean holds = switch (term[1]) {
                case "=" -> term[2].equals(value);
                case "!=" -> !term[2].equals(value);
                default -> value != null;
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }

    private void add(SimCluster base, List<NodeInfo> nodes, Map<String, NodeTopology> topologies) {
        int colon = addNodes.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--add-nodes: expected N:NODE or N:cpu=..,memory=..,gpus=..,model=.., was '"
                    + addNodes + "'");
        }
        int count;
        try {
            count = Integer.parseInt(addNodes.substring(0, colon).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--add-nodes: '" + addNodes.substring(0, colon) + "' is not a count", e);
        }
        if (count < 1 || count > 100_000) {
            throw new IllegalArgumentException("--add-nodes: count must be 1..100000, was " + count);
        }
        String what = addNodes.substring(colon + 1).trim();
        NodeInfo template;
        NodeTopology topology = null;
        String prefix;
        if (!what.contains("=")) {
            template = base.nodes().stream().filter(n -> n.name().equals(what)).findFirst().orElseThrow(
                    () -> new IllegalArgumentException("--add-nodes: no node named '" + what + "' to copy"));
            topology = base.topologies().get(what);
            prefix = what + "-whatif-";
        } else {
            template = shape(what);
            prefix = "whatif-";
        }
        for (int i = 0; i < count; i++) {
            String name = prefix + i;
            Map<String, String> labels = new LinkedHashMap<>(template.labels());
            labels.put(TaskPods.HOSTNAME_LABEL, name);
            nodes.add(new NodeInfo(name, labels, template.annotations(), template.allocatable(), template.taints(),
                    false, true));
            if (topology != null) {
                topologies.put(name, topology);
            }
        }
    }

    private static NodeInfo shape(String spec) {
        Map<String, Long> allocatable = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        allocatable.put(ResourceNames.PODS, 110L);
        for (String pair : spec.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--add-nodes: expected key=value, was '" + pair + "'");
            }
            String key = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            switch (key) {
                case "cpu" -> allocatable.put(ResourceNames.CPU, Quantity.cpuMilli(value, "--add-nodes cpu"));
                case "memory" -> allocatable.put(ResourceNames.MEMORY, Quantity.bytes(value, "--add-nodes memory"));
                case "gpus" -> allocatable.put(ResourceNames.NVIDIA_GPU, Quantity.count(value, "--add-nodes gpus"));
                case "pods" -> allocatable.put(ResourceNames.PODS, Quantity.count(value, "--add-nodes pods"));
                case "model" -> labels.put(TaskPods.GPU_MODEL_LABEL, value);
                default -> throw new IllegalArgumentException("--add-nodes: unknown key '" + key
                        + "' (known: cpu, memory, gpus, pods, model)");
            }
        }
        return new NodeInfo("template", labels, Map.of(), ResourceList.of(allocatable), List.of(), false, true);
    }
}
