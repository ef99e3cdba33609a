package io.kubenexus.scheduler.kube.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.kubenexus.scheduler.kube.embedded.EmbeddedKubernetesApi;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which PodGroup version discovery chooses for each set of versions a cluster serves. */
class WorkloadApiDiscoveryIT {
    private static final Map<String, String> BOTH_KINDS = Map.of("podgroups", "PodGroup", "workloads", "Workload");

    static Stream<Arguments> clusters() {
        return Stream.of(
                arguments("1.37 with the alpha API on: v1beta1 preferred", Map.of("v1beta1", BOTH_KINDS, "v1alpha2", BOTH_KINDS),
                        Optional.of(WorkloadApiVersion.V1BETA1),
                        List.of("scheduling.k8s.io/v1beta1 (podgroups, workloads)",
                                "scheduling.k8s.io/v1alpha2 (podgroups, workloads)")),
                arguments("1.37 beta only", Map.of("v1beta1", BOTH_KINDS), Optional.of(WorkloadApiVersion.V1BETA1),
                        List.of("scheduling.k8s.io/v1beta1 (podgroups, workloads)")),
                arguments("1.36 alpha only", Map.of("v1alpha2", BOTH_KINDS), Optional.of(WorkloadApiVersion.V1ALPHA2),
                        List.of("scheduling.k8s.io/v1alpha2 (podgroups, workloads)")),
                arguments("v1beta1 with Workloads only, v1alpha2 with PodGroups: PodGroups decide",
                        Map.of("v1beta1", Map.of("workloads", "Workload"), "v1alpha2", Map.of("podgroups", "PodGroup")),
                        Optional.of(WorkloadApiVersion.V1ALPHA2),
                        List.of("scheduling.k8s.io/v1beta1 (workloads)", "scheduling.k8s.io/v1alpha2 (podgroups)")),
                arguments("the group with neither version (e.g. only v1alpha3)", Map.of("v1alpha3", BOTH_KINDS),
                        Optional.empty(), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusters")
    void choosesThePreferredServedVersion(String name, Map<String, Map<String, String>> served,
                                          Optional<WorkloadApiVersion> expected, List<String> reported) {
        try (EmbeddedKubernetesApi api = new EmbeddedKubernetesApi()) {
            // Declared in preference order, as the API server lists them.
            for (String version : List.of("v1beta1", "v1alpha2", "v1alpha3")) {
                if (served.containsKey(version)) {
                    api.serveApi("scheduling.k8s.io", version, served.get(version));
                }
            }

            WorkloadApiDiscovery.Result result = new WorkloadApiDiscovery(api.client()).discover();

            assertThat(result.podGroups()).isEqualTo(expected);
            assertThat(result.served()).isEqualTo(reported);
        }
    }
}
