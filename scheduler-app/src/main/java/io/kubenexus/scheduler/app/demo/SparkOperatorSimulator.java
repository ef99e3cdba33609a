package io.kubenexus.scheduler.app.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubenexus.scheduler.gang.GangLabels;
import io.kubenexus.scheduler.kube.translate.Translation;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays spark-operator and the Spark drivers, through the API like the real ones. Pods are made
 * from the SparkApplication by {@link SparkApplicationPods}; the driver is submitted first, and
 * once a driver runs it creates its executors, {@value #ALLOCATION_BATCH_SIZE} per round as Spark's
 * default {@code spark.kubernetes.allocation.batch.size}, one round per look. Executors never
 * exist before their driver is placed: a scheduler that waited for every gang member before
 * binding the driver would wait forever.
 *
 * <p>Two ways in:
 * <ul>
 *   <li>{@link #submit}: the demo's own applications, stored and launched at once;</li>
 *   <li>{@link #watchApplications}: any SparkApplication anyone stores (kubectl apply), seen through
 *       an informer, as the operator's controller sees them. An application that cannot be read
 *       gets state {@code SUBMISSION_FAILED} with the reason, and nothing else.</li>
 * </ul>
 *
 * <p>With an application duration ({@link Lifecycle#runFor}), the operator's state machine is
 * played too: {@code status.applicationState.state} goes {@code SUBMITTED} (driver created),
 * {@code RUNNING} (driver running), then, the duration after the driver started,
 * {@code SUCCEEDING} and {@code COMPLETED}: the driver and its executors end {@code Succeeded}
 * (as with {@code spark.kubernetes.executor.deleteOnTermination=false}, so they stay visible).
 * A driver counts as running when its phase is {@code Running} (a kubelet runs pods); without a
 * lifecycle ({@link Lifecycle#BOUND_IS_RUNNING}, the demo, whose nodes mostly have no kubelet)
 * bound is running and nothing ends. A deleted SparkApplication's pods are deleted (the garbage
 * collector's work, through the owner references).
 *
 * <p>Drivers are found by listing them (one request per look) rather than watching them: the
 * embedded API can stall when a watch is closed with events queued, and a list has nothing to close.
 *
 * <p>Thread model: {@link #submit} may be called from any thread; everything else is done by
 * {@link #pollOnce}, called by the simulator's own thread after {@link #start} (or by a test, never
 * both); informer callbacks only queue. The counters may be read from any thread.
 */
final class SparkOperatorSimulator implements AutoCloseable {
    static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(200);
    static final int ALLOCATION_BATCH_SIZE = 10;
    /** spark-operator's application states (v1beta2 ApplicationStateType) that this plays. */
    static final String SUBMITTED = "SUBMITTED";
    static final String RUNNING = "RUNNING";
    static final String SUCCEEDING = "SUCCEEDING";
    static final String COMPLETED = "COMPLETED";
    static final String SUBMISSION_FAILED = "SUBMISSION_FAILED";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * When a driver counts as running and how long an application runs.
     *
     * @param appDuration how long an application runs after its driver started; null: forever, and a
     *                    bound driver counts as running
     */
    record Lifecycle(Duration appDuration) {
        static final Lifecycle BOUND_IS_RUNNING = new Lifecycle(null);

        static Lifecycle runFor(Duration appDuration) {
            if (appDuration == null || appDuration.isNegative() || appDuration.isZero()) {
                throw new IllegalArgumentException("an application must run for a positive duration, was " + appDuration);
            }
            return new Lifecycle(appDuration);
        }
    }

    private final KubernetesClient client;
    /** Null: every namespace. */
    private final String namespace;
    private final String schedulerName;
    private final PrintStream progress;
    private final Lifecycle lifecycle;
    private final Clock clock;
    /** Launched applications by namespace/name. */
    private final Map<String, Launch> launches = new ConcurrentHashMap<>();
    /** Application events from the informer, handled by the next look. */
    private final Queue<Runnable> applicationEvents = new ConcurrentLinkedQueue<>();
    private final AtomicInteger podsCreated = new AtomicInteger();
    private final AtomicLong looks = new AtomicLong();
    private ScheduledExecutorService poller;
    private SharedIndexInformer<GenericKubernetesResource> informer;

    /**
     * As the demo uses it: applications in one namespace, submitted by {@link #submit}, bound is running.
     *
     * @param namespace     where the applications are submitted; every {@link SparkApp} must be in it
     * @param schedulerName goes into the SparkApplications and so onto every pod
     * @param progress      where failures to create an object are reported
     */
    SparkOperatorSimulator(KubernetesClient client, String namespace, String schedulerName, PrintStream progress) {
        this(client, namespace, schedulerName, progress, Lifecycle.BOUND_IS_RUNNING, Clock.systemUTC());
    }

    /**
     * @param namespace null for every namespace
     * @param lifecycle when drivers count as running and how long applications run
     */
    SparkOperatorSimulator(KubernetesClient client, String namespace, String schedulerName, PrintStream progress,
                           Lifecycle lifecycle, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.namespace = namespace;
        this.schedulerName = Objects.requireNonNull(schedulerName, "schedulerName");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Stores the application's SparkApplication, then creates its driver pod, as the operator does on
     * submission. Throws what the API answers if either fails.
     */
    void submit(SparkApp app) {
        if (namespace != null && !namespace.equals(app.namespace())) {
            throw new IllegalArgumentException("application " + app.name() + " is in namespace " + app.namespace()
                    + ", this simulator submits to " + namespace);
        }
        String key = app.namespace() + "/" + app.name();
        Launch launch = new Launch();
        if (launches.putIfAbsent(key, launch) != null) {
            throw new IllegalArgumentException("application " + app.name() + " was already submitted");
        }
        GenericKubernetesResource stored = client.genericKubernetesResources(SparkObjects.SPARK_APPLICATIONS)
                .inNamespace(app.namespace()).resource(SparkObjects.sparkApplication(app, schedulerName)).create();
        launch.plan = SparkObjects.plan(app, stored);
        createDriver(launch);
    }

    /**
     * From now on, every SparkApplication stored in the watched namespaces (and every one already
     * there) is launched by the next look, and a deleted one's pods are deleted.
     */
    synchronized void watchApplications() {
        if (informer != null) {
            throw new IllegalStateException("already watching");
        }
        var applications = client.genericKubernetesResources(SparkObjects.SPARK_APPLICATIONS);
        ResourceEventHandler<GenericKubernetesResource> handler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource app) {
                applicationEvents.add(() -> launch(app));
            }

            @Override
            public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
                applicationEvents.add(() -> launch(after));
            }

            @Override
            public void onDelete(GenericKubernetesResource app, boolean finalStateUnknown) {
                applicationEvents.add(() -> deleted(app));
            }
        };
        informer = namespace == null ? applications.inAnyNamespace().inform(handler)
                : applications.inNamespace(namespace).inform(handler);
    }

    /** Looks every {@code interval} on a daemon thread until {@link #close}. */
    synchronized void start(Duration interval) {
        if (poller != null) {
            throw new IllegalStateException("already started");
        }
        poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "simulated-spark-operator");
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(() -> {
            try {
                pollOnce();
            } catch (RuntimeException e) {
                // A failed look (e.g. a timed-out list) is retried at the next one; stopping would strand the gangs.
                progress.println("spark-operator: looking at the Spark drivers failed: " + e.getMessage());
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * One look: applications stored or deleted since the last look are launched or cleaned up; every
     * running driver creates up to {@value #ALLOCATION_BATCH_SIZE} of the executors it still lacks
     * (an executor whose creation fails is tried again at the next look); applications that have run
     * their time end.
     */
    void pollOnce() {
        for (Runnable event; (event = applicationEvents.poll()) != null; ) {
            event.run();
        }
        var drivers = namespace == null ? client.pods().inAnyNamespace() : client.pods().inNamespace(namespace);
        java.util.Set<Launch> seen = new java.util.HashSet<>();
        for (Pod driver : drivers.withLabel(GangLabels.SPARK_ROLE, SparkObjects.DRIVER).list().getItems()) {
            Map<String, String> labels = driver.getMetadata().getLabels();
            // Filtered here too: label selectors are not trusted on every API this may talk to.
            Launch launch = labels == null || !SparkObjects.DRIVER.equals(labels.get(GangLabels.SPARK_ROLE)) ? null
                    : launches.get(driver.getMetadata().getNamespace() + "/"
                            + labels.getOrDefault(GangLabels.OPERATOR_APP_NAME, ""));
            if (launch != null) {
                seen.add(launch);
            }
            if (launch == null || launch.plan == null || !running(driver) || launch.ended) {
                continue;
            }
            if (!launch.bound) {
                launch.bound = true;
                launch.runningSince = clock.instant();
                if (lifecycle.appDuration() != null) {
                    writeState(launch, RUNNING, null);
                }
            }
            createExecutors(launch, driver);
            if (lifecycle.appDuration() != null && !clock.instant().isBefore(launch.runningSince
                    .plus(lifecycle.appDuration()))) {
                end(launch, driver);
            }
        }
        // A running driver that is gone (evicted by a preemption, deleted) ends its application, as the
        // operator marks it failed: it creates no more executors.
        for (Launch launch : launches.values()) {
            if (launch.bound && !launch.ended && !seen.contains(launch)) {
                launch.ended = true;
            }
        }
        looks.incrementAndGet();
    }

    private boolean running(Pod driver) {
        if (driver.getSpec().getNodeName() == null) {
            return false;
        }
        return lifecycle.appDuration() == null
                || driver.getStatus() != null && "Running".equals(driver.getStatus().getPhase());
    }

    /** The operator's reaction to a stored application: launch it once; report one it cannot read. */
    private void launch(GenericKubernetesResource app) {
        String key = app.getMetadata().getNamespace() + "/" + app.getMetadata().getName();
        if (launches.containsKey(key) || !state(app).isEmpty()) {
            return; // launched here already, or handled before this process (a state is set)
        }
        Launch launch = new Launch();
        launches.put(key, launch);
        Translation<SparkApplicationPods.Plan> plan = SparkApplicationPods.plan(app, SparkApplicationPods.appId(app));
        if (plan instanceof Translation.Invalid<SparkApplicationPods.Plan> invalid) {
            progress.println("spark-operator: SparkApplication " + key + " cannot be submitted: " + invalid.message());
            launch.ended = true;
            launch.plan = new SparkApplicationPods.Plan(app, "", null, null, 0);
            writeState(launch, SUBMISSION_FAILED, invalid.message());
            return;
        }
        launch.plan = ((Translation.Valid<SparkApplicationPods.Plan>) plan).value();
        try {
            createDriver(launch);
            writeState(launch, SUBMITTED, null);
        } catch (KubernetesClientException e) {
            progress.println("spark-operator: submitting " + key + " failed: " + e.getMessage());
            launches.remove(key); // the next event about it tries again
        }
    }

    private void createDriver(Launch launch) {
        try {
            client.pods().inNamespace(launch.plan.namespace()).resource(SparkApplicationPods.driver(launch.plan)).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            // A driver of that name exists: an earlier attempt reached the API although its answer did not reach us.
        }
        podsCreated.incrementAndGet();
    }

    private void deleted(GenericKubernetesResource app) {
        String key = app.getMetadata().getNamespace() + "/" + app.getMetadata().getName();
        launches.remove(key);
        try {
            client.pods().inNamespace(app.getMetadata().getNamespace())
                    .withLabel(GangLabels.OPERATOR_APP_NAME, app.getMetadata().getName()).delete();
        } catch (KubernetesClientException e) {
            progress.println("spark-operator: deleting the pods of " + key + " failed: " + e.getMessage());
        }
    }

    private void createExecutors(Launch launch, Pod driver) {
        SparkApplicationPods.Plan plan = launch.plan;
        int last = Math.min(plan.executors(), launch.executorsCreated + ALLOCATION_BATCH_SIZE);
        while (launch.executorsCreated < last) {
            int id = launch.executorsCreated + 1;
            try {
                client.pods().inNamespace(plan.namespace()).resource(SparkApplicationPods.executor(plan, id, driver))
                        .create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    progress.println("spark-operator: creating " + plan.executorPodName(id) + " failed: "
                            + e.getMessage());
                    return;
                }
                // Already there: an earlier attempt reached the API although its answer did not reach us.
            }
            launch.executorsCreated = id;
            podsCreated.incrementAndGet();
        }
    }

    /** The application has run its time: executors and driver end Succeeded, the application COMPLETED. */
    private void end(Launch launch, Pod driver) {
        SparkApplicationPods.Plan plan = launch.plan;
        List<Pod> executors = client.pods().inNamespace(plan.namespace())
                .withLabel(GangLabels.OPERATOR_APP_NAME, plan.name()).list().getItems();
        for (Pod executor : executors) {
            if (SparkObjects.EXECUTOR.equals(executor.getMetadata().getLabels().get(GangLabels.SPARK_ROLE))
                    && plan.name().equals(executor.getMetadata().getLabels().get(GangLabels.OPERATOR_APP_NAME))) {
                setPhase(plan.namespace(), executor.getMetadata().getName(), KubeletLoop.succeeded(executor,
                        clock.instant()));
            }
        }
        setPhase(plan.namespace(), driver.getMetadata().getName(), KubeletLoop.succeeded(driver, clock.instant()));
        writeState(launch, SUCCEEDING, null);
        writeState(launch, COMPLETED, null);
        launch.ended = true;
    }

    private void setPhase(String podNamespace, String name, String patch) {
        try {
            client.pods().inNamespace(podNamespace).withName(name).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                throw e;
            }
        }
    }

    /** Writes {@code status} as spark-operator does (applicationState, driverInfo, attempts and times). */
    private void writeState(Launch launch, String state, String errorMessage) {
        SparkApplicationPods.Plan plan = launch.plan;
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        ObjectNode patch = JSON.createObjectNode();
        ObjectNode status = patch.putObject("status");
        ObjectNode applicationState = status.putObject("applicationState").put("state", state);
        if (errorMessage != null) {
            applicationState.put("errorMessage", errorMessage);
        }
        if (!plan.appId().isEmpty()) {
            status.put("sparkApplicationId", plan.appId());
            status.putObject("driverInfo").put("podName", plan.driverPodName());
        }
        status.put("submissionAttempts", 1);
        if (SUBMITTED.equals(state) || SUBMISSION_FAILED.equals(state)) {
            status.put("lastSubmissionAttemptTime", now);
        }
        if (COMPLETED.equals(state) || SUBMISSION_FAILED.equals(state)) {
            status.put("terminationTime", now);
        }
        if (launch.executorsCreated > 0) {
            String executorState = COMPLETED.equals(state) || SUCCEEDING.equals(state) ? COMPLETED : RUNNING;
            ObjectNode executors = status.putObject("executorState");
            for (int id = 1; id <= launch.executorsCreated; id++) {
                executors.put(plan.executorPodName(id), executorState);
            }
        }
        try {
            client.genericKubernetesResources(SparkObjects.SPARK_APPLICATIONS).inNamespace(plan.namespace())
                    .withName(plan.name()).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                            patch.toString());
        } catch (KubernetesClientException e) {
            progress.println("spark-operator: writing the state " + state + " of " + plan.namespace() + "/"
                    + plan.name() + " failed: " + e.getMessage());
        }
    }

    private static String state(GenericKubernetesResource app) {
        Object status = app.getAdditionalProperties().get("status");
        Object state = SparkApplicationPods.map(SparkApplicationPods.map(status).get("applicationState")).get("state");
        return state == null ? "" : state.toString();
    }

    /** Drivers and executors created so far. */
    int podsCreated() {
        return podsCreated.get();
    }

    /** Applications whose driver was seen running. */
    int driversBound() {
        return (int) launches.values().stream().filter(l -> l.bound).count();
    }

    /** Executors that drivers seen running have not created yet. */
    int executorsOwed() {
        return launches.values().stream().filter(l -> l.bound && !l.ended)
                .mapToInt(l -> l.plan.executors() - l.executorsCreated).sum();
    }

    /** Looks at the drivers completed so far; a look that starts after an event has seen it. */
    long looks() {
        return looks.get();
    }

    /** Stops watching and looking; waits briefly for a look under way. Idempotent. */
    @Override
    public synchronized void close() {
        if (informer != null) {
            informer.close();
            informer = null;
        }
        if (poller == null) {
            return;
        }
        poller.shutdownNow();
        try {
            poller.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One launched application; written only by the looking thread (and {@link #submit} before it is seen). */
    private static final class Launch {
        volatile SparkApplicationPods.Plan plan;
        volatile boolean bound;
        volatile boolean ended;
        volatile Instant runningSince;
        volatile int executorsCreated;
    }
}
