package io.kubenexus.scheduler.extender.metrics;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.core.ports.BindOutcome;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.queue.QueueingEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scheduling loop's {@link SchedulerMetrics} as Micrometer meters, named for Prometheus
 * ({@code docs/metrics.md} lists them with their Prometheus names).
 *
 * <p>Two families of names: ours ({@code kubenexus_*}) and kube-scheduler's ({@code scheduler_*},
 * with its names, types, label sets and bucket bounds) where the meaning is the same, so dashboards
 * and alerts written for kube-scheduler work unchanged. One port call records both; the
 * kube-scheduler meters carry {@code profile}, the scheduler name this instance serves.
 *
 * <p>Labels are bounded: every value comes from a closed set (attempt results, bind outcomes, queue
 * names, gang results) or, for {@code resource}, from the resource names the cluster's nodes
 * advertise. Pod, group and node names never become labels. A result or queue name outside the
 * closed set is counted under {@code "other"}, so a caller's mistake adds one series, not many.
 * The closed sets are registered up front so that {@code rate()} sees zeros before the first event.
 *
 * <p>Thread model: the {@link SchedulerMetrics} methods are called from the scheduling loop only;
 * scrape threads read the gauges. Gauges observe {@link AtomicLong}s owned by this object, and
 * Micrometer holds gauge state weakly, so this object must stay reachable for as long as the
 * registry is scraped (the loop holds it).
 */
public final class MicrometerSchedulerMetrics implements SchedulerMetrics {
    static final String OTHER = "other";

    private static final String ATTEMPTS = "kubenexus.schedule.attempts";
    private static final String ATTEMPT_DURATION = "kubenexus.scheduling.attempt.duration";
    private static final String BINDS = "kubenexus.binds";
    private static final String BIND_DURATION = "kubenexus.bind.duration";
    private static final String PENDING_PODS = "kubenexus.pending.pods";
    private static final String GANGS_WAITING = "kubenexus.gangs.waiting";
    private static final String GANG_WAIT_DURATION = "kubenexus.gang.wait.duration";
    private static final String RESERVED_CAPACITY = "kubenexus.reserved.capacity";
    private static final String RESERVATIONS_EXPIRED = "kubenexus.reservations.expired";
    private static final String EXECUTORS_PLACED = "kubenexus.executors.placed";
    private static final String STARVATION_HELD_ROOM = "kubenexus.starvation.held.room";
    private static final String BACKFILLS = "kubenexus.starvation.backfills";
    private static final String PREEMPTION_ATTEMPTS = "kubenexus.preemption.attempts";
    private static final String PREEMPTION_VICTIMS = "kubenexus.preemption.victims";
    private static final String NOMINATED_PODS = "kubenexus.nominated.pods";

    // kube-scheduler's names (pkg/scheduler/metrics/metrics.go); Micrometer adds _total and _seconds.
    private static final String KS_ATTEMPTS = "scheduler.schedule.attempts";
    private static final String KS_ATTEMPT_DURATION = "scheduler.scheduling.attempt.duration";
    private static final String KS_PENDING_PODS = "scheduler.pending.pods";
    private static final String KS_SLI_DURATION = "scheduler.pod.scheduling.sli.duration";
    private static final String KS_INCOMING_PODS = "scheduler.queue.incoming.pods";
    private static final String KS_PREEMPTION_ATTEMPTS = "scheduler.preemption.attempts";
    /** kube-scheduler caps the attempts label the same way: 1 to 14, then "15+". */
    static final int SLI_ATTEMPTS_CAP = 15;

