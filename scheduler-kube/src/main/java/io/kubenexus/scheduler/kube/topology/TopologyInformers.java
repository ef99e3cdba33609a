package io.kubenexus.scheduler.kube.topology;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.numa.NumaZones;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds every node's NUMA topology to the scheduling loop's {@link NumaZones}: watches
 * NodeResourceTopology objects ({@code topology.node.k8s.io/v1alpha2}) and, through
 * {@link #nodeHandler()} registered on the existing Node informer, the node annotations
 * {@value TopologyAnnotation#KEY} and {@value GpuIslandsAnnotation#KEY}. Which source applies and
 * how malformed data is reported is {@link NodeTopologySources}' job; every change is posted with
 * {@link SchedulingLoop#onStateUpdate} ({@link ClusterEventType#NODE_TOPOLOGY_CHANGED}), so pods
 * waiting for an aligned node are retried.
 *
 * <p><b>Optional API.</b> The NodeResourceTopology CRD need not be installed. A first list of one item
 * answering 404 (not installed) or 403 (not granted) turns the NRT source off with one log line and
 * it is looked for again every {@code absentRecheck}; the node annotations work regardless. A CRD
 * removed while watched drops its objects, so nodes fall back to their annotations.
 *
 * <p>{@link #start()} completes (never exceptionally) once the NRT objects have been listed and
 * posted, or the CRD was found absent, or after {@code syncTimeout}: call it before the pods' sync
 * barrier so the first decisions already see the topology. Informer callbacks never throw.
 */
public final class TopologyInformers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopologyInformers.class);

    public static final Duration DEFAULT_SYNC_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_ABSENT_RECHECK = Duration.ofMinutes(5);
    private static final String KIND = "NodeResourceTopology " + NodeResourceTopologyTranslator.NODE_RESOURCE_TOPOLOGIES.getGroup()
            + "/" + NodeResourceTopologyTranslator.NODE_RESOURCE_TOPOLOGIES.getVersion();

    private final KubernetesClient client;
    private final NodeTopologySources sources;
    private final Duration syncTimeout;
    private final Duration absentRecheck;
    private final CompletableFuture<Void> firstOutcome = new CompletableFuture<>();
    private final NrtHandler nrtHandler = new NrtHandler();
    private final NodeHandler nodeHandler = new NodeHandler();
    private ScheduledExecutorService prober;
    private SharedIndexInformer<GenericKubernetesResource> informer;
    private boolean absenceLogged;
    private boolean started;
    private boolean closed;

    public TopologyInformers(KubernetesClient client, SchedulingLoop loop, InvalidTopologyReporter reporter) {
        this(client, loop, reporter, DEFAULT_SYNC_TIMEOUT, DEFAULT_ABSENT_RECHECK);
    }

    /**
     * @param reporter      told once per node and problem about malformed data
     * @param syncTimeout   longest {@link #start()} waits for the NRT objects to list
     * @param absentRecheck how often a missing (or forbidden) NRT API is looked for again
     */
    public TopologyInformers(KubernetesClient client, SchedulingLoop loop, InvalidTopologyReporter reporter,
                             Duration syncTimeout, Duration absentRecheck) {
        this.client = Objects.requireNonNull(client, "client");
        this.sources = new NodeTopologySources(new LoopPublisher(Objects.requireNonNull(loop, "loop")),
                Objects.requireNonNull(reporter, "reporter"));
        this.syncTimeout = requirePositive(syncTimeout, "syncTimeout");
        this.absentRecheck = requirePositive(absentRecheck, "absentRecheck");
    }

    /**
     * The handler to register on the cluster's Node informer (nodes are not watched twice). It reads
     * only the node's name, uid and the two topology annotations, so trimmed copies are fine.
     */
    public ResourceEventHandler<Node> nodeHandler() {
        return nodeHandler;
    }

    /** Looks for the NodeResourceTopology API and watches it if served. */
    public synchronized CompletionStage<Void> start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        prober = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kubenexus-topology-sources");
            thread.setDaemon(true);
            return thread;
        });
        prober.execute(this::probe);
        return firstOutcome.copy().completeOnTimeout(null, syncTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenRun(() -> {
                    if (!firstOutcome.isDone()) {
                        LOG.warn("{}: not synced within {} ms; scheduling starts without it until it does",
                                KIND, syncTimeout.toMillis());
                    }
                });
    }

    /** Whether NodeResourceTopology objects are being watched (false while the CRD is absent). */
    public synchronized boolean watchingNodeResourceTopologies() {
        return informer != null;
    }

    /**
     * What was last posted to the loop for a node (diagnostics and tests), or null when its
     * topology is unknown.
     */
    public PublishedTopology published(String nodeName) {
        return sources.published(nodeName);
    }

    /** Stops the informer and the re-checks. Call before closing the client (and, in tests, the API). */
    @Override
    public void close() {
        SharedIndexInformer<GenericKubernetesResource> running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (prober != null) {
                prober.shutdownNow();
            }
            running = informer;
            informer = null;
        }
        if (running != null) {
            running.stop();
        }
    }

    // ------------------------------------------------------------------ NRT source lifecycle

    /** On the prober thread: is the API there? Then watch it, else look again later. */
    private void probe() {
        try {
            client.genericKubernetesResources(NodeResourceTopologyTranslator.NODE_RESOURCE_TOPOLOGIES)
                    .list(new ListOptionsBuilder().withLimit(1L).build());
        } catch (KubernetesClientException e) {
            if (isAbsent(e)) {
                markAbsent(e);
            } else {
                LOG.warn("{}: cannot be listed ({}); trying again in {}", KIND, e.getMessage(), absentRecheck);
                recheckLater();
            }
            return;
        } catch (RuntimeException e) {
            LOG.warn("{}: cannot be listed; trying again in {}", KIND, absentRecheck, e);
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
            created = client.genericKubernetesResources(NodeResourceTopologyTranslator.NODE_RESOURCE_TOPOLOGIES)
                    .runnableInformer(0);
            created.exceptionHandler((isStarted, failure) -> {
                if (isAbsent(failure)) {
                    return false; // the CRD went away: stop; stopped() below turns the source off
                }
                LOG.debug("{} informer failed, it retries", KIND, failure);
                return true;
            });
            created.addEventHandler(nrtHandler);
            informer = created;
            absenceLogged = false;
        }
        created.start().whenComplete((ignored, failure) -> {
            if (failure == null) {
                // The initial list reaches handlers asynchronously; post it now so it is in the loop's
                // inbox before start() completes (posting twice changes nothing).
                created.getStore().list().forEach(nrtHandler::upsert);
                LOG.info("{}: watching, {} at sync", KIND, created.getStore().list().size());
                firstOutcome.complete(null);
            } else if (isAbsent(failure)) {
                onGone(created, failure);
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
        // Objects of a removed CRD are gone too: nodes fall back to their annotations.
        gone.getStore().list().forEach(nrtHandler::remove);
        markAbsent(failure);
    }

    private void markAbsent(Throwable failure) {
        boolean forbidden = statusCode(failure) == HttpURLConnection.HTTP_FORBIDDEN;
        synchronized (this) {
            if (!absenceLogged) {
                absenceLogged = true;
                if (forbidden) {
                    LOG.warn("{}: off, the scheduler may not list noderesourcetopologies (403); grant get, list"
                            + " and watch to use it. Node annotations still apply. Looking again every {}",
                            KIND, absentRecheck);
                } else {
                    LOG.info("{}: off, not served by this cluster (CRD not installed); node annotations still"
                            + " apply. Looking again every {}", KIND, absentRecheck);
                }
            } else {
                LOG.debug("{}: still absent", KIND);
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
            prober.schedule(this::probe, absentRecheck.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private static boolean isAbsent(Throwable failure) {
        int code = statusCode(failure);
        return code == HttpURLConnection.HTTP_NOT_FOUND || code == HttpURLConnection.HTTP_FORBIDDEN;
    }

    private static int statusCode(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException e) {
                return e.getCode();
            }
        }
        return 0;
    }

    private static Duration requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
        return duration;
    }

    // ------------------------------------------------------------------ handlers

    private final class NrtHandler implements ResourceEventHandler<GenericKubernetesResource> {
        void upsert(GenericKubernetesResource nrt) {
            try {
                sources.nrtUpserted(nrt);
            } catch (RuntimeException e) {
                LOG.error("{} {}: handling it failed", KIND, NodeResourceTopologyTranslator.nameOf(nrt), e);
            }
        }

        void remove(GenericKubernetesResource nrt) {
            try {
                if (nrt != null && nrt.getMetadata() != null && nrt.getMetadata().getName() != null) {
                    sources.nrtRemoved(nrt.getMetadata().getName());
                }
            } catch (RuntimeException e) {
                LOG.error("{} {}: handling its deletion failed", KIND, NodeResourceTopologyTranslator.nameOf(nrt), e);
            }
        }

        @Override
        public void onAdd(GenericKubernetesResource nrt) {
            upsert(nrt);
        }

        @Override
        public void onUpdate(GenericKubernetesResource oldNrt, GenericKubernetesResource newNrt) {
            upsert(newNrt);
        }

        @Override
        public void onDelete(GenericKubernetesResource nrt, boolean deletedFinalStateUnknown) {
            remove(nrt);
        }
    }

    private final class NodeHandler implements ResourceEventHandler<Node> {
        @Override
        public void onAdd(Node node) {
            upsert(node);
        }

        @Override
        public void onUpdate(Node oldNode, Node newNode) {
            upsert(newNode);
        }

        @Override
        public void onDelete(Node node, boolean deletedFinalStateUnknown) {
            try {
                if (node != null && node.getMetadata() != null && node.getMetadata().getName() != null) {
                    sources.nodeRemoved(node.getMetadata().getName());
                }
            } catch (RuntimeException e) {
                LOG.error("node topology: handling the deletion of a node failed", e);
            }
        }

        private void upsert(Node node) {
            try {
                sources.nodeUpserted(node);
            } catch (RuntimeException e) {
                LOG.error("node topology: handling a node failed", e);
            }
        }
    }

    /** Posts to the loop; the update runs on the loop thread, where {@link NumaZones} may be touched. */
    private static final class LoopPublisher implements TopologyPublisher {
        private final SchedulingLoop loop;

        LoopPublisher(SchedulingLoop loop) {
            this.loop = loop;
        }

        @Override
        public void publish(String nodeName, PublishedTopology topology) {
            loop.onStateUpdate(ClusterEventType.NODE_TOPOLOGY_CHANGED, state -> {
                NumaZones zones = state.extension(NumaZones.class);
                if (zones != null) {
                    try {
                        zones.setTopology(nodeName, topology.topology(), topology.interconnect(), topology.source());
                    } catch (RuntimeException e) {
                        LOG.error("applying the NUMA topology of node {} failed", nodeName, e);
                    }
                }
            });
        }

        @Override
        public void clear(String nodeName) {
            loop.onStateUpdate(ClusterEventType.NODE_TOPOLOGY_CHANGED, state -> {
                NumaZones zones = state.extension(NumaZones.class);
                if (zones != null) {
                    try {
                        zones.clearTopology(nodeName);
                    } catch (RuntimeException e) {
                        LOG.error("clearing the NUMA topology of node {} failed", nodeName, e);
                    }
                }
            });
        }
    }
}
