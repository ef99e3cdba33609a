package io.kubenexus.scheduler.core.plugins;

import io.kubenexus.scheduler.core.config.InterPodSettings;
import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.framework.FilterDiagnosis;
import io.kubenexus.scheduler.core.framework.FilterPlugin;
import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.framework.ScorePlugin;
import io.kubenexus.scheduler.core.model.NodeInclusionPolicy;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.TopologySpreadConstraint;
import io.kubenexus.scheduler.core.state.ClusterSnapshot;
import io.kubenexus.scheduler.core.state.TaintedNodes;
import io.kubenexus.scheduler.core.topology.PodMatcher;
import io.kubenexus.scheduler.core.topology.PodSelection;
import io.kubenexus.scheduler.core.topology.PodTopologyCounts;
import io.kubenexus.scheduler.core.topology.TopologyDomains;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Set;

/**
 * kube-scheduler's PodTopologySpread: DoNotSchedule constraints filter (skew = matching pods in the
 * node's domain + 1 if the pod matches itself - the global minimum, at most maxSkew; the minimum is 0
 * while fewer than minDomains domains are eligible), ScheduleAnyway constraints score (fewer matching
 * pods in the node's domain score higher, each constraint weighted by log(domains + 2)).
 * nodeAffinityPolicy and nodeTaintsPolicy decide which nodes' domains count.
 *
 * <p>Pods without constraints of their own get the configured default constraints, counting the pods
 * of the pod's own controller in its namespace (kube-scheduler derives a label selector from the
 * Services, ReplicaSets and StatefulSets selecting the pod instead).
 *
 * <p>Holds scratch arrays: one instance per profile, used on the loop thread only.
 */
public final class PodTopologySpread implements FilterPlugin, ScorePlugin {
    public static final String NAME = "PodTopologySpread";
    public static final String REASON = "node(s) didn't match pod topology spread constraints";
    public static final String REASON_MISSING_LABEL = REASON + " (missing required label)";

    private static final Set<ClusterEventType> EVENTS = Set.of(ClusterEventType.ASSIGNED_POD_ADDED,
            ClusterEventType.ASSIGNED_POD_REMOVED, ClusterEventType.NODE_ADDED, ClusterEventType.NODE_LABELS_CHANGED,
            ClusterEventType.NODE_TAINTS_CHANGED, ClusterEventType.NODE_REMOVED);

    /** One constraint as applied to one pod: what it counts and whether the pod counts itself. */
    private record Applied(TopologySpreadConstraint constraint, PodMatcher matcher, boolean selfMatch) {
    }

    private final List<TopologySpreadConstraint> defaultConstraints;
    private final boolean systemDefaulted;

    private PodContext appliedFor;
    private final List<Applied> hard = new ArrayList<>();
    private final List<Applied> soft = new ArrayList<>();
    private boolean usesDefaults;

    private final BitSet eligible = new BitSet();
    private final BitSet included = new BitSet();
    private final BitSet scratch = new BitSet();
    private final BitSet termScratch = new BitSet();
    private final BitSet anyTerm = new BitSet();
    private final BitSet selectorScratch = new BitSet();
    private final BitSet requirementScratch = new BitSet();
    private final BitSet rejected = new BitSet();
    private final BitSet missing = new BitSet();
    private int[] domainSums = new int[16];
    private boolean[] domainSeen = new boolean[16];
    private double[] weights = new double[4];
    private int[][] domainCounts = new int[4][];
    private int[][] nodeCountsOf = new int[4][];
    private TopologyDomains[] domainsOf = new TopologyDomains[4];

    public PodTopologySpread(InterPodSettings settings) {
        this.defaultConstraints = settings.effectiveDefaultConstraints();
        this.systemDefaulted = settings.spreadDefaulting() == InterPodSettings.SpreadDefaulting.SYSTEM;
    }

    @Override
    public String name() {
        return NAME;
    }

    // ------------------------------------------------------------------ filter

