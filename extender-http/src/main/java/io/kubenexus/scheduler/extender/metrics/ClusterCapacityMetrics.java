package io.kubenexus.scheduler.extender.metrics;

import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.core.state.ClusterView;
import io.kubenexus.scheduler.core.state.NodeView;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Capacity gauges for a capacity dashboard, per resource and node pool:
 * <ul>
 *   <li>{@code kubenexus_cluster_capacity}: the sum of the nodes' {@code status.capacity};</li>
 *   <li>{@code kubenexus_cluster_allocatable}: the sum of their allocatable;</li>
 *   <li>{@code kubenexus_cluster_requested}: the requests accounted on them, pods bound by any
 *       scheduler and pods this scheduler has assumed, without the places held by reservations;</li>
 *   <li>{@code kubenexus_cluster_reserved}: the capacity held on them for executors not created yet.</li>
 * </ul>
 * CPU is published in cores, memory and ephemeral storage in bytes, other resources in whole units.
 *
 * <p><b>Pools.</b> A node's pool is the value of its {@code poolLabel} label; a node without the
 * label is in pool {@value #NO_POOL} (published from the start, reading 0 while every node has the
 * label); with no pool label every node is in pool {@code ""}. At most
 * {@code maxPools} label values get a pool of their own, in the order they are first seen, and keep
 * it for the life of the process; later values share pool {@value #OVERFLOW_POOL}. A pool whose nodes
 * have all gone keeps its series (reading 0) and its place, so pools that come and go never take more
 * than {@code maxPools} places: the number of series is at most
 * {@code 4 x resources x (maxPools + 2)}.
 *
 * <p><b>Resources.</b> {@code cpu}, {@code memory}, {@code pods} and {@code ephemeral-storage} are
 * always published; another resource from the first view in which some node advertises it.
 * Resources that only pods mention (pending pods register their requests as columns) add none. Series
 * stay once registered and read 0 when nothing is left.
 *
 * <p>Values are read at scrape time from the latest {@link ClusterView} the supplier returns. One
 * pass over the view's nodes serves every gauge and is cached until the view changes (a
 * {@code ClusterState} publishes a new view only when its generation moves), so a scrape costs
 * O(nodes x resources) once per published view and O(series) otherwise. A series first seen during a
 * scrape appears from that scrape or the next.
 *
 * <p>Thread-safe: any thread may scrape or bind. The gauges hold this object strongly, so it may be
 * dropped after {@link #bindTo}.
 */
public final class ClusterCapacityMetrics implements MeterBinder {
    /** The pool of nodes without the pool label. */
    public static final String NO_POOL = "none";
    /** The pool shared by label values beyond {@code maxPools}. */
    public static final String OVERFLOW_POOL = "other";
    /** The default bound on distinct pools ({@code metrics.maxNodePools}). */
    public static final int DEFAULT_MAX_POOLS = 20;

    private static final List<String> ALWAYS_PUBLISHED =
            List.of(ResourceNames.CPU, ResourceNames.MEMORY, ResourceNames.PODS, ResourceNames.EPHEMERAL_STORAGE);

    /** The four gauges of one (resource, pool), in the order of {@link Sums}' arrays. */
    private enum Family {
        CAPACITY("kubenexus.cluster.capacity", "Sum of node status.capacity"),
        ALLOCATABLE("kubenexus.cluster.allocatable", "Sum of node allocatable"),
        REQUESTED("kubenexus.cluster.requested",
                "Sum of requests accounted on nodes, assumed pods included, reservations excluded"),
        RESERVED("kubenexus.cluster.reserved", "Capacity held on nodes by executor reservations");

        final String meterName;
        final String description;

        Family(String meterName, String description) {
            this.meterName = meterName;
            this.description = description + " (cpu in cores, memory and ephemeral-storage in bytes)";
        }
    }

    private final Supplier<ClusterView> views;
    private final String poolLabel;
    private final int maxPools;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final AtomicLong computations = new AtomicLong();
    // Guarded by this: pool places, and which (resource, pool) pairs have series.
    private final Set<String> ownPools = new HashSet<>();
    private final Set<String> resources = new LinkedHashSet<>(ALWAYS_PUBLISHED);
    private final Set<String> pools = new LinkedHashSet<>();
    private volatile Totals totals = new Totals(null, Map.of(), Map.of());

    /** Sums over one view: per pool, per family, by the view's columns, in the scheduler's units. */
    private record Totals(ClusterView view, Map<String, Integer> columnIndex, Map<String, long[][]> byPool) {
        long get(Family family, String pool, String resource) {
            Integer column = columnIndex.get(resource);
            long[][] sums = byPool.get(pool);
            return column == null || sums == null ? 0 : sums[family.ordinal()][column];
        }
    }

    /** No pools: every node counts in pool {@code ""}. */
    public ClusterCapacityMetrics(Supplier<ClusterView> views) {
        this(views, null, DEFAULT_MAX_POOLS);
    }

    /**
     * @param views     the latest published view, e.g. {@code loop::view} of the {@code SchedulingLoop};
     *                  may return null before the first publish
     * @param poolLabel the node label whose value names a node's pool ({@code metrics.nodePoolLabel});
     *                  null or blank for no pools
     * @param maxPools  how many label values get a pool of their own ({@code metrics.maxNodePools}),
     *                  at least 1
     * @throws IllegalArgumentException if {@code maxPools} is below 1
     */
    public ClusterCapacityMetrics(Supplier<ClusterView> views, String poolLabel, int maxPools) {
        if (maxPools < 1) {
            throw new IllegalArgumentException("metrics.maxNodePools must be at least 1, was " + maxPools);
        }
        this.views = views;
        this.poolLabel = poolLabel == null || poolLabel.isBlank() ? null : poolLabel;
        this.maxPools = maxPools;
        // Registered up front: besides being a real pool, its gauges are what reads the first view at
        // scrape time and so registers the pools and resources found there.
        pools.add(this.poolLabel == null ? "" : NO_POOL);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        registries.add(registry);
        synchronized (this) {
            for (String pool : pools) {
                for (String resource : resources) {
                    register(registry, resource, pool);
                }
            }
        }
        totals();
    }

    /** Sum of the nodes' capacity of {@code resource} in {@code pool}, in base units (cpu in cores). */
    public double capacity(String resource, String pool) {
        return value(Family.CAPACITY, resource, pool);
    }

    /** Sum of the nodes' allocatable {@code resource} in {@code pool}, in base units. */
    public double allocatable(String resource, String pool) {
        return value(Family.ALLOCATABLE, resource, pool);
    }

    /** Requests of {@code resource} accounted on the nodes of {@code pool}, reservations excluded, in base units. */
    public double requested(String resource, String pool) {
        return value(Family.REQUESTED, resource, pool);
    }

    /** Capacity of {@code resource} held by reservations on the nodes of {@code pool}, in base units. */
    public double reserved(String resource, String pool) {
        return value(Family.RESERVED, resource, pool);
    }

    /** How many times the sums were computed; one per published view that was read. */
    long computations() {
        return computations.get();
    }

    /**
     * An amount in the scheduler's units (cpu in millicores, everything else in whole units: bytes
     * for memory, ephemeral storage and hugepages) converted to the base unit Prometheus expects.
     */
    static double inBaseUnits(String resource, long amount) {
        return ResourceNames.CPU.equals(resource) ? amount / 1000.0 : amount;
    }

    private double value(Family family, String resource, String pool) {
        return inBaseUnits(resource, totals().get(family, pool, resource));
    }

    private Totals totals() {
        ClusterView view = views.get();
        Totals current = totals;
        if (view == null || current.view() == view) {
            return current;
        }
        return recompute(view);
    }

    private synchronized Totals recompute(ClusterView view) {
        if (totals.view() == view) {
            return totals; // a racing scrape computed it
        }
        Totals next = sum(view);
        totals = next;
        computations.incrementAndGet();
        publishNewSeries(next);
        return next;
    }

    private Totals sum(ClusterView view) {
        List<String> columns = view.columnNames();
        int count = columns.size();
        Map<String, Integer> columnIndex = new HashMap<>(count * 2);
        for (int c = 0; c < count; c++) {
            columnIndex.put(columns.get(c), c);
        }
        Map<String, long[][]> byPool = new LinkedHashMap<>();
        for (NodeView node : view.nodes()) {
            long[][] sums = byPool.computeIfAbsent(poolOf(node), p -> new long[Family.values().length][count]);
            for (int c = 0; c < count; c++) {
                long reserved = node.reserved(c);
                sums[Family.CAPACITY.ordinal()][c] += node.node().capacity().get(columns.get(c));
                sums[Family.ALLOCATABLE.ordinal()][c] += node.allocatable(c);
                sums[Family.REQUESTED.ordinal()][c] += node.requested(c) - reserved;
                sums[Family.RESERVED.ordinal()][c] += reserved;
            }
        }
        return new Totals(view, columnIndex, byPool);
    }

    /** Called with this object's lock held. */
    private String poolOf(NodeView node) {
        if (poolLabel == null) {
            return "";
        }
        String value = node.node().labels().get(poolLabel);
        if (value == null) {
            return NO_POOL;
        }
        // The first maxPools values keep a place for good; later ones share "other" and are not
        // remembered, so a label with a value per node (churning spot nodes) costs no memory.
        if (ownPools.contains(value) || (ownPools.size() < maxPools && ownPools.add(value))) {
            return value;
        }
        return OVERFLOW_POOL;
    }

    /** Called with this object's lock held. */
    private void publishNewSeries(Totals sums) {
        Set<String> newPools = new LinkedHashSet<>();
        for (String pool : sums.byPool().keySet()) {
            if (pools.add(pool)) {
                newPools.add(pool);
            }
        }
        Set<String> newResources = new LinkedHashSet<>();
        for (Map.Entry<String, Integer> column : sums.columnIndex().entrySet()) {
            if (!resources.contains(column.getKey()) && advertised(sums, column.getValue())) {
                newResources.add(column.getKey());
            }
        }
        resources.addAll(newResources);
        for (MeterRegistry registry : registries) {
            for (String pool : pools) {
                for (String resource : resources) {
                    if (newPools.contains(pool) || newResources.contains(resource)) {
                        register(registry, resource, pool);
                    }
                }
            }
        }
    }

    private static boolean advertised(Totals sums, int column) {
        for (long[][] pool : sums.byPool().values()) {
            if (pool[Family.ALLOCATABLE.ordinal()][column] > 0 || pool[Family.CAPACITY.ordinal()][column] > 0) {
                return true;
            }
        }
        return false;
    }

    private void register(MeterRegistry registry, String resource, String pool) {
        for (Family family : Family.values()) {
            Gauge.builder(family.meterName, this, metrics -> metrics.value(family, resource, pool))
                    .description(family.description)
                    .tag("resource", resource).tag("pool", pool).strongReference(true).register(registry);
        }
    }
}
