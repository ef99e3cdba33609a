package io.kubenexus.scheduler.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.kube.ApiAccessCheck.Answer;
import io.kubenexus.scheduler.kube.ApiAccessCheck.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiAccessCheckTest {

    @Test
    void aDeniedVerbIsReportedAsDeniedAndTheOthersAsTheReviewerSaid() {
        ApiAccessCheck check = new ApiAccessCheck((access, verb) -> !(access.resource().equals("pods/binding")),
                ApiAccess.REQUIRED);

        List<Finding> findings = check.run();

        assertThat(findings).filteredOn(f -> f.answer() == Answer.DENIED)
                .extracting(f -> f.verb() + " " + f.access().resource()).containsExactly("create pods/binding");
        assertThat(findings).hasSize(ApiAccess.REQUIRED.stream().mapToInt(a -> a.verbs().size()).sum());
    }

    @Test
    void anAnswerWithoutAllowedOrAFailedReviewIsUnknownNeverDeniedAndNeverThrows() {
        ApiAccessCheck silent = new ApiAccessCheck((access, verb) -> null, ApiAccess.REQUIRED);
        ApiAccessCheck failing = new ApiAccessCheck((access, verb) -> {
            throw new IllegalStateException("connection refused");
        }, ApiAccess.REQUIRED);

        assertThat(silent.run()).extracting(Finding::answer).containsOnly(Answer.UNKNOWN);
        assertThat(failing.run()).allSatisfy(f -> {
            assertThat(f.answer()).isEqualTo(Answer.UNKNOWN);
            assertThat(f.detail()).contains("connection refused");
        });
    }

    @Test
    void everyDeclaredEntrySaysWhatUsesItAndWhatStopsWithoutIt() {
        assertThat(ApiAccess.REQUIRED).allSatisfy(access -> {
            assertThat(access.usedBy()).isNotBlank();
            assertThat(access.withoutIt()).isNotBlank();
        });
        assertThat(ApiAccess.REQUIRED).extracting(a -> a.apiGroup() + "/" + a.resource()).doesNotHaveDuplicates();
    }

    @Test
    void describesRulesAsKubectlNamesThem() {
        assertThat(new ApiAccess("scheduling.x-k8s.io", "podgroups/status", List.of("patch"), "u", "w", "").describe())
                .isEqualTo("patch podgroups.scheduling.x-k8s.io/status");
        assertThat(new ApiAccess("", "pods/binding", List.of("create"), "u", "w", "").describe())
                .isEqualTo("create pods/binding");
    }
}
