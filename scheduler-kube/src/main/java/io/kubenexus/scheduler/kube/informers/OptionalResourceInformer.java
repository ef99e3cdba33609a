package io.kubenexus.scheduler.kube.informers;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.AnyNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one resource of an API that need not exist (a CRD that may not be installed, or not
 * granted to the scheduler), in every namespace if it is namespaced, and hands every object to an
 * {@link UpsertRemoveHandler}.
 *
 * <p><b>Lifecycle.</b> Started and closed by an {@link OptionalResourceSet}, whose thread probes
 * (lists one item) and re-checks. A 404 (not
 * installed) or 403 (not granted) turns the resource off with one log line, and it is probed again
 * every {@link Timing#absentRecheck()} (minutes, not a tight loop), so an API installed or granted
 * later is picked up. Other probe errors are logged and retried after the same interval. Once the
 * probe succeeds an informer runs; its own errors it retries with its own backoff, except a 404 or
 * 403, which stops it: the objects it held are removed and the resource is off again.
 *
 * <p><b>Threads.</b> The handler is called on the informer's thread, and at sync and removal on
 * whichever thread completes them; the state below changes under this object's lock. An exception
 * from the handler is contained to its object ({@link ContainedHandler}).
 */
public final class OptionalResourceInformer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OptionalResourceInformer.class);

    /**
     * @param syncTimeout   longest the stage of {@link #start} waits for the first list
     * @param absentRecheck how often a missing (or forbidden) API is looked for again
     */
    public record Timing(Duration syncTimeout, Duration absentRecheck) {
        public Timing {
            requirePositive(syncTimeout, "syncTimeout");
            requirePositive(absentRecheck, "absentRecheck");
        }

        private static void requirePositive(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + duration);
            }
        }
    }

    private final KubernetesClient client;
    private final ResourceDefinitionContext resource;
    private final String kind;
    private final String whileOff;
    private final Timing timing;
    private final UpsertRemoveHandler<GenericKubernetesResource> handler;
    /** Completes when the resource first synced or was first found absent. */
    private final CompletableFuture<Void> firstOutcome = new CompletableFuture<>();
    private ScheduledExecutorService prober;
    private SharedIndexInformer<GenericKubernetesResource> informer;
    private boolean absenceLogged;
    private boolean closed;

    /**
     * @param resource the API and resource; its kind, group and version name it in the logs
     *                 ({@link #kind()}), its scope decides whether every namespace is watched
     * @param whileOff said when the resource goes off, e.g. {@code "; node annotations still apply"},
     *                 or empty
     * @param handler  receives the objects; at sync the whole list again as upserts (harmless
     *                 repeats), and removals for everything held when the API goes away
     */
    public OptionalResourceInformer(KubernetesClient client, ResourceDefinitionContext resource, String whileOff,
                                    Timing timing, UpsertRemoveHandler<GenericKubernetesResource> handler) {
        this.client = Objects.requireNonNull(client, "client");
        this.resource = Objects.requireNonNull(resource, "resource");
        this.kind = resource.getKind() + " " + groupVersion(resource);
        this.whileOff = Objects.requireNonNull(whileOff, "whileOff");
        this.timing = Objects.requireNonNull(timing, "timing");
        // Every object reaches the handler through here (events, the sync hand-over, removal when the
        // API goes): a bug with one object must not stop the others, the sync or the re-check.
        this.handler = new ContainedHandler<>(kind, Objects.requireNonNull(handler, "handler"));
    }

    /** For logs and diagnostics, e.g. {@code PodGroup scheduling.x-k8s.io/v1alpha1}. */
    public String kind() {
        return kind;
    }

    /**
     * Probes now on {@code prober}, which also runs the re-checks; the caller (an
     * {@link OptionalResourceSet}) owns it and shuts it down when closing. The stage
     * completes, never exceptionally, once the objects were listed and handed over or the API was
     * found absent, or after the sync timeout (logged): a slow or broken optional API never holds
     * up a start for long.
     */
    CompletionStage<Void> start(ScheduledExecutorService prober) {
        Objects.requireNonNull(prober, "prober");
        synchronized (this) {
            if (this.prober != null) {
                throw new IllegalStateException("already started");
            }
            this.prober = prober;
        }
        prober.execute(this::probe);
        long timeoutMillis = timing.syncTimeout().toMillis();
        return firstOutcome.copy().completeOnTimeout(null, timeoutMillis, TimeUnit.MILLISECONDS).thenRun(() -> {
            if (!firstOutcome.isDone()) {
                LOG.warn("{}: not synced within {} ms; scheduling starts without it until it does", kind, timeoutMillis);
            }
        });
    }

    /** Whether the objects are being watched (false before the start and while the API is absent). */
    public synchronized boolean watching() {
        return informer != null;
    }

    /** Stops the informer and the re-checks. Idempotent. */
    @Override
    public void close() {
        SharedIndexInformer<GenericKubernetesResource> running;
        synchronized (this) {
            closed = true;
            running = informer;
            informer = null;
        }
        if (running != null) {
            running.stop();
        }
    }

    private AnyNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> objects() {
        var operation = client.genericKubernetesResources(resource);
        return resource.isNamespaceScoped() ? operation.inAnyNamespace() : operation;
    }

    /** On the prober thread: is the API there? Then watch it, else look again later. */
    private void probe() {
        try {
            objects().list(new ListOptionsBuilder().withLimit(1L).build());
        } catch (KubernetesClientException e) {
            if (isAbsent(e)) {
                markAbsent(e);
            } else {
                LOG.warn("{}: cannot be listed ({}); trying again in {}", kind, e.getMessage(), timing.absentRecheck());
                recheckLater();
            }
            return;
        } catch (RuntimeException e) {
            LOG.warn("{}: cannot be listed; trying again in {}", kind, timing.absentRecheck(), e);
            recheckLater();
            return;
        }
        watch();
    }

    private void watch() {
        SharedIndexInformer<GenericKubernetesResource> created;
        synchronized (this) {
            if (closed || informer != null) {
                return;
            }
            created = objects().runnableInformer(0);
            created.exceptionHandler((isStarted, failure) -> {
                if (isAbsent(failure)) {
                    return false; // the API went away: stop; stopped() below turns the resource off
                }
                LOG.debug("{} informer failed, it retries", kind, failure);
                return true;
            });
            created.addEventHandler(handler);
            informer = created;
            absenceLogged = false;
        }
        created.start().whenComplete((ignored, failure) -> {
            if (failure == null) {
                // The informer delivers the initial list asynchronously; hand it all over now so it
                // is there before the start completes (an upsert twice changes nothing).
                created.getStore().list().forEach(handler::upsert);
                LOG.info("{}: watching, {} at sync", kind, created.getStore().list().size());
                firstOutcome.complete(null);
            } else if (isAbsent(failure)) {
                onGone(created, failure); // removed between the probe and the informer's list
            }
        });
        created.stopped().whenComplete((ignored, failure) -> {
            if (failure != null && isAbsent(failure)) {
                onGone(created, failure);
            }
        });
    }

    private void onGone(SharedIndexInformer<GenericKubernetesResource> gone, Throwable failure) {
        synchronized (this) {
            if (informer != gone) {
                return;
            }
            informer = null;
        }
        // Objects of a removed API are gone too; forget what they said.
        gone.getStore().list().forEach(handler::remove);
        markAbsent(failure);
    }

    private void markAbsent(Throwable failure) {
        boolean forbidden = statusCode(failure) == HttpURLConnection.HTTP_FORBIDDEN;
        String described = resource.getGroup().isEmpty() ? resource.getPlural() + " " + resource.getVersion()
                : resource.getPlural() + "." + resource.getGroup() + "/" + resource.getVersion();
        synchronized (this) {
            if (!absenceLogged) {
                absenceLogged = true;
                if (forbidden) {
                    LOG.warn("{}: off, the scheduler may not list {} (403); grant list and watch to use it{}."
                            + " Looking again every {}", kind, described, whileOff, timing.absentRecheck());
                } else {
                    LOG.info("{}: off, {} is not served by this cluster (CRD not installed){}."
                            + " Looking again every {}", kind, described, whileOff, timing.absentRecheck());
                }
            } else {
                LOG.debug("{}: still absent", kind);
            }
        }
        firstOutcome.complete(null);
        recheckLater();
    }

    private synchronized void recheckLater() {
        if (closed) {
            return;
        }
        try {
            prober.schedule(this::probe, timing.absentRecheck().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the prober is shutting down
        }
    }

    /** {@code group/version}, or the version alone for the core group ({@code v1}). */
    private static String groupVersion(ResourceDefinitionContext resource) {
        return resource.getGroup().isEmpty() ? resource.getVersion() : resource.getGroup() + "/" + resource.getVersion();
    }

    /** 404: the API is not served (CRD not installed); 403: the scheduler may not read it. */
    private static boolean isAbsent(Throwable failure) {
        int code = statusCode(failure);
        return code == HttpURLConnection.HTTP_NOT_FOUND || code == HttpURLConnection.HTTP_FORBIDDEN;
    }

    /** The HTTP status of the first KubernetesClientException in the cause chain, or 0. */
    private static int statusCode(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException e) {
                return e.getCode();
            }
        }
        return 0;
    }
}
