package io.kubenexus.scheduler.extender.metrics;

import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.core.state.ClusterView;
import io.kubenexus.scheduler.core.state.NodeView;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Cluster-wide capacity gauges for a capacity dashboard, per resource:
 * {@code kubenexus_cluster_capacity} (the sum of the nodes' allocatable) and
 * {@code kubenexus_cluster_allocated} (the sum of the requests the scheduler accounts on nodes: pods
 * bound by any scheduler plus the ones it has assumed). CPU is published in cores, memory and
 * ephemeral storage in bytes, other resources in their whole units.
 *
 * <p>Values are read at scrape time from the latest {@link ClusterView} the supplier returns. One
 * pass over the view's nodes serves every gauge and is cached until the view changes (a
 * {@code ClusterState} publishes a new view only when its generation moves), so a scrape costs
 * O(nodes) once per published view and O(resources) otherwise.
 *
 * <p>Label values are resource names, and a resource gets its two series only once some node
 * advertises it: resources that only pods mention (pending pods register their requests as columns)
 * add none. A newly advertised resource is registered during the scrape that first sees it and
 * appears from that scrape or the next. Series stay once registered and read 0 when no node has the
 * resource any more.
 *
 * <p>Thread-safe: any thread may scrape or bind. The gauges hold this object strongly, so it may
 * be dropped after {@link #bindTo}.
 */
public final class ClusterCapacityMetrics implements MeterBinder {
    private static final String CAPACITY = "kubenexus.cluster.capacity";
    private static final String ALLOCATED = "kubenexus.cluster.allocated";
    private static final List<String> ALWAYS_PUBLISHED =
            List.of(ResourceNames.CPU, ResourceNames.MEMORY, ResourceNames.PODS, ResourceNames.EPHEMERAL_STORAGE);

    private final Supplier<ClusterView> views;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final Set<String> published = ConcurrentHashMap.newKeySet();
    private final AtomicLong computations = new AtomicLong();
    private volatile Totals totals = new Totals(null, List.of(), new long[0], new long[0]);

    /** Sums over one view, by the view's columns, in the scheduler's units. */
    private record Totals(ClusterView view, List<String> columns, long[] allocatable, long[] requested) {
        long allocatable(String resource) {
            int column = columns.indexOf(resource);
            return column < 0 ? 0 : allocatable[column];
        }

        long requested(String resource) {
            int column = columns.indexOf(resource);
            return column < 0 ? 0 : requested[column];
        }
    }

    /**
     * @param views the latest published view, e.g. {@code loop::view} of the {@code SchedulingLoop};
     *              may return null before the first publish
     */
    public ClusterCapacityMetrics(Supplier<ClusterView> views) {
        this.views = views;
        published.addAll(ALWAYS_PUBLISHED);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        registries.add(registry);
        for (String resource : published) {
            register(registry, resource);
        }
        totals();
    }

    /** Sum of the nodes' allocatable {@code resource} in base units (cpu in cores), as of the latest view. */
    public double capacity(String resource) {
        return inBaseUnits(resource, totals().allocatable(resource));
    }

    /** Sum of the requests of {@code resource} accounted on nodes, in base units, as of the latest view. */
    public double allocated(String resource) {
        return inBaseUnits(resource, totals().requested(resource));
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

    private Totals totals() {
        ClusterView view = views.get();
        Totals current = totals;
        if (view == null || current.view() == view) {
            return current;
        }
        // Racing scrapes may both compute; the results are equal and either may win.
        Totals next = sum(view);
        totals = next;
        computations.incrementAndGet();
        publishNewResources(next);
        return next;
    }

    private static Totals sum(ClusterView view) {
        List<String> columns = view.columnNames();
        long[] allocatable = new long[columns.size()];
        long[] requested = new long[columns.size()];
        for (NodeView node : view.nodes()) {
            for (int c = 0; c < columns.size(); c++) {
                allocatable[c] += node.allocatable(c);
                requested[c] += node.requested(c);
            }
        }
        return new Totals(view, columns, allocatable, requested);
    }

    private void publishNewResources(Totals sums) {
        for (int c = 0; c < sums.columns().size(); c++) {
            String resource = sums.columns().get(c);
            if (sums.allocatable()[c] > 0 && published.add(resource)) {
                for (MeterRegistry registry : registries) {
                    register(registry, resource);
                }
            }
        }
    }

    private void register(MeterRegistry registry, String resource) {
        Gauge.builder(CAPACITY, this, metrics -> metrics.capacity(resource))
                .description("Sum of node allocatable (cpu in cores, memory and ephemeral-storage in bytes)")
                .tag("resource", resource).strongReference(true).register(registry);
        Gauge.builder(ALLOCATED, this, metrics -> metrics.allocated(resource))
                .description("Sum of requests accounted on nodes (cpu in cores, memory and ephemeral-storage in bytes)")
                .tag("resource", resource).strongReference(true).register(registry);
    }
}
