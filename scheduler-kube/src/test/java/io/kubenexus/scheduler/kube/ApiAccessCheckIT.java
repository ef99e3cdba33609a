package io.kubenexus.scheduler.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.kube.ApiAccessCheck.Answer;
import io.kubenexus.scheduler.kube.ApiAccessCheck.Finding;
import io.kubenexus.scheduler.kube.embedded.EmbeddedKubernetesApi;
import org.junit.jupiter.api.Test;

/**
 * The start-up RBAC check against the embedded API, which stores a SelfSubjectAccessReview like
 * any object and answers without a status: every rule is "unknown" (DEBUG), none "missing" (WARN),
 * and nothing throws.
 */
class ApiAccessCheckIT {

    @Test
    void anApiThatDoesNotDecideLeavesEveryRuleUnknown() {
        try (EmbeddedKubernetesApi api = new EmbeddedKubernetesApi()) {
            assertThat(new ApiAccessCheck(api.client()).run())
                    .isNotEmpty()
                    .extracting(Finding::answer).containsOnly(Answer.UNKNOWN);
        }
    }
}
