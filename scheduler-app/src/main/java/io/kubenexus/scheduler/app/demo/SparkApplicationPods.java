package io.kubenexus.scheduler.app.demo;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.gang.GangLabels;
import io.kubenexus.scheduler.kube.groups.SparkApplicationTranslator;
import io.kubenexus.scheduler.kube.translate.Translation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The pods spark-operator and Spark make of a stored SparkApplication ({@code sparkoperator.k8s.io/v1beta2}):
 * the driver the operator submits, and the executors the running driver creates. Sized by Spark's
 * rules through the same code the scheduler uses to size executors before they exist
 * ({@link SparkApplicationTranslator}, {@code SparkExecutorSizing}): cpu request = {@code coreRequest}
 * or {@code cores}, memory = {@code memory} + overhead (also the memory limit), cpu limit =
 * {@code coreLimit}, {@code gpu} as a limit (the API server copies limits to requests). The driver
 * is sized by the same rules from {@code spec.driver}, as Spark's BasicDriverFeatureStep does.
 *
 * <p>Labels as spark-operator v2 and spark-submit write them ({@code spark-app-selector},
 * {@code spark-app-name}, {@code spark-role}, {@code sparkoperator.k8s.io/app-name}, ...) plus the
 * role's own {@code labels}; the role's {@code annotations}, {@code nodeSelector} (over
 * {@code spec.nodeSelector}), {@code tolerations}, {@code affinity}, {@code schedulerName} and
 * {@code serviceAccount} are copied as the operator's webhook does. Stateless.
 */
final class SparkApplicationPods {
    static final String DRIVER = "driver";
    static final String EXECUTOR = "executor";
    static final String SPARK_APP_NAME = "spark-app-name";
    static final String SPARK_EXEC_ID = "spark-exec-id";
    static final String SPARK_VERSION_LABEL = "spark-version";
    static final String RESOURCE_PROFILE_ID = "spark-exec-resourceprofile-id";
    static final String LAUNCHED_BY_OPERATOR = "sparkoperator.k8s.io/launched-by-spark-operator";
    static final String SUBMISSION_ID = "sparkoperator.k8s.io/submission-id";
    private static final SparkApplicationTranslator SIZING = new SparkApplicationTranslator();
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /**
     * What the pods of one application are made of, read once from the SparkApplication.
     *
     * @param appId     Spark's application id ({@code spark-app-selector}), {@code spark-<hex>}
     * @param executors the executors Spark starts with ({@code instances}, or the dynamic-allocation start)
     */
    record Plan(GenericKubernetesResource app, String appId, ExecutorTemplate driverSize, ExecutorTemplate executorSize,
                int executors) {
        String namespace() {
            return app.getMetadata().getNamespace();
        }

        String name() {
            return app.getMetadata().getName();
        }

        String driverPodName() {
            return name() + "-driver";
        }

        /** Executor {@code id}, counted from 1 as Spark does. */
        String executorPodName(int id) {
            return name() + "-exec-" + id;
        }
    }

    private SparkApplicationPods() {
    }

    /** Spark's id for an application: {@code spark-} and 32 hex digits, derived here from the object's uid. */
    static String appId(GenericKubernetesResource app) {
        String seed = Objects.toString(app.getMetadata().getUid(), app.getMetadata().getNamespace() + "/"
                + app.getMetadata().getName());
        return "spark-" + UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
    }

    /** The plan of {@code app}, or why its pods cannot be made (the message names the field). */
    static Translation<Plan> plan(GenericKubernetesResource app, String appId) {
        Translation<ExecutorTemplate> executor = SIZING.translate(app);
        if (executor instanceof Translation.Invalid<ExecutorTemplate> invalid) {
            return new Translation.Invalid<>(invalid.message());
        }
        Translation<ExecutorTemplate> driver = SIZING.translate(driverAsExecutor(app));
        if (driver instanceof Translation.Invalid<ExecutorTemplate> invalid) {
            return new Translation.Invalid<>(invalid.message().replace("spec.executor.", "spec.driver."));
        }
        ExecutorTemplate executorSize = ((Translation.Valid<ExecutorTemplate>) executor).value();
        return new Translation.Valid<>(new Plan(app, appId, ((Translation.Valid<ExecutorTemplate>) driver).value(),
                executorSize, executorSize.count()));
    }

    /**
     * The application with its driver in the executor's place: Spark sizes the driver by the same
     * rules (cores or the request, memory plus overhead, the GPU), so the translator that sizes
     * executors sizes the driver too.
     */
    private static GenericKubernetesResource driverAsExecutor(GenericKubernetesResource app) {
        Map<String, Object> spec = new LinkedHashMap<>(map(app.getAdditionalProperties().get("spec")));
        Map<String, Object> driver = new LinkedHashMap<>(map(spec.get(DRIVER)));
        driver.remove("instances");
        spec.put(EXECUTOR, driver);
        spec.remove("dynamicAllocation");
        GenericKubernetesResource copy = new GenericKubernetesResource();
        copy.setApiVersion(app.getApiVersion());
        copy.setKind(app.getKind());
        copy.setMetadata(app.getMetadata());
        copy.setAdditionalProperty("spec", spec);
        return copy;
    }

    /** The driver pod the operator submits, owned by the SparkApplication. */
    static Pod driver(Plan plan) {
        Map<String, Object> role = role(plan, DRIVER);
        OwnerReference owner = new OwnerReferenceBuilder().withApiVersion(SparkApplicationTranslator.API_VERSION)
                .withKind(SparkApplicationTranslator.KIND).withName(plan.name())
                .withUid(plan.app().getMetadata().getUid()).withController(true).build();
        return pod(plan, DRIVER, role, plan.driverSize(), plan.driverPodName(), labels(plan, DRIVER, role), owner)
                .editSpec().withServiceAccountName(text(role.get("serviceAccount")))
                .editFirstContainer().withArgs("driver", "--properties-file", "/opt/spark/conf/spark.properties")
                .endContainer().endSpec()
                .build();
    }

