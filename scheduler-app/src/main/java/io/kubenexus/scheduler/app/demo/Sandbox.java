package io.kubenexus.scheduler.app.demo;

import io.kubenexus.scheduler.sim.model.SimCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenexus.scheduler.app.SchedulerReplica;
import io.kubenexus.scheduler.app.config.ExtenderConfig;
import io.kubenexus.scheduler.app.config.HttpConfig;
import io.kubenexus.scheduler.app.config.MetricsConfig;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.sim.synthetic.NodeShape;
import io.kubenexus.scheduler.sim.synthetic.SyntheticCluster;
import io.kubenexus.scheduler.sim.synthetic.SyntheticNode;
import io.kubenexus.scheduler.extender.server.HttpServerSettings;
import io.kubenexus.scheduler.kube.KubeSchedulerOptions;
import io.kubenexus.scheduler.kube.embedded.EmbeddedKubernetesApi;
import io.kubenexus.scheduler.kube.embedded.FaultPlan;
import io.kubenexus.scheduler.numa.NodeTopology;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code kubenexus-scheduler sandbox}: a cluster on loopback to try the scheduler with kubectl and
 * your own SparkApplications, PodGroups and pods. The embedded Kubernetes API (which answers
 * kubectl's discovery, printing and patches), nodes from {@link SandboxOptions}, the same
 * {@link SchedulerReplica} as {@code run} with its HTTP server, simulated kubelets (every bound pod
 * goes {@code Running}; pods on nodes with NUMA zones are admitted by the Topology Manager model,
 * whose exporters publish NodeResourceTopology objects) and a simulated spark-operator that turns
 * every stored SparkApplication into its driver, then its executors, and ends it after the
 * application duration. A kubeconfig for kubectl is written to {@link #kubeconfig()}.
 *
 * <p>Also the in-process API of tests that need a whole cluster: {@link #start}, then
 * {@link #client()}, {@link #schedulerUrl()}, {@link #kubeconfig()}, and {@link #close()}.
 */
public final class Sandbox implements AutoCloseable {
    /** The sandbox's CPU nodes: the demo's general-purpose node. */
    static final NodeShape CPU_NODE = NodeShape.DEMO_CPU.withWeight(1);
    /**
     * The sandbox's GPU nodes: the demo's two-socket 8-GPU node publishing its NUMA zones, without the
     * GPU taint: examples as users write them carry no toleration for it (clusters that taint GPU
     * nodes usually add it through the ExtendedResourceToleration admission plugin, which the
     * embedded API does not run).
     */
    static final NodeShape GPU_NODE = new NodeShape("gpu-node", NodeShape.DEMO_GPU_NUMA.instanceType(), "gpu",
            NodeShape.DEMO_GPU_NUMA.cpuMilli(), NodeShape.DEMO_GPU_NUMA.memoryBytes(), NodeShape.DEMO_GPU_NUMA.pods(),
            NodeShape.DEMO_GPU_NUMA.gpus(), NodeShape.DEMO_GPU_NUMA.gpuProduct(), Map.of(), List.of(), 1,
            NodeShape.DEMO_GPU_NUMA.numa());
    /** Per-request timeout of the sandbox's own clients. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final long SEED = 1;

    private final EmbeddedKubernetesApi api;
    private final SchedulerReplica replica;
    private final KubeletLoop kubelets;
    private final SparkOperatorSimulator operator;
    private final String schedulerUrl;
    private final Path kubeconfig;
    private final int nodes;

    private Sandbox(EmbeddedKubernetesApi api, SchedulerReplica replica, KubeletLoop kubelets,
                    SparkOperatorSimulator operator, String schedulerUrl, Path kubeconfig, int nodes) {
        this.api = api;
        this.replica = replica;
        this.kubelets = kubelets;
        this.operator = operator;
        this.schedulerUrl = schedulerUrl;
        this.kubeconfig = kubeconfig;
        this.nodes = nodes;
    }

    /**
     * Starts everything and returns once the scheduler has synced. Throws (having stopped whatever it
     * started) when the cluster file is bad, a port is taken or the kubeconfig cannot be written.
     */
    public static Sandbox start(SandboxOptions options, PrintStream progress) {
        Clock clock = Clock.systemUTC();
        List<NodeInfo> nodes = new ArrayList<>();
        Map<String, NodeTopology> topologies = new LinkedHashMap<>();
        List<SyntheticNode> synthetic = new ArrayList<>();
        if (options.clusterFile() != null) {
            SimCluster cluster = ClusterFile.cluster(options.clusterFile());
            nodes.addAll(cluster.nodes());
            topologies.putAll(cluster.topologies());
        } else {
            if (options.nodes() > 0) {
                synthetic.addAll(SyntheticCluster.builder().seed(SEED).nodes(options.nodes()).shapes(List.of(CPU_NODE))
                        .buildNodes());
            }
            if (options.gpuNodes() > 0) {
                synthetic.addAll(SyntheticCluster.builder().seed(SEED).nodes(options.gpuNodes())
                        .shapes(List.of(GPU_NODE)).buildNodes());
            }
            synthetic.forEach(n -> nodes.add(n.node()));
            synthetic.stream().filter(n -> n.shape().numa() != null)
                    .forEach(n -> topologies.put(n.node().name(), TopologyObjects.idle(n.shape().numa())));
        }
        EmbeddedKubernetesApi api = new EmbeddedKubernetesApi(InetAddress.getLoopbackAddress(), 0, REQUEST_TIMEOUT,
                clock, FaultPlan.NONE);
        SchedulerReplica replica = null;
        KubeletLoop kubelets = null;
        SparkOperatorSimulator operator = null;
        try {
            KubernetesClient client = api.client();
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata()
                    .withName(EmbeddedKubernetesApi.DEFAULT_NAMESPACE).endMetadata().build()).create();
            if (options.clusterFile() != null) {
                nodes.forEach(node -> client.nodes().resource(DemoObjects.node(node)).create());
            } else {
                synthetic.forEach(node -> client.nodes().resource(DemoObjects.node(node)).create());
            }
            kubelets = new KubeletLoop(api.newClient(), null, true, new SimulatedKubelet(topologies), clock, progress);
            kubelets.createTopologies();
            SchedulerSettings settings = SchedulerSettings.defaults();
            replica = SchedulerReplica.create(api.newClient(), KubeSchedulerOptions.singleReplica(settings), clock,
                    MetricsConfig.defaults());
            HttpConfig http = HttpConfig.defaults();
            String url = replica.serve(new HttpServerSettings(options.httpPort(), "127.0.0.1", http.extenderPrefix(),
                    null, null, http.maxBodyBytes()), ExtenderConfig.DEFAULT_BIND_HOLD_LIMIT, true);
            replica.scheduler().start().toCompletableFuture().get(60, TimeUnit.SECONDS);
            operator = new SparkOperatorSimulator(api.newClient(), null, settings.schedulerName(), progress,
                    SparkOperatorSimulator.Lifecycle.runFor(options.appDuration()), clock);
            operator.watchApplications();
            operator.start(SparkOperatorSimulator.DEFAULT_POLL_INTERVAL);
            kubelets.start(KubeletLoop.DEFAULT_REPORT_INTERVAL);
            Path kubeconfig = writeKubeconfig(options.kubeconfigOut(), api.url());
            long gpus = nodes.stream().mapToLong(n -> n.allocatable().get("nvidia.com/gpu")).sum();
            progress.printf(Locale.ROOT, "sandbox: embedded Kubernetes API on %s, %d nodes (%d GPUs, %d with NUMA "
                    + "topology), scheduler %s%n", api.url(), nodes.size(), gpus, topologies.size(),
                    settings.schedulerName());
            return new Sandbox(api, replica, kubelets, operator, url, kubeconfig, nodes.size());
        } catch (RuntimeException | ExecutionException | TimeoutException e) {
            stop(operator, kubelets, replica, api);
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("the scheduler did not sync with the embedded API: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            stop(operator, kubelets, replica, api);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the sandbox", e);
        }
    }

    /** A kubeconfig whose current context is the embedded API, without credentials (it wants none). */
    static String kubeconfigText(String apiUrl) {
        String server = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        return "apiVersion: v1\n"
                + "kind: Config\n"
                + "clusters:\n"
                + "- name: kubenexus-sandbox\n"
                + "  cluster:\n"
                + "    server: " + server + "\n"
                + "users:\n"
                + "- name: kubenexus-sandbox\n"
                + "  user: {}\n"
                + "contexts:\n"
                + "- name: kubenexus-sandbox\n"
                + "  context:\n"
                + "    cluster: kubenexus-sandbox\n"
                + "    user: kubenexus-sandbox\n"
                + "    namespace: " + EmbeddedKubernetesApi.DEFAULT_NAMESPACE + "\n"
                + "current-context: kubenexus-sandbox\n";
    }

    private static Path writeKubeconfig(Path requested, String apiUrl) {
        try {
            Path file = requested != null ? requested
                    : Files.createTempDirectory("kubenexus-sandbox").resolve("kubeconfig");
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, kubeconfigText(apiUrl), StandardCharsets.UTF_8);
            return file.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("--kubeconfig-out: cannot write " + requested + ": " + e.getMessage(), e);
        }
    }

    /** The kubeconfig file that points kubectl at this sandbox. */
    public Path kubeconfig() {
        return kubeconfig;
    }

    /** The scheduler's HTTP base URL ({@code http://127.0.0.1:PORT}): metrics, probes, debug pages. */
    public String schedulerUrl() {
        return schedulerUrl;
    }

    /** The embedded API's base URL. */
    public String apiUrl() {
        return api.url();
    }

    /** A client of the embedded API, closed with the sandbox. */
    public KubernetesClient client() {
        return api.client();
    }

    public int nodes() {
        return nodes;
    }

    /** What a user types next, one line each. */
    public List<String> nextSteps() {
        return List.of("export KUBECONFIG=" + kubeconfig, "kubectl apply -f deploy/examples/spark-pi.yaml");
    }

    /** Stops the simulators (their watches first), the scheduler, then the API. Idempotent. */
    @Override
    public void close() {
        stop(operator, kubelets, replica, api);
    }

    private static void stop(SparkOperatorSimulator operator, KubeletLoop kubelets, SchedulerReplica replica,
                             EmbeddedKubernetesApi api) {
        if (operator != null) {
            operator.close();
        }
        if (kubelets != null) {
            kubelets.close();
        }
        if (replica != null) {
            replica.close();
        }
        Objects.requireNonNull(api, "api").close();
    }
}
