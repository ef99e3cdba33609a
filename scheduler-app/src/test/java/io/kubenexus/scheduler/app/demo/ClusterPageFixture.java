package io.kubenexus.scheduler.app.demo;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenexus.scheduler.app.SchedulerReplica;
import io.kubenexus.scheduler.app.config.ExtenderConfig;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.sim.synthetic.SyntheticCluster;
import io.kubenexus.scheduler.sim.synthetic.SyntheticNode;
import io.kubenexus.scheduler.sim.synthetic.WorkloadGenerator;
import io.kubenexus.scheduler.extender.server.HttpServerSettings;
import io.kubenexus.scheduler.kube.KubeSchedulerOptions;
import io.kubenexus.scheduler.kube.embedded.EmbeddedKubernetesApi;
import io.kubenexus.scheduler.numa.NodeTopology;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the cluster page's browser test runs against: what {@code demo} starts (the embedded API, a
 * scheduler replica serving its HTTP endpoints with the cluster page on, and the simulated kubelets
 * and topology exporters of the NUMA nodes), with the demo's node mix and a little workload, but no
 * audit and no end. Kept to this one class so that the {@code sandbox} command's {@code Sandbox}
 * can replace it.
 */
final class ClusterPageFixture implements AutoCloseable {
    static final String NAMESPACE = WorkloadGenerator.DEFAULT_NAMESPACE;
    static final String SCHEDULER = SchedulerSettings.DEFAULT_SCHEDULER_NAME;
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    private final EmbeddedKubernetesApi api;
    private final KubeletLoop kubelets;
    private final SchedulerReplica replica;
    private final String url;
    private final int nodes;

    private ClusterPageFixture(EmbeddedKubernetesApi api, KubeletLoop kubelets, SchedulerReplica replica, String url,
                               int nodes) {
        this.api = api;
        this.kubelets = kubelets;
        this.replica = replica;
        this.url = url;
        this.nodes = nodes;
    }

    /** The demo's node mix with {@code nodes} nodes and {@code pods} of its workload's pods, all ours. */
    static ClusterPageFixture start(int nodes, int pods, long seed) throws Exception {
        Clock clock = Clock.systemUTC();
        EmbeddedKubernetesApi api = new EmbeddedKubernetesApi(InetAddress.getLoopbackAddress(), 0,
                Duration.ofSeconds(30), clock);
        KubeletLoop kubelets = null;
        SchedulerReplica replica = null;
        try {
            List<SyntheticNode> synthetic = SyntheticCluster.builder().seed(seed).nodes(nodes)
                    .shapes(EmbeddedClusterDemo.NODE_MIX).buildNodes();
            Map<String, NodeTopology> topologies = new LinkedHashMap<>();
            for (SyntheticNode node : synthetic) {
                api.client().nodes().resource(DemoObjects.node(node)).create();
                if (node.shape().numa() != null) {
                    topologies.put(node.node().name(), TopologyObjects.idle(node.shape().numa()));
                }
            }
            kubelets = new KubeletLoop(api.newClient(), NAMESPACE, new SimulatedKubelet(topologies), clock, QUIET);
            kubelets.createTopologies();
            replica = SchedulerReplica.create(api.newClient(), KubeSchedulerOptions.singleReplica(SchedulerSettings.defaults()),
                    clock, EmbeddedClusterDemo.METRICS);
            String url = replica.serve(HttpServerSettings.loopback(), ExtenderConfig.DEFAULT_BIND_HOLD_LIMIT, true);
            replica.scheduler().start().toCompletableFuture().get(30, TimeUnit.SECONDS);
            kubelets.start(KubeletLoop.DEFAULT_REPORT_INTERVAL);
            ClusterPageFixture fixture = new ClusterPageFixture(api, kubelets, replica, url, synthetic.size());
            WorkloadGenerator.builder().seed(seed).build().generate(pods)
                    .forEach(template -> fixture.create(DemoObjects.pod(template, SCHEDULER)));
            return fixture;
        } catch (Exception | Error e) {
            if (kubelets != null) {
                kubelets.close();
            }
            if (replica != null) {
                replica.close();
            }
            api.close();
            throw e;
        }
    }

    /** {@code members} of a gang of {@code minAvailable}, each asking for {@code cpu}. */
    void gang(String name, int minAvailable, int members, String cpu) {
        for (int i = 0; i < members; i++) {
            create(new PodBuilder().withNewMetadata().withName(name + "-" + i).withNamespace(NAMESPACE)
                    .addToLabels("pod-group.scheduling.kubenexus.io/name", name)
                    .addToLabels("pod-group.scheduling.kubenexus.io/min-available", Integer.toString(minAvailable))
                    .endMetadata()
                    .withNewSpec().withSchedulerName(SCHEDULER).addNewContainer().withName("main").withImage("busybox")
                    .withNewResources().addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity("1Gi"))
                    .endResources().endContainer().endSpec().build());
        }
    }

    void create(Pod pod) {
        api.client().pods().inNamespace(NAMESPACE).resource(pod).create();
    }

    /** The cluster page, e.g. {@code http://127.0.0.1:41234/}. */
    String pageUrl() {
        return url + "/";
    }

    /** The Kubernetes API's base URL, for clients that speak REST themselves. */
    String apiUrl() {
        return api.url();
    }

    KubernetesClient client() {
        return api.client();
    }

    int nodeCount() {
        return nodes;
    }

    /** Stops watching before the API goes: the mock can stall on a watch closed mid-event. */
    @Override
    public void close() {
        kubelets.close();
        replica.close();
        api.close();
    }
}
