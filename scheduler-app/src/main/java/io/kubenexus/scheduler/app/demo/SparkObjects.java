package io.kubenexus.scheduler.app.demo;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.core.model.Toleration;
import io.kubenexus.scheduler.gang.GangLabels;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The API objects of a Spark application as spark-operator and spark-submit create them: the
 * SparkApplication ({@value #API_VERSION}), its driver pod, and the executor pods the driver
 * creates once it runs. Pod requests follow Spark 3.5's Basic{Driver,Executor}FeatureStep: cpu =
 * cores, memory = heap + overhead (also the memory limit), GPUs as limits (the API server copies
 * them to requests).
 */
final class SparkObjects {
    static final String API_VERSION = "sparkoperator.k8s.io/v1beta2";
    static final String KIND = "SparkApplication";
    /**
     * Explicit, not discovered: {@code genericKubernetesResources(apiVersion, kind)} asks the API's
     * discovery for the plural, which the embedded API cannot answer (it lists stored objects there).
     */
    static final ResourceDefinitionContext SPARK_APPLICATIONS = new ResourceDefinitionContext.Builder()
            .withGroup("sparkoperator.k8s.io").withVersion("v1beta2").withKind(KIND).withPlural("sparkapplications")
            .withNamespaced(true).build();
    static final String SPARK_VERSION = "3.5.3";
    static final String IMAGE = "docker.io/library/spark:" + SPARK_VERSION;
    static final String MAIN_CLASS = "org.apache.spark.examples.SparkPi";
    static final String MAIN_APPLICATION_FILE = "local:///opt/spark/examples/jars/spark-examples_2.12-" + SPARK_VERSION + ".jar";
    static final String DRIVER = "driver";
    static final String EXECUTOR = "executor";
    static final String SPARK_APP_NAME = "spark-app-name";
    static final String SPARK_EXEC_ID = "spark-exec-id";
    static final String SPARK_VERSION_LABEL = "spark-version";
    static final String RESOURCE_PROFILE_ID = "spark-exec-resourceprofile-id";
    static final String LAUNCHED_BY_OPERATOR = "sparkoperator.k8s.io/launched-by-spark-operator";
    static final String SUBMISSION_ID = "sparkoperator.k8s.io/submission-id";

    private SparkObjects() {
    }

    /** The SparkApplication a user would apply; the gang labels go on driver and executors alike. */
    static GenericKubernetesResource sparkApplication(SparkApp app, String schedulerName) {
        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("cores", app.driver().cores());
        driver.put("memory", app.driver().sparkMemory());
        driver.put("labels", gangLabels(app));
        driver.put("serviceAccount", "spark");
        driver.put("schedulerName", schedulerName);
        Map<String, Object> executor = new LinkedHashMap<>();
        executor.put("cores", app.executor().cores());
        executor.put("instances", app.executors());
        executor.put("memory", app.executor().sparkMemory());
        executor.put("labels", gangLabels(app));
        executor.put("schedulerName", schedulerName);
        if (!app.executorNodeSelector().isEmpty()) {
            executor.put("nodeSelector", app.executorNodeSelector());
        }
        if (!app.executorTolerations().isEmpty()) {
            executor.put("tolerations", app.executorTolerations().stream().map(SparkObjects::toleration).toList());
        }
        if (app.executor().gpus() > 0) {
            executor.put("gpu", Map.of("name", ResourceNames.NVIDIA_GPU, "quantity", app.executor().gpus()));
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("type", "Scala");
        spec.put("mode", "cluster");
        spec.put("image", IMAGE);
        spec.put("mainClass", MAIN_CLASS);
        spec.put("mainApplicationFile", MAIN_APPLICATION_FILE);
        spec.put("sparkVersion", SPARK_VERSION);
        spec.put("restartPolicy", Map.of("type", "Never"));
        spec.put("driver", driver);
        spec.put("executor", executor);
        GenericKubernetesResource resource = new GenericKubernetesResource();
        resource.setApiVersion(API_VERSION);
        resource.setKind(KIND);
        resource.setMetadata(new ObjectMetaBuilder().withName(app.name()).withNamespace(app.namespace()).build());
        resource.setAdditionalProperty("spec", spec);
        return resource;
    }

    /** The driver pod the operator submits, owned by the stored SparkApplication. */
    static Pod driver(SparkApp app, GenericKubernetesResource sparkApplication, String schedulerName) {
        Map<String, String> labels = podLabels(app, DRIVER);
        OwnerReference owner = new OwnerReferenceBuilder().withApiVersion(API_VERSION).withKind(KIND)
                .withName(app.name()).withUid(sparkApplication.getMetadata().getUid()).withController(true).build();
        return new PodBuilder()
                .withNewMetadata().withName(app.driverPodName()).withNamespace(app.namespace()).withLabels(labels)
                .withOwnerReferences(owner).endMetadata()
                .withNewSpec()
                .withSchedulerName(schedulerName)
                .withServiceAccountName("spark")
                .withRestartPolicy("Never")
                .addNewContainer().withName("spark-kubernetes-driver").withImage(IMAGE)
                .withArgs("driver", "--properties-file", "/opt/spark/conf/spark.properties", "--class", MAIN_CLASS,
                        MAIN_APPLICATION_FILE)
                .withNewResources().withRequests(requests(app.driver())).withLimits(limits(app.driver())).endResources()
                .endContainer()
                .endSpec()
                .build();
    }

    /** Executor {@code id} (from 1) as the running driver creates it, owned by the driver pod. */
    static Pod executor(SparkApp app, int id, Pod driver, String schedulerName) {
        Map<String, String> labels = podLabels(app, EXECUTOR);
        labels.put(SPARK_EXEC_ID, Integer.toString(id));
        labels.put(RESOURCE_PROFILE_ID, "0");
        OwnerReference owner = new OwnerReferenceBuilder().withApiVersion("v1").withKind("Pod")
                .withName(driver.getMetadata().getName()).withUid(driver.getMetadata().getUid()).withController(true)
                .build();
        return new PodBuilder()
                .withNewMetadata().withName(app.executorPodName(id)).withNamespace(app.namespace()).withLabels(labels)
                .withOwnerReferences(owner).endMetadata()
                .withNewSpec()
                .withSchedulerName(schedulerName)
                .withRestartPolicy("Never")
                .withHostname(app.executorPodName(id))
                .withNodeSelector(app.executorNodeSelector().isEmpty() ? null : app.executorNodeSelector())
                .withTolerations(DemoObjects.tolerations(app.executorTolerations()))
                .addNewContainer().withName("spark-kubernetes-executor").withImage(IMAGE)
                .withArgs("executor")
                .withNewResources().withRequests(requests(app.executor())).withLimits(limits(app.executor()))
                .endResources()
                .endContainer()
                .endSpec()
                .build();
    }

    /** The gang contract: the application is the group, driver and executors place together. */
    static Map<String, String> gangLabels(SparkApp app) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(GangLabels.NAME, app.name());
        labels.put(GangLabels.MIN_AVAILABLE, Integer.toString(app.minAvailable()));
        return labels;
    }

    private static Map<String, String> podLabels(SparkApp app, String role) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(GangLabels.SPARK_APP_SELECTOR, app.appId());
        labels.put(SPARK_APP_NAME, app.name());
        labels.put(GangLabels.SPARK_ROLE, role);
        labels.put(SPARK_VERSION_LABEL, SPARK_VERSION);
        labels.put(GangLabels.OPERATOR_APP_NAME, app.name());
        labels.put(LAUNCHED_BY_OPERATOR, "true");
        labels.put(SUBMISSION_ID, UUID.nameUUIDFromBytes(app.appId().getBytes(StandardCharsets.UTF_8)).toString());
        labels.putAll(gangLabels(app));
        return labels;
    }

    private static Map<String, Quantity> requests(SparkApp.Size size) {
        Map<String, Quantity> requests = new LinkedHashMap<>();
        requests.put(ResourceNames.CPU, new Quantity(Integer.toString(size.cores())));
        requests.put(ResourceNames.MEMORY, new Quantity(size.memoryRequestMiB() + "Mi"));
        return requests;
    }

    private static Map<String, Quantity> limits(SparkApp.Size size) {
        Map<String, Quantity> limits = new LinkedHashMap<>();
        limits.put(ResourceNames.MEMORY, new Quantity(size.memoryRequestMiB() + "Mi"));
        if (size.gpus() > 0) {
            limits.put(ResourceNames.NVIDIA_GPU, new Quantity(Integer.toString(size.gpus())));
        }
        return limits;
    }

    private static Map<String, Object> toleration(Toleration toleration) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!toleration.key().isEmpty()) {
            out.put("key", toleration.key());
        }
        out.put("operator", toleration.operator() == Toleration.Operator.EXISTS ? "Exists" : "Equal");
        if (!toleration.value().isEmpty()) {
            out.put("value", toleration.value());
        }
        if (toleration.effect() != null) {
            out.put("effect", toleration.effect().apiName());
        }
        return out;
    }
}
