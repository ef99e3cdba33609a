package io.kubenexus.scheduler.kube.groups;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.gang.group.GroupPolicy;
import io.kubenexus.scheduler.core.testing.Fuzz;
import io.kubenexus.scheduler.kube.testing.FuzzedJson;
import io.kubenexus.scheduler.kube.translate.Translation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SparkApplication and PodGroup specs fuzzed field by field (wrong JSON types, numbers out of range,
 * mutated quantities and sizes, missing and extra fields): each ends in a value or in a message
 * naming the field, never an exception.
 */
class GroupSpecsFuzzTest {
    private static final List<String> TEXTS = List.of("1", "2", "500m", "2500m", "4g", "512m", "1024", "384",
            "0.2", "0.4", "Python", "Scala", "nvidia.com/gpu", "spark-jobs", "disk", "ssd", "Equal", "Exists",
            "NoSchedule", "NoExecute", "dedicated", "3Gi", "2Gi");

    @Test
    void sparkApplications() {
        SparkApplicationTranslator translator = new SparkApplicationTranslator();
        int[] valid = new int[1];
        Fuzz.named("spark application").generated(random -> sparkApplication(new FuzzedJson(random, TEXTS)), app -> {
            Translation<ExecutorTemplate> translated = translator.translate(app);
            String error = translated.errorOrNull();
            if (error != null) {
                assertThat(error).as("names the field").containsPattern("^spec(\\.| )")
                        .doesNotContain("Exception");
                return;
            }
            valid[0]++;
            ExecutorTemplate template = translated.orElseThrow();
            assertThat(template.requests().amounts().values()).allMatch(amount -> amount >= 0);
        });
        assertThat(valid[0]).as("applications read to the end").isGreaterThan(Fuzz.DEFAULT_CASES / 20);
    }

    @Test
    void schedulerPluginsPodGroups() {
        PodGroupTranslator translator = new PodGroupTranslator();
        int[] valid = new int[1];
        Fuzz.named("scheduler-plugins pod group").generated(random -> schedulerPluginsPodGroup(new FuzzedJson(random, TEXTS)),
                group -> {
                    Translation<GroupPolicy> translated = translator.fromSchedulerPlugins(group);
                    String error = translated.errorOrNull();
                    if (error != null) {
                        assertThat(error).as("names the object and the field")
                                .startsWith("PodGroup scheduling.x-k8s.io/v1alpha1 spark-jobs/pi-pg: spec")
                                .doesNotContain("Exception");
                        return;
                    }
                    valid[0]++;
                    assertThat(translated.orElseThrow().minMembers()).isPositive();
                });
        assertThat(valid[0]).as("groups read to the end").isGreaterThan(Fuzz.DEFAULT_CASES / 20);
    }

    @Test
    void kubernetesPodGroups() {
        PodGroupTranslator translator = new PodGroupTranslator();
        Fuzz.named("kubernetes pod group").generated(random -> kubernetesPodGroup(new FuzzedJson(random, TEXTS)), group -> {
            Translation<GroupPolicy> translated = translator.fromKubernetes(group);
            String error = translated.errorOrNull();
            if (error != null) {
                assertThat(error).startsWith("PodGroup scheduling.k8s.io/v1alpha2 spark-jobs/pi-pg: spec")
                        .doesNotContain("Exception");
                return;
            }
            assertThat(translated.orElseThrow().minMembers()).isPositive();
        });
    }

    // ------------------------------------------------------------------ objects

