package io.kubenexus.scheduler.extender.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The shipped KubeSchedulerConfiguration ({@code deploy/extender/kube-scheduler-config.yaml}) uses
 * only the json keys of kube-scheduler's v1 {@code Extender} and {@code ExtenderManagedResource}
 * types (k8s.io/kube-scheduler/config/v1), and its prefix and verbs are the ones ExtenderRoutes
 * serves.
 */
class KubeSchedulerConfigTest {
    /** The json tags of {@code Extender} in k8s.io/kube-scheduler/config/v1/types.go. */
    private static final Set<String> EXTENDER_KEYS = Set.of("urlPrefix", "filterVerb", "preemptVerb",
            "prioritizeVerb", "weight", "bindVerb", "enableHTTPS", "tlsConfig", "httpTimeout",
            "nodeCacheCapable", "managedResources", "ignorable");
    /** The json tags of {@code ExtenderManagedResource}. */
    private static final Set<String> MANAGED_RESOURCE_KEYS = Set.of("name", "ignoredByScheduler");

    private static final Path CONFIG = Path.of("..", "deploy", "extender", "kube-scheduler-config.yaml");
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    @Test
    void theActiveConfigurationUsesKubeSchedulersKeysAndOurRoutes() throws IOException {
        JsonNode config = yaml.readTree(Files.readString(CONFIG));

        assertThat(config.path("apiVersion").asText()).isEqualTo("kubescheduler.config.k8s.io/v1");
        assertThat(config.path("kind").asText()).isEqualTo("KubeSchedulerConfiguration");
        assertThat(config.path("extenders")).hasSize(1);
        JsonNode extender = config.path("extenders").get(0);
        assertThat(fieldNames(extender)).containsExactlyInAnyOrder("urlPrefix", "filterVerb", "prioritizeVerb",
                "preemptVerb", "bindVerb", "weight", "enableHTTPS", "nodeCacheCapable", "httpTimeout",
                "managedResources", "ignorable");
        assertThat(EXTENDER_KEYS).containsAll(fieldNames(extender));
        assertThat(extender.path("nodeCacheCapable").asBoolean()).isTrue();
        assertThat(extender.path("ignorable").isBoolean()).isTrue();
        assertThat(extender.path("weight").asInt()).isEqualTo(1);
        assertThat(extender.path("httpTimeout").asText()).isEqualTo("30s");
        for (JsonNode resource : extender.path("managedResources")) {
            assertThat(MANAGED_RESOURCE_KEYS).containsAll(fieldNames(resource));
        }
        assertThat(extender.path("managedResources").get(0).path("name").asText()).isEqualTo("nvidia.com/gpu");
        assertServedByOurRoutes(extender);
    }

    @Test
    void theCommentedVariantWithoutANodeCacheIsValidToo() throws IOException {
        String commented = Files.readAllLines(CONFIG).stream()
                .dropWhile(line -> !line.startsWith("# extenders:"))
                .map(line -> line.startsWith("# ") ? line.substring(2) : line.replaceFirst("^#", ""))
                .reduce("", (a, b) -> a + b + "\n");
        JsonNode extender = yaml.readTree(commented).path("extenders").get(0);

        assertThat(EXTENDER_KEYS).containsAll(fieldNames(extender));
        assertThat(extender.path("nodeCacheCapable").asBoolean()).isFalse();
        assertServedByOurRoutes(extender);
    }

    private static void assertServedByOurRoutes(JsonNode extender) {
        ExtenderRoutes routes = ExtenderRoutes.withDefaults(new FakeBackend());
        URI prefix = URI.create(extender.path("urlPrefix").asText());
        assertThat(prefix.getPath()).isEqualTo(routes.prefix());
        assertThat(extender.path("filterVerb").asText()).isEqualTo(ExtenderVerb.FILTER.path());
        assertThat(extender.path("prioritizeVerb").asText()).isEqualTo(ExtenderVerb.PRIORITIZE.path());
        assertThat(extender.path("preemptVerb").asText()).isEqualTo(ExtenderVerb.PREEMPT.path());
        assertThat(extender.path("bindVerb").asText()).isEqualTo(ExtenderVerb.BIND.path());
        for (ExtenderVerb verb : ExtenderVerb.values()) {
            // kube-scheduler joins urlPrefix and verb with a "/"
            assertThat(prefix.getPath() + "/" + verb.path()).isEqualTo(routes.path(verb));
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
