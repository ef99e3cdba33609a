package io.kubenexus.scheduler.kube.topology;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.kube.informers.ContainedHandler;
import io.kubenexus.scheduler.kube.informers.OptionalResourceInformer;
import io.kubenexus.scheduler.kube.informers.OptionalResourceSet;
import io.kubenexus.scheduler.kube.informers.UpsertRemoveHandler;
import io.kubenexus.scheduler.numa.NumaZones;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
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
 * removed while watched drops its objects, so nodes fall back to their annotations. (That
 * lifecycle is {@link OptionalResourceInformer}'s.)
 *
 * <p>{@link #start()} completes (never exceptionally) once the NRT objects have been listed and
 * posted, or the CRD was found absent, or after {@code syncTimeout}: call it before the pods' sync
 * barrier so the first decisions already see the topology. Informer callbacks never throw.
 */
public final class TopologyInformers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopologyInformers.class);

    public static final Duration DEFAULT_SYNC_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_ABSENT_RECHECK = Duration.ofMinutes(5);

    private final NodeTopologySources sources;
    private final OptionalResourceInformer nrtInformer;
    private final OptionalResourceSet optionalInformers;
    /** A bug with one Node costs that Node's topology only, logged once (the NRT informer does the same). */
    private final ContainedHandler<Node> nodeHandler = new ContainedHandler<>("Node (topology annotations)", new NodeHandler());

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
        this.sources = new NodeTopologySources(new LoopPublisher(Objects.requireNonNull(loop, "loop")),
                Objects.requireNonNull(reporter, "reporter"));
        this.nrtInformer = new OptionalResourceInformer(client, NodeResourceTopologyTranslator.NODE_RESOURCE_TOPOLOGIES,
                "; node annotations still apply", new OptionalResourceInformer.Timing(syncTimeout, absentRecheck),
                new NrtHandler());
        this.optionalInformers = new OptionalResourceSet("kubenexus-topology-sources", List.of(nrtInformer));
    }

    /**
     * The handler to register on the cluster's Node informer (nodes are not watched twice). It reads
     * only the node's name, uid and the two topology annotations, so trimmed copies are fine.
     */
    public ResourceEventHandler<Node> nodeHandler() {
        return nodeHandler;
    }

    /** Looks for the NodeResourceTopology API and watches it if served. */
    public CompletionStage<Void> start() {
        return optionalInformers.start();
    }

    /** Whether NodeResourceTopology objects are being watched (false while the CRD is absent). */
    public boolean watchingNodeResourceTopologies() {
        return nrtInformer.watching();
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
        optionalInformers.close();
    }

    // ------------------------------------------------------------------ handlers

    private final class NrtHandler implements UpsertRemoveHandler<GenericKubernetesResource> {
        // Exceptions are contained per object by the OptionalResourceInformer.
        @Override
        public void upsert(GenericKubernetesResource nrt) {
            sources.nrtUpserted(nrt);
        }

        @Override
        public void remove(GenericKubernetesResource nrt) {
            if (nrt != null && nrt.getMetadata() != null && nrt.getMetadata().getName() != null) {
                sources.nrtRemoved(nrt.getMetadata().getName());
            }
        }
    }

    private final class NodeHandler implements UpsertRemoveHandler<Node> {
        @Override
        public void upsert(Node node) {
            sources.nodeUpserted(node);
        }

        @Override
        public void remove(Node node) {
            if (node != null && node.getMetadata() != null && node.getMetadata().getName() != null) {
                sources.nodeRemoved(node.getMetadata().getName());
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
