package io.kubenexus.scheduler.kube.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FieldSelectorTest {
    private static final JsonNode EVENT;

    static {
        try {
            EVENT = new ObjectMapper().readTree("{\"involvedObject\":{\"name\":\"p\",\"namespace\":\"ns\",\"uid\":\"u1\"},"
                    + "\"reason\":\"Scheduled\",\"spec\":{}}");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "involvedObject.name=p,involvedObject.namespace=ns,involvedObject.uid=u1 | true",
        "involvedObject.name==p | true",
        "involvedObject.name=q | false",
        "involvedObject.name!=q | true",
        "involvedObject.uid=u2,involvedObject.name=p | false",
        "spec.nodeName= | true",
        "spec.nodeName!= | false",
        "reason=Scheduled | true"})
    void matchesAsTheApiServerSelects(String selector, boolean matches) {
        assertThat(FieldSelector.parse(selector).matches(EVENT)).isEqualTo(matches);
    }

    @Test
    void readsTheQueryAndDropsItForTheMock() {
        String path = "/api/v1/namespaces/ns/events?fieldSelector=involvedObject.name%3Dp%2CinvolvedObject.uid%3Du1&limit=500";
        assertThat(FieldSelector.fromQuery(path).matches(EVENT)).isTrue();
        assertThat(FieldSelector.withoutSelector(path)).isEqualTo("/api/v1/namespaces/ns/events?limit=500");
        assertThat(FieldSelector.fromQuery("/api/v1/pods?limit=5")).isNull();
    }

    @Test
    void aTermWithoutAnOperatorIsRefusedByName() {
        assertThatThrownBy(() -> FieldSelector.parse("involvedObject.name")).hasMessageContaining("involvedObject.name");
    }
}
