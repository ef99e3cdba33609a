package io.kubenexus.scheduler.kube.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process Kubernetes API for the demo and the integration tests: fabric8's mock server in
 * CRUD mode on loopback, with {@link SchedulingCrudDispatcher} so binding and pod defaults behave
 * like a real API server. It speaks plain HTTP; anything that talks to a real API server talks to
 * it the same way.
 *
 * <p>Clients get short timeouts (request 10 s by default, connect 5 s) and no retries, so a
 * handler that misbehaves fails a call instead of hanging it.
 *
 * <p>Shutdown order matters: stop informers and close watches first (see the dispatcher's notes
 * on watch close), then {@link #close()}, which closes every client made here and then the server.
 */
public final class EmbeddedKubernetesApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKubernetesApi.class);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** The namespace clients use when none is given, as in a fresh cluster. */
    public static final String DEFAULT_NAMESPACE = "default";

    private final KubernetesMockServer server;
    private final SchedulingCrudDispatcher dispatcher;
    private final FaultPlan faultPlan;
    private final Duration requestTimeout;
    private final List<KubernetesClient> clients = new ArrayList<>();
    private final KubernetesClient client;
    /** Held so the level set below stays in force (java.util.logging keeps loggers weakly). */
    private final java.util.logging.Logger requestLog = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
    private boolean closed;

    /** Starts on a free loopback port. */
    public EmbeddedKubernetesApi() {
        this(InetAddress.getLoopbackAddress(), 0, DEFAULT_REQUEST_TIMEOUT, Clock.systemUTC());
    }

    /** Starts on {@code port} of loopback (0 for any free port). */
    public EmbeddedKubernetesApi(int port) {
        this(InetAddress.getLoopbackAddress(), port, DEFAULT_REQUEST_TIMEOUT, Clock.systemUTC());
    }

    /**
     * @param address        where to listen; loopback unless the demo is meant to be reachable
     * @param port           0 for any free port
     * @param requestTimeout per-request timeout of the clients made here
     * @param clock          timestamps written by the API (binding conditions)
     */
    public EmbeddedKubernetesApi(InetAddress address, int port, Duration requestTimeout, Clock clock) {
        this(address, port, requestTimeout, clock, FaultPlan.NONE);
    }

    /**
     * With a fault layer: clients made with {@link #newClientUnderFaults()} get {@code faults}
     * ({@link FaultPlan#NONE}: none, exactly as the other constructors).
     */
    public EmbeddedKubernetesApi(InetAddress address, int port, Duration requestTimeout, Clock clock,
                                 FaultPlan faults) {
        Objects.requireNonNull(address, "address");
        this.faultPlan = Objects.requireNonNull(faults, "faults");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        // The mock logs every request at INFO: thousands of lines that bury the demo's progress.
        requestLog.setLevel(java.util.logging.Level.WARNING);
        ObjectMapper mapper = new ObjectMapper();
        new KubernetesSerialization(mapper, true); // registers fabric8's modules on the mapper
        this.dispatcher = new SchedulingCrudDispatcher(clock, new FaultInjector(faults));
        this.server = new KubernetesMockServer(new Context(mapper), new MockWebServer(), new HashMap<>(),
                dispatcher, false);
        server.init(address, port);
        this.client = newClient();
        LOG.info("embedded Kubernetes API listening on {}{}", url(),
                faults.active() ? " with faults " + faults.describeRates() + " (seed " + faults.seed() + ")" : "");
    }

    /**
     * Declares that this cluster serves {@code group/version} with the namespaced resources
     * {@code kindsByPlural} (plural to kind): discovery then answers documents for the group, and
     * its versions not declared answer 404 (see {@link SchedulingCrudDispatcher#serveApi}). Declare
     * before starting the clients that discover.
     */
    public void serveApi(String group, String version, Map<String, String> kindsByPlural) {
        dispatcher.serveApi(group, version, kindsByPlural);
    }

    /** The faults injected so far, by kind. */
    public FaultInjector faults() {
        return dispatcher.faults();
    }

    /** The binds applied so far, per pod: the witness of "bound exactly once". */
    public BindLedger binds() {
        return dispatcher.ledger();
    }

    /** A client shared by everyone who only needs requests; closed by {@link #close()}. */
    public KubernetesClient client() {
        return client;
    }

    /**
     * A new client with its own connections and informer threads, e.g. one per scheduler replica;
     * closed by {@link #close()} unless the caller closes it first.
     */
    public synchronized KubernetesClient newClient() {
        if (closed) {
            throw new IllegalStateException("the embedded API is closed");
        }
        Config config = config();
        KubernetesClient created = server.createClient(builder -> builder.withConfig(config));
        clients.add(created);
        return created;
    }

    /**
     * A new client whose requests get the fault plan's faults (the scheduler under test), with the
     * plan's request timeout so that timed-out answers time out; closed by {@link #close()}.
     * Without an active plan it is an ordinary {@link #newClient()}.
     */
    public synchronized KubernetesClient newClientUnderFaults() {
        if (closed) {
            throw new IllegalStateException("the embedded API is closed");
        }
        if (!faultPlan.active()) {
            return newClient();
        }
        Config config = new ConfigBuilder(config(faultPlan.requestTimeout()))
                .addToCustomHeaders(SchedulingCrudDispatcher.UNDER_FAULTS_HEADER, "true")
                .build();
        KubernetesClient created = server.createClient(builder -> builder.withConfig(config));
        clients.add(created);
        return created;
    }

    /**
     * A new client like {@link #newClientUnderFaults()} that {@code partition} can cut off the API
     * (a replica killed or partitioned away); closed by {@link #close()}.
     */
    public synchronized KubernetesClient newClientUnderFaults(ApiPartition partition) {
        if (closed) {
            throw new IllegalStateException("the embedded API is closed");
        }
        Config config = faultPlan.active()
                ? new ConfigBuilder(config(faultPlan.requestTimeout()))
                        .addToCustomHeaders(SchedulingCrudDispatcher.UNDER_FAULTS_HEADER, "true").build()
                : config();
        KubernetesClient created = partition.client(config);
        clients.add(created);
        return created;
    }

    /** The configuration of the clients made here, for callers that build their own. */
    public Config config() {
        return config(requestTimeout);
    }

    private Config config(Duration timeout) {
        return new ConfigBuilder(Config.empty())
                .withMasterUrl(url())
                .withNamespace(DEFAULT_NAMESPACE)
                .withTrustCerts(true)
                .withHttp2Disable(true)
                .withRequestTimeout((int) timeout.toMillis())
                .withConnectionTimeout((int) CONNECT_TIMEOUT.toMillis())
                .withRequestRetryBackoffLimit(0)
                .build();
    }

    /** Base URL, e.g. {@code http://127.0.0.1:41234/}. */
    public String url() {
        return server.url("/");
    }

    /** Closes the clients made here, then the server. Idempotent. */
    @Override
    public void close() {
        List<KubernetesClient> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(clients);
            clients.clear();
        }
        for (KubernetesClient c : toClose) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.warn("closing a client of the embedded API failed", e);
            }
        }
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            // The mock waits a few seconds for its event loop, which can still be sending a watch's
            // backlog (shared/REFERENCE.md's gotcha): everything it served was answered; its threads
            // end with the process. A demo or test must not fail on the way out for that.
            LOG.warn("the embedded API's server did not stop in time ({}); going on", e.getMessage());
        }
    }
}
