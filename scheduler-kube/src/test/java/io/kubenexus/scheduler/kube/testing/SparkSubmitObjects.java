package io.kubenexus.scheduler.kube.testing;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * The objects of a minimal spark-submit as integration tests create them through the API: a
 * driver sized for its executors by annotation, executors created after it runs (owned by it,
 * numbered with {@code spark-exec-id}), plain pods and nodes beside them, in one namespace.
 */
public final class SparkSubmitObjects {
    private final KubernetesClient client;
    private final String namespace;

    public SparkSubmitObjects(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** A node with {@code cpu} cores, 64Gi and 110 pods allocatable. */
    public void createNode(String name, String cpu) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewStatus().addToAllocatable("cpu", new Quantity(cpu)).addToAllocatable("memory", new Quantity("64Gi"))
                .addToAllocatable("pods", new Quantity("110")).endStatus().build()).create();
    }

    /** One of our pods requesting {@code cpu}, with no group. */
    public void createPlainPod(String name, String cpu) {
        client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(name)
                .withNamespace(namespace).endMetadata().withNewSpec().withSchedulerName("kubenexus-scheduler")
                .addNewContainer().withName("main").withImage("app").withNewResources()
                .addToRequests("cpu", new Quantity(cpu)).endResources().endContainer().endSpec().build()).create();
    }

    /** The driver ({@code <app>-driver}, 1 cpu), its executors sized by {@code executorResources}. */
    public void createDriver(String app, int minAvailable, String executorResources) {
        client.pods().inNamespace(namespace).resource(sparkPod(app + "-driver", app, "driver", minAvailable, "1")
                .editMetadata().addToAnnotations("pod-group.scheduling.kubenexus.io/executor-resources", executorResources)
                .endMetadata().build()).create();
    }

    /** Executor {@code id} (2 cpu), owned by the driver, as the running driver creates it. */
    public void createExecutor(String app, int id, int minAvailable) {
        Pod driver = client.pods().inNamespace(namespace).withName(app + "-driver").get();
        client.pods().inNamespace(namespace).resource(sparkPod(app + "-exec-" + id, app, "executor", minAvailable, "2")
                .editMetadata().addToLabels("spark-exec-id", Integer.toString(id))
                .addNewOwnerReference().withApiVersion("v1").withKind("Pod").withName(driver.getMetadata().getName())
                .withUid(driver.getMetadata().getUid()).withController(true).endOwnerReference().endMetadata()
                .build()).create();
    }

    /** The next {@code count} executors, numbered after those that exist. */
    public void createExecutors(String app, int count, int minAvailable) {
        int first = executors(app).size() + 1;
        for (int i = first; i < first + count; i++) {
            createExecutor(app, i, minAvailable);
        }
    }

    public List<Pod> executors(String app) {
        return client.pods().inNamespace(namespace).withLabel("spark-app-selector", "spark-" + app).list().getItems()
                .stream().filter(p -> "executor".equals(p.getMetadata().getLabels().get("spark-role"))).toList();
    }

    /** The node the pod is bound to, or null (unbound or gone). */
    public String nodeOf(String pod) {
        Pod found = client.pods().inNamespace(namespace).withName(pod).get();
        return found == null ? null : found.getSpec().getNodeName();
    }

    private PodBuilder sparkPod(String name, String app, String role, int minAvailable, String cpu) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace)
                .addToLabels("spark-role", role)
                .addToLabels("spark-app-selector", "spark-" + app)
                .addToLabels("pod-group.scheduling.kubenexus.io/name", app)
                .addToLabels("pod-group.scheduling.kubenexus.io/min-available", Integer.toString(minAvailable))
                .endMetadata()
                .withNewSpec().withSchedulerName("kubenexus-scheduler")
                .addNewContainer().withName("spark-kubernetes-" + role).withImage("spark:3.5.3")
                .withNewResources().addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity("2Gi"))
                .endResources().endContainer().endSpec();
    }
}
