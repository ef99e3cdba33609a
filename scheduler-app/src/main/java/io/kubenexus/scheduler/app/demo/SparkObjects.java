package io.kubenexus.scheduler.app.demo;

import io.kubenexus.scheduler.numa.NumaRequest;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.core.model.Toleration;
import io.kubenexus.scheduler.gang.GangLabels;
import io.kubenexus.scheduler.kube.translate.Translation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The API objects of a demo Spark application: the SparkApplication ({@value #API_VERSION}) a user
 * would apply, and its driver and executor pods, made from that SparkApplication by
 * {@link SparkApplicationPods} exactly as the sandbox's operator makes them for any application.
 */
final class SparkObjects {
    static final String API_VERSION = "sparkoperator.k8s.io/v1beta2";
    static final String KIND = "SparkApplication";
    /**
     * Explicit, not discovered: {@code genericKubernetesResources(apiVersion, kind)} would ask the
     * API's discovery for the plural, one request more per use.
     */
    static final ResourceDefinitionContext SPARK_APPLICATIONS = new ResourceDefinitionContext.Builder()
            .withGroup("sparkoperator.k8s.io").withVersion("v1beta2").withKind(KIND).withPlural("sparkapplications")
            .withNamespaced(true).build();
    static final String SPARK_VERSION = "3.5.3";
    static final String IMAGE = "docker.io/library/spark:" + SPARK_VERSION;
    static final String MAIN_CLASS = "org.apache.spark.examples.SparkPi";
    static final String MAIN_APPLICATION_FILE = "local:///opt/spark/examples/jars/spark-examples_2.12-" + SPARK_VERSION + ".jar";
    static final String DRIVER = SparkApplicationPods.DRIVER;
    static final String EXECUTOR = SparkApplicationPods.EXECUTOR;
    static final String SPARK_EXEC_ID = SparkApplicationPods.SPARK_EXEC_ID;

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
            // GPU executors as ML teams run them: Guaranteed (a core limit equal to the cores) and
            // single-numa, so their reserved places must be aligned ones (issue 13's demo figure).
            executor.put("coreLimit", Integer.toString(app.executor().cores()));
            executor.put("annotations", Map.of(NumaRequest.POLICY_ANNOTATION, "single-numa"));
        }
        if (app.priorityClassName() != null) {
            driver.put("priorityClassName", app.priorityClassName());
            executor.put("priorityClassName", app.priorityClassName());
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

    /** The driver pod the operator submits, owned by the stored SparkApplication ({@link SparkApplicationPods}). */
    static Pod driver(SparkApp app, GenericKubernetesResource sparkApplication, String schedulerName) {
        return SparkApplicationPods.driver(plan(app, sparkApplication));
    }

    /** Executor {@code id} (from 1) as the running driver creates it, owned by the driver pod. */
    static Pod executor(SparkApp app, int id, Pod driver, String schedulerName) {
        return SparkApplicationPods.executor(plan(app, sparkApplication(app, schedulerName)), id, driver);
    }

    /** The pods' plan from the SparkApplication the demo wrote, with the demo's own application id. */
    static SparkApplicationPods.Plan plan(SparkApp app, GenericKubernetesResource sparkApplication) {
        Translation<SparkApplicationPods.Plan> plan = SparkApplicationPods.plan(sparkApplication, app.appId());
        if (plan instanceof Translation.Valid<SparkApplicationPods.Plan> valid) {
            return valid.value();
        }
        throw new IllegalStateException("the demo wrote an unreadable SparkApplication " + app.name() + ": "
                + ((Translation.Invalid<SparkApplicationPods.Plan>) plan).message());
    }

    /** The gang contract: the application is the group, driver and executors place together. */
    static Map<String, String> gangLabels(SparkApp app) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(GangLabels.NAME, app.name());
        labels.put(GangLabels.MIN_AVAILABLE, Integer.toString(app.minAvailable()));
        return labels;
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
