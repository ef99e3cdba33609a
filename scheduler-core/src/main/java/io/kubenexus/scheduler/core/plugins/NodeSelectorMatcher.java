package io.kubenexus.scheduler.core.plugins;

import io.kubenexus.scheduler.core.model.NodeSelectorOperator;
import io.kubenexus.scheduler.core.model.NodeSelectorRequirement;
import io.kubenexus.scheduler.core.model.NodeSelectorTerm;
import io.kubenexus.scheduler.core.state.ClusterSnapshot;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * Evaluates node selectors against the snapshot's label bitsets, with the Kubernetes API's
 * semantics: terms ORed, requirements within a term ANDed, an empty term matches nothing; NotIn and
 * DoesNotExist match nodes without the label; Gt and Lt compare integers and never match a label
 * value that is not one, and a Gt or Lt whose own value is not an integer matches no node (kube-scheduler
 * fails to parse such a term, which then matches nothing while the other terms still count). Called once per cycle; results go into bitsets the caller owns and
 * reuses, so a decision allocates nothing that grows with the cluster.
 */
final class NodeSelectorMatcher {
    private NodeSelectorMatcher() {
    }

    /** Sets {@code into} to the nodes whose labels include every {@code key=value} of a nodeSelector. */
    static BitSet matchingNodeSelector(Map<String, String> selector, ClusterSnapshot snapshot, BitSet into) {
        into.clear();
        into.or(snapshot.liveNodes());
        for (Map.Entry<String, String> entry : selector.entrySet()) {
            into.and(snapshot.nodesWithLabel(entry.getKey(), entry.getValue()));
        }
        return into;
    }

    /** Sets {@code into} to the nodes matching at least one term; an empty list matches nothing. */
    static BitSet matchingAnyTerm(List<NodeSelectorTerm> terms, ClusterSnapshot snapshot, BitSet into,
                                  BitSet termScratch, BitSet scratch) {
        into.clear();
        for (NodeSelectorTerm term : terms) {
            into.or(matchingTerm(term, snapshot, termScratch, scratch));
        }
        return into;
    }

    /** Sets {@code into} to the nodes matching every requirement of {@code term}; nothing when it is empty. */
    static BitSet matchingTerm(NodeSelectorTerm term, ClusterSnapshot snapshot, BitSet into, BitSet scratch) {
        BitSet matching = into;
        matching.clear();
        if (term.isEmpty()) {
            return matching;
        }
        matching.or(snapshot.liveNodes());
        for (NodeSelectorRequirement requirement : term.matchExpressions()) {
            andLabelRequirement(matching, requirement, snapshot, scratch);
            if (matching.isEmpty()) {
                return matching;
            }
        }
        for (NodeSelectorRequirement requirement : term.matchFields()) {
            andFieldRequirement(matching, requirement, snapshot, scratch);
        }
        return matching;
    }

    private static void andLabelRequirement(BitSet matching, NodeSelectorRequirement requirement,
                                            ClusterSnapshot snapshot, BitSet scratch) {
        String key = requirement.key();
        switch (requirement.operator()) {
            case IN -> matching.and(withAnyValue(key, requirement.values(), snapshot, scratch));
            case NOT_IN -> matching.andNot(withAnyValue(key, requirement.values(), snapshot, scratch));
            case EXISTS -> matching.and(snapshot.nodesWithLabelKey(key));
            case DOES_NOT_EXIST -> matching.andNot(snapshot.nodesWithLabelKey(key));
            case GT, LT -> matching.and(comparing(requirement, snapshot, scratch));
        }
    }

    private static BitSet withAnyValue(String key, List<String> values, ClusterSnapshot snapshot, BitSet scratch) {
        scratch.clear();
        for (String value : values) {
            scratch.or(snapshot.nodesWithLabel(key, value));
        }
        return scratch;
    }

    /** Nodes whose label value, read as an integer, is greater (Gt) or less (Lt) than the requirement's. */
    private static BitSet comparing(NodeSelectorRequirement requirement, ClusterSnapshot snapshot, BitSet scratch) {
        scratch.clear();
        List<String> values = requirement.values();
        if (values.size() != 1 || !isInteger(values.get(0))) {
            return scratch;
        }
        long bound = Long.parseLong(values.get(0));
        boolean greater = requirement.operator() == NodeSelectorOperator.GT;
        for (String labelValue : snapshot.labelValues(requirement.key())) {
            if (!isInteger(labelValue)) {
                continue;
            }
            long value = Long.parseLong(labelValue);
            if (greater ? value > bound : value < bound) {
                scratch.or(snapshot.nodesWithLabel(requirement.key(), labelValue));
            }
        }
        return scratch;
    }

    /**
     * metadata.name is the only field Kubernetes supports, with In and NotIn; anything else fails
     * to parse in kube-scheduler, and a term that fails to parse matches nothing.
     */
    private static void andFieldRequirement(BitSet matching, NodeSelectorRequirement requirement,
                                            ClusterSnapshot snapshot, BitSet scratch) {
        if (!NodeSelectorTerm.FIELD_NODE_NAME.equals(requirement.key())) {
            matching.clear();
            return;
        }
        scratch.clear();
        for (String name : requirement.values()) {
            int index = snapshot.nodeIndex(name);
            if (index >= 0) {
                scratch.set(index);
            }
        }
        switch (requirement.operator()) {
            case IN -> matching.and(scratch);
            case NOT_IN -> matching.andNot(scratch);
            default -> matching.clear();
        }
    }

    /**
     * Go's strconv.ParseInt(s, 10, 64) syntax: optional sign, decimal digits, in range. Checked
     * before parsing so that non-numeric label values cost no exception.
     */
    static boolean isInteger(String text) {
        int length = text.length();
        int start = length > 0 && (text.charAt(0) == '+' || text.charAt(0) == '-') ? 1 : 0;
        if (length == start || length - start > 19) {
            return false;
        }
        for (int i = start; i < length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        if (length - start < 19) {
            return true;
        }
        try {
            Long.parseLong(text);
            return true;
        } catch (NumberFormatException outOfRange) {
            return false;
        }
    }
}