    private static GenericKubernetesResource sparkApplication(FuzzedJson json) {
        List<Object> counts = List.of(1, 2, 4, 0, 10);
        Map<String, Object> executor = new LinkedHashMap<>();
        executor.put("cores", json.mostly(counts));
        if (json.chance(40)) {
            executor.put("coreRequest", json.mostly(List.of("500m", "2", "1.5", 2)));
        }
        executor.put("memory", json.mostly(List.of("512m", "4g", "2G", "1024", 1024)));
        if (json.chance(40)) {
            executor.put("memoryOverhead", json.mostly(List.of("384m", "1g", "512")));
        }
        executor.put("instances", json.mostly(counts));
        if (json.chance(30)) {
            Map<String, Object> gpu = new LinkedHashMap<>();
            gpu.put("name", json.mostly(List.of("nvidia.com/gpu", "amd.com/gpu")));
            gpu.put("quantity", json.mostly(counts));
            executor.put("gpu", json.chance(95) ? json.reshaped(gpu) : json.anyValue());
        }
        if (json.chance(30)) {
            executor.put("nodeSelector", json.mostly(List.of(Map.of("disk", "ssd"), Map.of())));
        }
        if (json.chance(30)) {
            executor.put("tolerations", json.chance(90) ? json.listOf(2, () -> toleration(json)) : json.anyValue());
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("type", json.mostly(List.of("Scala", "Python", "Java", "R")));
        spec.put("mode", "cluster");
        spec.put("driver", Map.of("cores", 1, "memory", "512m"));
        spec.put("executor", json.chance(95) ? json.reshaped(executor) : json.anyValue());
        if (json.chance(30)) {
            spec.put("memoryOverheadFactor", json.mostly(List.of("0.2", "0.4", "0.1")));
        }
        if (json.chance(30)) {
            Map<String, Object> dynamic = new LinkedHashMap<>();
            dynamic.put("enabled", json.mostly(List.of(true, false)));
            dynamic.put("initialExecutors", json.mostly(counts));
            dynamic.put("minExecutors", json.mostly(counts));
            dynamic.put("maxExecutors", json.mostly(counts));
            spec.put("dynamicAllocation", json.chance(95) ? json.reshaped(dynamic) : json.anyValue());
        }
        if (json.chance(20)) {
            spec.put("nodeSelector", json.mostly(List.of(Map.of("zone", "a"))));
        }
        return resource("sparkoperator.k8s.io/v1beta2", "SparkApplication", "pi", json.reshaped(spec));
    }

    private static Object toleration(FuzzedJson json) {
        Map<String, Object> toleration = new LinkedHashMap<>();
        toleration.put("key", json.mostly(List.of("dedicated", "nvidia.com/gpu")));
        toleration.put("operator", json.mostly(List.of("Equal", "Exists")));
        if (json.chance(50)) {
            toleration.put("value", json.mostly(List.of("spark", "")));
        }
        toleration.put("effect", json.mostly(List.of("NoSchedule", "NoExecute", "PreferNoSchedule", "")));
        return json.reshaped(toleration);
    }

    private static GenericKubernetesResource schedulerPluginsPodGroup(FuzzedJson json) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("minMember", json.mostly(List.of(1, 3, 0, 17)));
        if (json.chance(70)) {
            Map<String, Object> resources = new LinkedHashMap<>();
            resources.put("cpu", json.mostly(List.of("2500m", "2", 2, 0.5)));
            resources.put("memory", json.mostly(List.of("3Gi", "1.5", 1024)));
            if (json.chance(40)) {
                resources.put("nvidia.com/gpu", json.mostly(List.of("2", 2)));
            }
            spec.put("minResources", json.chance(95) ? json.reshaped(resources) : json.anyValue());
        }
        if (json.chance(60)) {
            spec.put("scheduleTimeoutSeconds", json.mostly(List.of(60, 0, 3600)));
        }
        return resource("scheduling.x-k8s.io/v1alpha1", "PodGroup", "pi-pg",
                json.chance(95) ? json.reshaped(spec) : json.anyValue());
    }

    private static GenericKubernetesResource kubernetesPodGroup(FuzzedJson json) {
        Map<String, Object> policy = new LinkedHashMap<>();
        if (json.chance(50)) {
            policy.put("basic", json.mostly(List.of(Map.of())));
        }
        if (json.chance(60)) {
            Map<String, Object> gang = new LinkedHashMap<>();
            gang.put("minCount", json.mostly(List.of(1, 4, 0)));
            policy.put("gang", json.chance(95) ? json.reshaped(gang) : json.anyValue());
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("schedulingPolicy", json.chance(95) ? json.reshaped(policy) : json.anyValue());
        return resource("scheduling.k8s.io/v1alpha2", "PodGroup", "pi-pg", json.reshaped(spec));
    }

    private static GenericKubernetesResource resource(String apiVersion, String kind, String name, Object spec) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("apiVersion", apiVersion);
        object.put("kind", kind);
        object.put("metadata", Map.of("name", name, "namespace", "spark-jobs"));
        object.put("spec", spec);
        return FuzzedJson.throughTheWire(object);
    }
}
