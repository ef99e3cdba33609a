package io.kubenexus.scheduler.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubenexus.scheduler.gang.GangLabels;
import io.kubenexus.scheduler.kube.translate.Translation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pods made of the examples users apply, sized as Spark sizes them (the examples' comments say how). */
class SparkApplicationPodsTest {
    private static final Path EXAMPLES = Path.of("..", "deploy", "examples");
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // example,                    executors, driver cpu, driver memory, executor cpu, executor memory, cpu limit, gpus
        "spark-pi.yaml,                4, 1000m, 2432Mi,  2000m, 4505Mi,  '', 0",
        "spark-data-processing.yaml,   20, 2000m, 4505Mi, 4000m, 9011Mi,  '', 0",
        "spark-dynamic-allocation.yaml, 2, 1000m, 1433Mi, 500m,  2867Mi,  '', 0",
        "spark-gpu-numa.yaml,          4, 2000m, 9011Mi,  8000m, 36864Mi, 8, 1",
        "spark-streaming.yaml,         3, 1000m, 2432Mi,  2000m, 4505Mi,  '', 0"})
    void podsOfTheExamples(String example, int executors, String driverCpu, String driverMemory, String executorCpu,
                           String executorMemory, String cpuLimit, int gpus) throws IOException {
        SparkApplicationPods.Plan plan = plan(example);
        assertThat(plan.executors()).isEqualTo(executors);
        Pod driver = SparkApplicationPods.driver(plan);
        Pod executor = SparkApplicationPods.executor(plan, 1, driver);

        assertThat(requests(driver)).containsEntry("cpu", new Quantity(driverCpu))
                .containsEntry("memory", new Quantity(driverMemory));
        assertThat(requests(executor)).containsEntry("cpu", new Quantity(executorCpu))
                .containsEntry("memory", new Quantity(executorMemory));
        Map<String, Quantity> limits = executor.getSpec().getContainers().get(0).getResources().getLimits();
        assertThat(limits).containsEntry("memory", new Quantity(executorMemory));
        if (cpuLimit.isEmpty()) {
            assertThat(limits).doesNotContainKey("cpu");
        } else {
            assertThat(limits).containsEntry("cpu", new Quantity(cpuLimit));
        }
        if (gpus > 0) {
            assertThat(limits).containsEntry("nvidia.com/gpu", new Quantity(Integer.toString(gpus)));
        } else {
            assertThat(limits).doesNotContainKey("nvidia.com/gpu");
        }
        String app = plan.name();
        assertThat(driver.getMetadata().getName()).isEqualTo(app + "-driver");
        assertThat(executor.getMetadata().getName()).isEqualTo(app + "-exec-1");
        assertThat(driver.getSpec().getSchedulerName()).isEqualTo("kubenexus-scheduler");
        assertThat(executor.getSpec().getSchedulerName()).isEqualTo("kubenexus-scheduler");
        assertThat(driver.getMetadata().getLabels()).containsEntry(GangLabels.SPARK_ROLE, "driver")
                .containsEntry(GangLabels.OPERATOR_APP_NAME, app).containsEntry(GangLabels.NAME, app)
                .containsEntry(GangLabels.SPARK_APP_SELECTOR, plan.appId());
        assertThat(executor.getMetadata().getLabels()).containsEntry(GangLabels.SPARK_ROLE, "executor")
                .containsEntry(SparkApplicationPods.SPARK_EXEC_ID, "1").containsEntry(GangLabels.NAME, app)
                .containsEntry(GangLabels.MIN_AVAILABLE, Integer.toString(executors + 1));
        assertThat(executor.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("Pod");
        assertThat(driver.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("SparkApplication");
    }

    @Test
    void theExecutorsAnnotationsAndServiceAccountAreCopied() throws IOException {
        SparkApplicationPods.Plan plan = plan("spark-gpu-numa.yaml");
        Pod driver = SparkApplicationPods.driver(plan);
        assertThat(driver.getSpec().getServiceAccountName()).isEqualTo("spark");
        assertThat(SparkApplicationPods.executor(plan, 2, driver).getMetadata().getAnnotations())
                .containsEntry("numa.scheduling.kubenexus.io/policy", "single-numa");
    }

    @Test
    void anUnreadableApplicationIsRefusedNamingTheField() throws IOException {
        GenericKubernetesResource app = read("spark-pi.yaml");
        spec(app, "driver").put("memory", "lots");
        assertThat(SparkApplicationPods.plan(app, "spark-1")).isInstanceOfSatisfying(Translation.Invalid.class,
                invalid -> assertThat(invalid.message()).contains("spec.driver.memory").contains("lots"));
    }

    private static SparkApplicationPods.Plan plan(String example) throws IOException {
        GenericKubernetesResource app = read(example);
        app.getMetadata().setUid("uid-" + app.getMetadata().getName());
        Translation<SparkApplicationPods.Plan> plan = SparkApplicationPods.plan(app, SparkApplicationPods.appId(app));
        assertThat(plan.isValid()).as(String.valueOf(plan)).isTrue();
        return ((Translation.Valid<SparkApplicationPods.Plan>) plan).value();
    }

    private static GenericKubernetesResource read(String example) throws IOException {
        return YAML.unmarshal(Files.readString(EXAMPLES.resolve(example)), GenericKubernetesResource.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource app, String role) {
        return (Map<String, Object>) ((Map<String, Object>) app.getAdditionalProperties().get("spec")).get(role);
    }

    private static Map<String, Quantity> requests(Pod pod) {
        return pod.getSpec().getContainers().get(0).getResources().getRequests();
    }
}
