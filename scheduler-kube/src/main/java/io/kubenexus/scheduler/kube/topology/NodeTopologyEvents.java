package io.kubenexus.scheduler.kube.topology;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports malformed topology data as a Warning Event on the Node (reason {@value #REASON}), where
 * {@code kubectl describe node} shows it. Node events live in the {@value #NAMESPACE} namespace, as
 * the kubelet's do. {@link NodeTopologySources} already calls once per node and problem, so every
 * call creates one Event; writes run on the injected executor and failures are logged and dropped.
 */
public final class NodeTopologyEvents implements InvalidTopologyReporter {
    private static final Logger LOG = LoggerFactory.getLogger(NodeTopologyEvents.class);

    public static final String REASON = "InvalidNodeTopology";
    public static final String NAMESPACE = "default";
    /** The API server rejects longer notes on Events that carry an eventTime. */
    static final int MAX_MESSAGE_LENGTH = 1024;
    private static final DateTimeFormatter MICRO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final KubernetesClient client;
    private final String component;
    private final String instance;
    private final Executor writes;
    private final Clock clock;
    /** Last name suffix used: distinct even when two problems are reported within one clock tick. */
    private final AtomicLong lastSuffix = new AtomicLong();

    /**
     * @param component the scheduler's name (source and reporting component)
     * @param instance  this replica's identity (reportingInstance)
     * @param writes    runs the API calls; owned by the caller
     */
    public NodeTopologyEvents(KubernetesClient client, String component, String instance, Executor writes, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.component = Objects.requireNonNull(component, "component");
        String id = Objects.requireNonNull(instance, "instance");
        this.instance = id.length() > 128 ? id.substring(0, 128) : id;
        this.writes = Objects.requireNonNull(writes, "writes");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void invalidTopology(String nodeName, String nodeUid, String message) {
        Event event = event(nodeName, nodeUid, message, clock.instant());
        try {
            writes.execute(() -> send(event));
        } catch (RejectedExecutionException e) {
            LOG.debug("event {} for node {} dropped: executor rejected it", REASON, nodeName);
        }
    }

    private void send(Event event) {
        try {
            client.v1().events().inNamespace(NAMESPACE).resource(event).create();
        } catch (RuntimeException e) {
            LOG.warn("writing event {} for node {} failed: {}", REASON, event.getInvolvedObject().getName(), e.getMessage());
        }
    }

    Event event(String nodeName, String nodeUid, String rawMessage, Instant now) {
        String message = rawMessage.length() <= MAX_MESSAGE_LENGTH ? rawMessage
                : rawMessage.substring(0, MAX_MESSAGE_LENGTH - 3) + "...";
        String time = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
        // client-go's naming: the object's name and the occurrence time in Unix nanoseconds, in hex.
        long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        String name = nodeName + "." + Long.toHexString(lastSuffix.updateAndGet(last -> Math.max(last + 1, nanos)));
        return new EventBuilder()
                .withNewMetadata().withNamespace(NAMESPACE).withName(name).endMetadata()
                .withNewInvolvedObject()
                    // Unknown uid: the node's name, as the kubelet does; kubectl describe node finds either.
                    .withKind("Node").withApiVersion("v1").withName(nodeName).withUid(nodeUid == null ? nodeName : nodeUid)
                .endInvolvedObject()
                .withType("Warning")
                .withReason(REASON)
                .withMessage(message)
                .withAction("ReadTopology")
                .withNewSource().withComponent(component).endSource()
                .withReportingComponent(component)
                .withReportingInstance(instance)
                .withFirstTimestamp(time)
                .withLastTimestamp(time)
                .withEventTime(new MicroTime(MICRO.format(now)))
                .withCount(1)
                .build();
    }
}
