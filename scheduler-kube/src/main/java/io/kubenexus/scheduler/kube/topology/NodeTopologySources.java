package io.kubenexus.scheduler.kube.topology;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.kubenexus.scheduler.kube.translate.Translation;
import io.kubenexus.scheduler.numa.GpuInterconnect;
import io.kubenexus.scheduler.numa.NodeTopology;
import io.kubenexus.scheduler.numa.TopologySource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per node, the topology sources last seen and which one applies; sends the effective topology to
 * a {@link TopologyPublisher} whenever it changes, and nothing when it does not (resyncs, node
 * status heartbeats, an exporter rewriting the same numbers).
 *
 * <p><b>Precedence.</b> The node's NodeResourceTopology when present and valid (it is kept current by
 * an exporter), else the annotation {@value TopologyAnnotation#KEY} when present and valid, else
 * none (the topology is cleared: the node is treated as having unknown topology). The NVLink
 * islands ({@value GpuIslandsAnnotation#KEY}) go with whichever topology applies, when they parse
 * and fit it; otherwise the topology applies without islands.
 *
 * <p><b>Malformed data</b> is reported once per node and distinct problem, through the
 * {@link InvalidTopologyReporter} and one WARN log. The report waits for the Node to be seen (a
 * NodeResourceTopology usually arrives first at start-up), so the Event carries the Node's uid; a
 * NodeResourceTopology without a Node is only logged. A problem that goes away (a valid version, the
 * object deleted) is forgotten, so if it comes back it is reported again. A malformed source that is
 * shadowed by a valid NodeResourceTopology is reported too: it would apply as soon as that goes.
 *
 * <p>Thread-safe: the NodeResourceTopology and Node informers call in from their own threads; all
 * state is guarded by this object's lock, and nothing called under it blocks. Never throws.
 */
final class NodeTopologySources {
    private static final Logger LOG = LoggerFactory.getLogger(NodeTopologySources.class);

    private final TopologyPublisher publisher;
    private final InvalidTopologyReporter reporter;
    private final NodeResourceTopologyTranslator nrtTranslator = new NodeResourceTopologyTranslator();
    private final TopologyAnnotation topologyAnnotation = new TopologyAnnotation();
    private final GpuIslandsAnnotation islandsAnnotation = new GpuIslandsAnnotation();
    private final Map<String, NodeState> nodes = new HashMap<>();
    /** Every Node seen, with its uid (may be null), for the events: it may have no annotations to keep. */
    private final Map<String, String> nodeUids = new HashMap<>();

    NodeTopologySources(TopologyPublisher publisher, InvalidTopologyReporter reporter) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.reporter = Objects.requireNonNull(reporter, "reporter");
    }

    /** What one node has published, as last seen. */
    private static final class NodeState {
        /** Null: no NodeResourceTopology object. */
        Translation<NodeTopology> nrt;
        boolean nodeKnown;
        String topologyValue;
        Translation<NodeTopology> annotation;
        String islandsValue;
        Translation<GpuInterconnect> islands;
        /** What the publisher was last told; null: nothing (or cleared). */
        PublishedTopology published;
        /** Problems reported and still present. */
        final Set<String> reported = new LinkedHashSet<>();
        /** Problems logged before the Node was seen: its Event waits for the Node (and its uid). */
        final Set<String> eventPending = new LinkedHashSet<>();

        boolean isEmpty() {
            return nrt == null && !nodeKnown && published == null;
        }
    }

    /** A NodeResourceTopology was added or changed (or listed again). */
    synchronized void nrtUpserted(GenericKubernetesResource nrt) {
        String name = NodeResourceTopologyTranslator.nameOf(nrt);
        if (nrt == null || nrt.getMetadata() == null || nrt.getMetadata().getName() == null) {
            return;
        }
        NodeState state = nodes.get(name);
        if (state == null) {
            state = new NodeState();
            state.nodeKnown = nodeUids.containsKey(name);
            nodes.put(name, state);
        }
        state.nrt = nrtTranslator.translate(nrt);
        evaluate(name, state);
    }

    /** A NodeResourceTopology was deleted (or its CRD removed). */
    synchronized void nrtRemoved(String nodeName) {
        NodeState state = nodes.get(nodeName);
        if (state == null || state.nrt == null) {
            return;
        }
        state.nrt = null;
        evaluate(nodeName, state);
    }

    /** A Node was added or changed; only its two annotations and uid are read. */
    synchronized void nodeUpserted(Node node) {
        ObjectMeta meta = node == null ? null : node.getMetadata();
        if (meta == null || meta.getName() == null) {
            return;
        }
        String name = meta.getName();
        nodeUids.put(name, meta.getUid());
        Map<String, String> annotations = meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
        String topologyValue = annotations.get(TopologyAnnotation.KEY);
        String islandsValue = annotations.get(GpuIslandsAnnotation.KEY);
        NodeState state = nodes.get(name);
        if (state == null) {
            if (topologyValue == null && islandsValue == null) {
                return; // the common case: a node without NUMA annotations and no NRT; keep nothing
            }
            state = new NodeState();
            nodes.put(name, state);
        }
        boolean changed = !state.nodeKnown || !Objects.equals(state.topologyValue, topologyValue)
                || !Objects.equals(state.islandsValue, islandsValue);
        state.nodeKnown = true;
        if (!state.eventPending.isEmpty()) {
            state.eventPending.retainAll(state.reported);
            state.eventPending.forEach(problem -> report(name, problem));
            state.eventPending.clear();
        }
        if (!changed) {
            return; // heartbeats and status updates
        }
        if (!Objects.equals(state.topologyValue, topologyValue)) {
            state.topologyValue = topologyValue;
            state.annotation = topologyValue == null ? null : topologyAnnotation.read(name, topologyValue);
        }
        if (!Objects.equals(state.islandsValue, islandsValue)) {
            state.islandsValue = islandsValue;
            state.islands = islandsValue == null ? null : islandsAnnotation.read(name, islandsValue);
        }
        evaluate(name, state);
    }

    /** A Node was deleted: its annotations go with it; a NodeResourceTopology left behind still counts. */
    synchronized void nodeRemoved(String nodeName) {
        nodeUids.remove(nodeName);
        NodeState state = nodes.get(nodeName);
        if (state == null) {
            return;
        }
        state.nodeKnown = false;
        state.topologyValue = null;
        state.annotation = null;
        state.islandsValue = null;
        state.islands = null;
        evaluate(nodeName, state);
    }

    /** What the publisher was last told for the node, or null. */
    synchronized PublishedTopology published(String nodeName) {
        NodeState state = nodes.get(nodeName);
        return state == null ? null : state.published;
    }

    /** How many nodes have a topology published. */
    synchronized int publishedCount() {
        int count = 0;
        for (NodeState state : nodes.values()) {
            if (state.published != null) {
                count++;
            }
        }
        return count;
    }

    private void evaluate(String name, NodeState state) {
        List<String> problems = new ArrayList<>(0);
        NodeTopology topology = null;
        TopologySource source = null;
        if (state.nrt != null) {
            if (state.nrt instanceof Translation.Valid<NodeTopology> valid) {
                topology = valid.value();
                source = TopologySource.NODE_RESOURCE_TOPOLOGY;
            } else {
                problems.add(state.nrt.errorOrNull());
            }
        }
        if (state.annotation != null) {
            if (state.annotation instanceof Translation.Valid<NodeTopology> valid) {
                if (topology == null) {
                    topology = valid.value();
                    source = TopologySource.NODE_ANNOTATION;
                }
            } else {
                problems.add(state.annotation.errorOrNull());
            }
        }
        GpuInterconnect interconnect = null;
        if (state.islands != null) {
            if (state.islands instanceof Translation.Valid<GpuInterconnect> valid) {
                if (topology != null) {
                    String misfit = islandsAnnotation.checkAgainst(name, valid.value(), topology);
                    if (misfit == null) {
                        interconnect = valid.value();
                    } else {
                        problems.add(misfit);
                    }
                }
            } else {
                problems.add(state.islands.errorOrNull());
            }
        }

        PublishedTopology next = topology == null ? null : new PublishedTopology(topology, interconnect, source);
        if (!Objects.equals(next, state.published)) {
            state.published = next;
            try {
                if (next == null) {
                    publisher.clear(name);
                } else {
                    publisher.publish(name, next);
                }
            } catch (RuntimeException e) {
                LOG.error("publishing the topology of node {} failed", name, e);
            }
        }

        for (String problem : problems) {
            if (state.reported.add(problem)) {
                LOG.warn("invalid NUMA topology: {}; node {} {}", problem, name, consequence(next));
                if (state.nodeKnown) {
                    report(name, problem);
                } else {
                    state.eventPending.add(problem);
                }
            }
        }
        state.reported.retainAll(problems);
        state.eventPending.retainAll(problems);
        if (state.isEmpty()) {
            nodes.remove(name);
        }
    }

    private void report(String name, String problem) {
        try {
            reporter.invalidTopology(name, nodeUids.get(name), problem);
        } catch (RuntimeException e) {
            LOG.warn("reporting the invalid topology of node {} failed", name, e);
        }
    }

    private static String consequence(PublishedTopology applied) {
        if (applied == null) {
            return "is treated as having unknown NUMA topology";
        }
        String source = applied.source() == TopologySource.NODE_RESOURCE_TOPOLOGY
                ? "its NodeResourceTopology" : "its annotation " + TopologyAnnotation.KEY;
        return "uses the topology from " + source + (applied.interconnect() == null ? " without NVLink islands" : "");
    }
}
