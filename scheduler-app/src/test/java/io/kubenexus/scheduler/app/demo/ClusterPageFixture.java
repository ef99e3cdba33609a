package io.kubenexus.scheduler.app.demo;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.sim.synthetic.WorkloadGenerator;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;

/**
 * What the cluster page's browser test runs against: a {@link Sandbox}, as {@code kubenexus-scheduler
 * sandbox} starts it (the embedded API, the scheduler with its HTTP server and the cluster page,
 * simulated kubelets with the GPU nodes' NUMA zones, the simulated spark-operator), with a little of
 * the demo's workload.
 */
final class ClusterPageFixture implements AutoCloseable {
    static final String NAMESPACE = WorkloadGenerator.DEFAULT_NAMESPACE;
    static final String SCHEDULER = SchedulerSettings.DEFAULT_SCHEDULER_NAME;
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    private final Sandbox sandbox;

    private ClusterPageFixture(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    /** A sandbox of {@code nodes} nodes (a fifth of them GPU nodes with NUMA zones) and {@code pods} of the demo's workload's pods. */
    static ClusterPageFixture start(int nodes, int pods, long seed) throws Exception {
        int gpuNodes = Math.max(1, nodes / 5);
        Sandbox sandbox = Sandbox.start(new SandboxOptions(nodes - gpuNodes, gpuNodes, null, 0,
                SandboxOptions.DEFAULT_APP_DURATION, Files.createTempDirectory("cluster-page").resolve("kubeconfig")), QUIET);
        try {
            ClusterPageFixture fixture = new ClusterPageFixture(sandbox);
            WorkloadGenerator.builder().seed(seed).build().generate(pods)
                    .forEach(template -> fixture.create(DemoObjects.pod(template, SCHEDULER)));
            return fixture;
        } catch (RuntimeException | Error e) {
            sandbox.close();
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
        sandbox.client().pods().inNamespace(NAMESPACE).resource(pod).create();
    }

    /** The cluster page, e.g. {@code http://127.0.0.1:41234/}. */
    String pageUrl() {
        return sandbox.schedulerUrl() + "/";
    }

    /** The Kubernetes API's base URL, for clients that speak REST themselves. */
    String apiUrl() {
        return sandbox.apiUrl();
    }

    KubernetesClient client() {
        return sandbox.client();
    }

    int nodeCount() {
        return sandbox.nodes();
    }

    @Override
    public void close() {
        sandbox.close();
    }
}