    @Override
    public void filter(PodContext pod, ClusterSnapshot snapshot, BitSet candidates, FilterDiagnosis diagnosis) {
        apply(pod, snapshot);
        if (hard.isEmpty()) {
            return;
        }
        PodTopologyCounts counts = snapshot.extension(PodTopologyCounts.class);
        nodesWithAllKeys(hard, snapshot, eligible);
        for (Applied applied : hard) {
            if (candidates.isEmpty()) {
                return;
            }
            TopologySpreadConstraint constraint = applied.constraint();
            TopologyDomains domains = counts.domains(constraint.topologyKey());
            includedNodes(pod.pod(), constraint, snapshot, eligible, included);
            int domainCount = domains.domainCount();
            int[] sums = sumIncluded(applied.matcher() == null ? null : counts.counts(applied.matcher()), domains,
                    included);
            int eligibleDomains = 0;
            int min = Integer.MAX_VALUE;
            for (int d = 0; d < domainCount; d++) {
                if (domainSeen[d]) {
                    eligibleDomains++;
                    min = Math.min(min, sums[d]);
                }
            }
            if (constraint.minDomains() != null && eligibleDomains < constraint.minDomains()) {
                min = 0; // too few domains: the missing ones count as empty
            }
            int self = applied.selfMatch() ? 1 : 0;
            rejected.clear();
            missing.clear();
            for (int n = candidates.nextSetBit(0); n >= 0; n = candidates.nextSetBit(n + 1)) {
                int domain = domains.domainOf(n);
                if (domain < 0) {
                    missing.set(n);
                    continue;
                }
                int matching = domainSeen[domain] ? sums[domain] : 0;
                if ((long) matching + self - min > constraint.maxSkew()) {
                    rejected.set(n);
                }
            }
            if (!missing.isEmpty()) {
                candidates.andNot(missing);
                diagnosis.rejectAll(this, missing, REASON_MISSING_LABEL);
            }
            if (!rejected.isEmpty()) {
                candidates.andNot(rejected);
                diagnosis.rejectAll(this, rejected, REASON);
            }
        }
    }

    @Override
    public boolean judgesEachNodeAlone(PodContext pod, ClusterSnapshot snapshot) {
        apply(pod, snapshot);
        return hard.isEmpty();
    }

    @Override
    public boolean evictionMayResolve(String reason) {
        // Evicting matching pods lowers a domain's count; nothing but a node change adds a missing label.
        return REASON.equals(reason);
    }

    @Override
    public Set<ClusterEventType> eventsThatMayHelp() {
        return EVENTS;
    }

    // ------------------------------------------------------------------ score

    @Override
    public long uniformScore(PodContext pod, ClusterSnapshot snapshot) {
        apply(pod, snapshot);
        return soft.isEmpty() ? 0 : SCORE_EACH_NODE;
    }