    /** Executor {@code id} (from 1) as the running driver creates it, owned by the driver pod. */
    static Pod executor(Plan plan, int id, Pod driver) {
        Map<String, Object> role = role(plan, EXECUTOR);
        Map<String, String> labels = labels(plan, EXECUTOR, role);
        labels.put(SPARK_EXEC_ID, Integer.toString(id));
        labels.put(RESOURCE_PROFILE_ID, "0");
        OwnerReference owner = new OwnerReferenceBuilder().withApiVersion("v1").withKind("Pod")
                .withName(driver.getMetadata().getName()).withUid(driver.getMetadata().getUid()).withController(true)
                .build();
        return pod(plan, EXECUTOR, role, plan.executorSize(), plan.executorPodName(id), labels, owner)
                .editSpec().withHostname(plan.executorPodName(id))
                .editFirstContainer().withArgs("executor").endContainer().endSpec()
                .build();
    }

    private static PodBuilder pod(Plan plan, String roleName, Map<String, Object> role, ExecutorTemplate size,
                                  String name, Map<String, String> labels, OwnerReference owner) {
        Map<String, Object> spec = map(plan.app().getAdditionalProperties().get("spec"));
        Map<String, String> nodeSelector = new LinkedHashMap<>(strings(spec.get("nodeSelector")));
        nodeSelector.putAll(strings(role.get("nodeSelector")));
        Map<String, String> annotations = strings(role.get("annotations"));
        String image = text(role.get("image")) != null ? text(role.get("image")) : text(spec.get("image"));
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(plan.namespace()).withLabels(labels)
                .withAnnotations(annotations.isEmpty() ? null : annotations).withOwnerReferences(owner).endMetadata()
                .withNewSpec()
                .withSchedulerName(text(role.get("schedulerName")))
                // The API server's Priority admission resolves the class to spec.priority.
                .withPriorityClassName(text(role.get("priorityClassName")))
                .withPriority(DemoPriorities.value(text(role.get("priorityClassName"))))
                .withRestartPolicy("Never")
                .withNodeSelector(nodeSelector.isEmpty() ? null : nodeSelector)
                .withTolerations(convert(role.get("tolerations"), Toleration[].class))
                .withAffinity(role.get("affinity") == null ? null : SERIALIZATION.convertValue(role.get("affinity"),
                        Affinity.class))
                .addNewContainer().withName("spark-kubernetes-" + roleName).withImage(image)
                .withNewResources().withRequests(requests(size)).withLimits(limits(size, role)).endResources()
                .endContainer()
                .endSpec();
    }

    private static Map<String, String> labels(Plan plan, String roleName, Map<String, Object> role) {
        Map<String, String> labels = new LinkedHashMap<>(strings(role.get("labels")));
        labels.put(GangLabels.SPARK_APP_SELECTOR, plan.appId());
        labels.put(SPARK_APP_NAME, plan.name());
        labels.put(GangLabels.SPARK_ROLE, roleName);
        String version = text(map(plan.app().getAdditionalProperties().get("spec")).get("sparkVersion"));
        if (version != null) {
            labels.put(SPARK_VERSION_LABEL, version);
        }
        labels.put(GangLabels.OPERATOR_APP_NAME, plan.name());
        labels.put(LAUNCHED_BY_OPERATOR, "true");
        labels.put(SUBMISSION_ID, UUID.nameUUIDFromBytes(plan.appId().getBytes(StandardCharsets.UTF_8)).toString());
        return labels;
    }

    private static Map<String, Quantity> requests(ExecutorTemplate size) {
        Map<String, Quantity> requests = new LinkedHashMap<>();
        requests.put(ResourceNames.CPU, new Quantity(size.requests().get(ResourceNames.CPU) + "m"));
        requests.put(ResourceNames.MEMORY, new Quantity(size.requests().get(ResourceNames.MEMORY) / (1024 * 1024) + "Mi"));
        return requests;
    }

    /** Memory limit = request (Spark); cpu limit = coreLimit when set; extended resources (GPUs) as limits. */
    private static Map<String, Quantity> limits(ExecutorTemplate size, Map<String, Object> role) {
        Map<String, Quantity> limits = new LinkedHashMap<>();
        String coreLimit = text(role.get("coreLimit"));
        if (coreLimit != null) {
            limits.put(ResourceNames.CPU, new Quantity(coreLimit));
        }
        limits.put(ResourceNames.MEMORY, new Quantity(size.requests().get(ResourceNames.MEMORY) / (1024 * 1024) + "Mi"));
        size.requests().amounts().forEach((resource, amount) -> {
            if (!ResourceNames.CPU.equals(resource) && !ResourceNames.MEMORY.equals(resource)) {
                limits.put(resource, new Quantity(Long.toString(amount)));
            }
        });
        return limits;
    }

    private static Map<String, Object> role(Plan plan, String roleName) {
        return map(map(plan.app().getAdditionalProperties().get("spec")).get(roleName));
    }

    private static <T> List<T> convert(Object value, Class<T[]> type) {
        if (value == null) {
            return new ArrayList<>();
        }
        return new ArrayList<>(List.of(SERIALIZATION.convertValue(value, type)));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static Map<String, String> strings(Object value) {
        Map<String, String> result = new LinkedHashMap<>();
        map(value).forEach((key, v) -> {
            if (v != null) {
                result.put(key, String.valueOf(v));
            }
        });
        return result;
    }

    private static String text(Object value) {
        return value == null ? null : String.valueOf(value);
    }
}
