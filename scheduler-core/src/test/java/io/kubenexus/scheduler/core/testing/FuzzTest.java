package io.kubenexus.scheduler.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FuzzTest {

    @Test
    void theSameNameGivesTheSameInputs() {
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        Fuzz.named("quantities").cases(200).strings(List.of("2Gi", "500m"), first::add);
        Fuzz.named("quantities").cases(200).strings(List.of("2Gi", "500m"), second::add);
        assertThat(first).hasSize(202).isEqualTo(second);
        assertThat(first).startsWith("2Gi", "500m").filteredOn(s -> !s.equals("2Gi") && !s.equals("500m")).hasSizeGreaterThan(150);
    }

    @Test
    void mutationsReachTheShapesThatBreakParsers() {
        List<String> seen = new ArrayList<>();
        Fuzz.named("shapes").strings(List.of("cpu=2,memory=8Gi"), seen::add);
        assertThat(seen).anyMatch(String::isEmpty)
                .anyMatch(s -> s.contains("99999999999999999999"))
                .anyMatch(s -> s.startsWith("cpu=2,mem") && s.length() < "cpu=2,memory=8Gi".length());
    }

    @Test
    void aFailureNamesTheSeedAndTheInput() {
        assertThatThrownBy(() -> Fuzz.named("failing").strings(List.of("ok"), input -> {
            if (!input.equals("ok")) {
                throw new IllegalStateException("parser escaped");
            }
        })).isInstanceOf(AssertionError.class)
                .hasMessageContaining("-Dfuzz.seed=")
                .hasMessageContaining("failed for input \"")
                .hasMessageContaining("parser escaped");
    }
}