    /**
     * Raw score: the sum over constraints of (matching pods in the node's domain x the constraint's
     * weight + maxSkew - 1), rounded; -1 for nodes lacking a key (ignored by normalization, then 0).
     */
    @Override
    public void score(PodContext pod, ClusterSnapshot snapshot, int[] nodes, int count, long[] scores) {
        apply(pod, snapshot);
        if (soft.isEmpty()) {
            Arrays.fill(scores, 0, count, 0);
            return;
        }
        PodTopologyCounts counts = snapshot.extension(PodTopologyCounts.class);
        boolean requireAllKeys = !usesDefaults || !systemDefaulted;
        int constraints = soft.size();
        if (weights.length < constraints) {
            weights = new double[constraints];
            domainCounts = new int[constraints][];
            nodeCountsOf = new int[constraints][];
            domainsOf = new TopologyDomains[constraints];
        }
        // The feasible nodes that are scored (those with every key, when all are required).
        scratch.clear();
        for (int i = 0; i < count; i++) {
            scratch.set(nodes[i]);
        }
        if (requireAllKeys) {
            nodesWithAllKeys(soft, snapshot, eligible);
            scratch.and(eligible);
        } else {
            eligible.clear();
            eligible.or(snapshot.liveNodes());
        }
        int scoredNodes = scratch.cardinality();
        for (int c = 0; c < constraints; c++) {
            Applied applied = soft.get(c);
            TopologySpreadConstraint constraint = applied.constraint();
            TopologyDomains domains = counts.domains(constraint.topologyKey());
            int[] nodeCounts = applied.matcher() == null ? null : counts.counts(applied.matcher());
            domainsOf[c] = domains;
            nodeCountsOf[c] = nodeCounts;
            if (InterPodSettings.HOSTNAME.equals(constraint.topologyKey())) {
                weights[c] = Math.log(scoredNodes + 2);
                domainCounts[c] = null;
                continue;
            }
            // Domains of the scored nodes: their count and their matching pods on included nodes.
            int domainCount = domains.domainCount();
            if (domainSeen.length < domainCount) {
                domainSeen = new boolean[Math.max(domainCount, domainSeen.length * 2)];
            }
            Arrays.fill(domainSeen, 0, domainCount, false);
            int size = 0;
            boolean lacking = false;
            for (int n = scratch.nextSetBit(0); n >= 0; n = scratch.nextSetBit(n + 1)) {
                int domain = domains.domainOf(n);
                if (domain >= 0 && !domainSeen[domain]) {
                    domainSeen[domain] = true;
                    size++;
                }
                lacking |= domain < 0;
            }
            if (lacking) {
                size++; // kube-scheduler counts the nodes lacking the key as one more (empty) value
            }
            weights[c] = Math.log(size + 2);
            includedNodes(pod.pod(), constraint, snapshot, eligible, included);
            int[] perDomain = domainCounts[c] == null || domainCounts[c].length < domainCount
                    ? new int[Math.max(domainCount, 16)] : domainCounts[c];
            Arrays.fill(perDomain, 0, domainCount, 0);
            if (nodeCounts != null) {
                for (int n = included.nextSetBit(0); n >= 0 && n < nodeCounts.length; n = included.nextSetBit(n + 1)) {
                    int domain = domains.domainOf(n);
                    if (domain >= 0) {
                        perDomain[domain] += nodeCounts[n];
                    }
                }
            }
            domainCounts[c] = perDomain;
        }
        for (int i = 0; i < count; i++) {
            int node = nodes[i];
            if (!scratch.get(node)) {
                scores[i] = -1;
                continue;
            }
            double score = 0;
            for (int c = 0; c < constraints; c++) {
                int domain = domainsOf[c].domainOf(node);
                if (domain < 0) {
                    continue;
                }
                long matching;
                if (domainCounts[c] == null) {
                    int[] nodeCounts = nodeCountsOf[c];
                    matching = nodeCounts == null || node >= nodeCounts.length ? 0 : nodeCounts[node];
                } else {
                    matching = domainCounts[c][domain];
                }
                score += matching * weights[c] + (soft.get(c).constraint().maxSkew() - 1);
            }
            scores[i] = Math.round(score);
        }
    }