    private static final List<String> ATTEMPT_RESULTS = List.of("scheduled", "unschedulable", "error");
    private static final List<String> QUEUES = List.of("active", "backoff", "unschedulable");
    /** kube-scheduler's fourth queue: pods with scheduling gates. The loop holds none, so it reads 0. */
    private static final String GATED = "gated";
    private static final List<String> GANG_RESULTS = List.of("placed", "abandoned", "timeout");
    private static final List<String> EXECUTOR_PLACES = List.of("reserved", "elsewhere");
    private static final List<String> PREEMPTION_RESULTS = List.of("nominated", "waiting", "no_victims", "not_eligible");
    private static final List<String> VICTIM_KINDS = List.of("pod", "gang");

    // One cycle is sub-millisecond to a few ms at thousands of nodes; seconds mean trouble.
    private static final Duration[] ATTEMPT_BUCKETS = seconds(
            0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10);
    // A bind is one API round trip: milliseconds, up to the client's request timeout.
    private static final Duration[] BIND_BUCKETS = seconds(
            0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30);
    // Gangs wait for executors to be created and for capacity: seconds to the reservation TTL and beyond.
    private static final Duration[] GANG_WAIT_BUCKETS = seconds(
            0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600);
    // kube-scheduler's bounds: ExponentialBuckets(0.001, 2, 15) and ExponentialBuckets(0.01, 2, 20).
    private static final Duration[] KS_ATTEMPT_BUCKETS = exponential(0.001, 15);
    private static final Duration[] KS_SLI_BUCKETS = exponential(0.01, 20);

    private final MeterRegistry registry;
    private final String profile;
    private final Map<String, AttemptMeters> attempts = new ConcurrentHashMap<>();
    private final Map<BindOutcome, CountedTimer> binds = new EnumMap<>(BindOutcome.class);
    private final Map<String, AtomicLong> pendingPods = new ConcurrentHashMap<>();
    private final Map<String, Timer> gangWaits = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> reservedCapacity = new ConcurrentHashMap<>();
    private final AtomicLong gangsWaiting = new AtomicLong();
    private final Counter reservationsExpired;
    private final Map<String, AtomicLong> starvationHeldRoom = new ConcurrentHashMap<>();
    private final Counter backfills;
    private final Map<String, Counter> executorsPlaced = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Counter>> incomingPods = new ConcurrentHashMap<>();
    private final Timer[] sliDurations = new Timer[SLI_ATTEMPTS_CAP + 1];
    private final Map<String, Counter> preemptionAttempts = new ConcurrentHashMap<>();
    private final Map<String, Counter> preemptionVictims = new ConcurrentHashMap<>();
    private final AtomicLong nominatedPods = new AtomicLong();
    private final Counter ksPreemptionAttempts;

    /** A counter and a timer under the same label value. */
    private record CountedTimer(Counter count, Timer duration) {
        void record(long nanos) {
            count.increment();
            duration.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        }
    }

    /** Our own meters and kube-scheduler's, {@code profile} being the default scheduler name. */
    public MicrometerSchedulerMetrics(MeterRegistry registry) {
        this(registry, SchedulerSettings.DEFAULT_SCHEDULER_NAME);
    }

