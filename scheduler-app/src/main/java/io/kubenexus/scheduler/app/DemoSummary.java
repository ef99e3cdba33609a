package io.kubenexus.scheduler.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The outcome of a demo run.
 *
 * @param nodes                      nodes in the synthetic cluster
 * @param podsCreated                pods created
 * @param podsBound                  pods bound to a node when the run ended
 * @param podsPending                pods still pending when the run ended
 * @param podsExpectedUnschedulable  pods that no node could run even empty (too big, by design)
 * @param capacityViolations         nodes found holding more than their allocatable; must be 0
 * @param podsPendingThatFit         pending pods that the production plugins would place on the final
 *                                   cluster state re-read from the API: pods the scheduler missed; must be 0
 * @param cacheMismatches            nodes where the scheduler's cache and the API disagree on what is
 *                                   requested there (places it reserves for executors aside); must be 0
 * @param spark                      the Spark applications' gangs; {@link SparkGangs#NONE} without any
 * @param elapsedMillis              from the first pod created to the last bind
 * @param bindRatePerSecond          pods bound per second over that time
 * @param pendingReasons             pending pods per reason, e.g. {@code "0/50 nodes are available: ..."}
 * @param numa                       the NUMA workload's placements; {@link NumaPlacements#NONE} when the
 *                                   run had no nodes with a NUMA topology audited
 * @param podsBoundMoreThanOnce      pods (by UID) the API applied more than one bind to, counted by the
 *                                   API itself; must be 0
 * @param chaos                      the faults the API injected ({@code --chaos}); {@link Chaos#NONE} without
 * @param failover                   the leader's death and the takeover ({@code --failover})
 * @param http                       what the scheduler's HTTP endpoints answered at the end; {@link Http#NONE}
 *                                   when they were not checked
 * @param extender                   what the simulated kube-scheduler asked of the extender ({@code --extender});
 *                                   {@link Extender#NONE} without
 * @param preemption                 the priority mix: urgent work placed by preemption, whole gangs evicted,
 *                                   no gang left partial; {@link Preemption#NONE} when the run had none
 */
public record DemoSummary(
        int nodes,
        int podsCreated,
        int podsBound,
        int podsPending,
        int podsExpectedUnschedulable,
        int capacityViolations,
        int podsPendingThatFit,
        int cacheMismatches,
        SparkGangs spark,
        long elapsedMillis,
        double bindRatePerSecond,
        Map<String, Integer> pendingReasons,
        NumaPlacements numa,
        int podsBoundMoreThanOnce,
        Chaos chaos,
        Failover failover,
        Http http,
        Extender extender,
        Preemption preemption) {

    public DemoSummary {
        requireNotNegative("nodes", nodes);
        requireNotNegative("podsCreated", podsCreated);
        requireNotNegative("podsBound", podsBound);
        requireNotNegative("podsPending", podsPending);
        requireNotNegative("podsExpectedUnschedulable", podsExpectedUnschedulable);
        requireNotNegative("capacityViolations", capacityViolations);
        requireNotNegative("podsPendingThatFit", podsPendingThatFit);
        requireNotNegative("cacheMismatches", cacheMismatches);
        requireNotNegative("elapsedMillis", elapsedMillis);
        spark = spark == null ? SparkGangs.NONE : spark;
        // JSON has no NaN or Infinity; a zero-length run has a rate of 0.
        if (!(bindRatePerSecond >= 0) || Double.isInfinite(bindRatePerSecond)) {
            throw new IllegalArgumentException("bindRatePerSecond: must be a finite number >= 0, was " + bindRatePerSecond);
        }
        // Sorted by reason so that the JSON of equal runs is byte-for-byte equal.
        pendingReasons = pendingReasons == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(pendingReasons));
        numa = numa == null ? NumaPlacements.NONE : numa;
        requireNotNegative("podsBoundMoreThanOnce", podsBoundMoreThanOnce);
        chaos = chaos == null ? Chaos.NONE : chaos;
        failover = failover == null ? Failover.NONE : failover;
        http = http == null ? Http.NONE : http;
        extender = extender == null ? Extender.NONE : extender;
        preemption = preemption == null ? Preemption.NONE : preemption;
    }

    /** A summary of a run without a priority mix. */
    public DemoSummary(int nodes, int podsCreated, int podsBound, int podsPending, int podsExpectedUnschedulable,
                       int capacityViolations, int podsPendingThatFit, int cacheMismatches, SparkGangs spark,
                       long elapsedMillis, double bindRatePerSecond, Map<String, Integer> pendingReasons,
                       NumaPlacements numa, int podsBoundMoreThanOnce, Chaos chaos, Failover failover, Http http,
                       Extender extender) {
        this(nodes, podsCreated, podsBound, podsPending, podsExpectedUnschedulable, capacityViolations,
                podsPendingThatFit, cacheMismatches, spark, elapsedMillis, bindRatePerSecond, pendingReasons, numa,
                podsBoundMoreThanOnce, chaos, failover, http, extender, Preemption.NONE);
    }

    /** A summary of a run where the scheduler placed its own pods (no {@code --extender}). */
    public DemoSummary(int nodes, int podsCreated, int podsBound, int podsPending, int podsExpectedUnschedulable,
                       int capacityViolations, int podsPendingThatFit, int cacheMismatches, SparkGangs spark,
                       long elapsedMillis, double bindRatePerSecond, Map<String, Integer> pendingReasons,
                       NumaPlacements numa, int podsBoundMoreThanOnce, Chaos chaos, Failover failover, Http http) {
        this(nodes, podsCreated, podsBound, podsPending, podsExpectedUnschedulable, capacityViolations,
                podsPendingThatFit, cacheMismatches, spark, elapsedMillis, bindRatePerSecond, pendingReasons, numa,
                podsBoundMoreThanOnce, chaos, failover, http, Extender.NONE);
    }

    /** A summary whose HTTP endpoints were not checked. */
    public DemoSummary(int nodes, int podsCreated, int podsBound, int podsPending, int podsExpectedUnschedulable,
                       int capacityViolations, int podsPendingThatFit, int cacheMismatches, SparkGangs spark,
                       long elapsedMillis, double bindRatePerSecond, Map<String, Integer> pendingReasons,
                       NumaPlacements numa, int podsBoundMoreThanOnce, Chaos chaos, Failover failover) {
        this(nodes, podsCreated, podsBound, podsPending, podsExpectedUnschedulable, capacityViolations,
                podsPendingThatFit, cacheMismatches, spark, elapsedMillis, bindRatePerSecond, pendingReasons, numa,
                podsBoundMoreThanOnce, chaos, failover, Http.NONE);
    }

    /** A summary of a run with one replica (no {@code --failover}). */
    public DemoSummary(int nodes, int podsCreated, int podsBound, int podsPending, int podsExpectedUnschedulable,
                       int capacityViolations, int podsPendingThatFit, int cacheMismatches, SparkGangs spark,
                       long elapsedMillis, double bindRatePerSecond, Map<String, Integer> pendingReasons,
                       NumaPlacements numa, int podsBoundMoreThanOnce, Chaos chaos) {
        this(nodes, podsCreated, podsBound, podsPending, podsExpectedUnschedulable, capacityViolations,
                podsPendingThatFit, cacheMismatches, spark, elapsedMillis, bindRatePerSecond, pendingReasons, numa,
                podsBoundMoreThanOnce, chaos, Failover.NONE);
    }

    /** A summary of a run without faults whose binds the API applied once each. */
    public DemoSummary(int nodes, int podsCreated, int podsBound, int podsPending, int podsExpectedUnschedulable,
                       int capacityViolations, int podsPendingThatFit, int cacheMismatches, SparkGangs spark,
                       long elapsedMillis, double bindRatePerSecond, Map<String, Integer> pendingReasons,
                       NumaPlacements numa) {
        this(nodes, podsCreated, podsBound, podsPending, podsExpectedUnschedulable, capacityViolations,
                podsPendingThatFit, cacheMismatches, spark, elapsedMillis, bindRatePerSecond, pendingReasons, numa, 0,
                Chaos.NONE);
    }

    /** A summary without a NUMA audit. */
    public DemoSummary(int nodes, int podsCreated, int podsBound, int podsPending, int podsExpectedUnschedulable,
                       int capacityViolations, int podsPendingThatFit, int cacheMismatches, SparkGangs spark,
                       long elapsedMillis, double bindRatePerSecond, Map<String, Integer> pendingReasons) {
        this(nodes, podsCreated, podsBound, podsPending, podsExpectedUnschedulable, capacityViolations,
                podsPendingThatFit, cacheMismatches, spark, elapsedMillis, bindRatePerSecond, pendingReasons,
                NumaPlacements.NONE);
    }

    /**
     * One JSON object on one line, keys in a fixed order: {@code nodes, pods_created, pods_bound,
     * pods_pending, pods_expected_unschedulable, capacity_violations, pods_pending_that_fit,
     * cache_mismatches, spark_apps, gangs_completed, gangs_waiting, partial_gangs,
     * reserved_capacity_left, pods_bound_more_than_once, elapsed_millis, bind_rate_per_second,
     * pending_reasons}, then, when the run audited NUMA placements, {@code numa_pods_bound,
     * numa_pods_pending, numa_aligned, numa_misaligned, topology_affinity_errors, numa_by_shape}, then,
     * with {@code --chaos}, {@code chaos: {seed, rates, faults_injected: {kind: n, ...}, faults_total}}; with
     * the priority mix, {@code preemption: {urgent_pods, urgent_pods_bound, attempts, victim_pods,
     * victim_gangs, pods_evicted, partial_gangs}};
     * the rate is rounded to 0.01 and the reasons and shapes are sorted.
     */
    public String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("nodes", nodes);
        json.put("pods_created", podsCreated);
        json.put("pods_bound", podsBound);
        json.put("pods_pending", podsPending);
        json.put("pods_expected_unschedulable", podsExpectedUnschedulable);
        json.put("capacity_violations", capacityViolations);
        json.put("pods_pending_that_fit", podsPendingThatFit);
        json.put("cache_mismatches", cacheMismatches);
        json.put("spark_apps", spark.apps());
        json.put("gangs_completed", spark.completed());
        json.put("gangs_waiting", spark.waiting());
        json.put("partial_gangs", spark.partial());
        json.put("reserved_capacity_left", spark.reservationsLeft());
        json.put("executors_left_reserved_node", spark.executorsLeftReservedNode());
        json.put("pods_bound_more_than_once", podsBoundMoreThanOnce);
        json.put("elapsed_millis", elapsedMillis);
        json.put("bind_rate_per_second", Math.round(bindRatePerSecond * 100) / 100.0);
        json.put("pending_reasons", pendingReasons);
        if (numa != NumaPlacements.NONE) {
            json.put("numa_pods_bound", numa.podsBound());
            json.put("numa_pods_pending", numa.podsPending());
            json.put("numa_aligned", numa.aligned());
            json.put("numa_misaligned", numa.misaligned());
            json.put("topology_affinity_errors", numa.topologyAffinityErrors());
            Map<String, Object> shapes = new LinkedHashMap<>();
            numa.byShape().forEach((shape, counts) -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("nodes", counts.nodes());
                row.put("numa_pods_bound", counts.podsBound());
                row.put("aligned", counts.aligned());
                row.put("misaligned", counts.misaligned());
                row.put("kubelet_pinned", counts.kubeletPinned());
                shapes.put(shape, row);
            });
            json.put("numa_by_shape", shapes);
        }
        if (chaos.enabled()) {
            Map<String, Object> faults = new LinkedHashMap<>();
            faults.put("seed", chaos.seed());
            faults.put("rates", chaos.rates());
            faults.put("faults_injected", chaos.faultsInjected());
            faults.put("faults_total", chaos.total());
            json.put("chaos", faults);
        }
        if (http.checked()) {
            Map<String, Object> endpoints = new LinkedHashMap<>();
            endpoints.put("url", http.url());
            endpoints.put("readyz_status", http.readyStatus());
            endpoints.put("readyz_leader", http.leader());
            endpoints.put("metrics_served", http.metricsServed());
            endpoints.put("pods_explained", http.podsExplained());
            endpoints.put("explain_mismatches", http.explainMismatches());
            json.put("http", endpoints);
        }
        if (extender.enabled()) {
            Map<String, Object> calls = new LinkedHashMap<>();
            calls.put("filter_calls", extender.filterCalls());
            calls.put("prioritize_calls", extender.prioritizeCalls());
            calls.put("bind_calls", extender.bindCalls());
            calls.put("bind_errors", extender.bindErrors());
            calls.put("extender_failures", extender.failures());
            json.put("extender", calls);
        }
        if (preemption.enabled()) {
            Map<String, Object> mix = new LinkedHashMap<>();
            mix.put("urgent_pods", preemption.urgentPods());
            mix.put("urgent_pods_bound", preemption.urgentBound());
            mix.put("attempts", preemption.attempts());
            mix.put("victim_pods", preemption.victimPods());
            mix.put("victim_gangs", preemption.victimGangs());
            mix.put("pods_evicted", preemption.podsEvicted());
            mix.put("partial_gangs", preemption.partialGangs());
            json.put("preemption", mix);
        }
        if (failover.enabled()) {
            Map<String, Object> takeover = new LinkedHashMap<>();
            takeover.put("killed", failover.killed());
            takeover.put("new_leader", failover.newLeader());
            takeover.put("pods_bound_before_the_kill", failover.boundBeforeKill());
            takeover.put("takeover_millis", failover.takeoverMillis());
            json.put("failover", takeover);
        }
        try {
            return new ObjectMapper().writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot happen: strings, numbers and a map of them", e);
        }
    }

    /** A short aligned table for people, most frequent pending reason first. */
    public String toHumanReadable() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "kubenexus-scheduler demo: %d pods on %d nodes in %.1fs%n",
                podsCreated, nodes, elapsedMillis / 1000.0));
        row(out, "nodes", Integer.toString(nodes));
        row(out, "pods created", Integer.toString(podsCreated));
        row(out, "pods bound", Integer.toString(podsBound));
        row(out, "pods pending", Integer.toString(podsPending));
        row(out, "  of which fit no node", Integer.toString(podsExpectedUnschedulable));
        row(out, "capacity violations", Integer.toString(capacityViolations));
        row(out, "pending pods that fit", Integer.toString(podsPendingThatFit));
        row(out, "cache/API mismatches", Integer.toString(cacheMismatches));
        row(out, "pods bound twice", Integer.toString(podsBoundMoreThanOnce));
        if (spark.apps() > 0 || spark.partial() > 0) {
            row(out, "spark applications", Integer.toString(spark.apps()));
            row(out, "  gangs completed", Integer.toString(spark.completed()));
            row(out, "  gangs waiting", Integer.toString(spark.waiting()));
            row(out, "  partial gangs", Integer.toString(spark.partial()));
            row(out, "  reservations left", Integer.toString(spark.reservationsLeft()));
            row(out, "  left reserved node", Long.toString(spark.executorsLeftReservedNode()));
        }
        if (numa != NumaPlacements.NONE) {
            row(out, "NUMA pods bound", Integer.toString(numa.podsBound()));
            row(out, "  NUMA pods pending", Integer.toString(numa.podsPending()));
            row(out, "  NUMA-aligned", Integer.toString(numa.aligned()));
            row(out, "  NUMA-misaligned", Integer.toString(numa.misaligned()));
            row(out, "  TopologyAffinityErrors", Integer.toString(numa.topologyAffinityErrors()));
            numa.byShape().forEach((shape, counts) -> row(out, "  on " + shape, String.format(Locale.ROOT,
                    "%d/%d/%d/%d", counts.podsBound(), counts.aligned(), counts.misaligned(), counts.kubeletPinned())));
        }
        if (chaos.enabled()) {
            row(out, "faults injected", Long.toString(chaos.total()));
            chaos.faultsInjected().forEach((kind, n) -> row(out, "  " + kind, Long.toString(n)));
        }
        if (failover.enabled()) {
            row(out, "leader killed", failover.killed() + " after " + failover.boundBeforeKill() + " binds");
            row(out, "  new leader", failover.newLeader() + " after " + String.format(Locale.ROOT, "%.1f s",
                    failover.takeoverMillis() / 1000.0));
        }
        if (http.checked()) {
            row(out, "scheduler HTTP", http.url());
            row(out, "  /readyz", http.readyStatus() + (http.leader() ? ", leading" : ", not leading"));
            row(out, "  /metrics", http.metricsServed() ? "served" : "NOT SERVED");
            row(out, "  pods explained", Integer.toString(http.podsExplained()));
            row(out, "  explain mismatches", Integer.toString(http.explainMismatches()));
        }
        if (extender.enabled()) {
            row(out, "extender: filter calls", Long.toString(extender.filterCalls()));
            row(out, "  prioritize calls", Long.toString(extender.prioritizeCalls()));
            row(out, "  bind calls", Long.toString(extender.bindCalls()));
            row(out, "  bind errors (refused)", Long.toString(extender.bindErrors()));
            row(out, "  non-200 answers", Long.toString(extender.failures()));
        }
        if (preemption.enabled()) {
            row(out, "urgent pods bound", preemption.urgentBound() + "/" + preemption.urgentPods());
            row(out, "  preemption attempts", Long.toString(preemption.attempts()));
            row(out, "  victims: pods alone", Long.toString(preemption.victimPods()));
            row(out, "  victims: whole gangs", Long.toString(preemption.victimGangs()));
            row(out, "  pods evicted", Integer.toString(preemption.podsEvicted()));
            row(out, "  partial gangs", Integer.toString(preemption.partialGangs()));
        }
        row(out, "elapsed", String.format(Locale.ROOT, "%.2f s", elapsedMillis / 1000.0));
        row(out, "bind rate", String.format(Locale.ROOT, "%.1f pods/s", bindRatePerSecond));
        if (!pendingReasons.isEmpty()) {
            out.append(String.format("%nwhy pods are pending:%n"));
            pendingReasons.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                            .thenComparing(Map.Entry.comparingByKey()))
                    .forEach(e -> out.append(String.format(Locale.ROOT, "  %6d  %s%n", e.getValue(), e.getKey())));
        }
        return out.toString();
    }

    /**
     * Whether the run showed a defect: an over-committed node, a missed pod (or gang), a stale cache,
     * a driver bound without room for its executors, a misaligned NUMA pod, a pod bound twice, a
     * reservation left when every executor had come, or an executor its reserved places would not take.
     */
    public boolean failed() {
        return capacityViolations > 0 || podsPendingThatFit > 0 || cacheMismatches > 0 || spark.partial() > 0
                || numa.misaligned() > 0 || numa.topologyAffinityErrors() > 0 || podsBoundMoreThanOnce > 0
                || spark.reservationsLeft() > 0 || spark.executorsLeftReservedNode() > 0 || http.failed(chaos.enabled()) || extender.failures() > 0
                || preemption.partialGangs() > 0;
    }

    /**
     * The scheduler's HTTP endpoints at the end of the run, as curl sees them.
     *
     * @param url               where the scheduler served them
     * @param readyStatus       the status code of {@code /readyz} (0 when it did not answer)
     * @param leader            whether {@code /readyz} said this replica leads
     * @param metricsServed     whether {@code /metrics} served both the kube-scheduler and the kubenexus families
     * @param podsExplained     pending pods asked about at {@code /debug/explain}
     * @param explainMismatches of those, the ones whose answer did not give their PodScheduled condition's message
     */
    /**
     * The priority mix: urgent pods (of the demo's urgent PriorityClass) and how many were bound,
     * preemption's attempts and victims as its metrics counted them (a pod on its own, or a whole gang
     * counted once), the pods evicted (gone from the API; nothing else deletes pods in the demo), and
     * gangs left partial at the end (some members bound, fewer than min-available); must be 0.
     */
    public record Preemption(boolean enabled, int urgentPods, int urgentBound, long attempts, long victimPods,
                             long victimGangs, int podsEvicted, int partialGangs) {
        public static final Preemption NONE = new Preemption(false, 0, 0, 0, 0, 0, 0, 0);

        public Preemption {
            requireNotNegative("urgentPods", urgentPods);
            requireNotNegative("urgentBound", urgentBound);
            requireNotNegative("partialGangs", partialGangs);
            requireNotNegative("podsEvicted", podsEvicted);
            if (attempts < 0 || victimPods < 0 || victimGangs < 0) {
                throw new IllegalArgumentException("preemption counts must not be negative");
            }
        }
    }

    public record Http(boolean checked, String url, int readyStatus, boolean leader, boolean metricsServed,
                       int podsExplained, int explainMismatches) {
        public static final Http NONE = new Http(false, "", 0, false, false, 0, 0);

        /**
         * Endpoints that did not answer as they should. Under injected faults the condition writes
         * themselves fail, so the conditions may lag what the scheduler says: mismatches count then only
         * when the endpoints are down.
         */
        boolean failed(boolean underFaults) {
            return checked && (readyStatus != 200 || !leader || !metricsServed || (!underFaults && explainMismatches > 0));
        }
    }

    /**
     * {@code --extender}: the calls a simulated kube-scheduler made to the replica's extender verbs.
     *
     * @param enabled         whether the run had {@code --extender}
     * @param filterCalls     {@code POST .../filter} calls, one per scheduling attempt
     * @param prioritizeCalls {@code POST .../prioritize} calls, one per attempt with a feasible node
     * @param bindCalls       {@code POST .../bind} calls
     * @param bindErrors      binds answered 200 with an {@code Error} (refused: a gang's hold limit, a
     *                        group that did not fit together on the chosen nodes); kube-scheduler retries them
     * @param failures        calls answered with another status than 200, or not at all; must be 0
     */
    public record Extender(boolean enabled, long filterCalls, long prioritizeCalls, long bindCalls, long bindErrors,
                           long failures) {
        public static final Extender NONE = new Extender(false, 0, 0, 0, 0, 0);

        public Extender {
            requireNotNegative("extender.filterCalls", filterCalls);
            requireNotNegative("extender.prioritizeCalls", prioritizeCalls);
            requireNotNegative("extender.bindCalls", bindCalls);
            requireNotNegative("extender.bindErrors", bindErrors);
            requireNotNegative("extender.failures", failures);
        }
    }

    /**
     * {@code --failover}: two replicas with leader election; the leader was cut off the API (as a killed
     * process) in the middle of the run and the standby took over when the Lease expired.
     *
     * @param enabled         whether the run had {@code --failover}
     * @param killed          the replica cut off
     * @param newLeader       the replica leading at the end
     * @param boundBeforeKill binds the API had applied when the leader was cut off
     * @param takeoverMillis  from the cut to the new leader holding the Lease
     */
    public record Failover(boolean enabled, String killed, String newLeader, long boundBeforeKill, long takeoverMillis) {
        public static final Failover NONE = new Failover(false, "none", "none", 0, 0);

        public Failover {
            Objects.requireNonNull(killed, "killed");
            Objects.requireNonNull(newLeader, "newLeader");
            requireNotNegative("failover.boundBeforeKill", boundBeforeKill);
            requireNotNegative("failover.takeoverMillis", takeoverMillis);
        }
    }

    /**
     * The faults the embedded API injected into the scheduler's requests.
     *
     * @param enabled        whether the run had {@code --chaos}
     * @param seed           the seed of the faults (the demo's)
     * @param rates          the rates, {@code kind=rate,...}
     * @param faultsInjected per kind (every kind, zeros included), in a fixed order
     */
    public record Chaos(boolean enabled, long seed, String rates, Map<String, Long> faultsInjected) {
        public static final Chaos NONE = new Chaos(false, 0, "none", Map.of());

        public Chaos {
            Objects.requireNonNull(rates, "rates");
            faultsInjected = faultsInjected == null ? Map.of()
                    : Collections.unmodifiableMap(new LinkedHashMap<>(faultsInjected));
            faultsInjected.forEach((kind, n) -> requireNotNegative("chaos." + kind, n));
        }

        public long total() {
            return faultsInjected.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * The NUMA workload of a run, audited against the simulated kubelets' true per-zone state.
     *
     * @param podsBound              pods with a NUMA policy annotation bound to a node
     * @param podsPending            pods with a NUMA policy annotation still pending
     * @param aligned                bound pods whose required policy ({@code single-numa}, {@code isolated},
     *                               {@code restricted}) held when the kubelet admitted them
     * @param misaligned             bound pods whose required policy did not hold, or that joined a zone an
     *                               isolated pod held; must be 0
     * @param topologyAffinityErrors pods the kubelet failed with {@code TopologyAffinityError}; must be 0
     * @param byShape                per node shape with a topology, sorted by name
     */
    public record NumaPlacements(int podsBound, int podsPending, int aligned, int misaligned,
                                 int topologyAffinityErrors, Map<String, ShapeCounts> byShape) {
        public static final NumaPlacements NONE = new NumaPlacements(0, 0, 0, 0, 0, Map.of());

        public NumaPlacements {
            requireNotNegative("numa.podsBound", podsBound);
            requireNotNegative("numa.podsPending", podsPending);
            requireNotNegative("numa.aligned", aligned);
            requireNotNegative("numa.misaligned", misaligned);
            requireNotNegative("numa.topologyAffinityErrors", topologyAffinityErrors);
            byShape = byShape == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(byShape));
        }
    }

    /**
     * One node shape's share of the NUMA workload; the text table shows
     * {@code podsBound/aligned/misaligned/kubeletPinned}.
     *
     * @param nodes         nodes of the shape
     * @param podsBound     pods with a NUMA policy bound to them
     * @param aligned       of those, aligned as their policy required
     * @param misaligned    of those (or any pod breaking an isolated zone), misaligned
     * @param kubeletPinned pods, with or without a policy, whose resources their kubelets pinned to zones
     */
    public record ShapeCounts(int nodes, int podsBound, int aligned, int misaligned, int kubeletPinned) {
        public ShapeCounts {
            requireNotNegative("shape.nodes", nodes);
            requireNotNegative("shape.podsBound", podsBound);
            requireNotNegative("shape.aligned", aligned);
            requireNotNegative("shape.misaligned", misaligned);
            requireNotNegative("shape.kubeletPinned", kubeletPinned);
        }
    }

    /**
     * The Spark applications of a run, counted from the API when it ended.
     *
     * @param apps             SparkApplications submitted
     * @param completed        gangs whose driver and all min-available - 1 executors are bound
     * @param waiting          gangs whose driver is still pending (holding nothing)
     * @param partial          gangs whose driver is bound while fewer than min-available - 1 of its
     *                         executors are: executors that found no room; must be 0
     * @param reservationsLeft executor places the scheduler still held at the end
     *                         ({@code LoopStats.reservations()}); 0 once every executor has arrived
     * @param executorsLeftReservedNode executors whose group held places for them that were bound
     *                         elsewhere, none of their places taking them (their places held in another
     *                         shape than theirs, e.g. without their NUMA policy):
     *                         {@code kubenexus_executors_placed_total{place="elsewhere"}}; must be 0
     */
    public record SparkGangs(int apps, int completed, int waiting, int partial, int reservationsLeft,
                             long executorsLeftReservedNode) {
        public static final SparkGangs NONE = new SparkGangs(0, 0, 0, 0, 0);

        public SparkGangs {
            requireNotNegative("spark.apps", apps);
            requireNotNegative("spark.completed", completed);
            requireNotNegative("spark.waiting", waiting);
            requireNotNegative("spark.partial", partial);
            requireNotNegative("spark.reservationsLeft", reservationsLeft);
            requireNotNegative("spark.executorsLeftReservedNode", executorsLeftReservedNode);
        }

        public SparkGangs(int apps, int completed, int waiting, int partial, int reservationsLeft) {
            this(apps, completed, waiting, partial, reservationsLeft, 0);
        }
    }

    private static void row(StringBuilder out, String label, String value) {
        out.append(String.format(Locale.ROOT, "  %-24s %14s%n", label, value));
    }

    private static void requireNotNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + ": must not be negative, was " + value);
        }
    }
}
