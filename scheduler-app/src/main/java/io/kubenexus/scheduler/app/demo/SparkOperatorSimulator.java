package io.kubenexus.scheduler.app.demo;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubenexus.scheduler.gang.GangLabels;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays spark-operator and the Spark drivers for the demo, through the API like the real ones:
 * {@link #submit} stores the SparkApplication and creates its driver pod; once a driver is bound
 * (here, where no kubelet runs, bound is running) the driver creates its executors,
 * {@value #ALLOCATION_BATCH_SIZE} per round as Spark's default
 * {@code spark.kubernetes.allocation.batch.size}, one round per look. Executors never exist before
 * their driver is placed: a scheduler that waited for every gang member before binding the driver
 * would wait forever.
 *
 * <p>The simulator looks at the drivers by listing them (one request per look) rather than
 * watching: the embedded API can stall when a watch is closed with events queued, and a list has
 * nothing to close.
 *
 * <p>Thread model: {@link #submit} may be called from any thread; executors are created by
 * {@link #pollOnce}, called by the simulator's own thread after {@link #start} (or by a test, never
 * both); the counters may be read from any thread.
 */
final class SparkOperatorSimulator implements AutoCloseable {
    static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(200);
    static final int ALLOCATION_BATCH_SIZE = 10;

    private final KubernetesClient client;
    private final String namespace;
    private final String schedulerName;
    private final PrintStream progress;
    /** Submitted applications by name. */
    private final Map<String, Launch> launches = new ConcurrentHashMap<>();
    private final AtomicInteger podsCreated = new AtomicInteger();
    private final AtomicLong looks = new AtomicLong();
    private ScheduledExecutorService poller;

    /**
     * @param namespace     where the applications are submitted; every {@link SparkApp} must be in it
     * @param schedulerName goes into the SparkApplications and so onto every pod
     * @param progress      where failures to create an object are reported
     */
    SparkOperatorSimulator(KubernetesClient client, String namespace, String schedulerName, PrintStream progress) {
        this.client = Objects.requireNonNull(client, "client");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.schedulerName = Objects.requireNonNull(schedulerName, "schedulerName");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * Stores the application's SparkApplication, then creates its driver pod, as the operator does on
     * submission. Throws what the API answers if either fails.
     */
    void submit(SparkApp app) {
        if (!namespace.equals(app.namespace())) {
            throw new IllegalArgumentException("application " + app.name() + " is in namespace " + app.namespace()
                    + ", this simulator submits to " + namespace);
        }
        if (launches.putIfAbsent(app.name(), new Launch(app)) != null) {
            throw new IllegalArgumentException("application " + app.name() + " was already submitted");
        }
        GenericKubernetesResource stored = client.genericKubernetesResources(SparkObjects.SPARK_APPLICATIONS)
                .inNamespace(namespace).resource(SparkObjects.sparkApplication(app, schedulerName)).create();
        client.pods().inNamespace(namespace).resource(SparkObjects.driver(app, stored, schedulerName)).create();
        podsCreated.incrementAndGet();
    }

    /** Looks at the drivers every {@code interval} on a daemon thread until {@link #close}. */
    synchronized void start(Duration interval) {
        if (poller != null) {
            throw new IllegalStateException("already started");
        }
        poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "demo-spark-drivers");
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(() -> {
            try {
                pollOnce();
            } catch (RuntimeException e) {
                // A failed look (e.g. a timed-out list) is retried at the next one; stopping would strand the gangs.
                progress.println("demo: looking at the Spark drivers failed: " + e.getMessage());
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * One look: every bound driver of a submitted application creates up to
     * {@value #ALLOCATION_BATCH_SIZE} of the executors it still lacks. An executor whose creation
     * fails is tried again at the next look.
     */
    void pollOnce() {
        for (Pod driver : client.pods().inNamespace(namespace).withLabel(GangLabels.SPARK_ROLE, SparkObjects.DRIVER)
                .list().getItems()) {
            Map<String, String> labels = driver.getMetadata().getLabels();
            // Filtered here too: label selectors are not trusted on every API this may talk to.
            Launch launch = labels == null || !SparkObjects.DRIVER.equals(labels.get(GangLabels.SPARK_ROLE)) ? null
                    : launches.get(labels.getOrDefault(GangLabels.OPERATOR_APP_NAME, ""));
            if (launch == null || driver.getSpec().getNodeName() == null) {
                continue;
            }
            launch.bound = true;
            createExecutors(launch, driver);
        }
        looks.incrementAndGet();
    }

    private void createExecutors(Launch launch, Pod driver) {
        SparkApp app = launch.app;
        int last = Math.min(app.executors(), launch.executorsCreated + ALLOCATION_BATCH_SIZE);
        while (launch.executorsCreated < last) {
            int id = launch.executorsCreated + 1;
            try {
                client.pods().inNamespace(namespace).resource(SparkObjects.executor(app, id, driver, schedulerName))
                        .create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    progress.println("demo: creating " + app.executorPodName(id) + " failed: " + e.getMessage());
                    return;
                }
                // Already there: an earlier attempt reached the API although its answer did not reach us.
            }
            launch.executorsCreated = id;
            podsCreated.incrementAndGet();
        }
    }

    /** Drivers and executors created so far. */
    int podsCreated() {
        return podsCreated.get();
    }

    /** Applications whose driver was seen bound. */
    int driversBound() {
        return (int) launches.values().stream().filter(l -> l.bound).count();
    }

    /** Executors that drivers seen bound have not created yet. */
    int executorsOwed() {
        return launches.values().stream().filter(l -> l.bound).mapToInt(l -> l.app.executors() - l.executorsCreated)
                .sum();
    }

    /** Looks at the drivers completed so far; a look that starts after an event has seen it. */
    long looks() {
        return looks.get();
    }

    /** Stops looking; waits briefly for a look under way. Idempotent. */
    @Override
    public synchronized void close() {
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

    /** One submitted application; {@link #executorsCreated} is written only by the looking thread. */
    private static final class Launch {
        final SparkApp app;
        volatile boolean bound;
        volatile int executorsCreated;

        Launch(SparkApp app) {
            this.app = app;
        }
    }
}