    /**
     * @param profile the scheduler name this instance serves ({@code schedulerName}), the
     *                {@code profile} label of the kube-scheduler meters
     */
    public MicrometerSchedulerMetrics(MeterRegistry registry, String profile) {
        this.registry = registry;
        this.profile = profile;
        for (String result : ATTEMPT_RESULTS) {
            attempts.put(result, attemptMeters(result));
        }
        for (BindOutcome outcome : BindOutcome.values()) {
            String label = outcome.name().toLowerCase(Locale.ROOT);
            binds.put(outcome, new CountedTimer(
                    Counter.builder(BINDS).description("Bind calls by outcome").tag("outcome", label)
                            .register(registry),
                    Timer.builder(BIND_DURATION).description("Bind call latency by outcome")
                            .tag("outcome", label).serviceLevelObjectives(BIND_BUCKETS).register(registry)));
        }
        for (String queue : QUEUES) {
            pendingPods.put(queue, pendingGauge(queue));
        }
        Gauge.builder(GANGS_WAITING, gangsWaiting, AtomicLong::get)
                .description("Gangs with members waiting to be placed").register(registry);
        for (String result : GANG_RESULTS) {
            gangWaits.put(result, gangWaitTimer(result));
        }
        // The two resources every reservation holds; others appear when a reservation first holds them.
        reservedCapacity.put(ResourceNames.CPU, reservedGauge(ResourceNames.CPU));
        reservedCapacity.put(ResourceNames.MEMORY, reservedGauge(ResourceNames.MEMORY));
        starvationHeldRoom.put(ResourceNames.CPU, heldRoomGauge(ResourceNames.CPU));
        starvationHeldRoom.put(ResourceNames.MEMORY, heldRoomGauge(ResourceNames.MEMORY));
        backfills = Counter.builder(BACKFILLS)
                .description("Pods placed in room held for a starving gang, ending before the gang could start")
                .register(registry);
        reservationsExpired = Counter.builder(RESERVATIONS_EXPIRED)
                .description("Executor reservations released unused after their TTL").register(registry);
        for (String place : EXECUTOR_PLACES) {
            executorsPlaced.put(place, Counter.builder(EXECUTORS_PLACED)
                    .description("Executors of a driver with places held, bound in one of them or elsewhere")
                    .tag("place", place).register(registry));
        }
        Gauge.builder(KS_PENDING_PODS, () -> 0).description("Number of pending pods, by the queue type")
                .tag("queue", GATED).register(registry);
        ksPreemptionAttempts = Counter.builder(KS_PREEMPTION_ATTEMPTS)
                .description("Total preemption attempts in the cluster till now").register(registry);
        for (String result : PREEMPTION_RESULTS) {
            preemptionAttempts.put(result, preemptionAttemptCounter(result));
        }
        for (String kind : VICTIM_KINDS) {
            preemptionVictims.put(kind, Counter.builder(PREEMPTION_VICTIMS)
                    .description("Victims evicted by preemption: pods on their own, and whole gangs (each counted once)")
                    .tag("kind", kind).register(registry));
        }
        Gauge.builder(NOMINATED_PODS, nominatedPods, AtomicLong::get)
                .description("Pods whose room made by preemption is held for them").register(registry);
        // The admissions every pod goes through, so that the family is there (at 0) before the first pod.
        incomingCounter(QueueingEvents.POD_ADD, "active");
        incomingCounter(QueueingEvents.SCHEDULE_ATTEMPT_FAILURE, "unschedulable");
        incomingCounter(QueueingEvents.SCHEDULE_ATTEMPT_FAILURE, "backoff");
        incomingCounter(QueueingEvents.BACKOFF_COMPLETE, "active");
        sliTimer(1);
    }

    @Override
    public void attempt(String result, long durationNanos) {
        AttemptMeters meters = attempts.get(result);
        if (meters == null) {
            meters = attempts.computeIfAbsent(OTHER, this::attemptMeters);
        }
        meters.record(durationNanos);
    }

    @Override
    public void bind(BindOutcome outcome, long durationNanos) {
        binds.get(outcome).record(durationNanos);
    }

    @Override
    public void queueSize(String queue, int size) {
        AtomicLong gauge = pendingPods.get(queue);
        if (gauge == null) {
            gauge = pendingPods.computeIfAbsent(OTHER, this::pendingGauge);
        }
        gauge.set(size);
    }

    @Override
    public void groupsWaiting(int count) {
        gangsWaiting.set(count);
    }

