package io.kubenexus.scheduler.kube.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubenexus.scheduler.gang.group.GroupPolicy;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.kube.translate.Translation;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The cases live in {@code pod-group-cases.yaml} next to this class: one object and its reading each. */
class PodGroupTranslatorTest {
    private static final String CASES = "pod-group-cases.yaml";
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final PodGroupTranslator translator = new PodGroupTranslator();

    static Stream<Arguments> cases() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (InputStream in = Objects.requireNonNull(PodGroupTranslatorTest.class.getResourceAsStream(CASES), CASES)) {
            List<Map<String, Object>> cases = yaml.readValue(in, new TypeReference<>() { });
            return cases.stream().map(c -> arguments(c.get("name"), c));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void translates(String name, Map<String, Object> testCase) {
        GenericKubernetesResource object = SERIALIZATION.convertValue(testCase.get("object"), GenericKubernetesResource.class);
        Translation<GroupPolicy> translation = switch ((String) testCase.get("api")) {
            case "scheduler-plugins" -> translator.fromSchedulerPlugins(object);
            case "kubernetes" -> translator.fromKubernetes(object);
            default -> throw new IllegalArgumentException("case " + name + ": unknown api " + testCase.get("api"));
        };

        if (testCase.containsKey("errors")) {
            assertThat(translation.errorOrNull()).as("error of %s", name).isNotNull();
            for (String fragment : (List<String>) testCase.get("errors")) {
                assertThat(translation.errorOrNull()).contains(fragment);
            }
            return;
        }
        assertThat(translation.errorOrNull()).as("error of %s", name).isNull();
        Map<String, Object> expect = (Map<String, Object>) testCase.get("expect");
        GroupPolicy policy = translation.orElseThrow();
        assertThat(policy.groupId()).isEqualTo(expect.get("groupId"));
        assertThat(policy.minMembers()).isEqualTo(expect.get("minMembers"));
        assertThat(policy.minResources()).isEqualTo(resources((Map<String, Object>) expect.get("minResources")));
        Object timeout = expect.get("scheduleTimeoutSeconds");
        assertThat(policy.scheduleTimeout())
                .isEqualTo(timeout == null ? null : Duration.ofSeconds(((Number) timeout).longValue()));
        if (expect.containsKey("source")) {
            assertThat(policy.source()).isEqualTo(expect.get("source"));
        }
    }

    @Test
    void everyCaseOfTheTableIsRead() throws IOException {
        assertThat(cases()).hasSizeGreaterThan(20);
    }

    @Test
    void sourceNamesTheApiAndTheObjectEvenWhenValid() {
        GenericKubernetesResource object = SERIALIZATION.unmarshal("""
                apiVersion: scheduling.x-k8s.io/v1alpha1
                kind: PodGroup
                metadata: {name: pi, namespace: spark-jobs}
                spec: {minMember: 2}
                """, GenericKubernetesResource.class);

        assertThat(translator.fromSchedulerPlugins(object).orElseThrow().source())
                .isEqualTo("PodGroup scheduling.x-k8s.io/v1alpha1 spark-jobs/pi");
        assertThat(PodGroupTranslator.key(object)).isEqualTo("spark-jobs/pi");
    }

    private static ResourceList resources(Map<String, Object> amounts) {
        Map<String, Long> converted = new TreeMap<>();
        if (amounts != null) {
            amounts.forEach((resource, amount) -> converted.put(resource, ((Number) amount).longValue()));
        }
        return ResourceList.of(converted);
    }
}
