package io.kubenexus.scheduler.kube.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubenexus.scheduler.kube.ApiAccess;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiDiscoveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** kubectl can reach everything the scheduler itself uses, subresources included. */
    @Test
    void everyResourceTheSchedulerUsesIsDiscoverable() throws IOException {
        for (ApiAccess access : ApiAccess.REQUIRED) {
            List<String> served = new ArrayList<>();
            for (ApiDiscovery.Resource resource : ApiDiscovery.STANDARD.resources()) {
                if (resource.group().equals(access.apiGroup())) {
                    JsonNode list = JSON.readTree(ApiDiscovery.STANDARD.document(
                            (resource.group().isEmpty() ? "/api/" : "/apis/" + resource.group() + "/")
                                    + resource.version()).orElseThrow());
                    list.path("resources").forEach(r -> served.add(r.path("name").asText()));
                }
            }
            assertThat(served).as("%s in group '%s'", access.resource(), access.apiGroup()).contains(access.resource());
        }
    }

    @Test
    void eachGroupNamesItsPreferredVersionFirst() throws IOException {
        JsonNode groups = JSON.readTree(ApiDiscovery.STANDARD.document("/apis").orElseThrow()).path("groups");
        for (JsonNode group : groups) {
            assertThat(group.path("preferredVersion").path("version").asText())
                    .isEqualTo(group.path("versions").get(0).path("version").asText());
        }
        JsonNode scheduling = JSON.readTree(ApiDiscovery.STANDARD.document("/apis/scheduling.k8s.io").orElseThrow());
        assertThat(scheduling.path("preferredVersion").path("version").asText()).isEqualTo("v1");
    }

    @Test
    void onlyServedGroupVersionsAndDiscoveryPathsAreAnswered() {
        assertThat(ApiDiscovery.STANDARD.document("/apis/apps/v1")).isEmpty();
        assertThat(ApiDiscovery.STANDARD.document("/apis/sparkoperator.k8s.io/v1beta1")).isEmpty();
        assertThat(ApiDiscovery.isDiscoveryPath("/api/v1/namespaces")).isFalse();
        assertThat(ApiDiscovery.isDiscoveryPath("/apis/coordination.k8s.io/v1/")).isTrue();
        assertThat(ApiDiscovery.STANDARD.openApiV3("/openapi/v3/api/v1")).hasValueSatisfying(doc -> assertThat(doc)
                .contains("\"/api/v1/namespaces/{namespace}/pods/{name}\"").contains("fieldValidation"));
        assertThat(ApiDiscovery.STANDARD.openApiV3("/openapi/v3/apis/apps/v1")).isEmpty();
    }
}