    @Override
    public void groupWaited(String result, long nanos) {
        Timer timer = gangWaits.get(result);
        if (timer == null) {
            timer = gangWaits.computeIfAbsent(OTHER, this::gangWaitTimer);
        }
        timer.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    /**
     * Sets the capacity reserved for {@code resource}, given in the scheduler's units (cpu in
     * millicores) and published in base units (cpu in cores, memory in bytes). The loop reports
     * every resource column; a resource gets a series only once some of it is reserved, so columns
     * that only pending pods mention add none.
     */
    @Override
    public void reservedCapacity(String resource, long amount) {
        setPerResource(reservedCapacity, resource, amount, this::reservedGauge);
    }

    /** Sets a per-resource gauge, registering its series the first time some amount is set. */
    private static void setPerResource(Map<String, AtomicLong> gauges, String resource, long amount,
                                       java.util.function.Function<String, AtomicLong> register) {
        if (resource == null) {
            return;
        }
        AtomicLong gauge = gauges.get(resource);
        if (gauge == null) {
            if (amount == 0) {
                return;
            }
            gauge = gauges.computeIfAbsent(resource, register);
        }
        gauge.set(amount);
    }

    /** As {@link #reservedCapacity}: a resource gets a series only once some of it is held. */
    @Override
    public void starvationHeldRoom(String resource, long amount) {
        setPerResource(starvationHeldRoom, resource, amount, this::heldRoomGauge);
    }

    @Override
    public void backfilled() {
        backfills.increment();
    }

    @Override
    public void reservationsExpired(int count) {
        if (count > 0) {
            reservationsExpired.increment(count);
        }
    }

    @Override
    public void executorPlaced(String place) {
        Counter counter = executorsPlaced.get(place);
        if (counter != null) {
            counter.increment();
        }
    }

    @Override
    public void preemptionAttempt(String result) {
        ksPreemptionAttempts.increment();
        Counter counter = preemptionAttempts.get(result);
        if (counter == null) {
            counter = preemptionAttempts.computeIfAbsent(OTHER, this::preemptionAttemptCounter);
        }
        counter.increment();
    }

    @Override
    public void preemptionVictims(String kind, int count) {
        Counter counter = preemptionVictims.get(kind);
        if (counter != null && count > 0) {
            counter.increment(count);
        }
    }

    @Override
    public void nominatedPods(int count) {
        nominatedPods.set(count);
    }

    private Counter preemptionAttemptCounter(String result) {
        return Counter.builder(PREEMPTION_ATTEMPTS).description("Preemption attempts for pods and gangs, by result")
                .tag("result", result).register(registry);
    }

    /** An event or queue outside the closed sets is counted under {@code "other"}. */
    @Override
    public void podsQueued(String event, String queue, int count) {
        if (count > 0) {
            incomingCounter(event, queue).increment(count);
        }
    }

    @Override
    public void podScheduled(int attempts, long sinceFirstQueuedNanos) {
        int capped = Math.max(1, Math.min(attempts, SLI_ATTEMPTS_CAP));
        Timer timer = sliDurations[capped];
        if (timer == null) {
            timer = sliTimer(capped);
        }
        timer.record(Math.max(0, sinceFirstQueuedNanos), TimeUnit.NANOSECONDS);
    }

    private Counter incomingCounter(String event, String queue) {
        Map<String, Counter> byQueue = event == null ? null : incomingPods.get(event);
        Counter counter = byQueue == null || queue == null ? null : byQueue.get(queue);
        if (counter != null) {
            return counter; // the common case: no allocation per admission
        }
        String e = event != null && QueueingEvents.ALL.contains(event) ? event : OTHER;
        String q = queue != null && QUEUES.contains(queue) ? queue : OTHER;
        Counter registered = Counter.builder(KS_INCOMING_PODS)
                .description("Number of pods added to scheduling queues by event and queue type")
                .tag("event", e).tag("queue", q).register(registry);
        // Only values of the closed sets become keys, so the map stays as bounded as the series.
        if (e.equals(event) && q.equals(queue)) {
            incomingPods.computeIfAbsent(e, k -> new ConcurrentHashMap<>()).put(q, registered);
        }
        return registered;
    }

    private Timer sliTimer(int attempts) {
        String label = attempts >= SLI_ATTEMPTS_CAP ? SLI_ATTEMPTS_CAP + "+" : Integer.toString(attempts);
        Timer timer = Timer.builder(KS_SLI_DURATION)
                .description("E2e latency for a pod being scheduled, from the time the pod enters the scheduling "
                        + "queue until its bind succeeds; may involve multiple scheduling attempts")
                .tag("attempts", label).serviceLevelObjectives(KS_SLI_BUCKETS).register(registry);
        sliDurations[attempts] = timer;
        return timer;
    }

    private AttemptMeters attemptMeters(String result) {
        return new AttemptMeters(new CountedTimer(
                Counter.builder(ATTEMPTS).description("Scheduling attempts by result").tag("result", result)
                        .register(registry),
                Timer.builder(ATTEMPT_DURATION)
                        .description("Time to decide a pod's node (filter and score; the bind is timed apart)")
                        .tag("result", result).serviceLevelObjectives(ATTEMPT_BUCKETS).register(registry)),
                new CountedTimer(
                        Counter.builder(KS_ATTEMPTS)
                                .description("Number of attempts to schedule pods, by the result")
                                .tag("result", result).tag("profile", profile).register(registry),
                        Timer.builder(KS_ATTEMPT_DURATION)
                                .description("Scheduling attempt latency in seconds (the bind is not included)")
                                .tag("result", result).tag("profile", profile)
                                .serviceLevelObjectives(KS_ATTEMPT_BUCKETS).register(registry)));
    }

    /** Both names of an attempt's result. */
    private record AttemptMeters(CountedTimer ours, CountedTimer kubeScheduler) {
        void record(long nanos) {
            ours.record(nanos);
            kubeScheduler.record(nanos);
        }
    }

    /** One value under both names: ours and kube-scheduler's. */
    private AtomicLong pendingGauge(String queue) {
        AtomicLong value = new AtomicLong();
        Gauge.builder(PENDING_PODS, value, AtomicLong::get).description("Pods waiting in the scheduling queue")
                .tag("queue", queue).register(registry);
        Gauge.builder(KS_PENDING_PODS, value, AtomicLong::get).description("Number of pending pods, by the queue type")
                .tag("queue", queue).register(registry);
        return value;
    }

    private Timer gangWaitTimer(String result) {
        return Timer.builder(GANG_WAIT_DURATION)
                .description("Time from a gang's first wait until it was placed or abandoned")
                .tag("result", result).serviceLevelObjectives(GANG_WAIT_BUCKETS).register(registry);
    }

    private AtomicLong reservedGauge(String resource) {
        return resourceGauge(RESERVED_CAPACITY, "Capacity held by executor reservations (cpu in cores, memory in bytes)",
                resource);
    }

    private AtomicLong heldRoomGauge(String resource) {
        return resourceGauge(STARVATION_HELD_ROOM,
                "Capacity held for gangs waiting past their starvation time (cpu in cores, memory in bytes)", resource);
    }

    /** A gauge of {@code resource} kept in the scheduler's units and published in base units. */
    private AtomicLong resourceGauge(String name, String description, String resource) {
        AtomicLong value = new AtomicLong();
        Gauge.builder(name, value, held -> ClusterCapacityMetrics.inBaseUnits(resource, held.get()))
                .description(description).tag("resource", resource).register(registry);
        return value;
    }

    /** {@code count} bounds from {@code first} seconds, doubling: Prometheus' ExponentialBuckets(first, 2, count). */
    private static Duration[] exponential(double first, int count) {
        double[] bounds = new double[count];
        for (int i = 0; i < count; i++) {
            bounds[i] = first * (1L << i);
        }
        return seconds(bounds);
    }

    private static Duration[] seconds(double... bounds) {
        Duration[] out = new Duration[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            out[i] = Duration.ofNanos(Math.round(bounds[i] * 1e9));
        }
        return out;
    }
}