    /** kube-scheduler's inversion: fewer matching pods score higher; ignored nodes (-1) score 0. */
    @Override
    public void normalize(PodContext pod, long[] scores, int count) {
        if (appliedFor == pod && soft.isEmpty()) {
            return; // nothing to spread: every node keeps 0, as when kube-scheduler skips the plugin
        }
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < count; i++) {
            long score = scores[i];
            if (score < 0) {
                continue;
            }
            min = Math.min(min, score);
            max = Math.max(max, score);
        }
        for (int i = 0; i < count; i++) {
            long score = scores[i];
            if (score < 0) {
                scores[i] = 0;
            } else if (max == 0) {
                scores[i] = MAX_NODE_SCORE;
            } else {
                scores[i] = MAX_NODE_SCORE * (max + min - score) / max;
            }
        }
    }

    @Override
    public Dependence dependence() {
        return Dependence.CLUSTER;
    }

    // ------------------------------------------------------------------ internals

    /** Resolves the pod's constraints (its own, else the defaults) once per context. */
    private void apply(PodContext pod, ClusterSnapshot snapshot) {
        if (appliedFor == pod) {
            return;
        }
        appliedFor = pod;
        hard.clear();
        soft.clear();
        PodInfo info = pod.pod();
        List<TopologySpreadConstraint> own = info.interPod().topologySpread();
        usesDefaults = own.isEmpty();
        String namespace = info.key().namespace();
        if (usesDefaults) {
            if (defaultConstraints.isEmpty() || info.controllerUid() == null) {
                return; // kube-scheduler: no default constraints when nothing selects the pod
            }
            PodMatcher sameController = PodMatcher.forSpread(PodSelection.sameController(namespace,
                    info.controllerUid()));
            for (TopologySpreadConstraint constraint : defaultConstraints) {
                (constraint.doNotSchedule() ? hard : soft).add(new Applied(constraint, sameController, true));
            }
            return;
        }
        for (TopologySpreadConstraint constraint : own) {
            if (constraint.selector() != null && constraint.selector().isEmpty()) {
                // kube-scheduler counts no pod for an empty selector ({}), yet the pod matches it: the
                // skew is always 1 and the constraint never rejects a node.
                (constraint.doNotSchedule() ? hard : soft).add(new Applied(constraint, null, true));
                continue;
            }
            PodMatcher matcher = PodMatcher.forSpread(PodSelection.inNamespace(namespace, constraint.selector()));
            boolean self = matcher != null && matcher.matches(info, snapshot::namespaceLabels);
            (constraint.doNotSchedule() ? hard : soft).add(new Applied(constraint, matcher, self));
        }
    }

    /** Sets {@code into} to the live nodes carrying every constraint's topology key. */
    private static void nodesWithAllKeys(List<Applied> constraints, ClusterSnapshot snapshot, BitSet into) {
        into.clear();
        into.or(snapshot.liveNodes());
        for (Applied applied : constraints) {
            into.and(snapshot.nodesWithLabelKey(applied.constraint().topologyKey()));
        }
    }

    /**
     * Sets {@code into} to the nodes of {@code eligible} whose domains count for the constraint: those
     * the pod's node selector and required node affinity allow (nodeAffinityPolicy Honor) and without
     * NoSchedule/NoExecute taints it does not tolerate (nodeTaintsPolicy Honor).
     */
    private void includedNodes(PodInfo pod, TopologySpreadConstraint constraint, ClusterSnapshot snapshot,
                               BitSet eligible, BitSet into) {
        into.clear();
        into.or(eligible);
        if (constraint.nodeAffinityPolicy() == NodeInclusionPolicy.HONOR) {
            if (!pod.nodeSelector().isEmpty()) {
                into.and(NodeSelectorMatcher.matchingNodeSelector(pod.nodeSelector(), snapshot, selectorScratch));
            }
            if (pod.nodeAffinity().hasRequired()) {
                into.and(NodeSelectorMatcher.matchingAnyTerm(pod.nodeAffinity().required(), snapshot, anyTerm,
                        termScratch, requirementScratch));
            }
        }
        if (constraint.nodeTaintsPolicy() == NodeInclusionPolicy.HONOR) {
            for (TaintedNodes tainted : snapshot.hardTaints()) {
                if (!Tolerations.tolerate(pod.tolerations(), tainted.taint())) {
                    into.andNot(tainted.nodes());
                }
            }
        }
    }

    /** Matching pods per domain over the {@code included} nodes; marks in {@code domainSeen} the domains they form. */
    private int[] sumIncluded(int[] nodeCounts, TopologyDomains domains, BitSet included) {
        int domainCount = domains.domainCount();
        if (domainSums.length < domainCount) {
            domainSums = new int[Math.max(domainCount, domainSums.length * 2)];
        }
        if (domainSeen.length < domainCount) {
            domainSeen = new boolean[Math.max(domainCount, domainSeen.length * 2)];
        }
        Arrays.fill(domainSums, 0, domainCount, 0);
        Arrays.fill(domainSeen, 0, domainCount, false);
        for (int n = included.nextSetBit(0); n >= 0; n = included.nextSetBit(n + 1)) {
            int domain = domains.domainOf(n);
            if (domain < 0) {
                continue;
            }
            domainSeen[domain] = true;
            if (nodeCounts != null && n < nodeCounts.length) {
                domainSums[domain] += nodeCounts[n];
            }
        }
        return domainSums;
    }
}
