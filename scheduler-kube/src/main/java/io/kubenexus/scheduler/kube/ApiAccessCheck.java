package io.kubenexus.scheduler.kube;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the API server, once at start-up, whether this replica holds each {@link ApiAccess} it needs,
 * and logs one WARN line per rule that is missing, naming it and what stops working without it.
 * Advisory only: it never fails the start (the informers' own errors say the rest), and an answer
 * it cannot read is logged at DEBUG as unknown, not as missing.
 *
 * <p>Makes one SelfSubjectAccessReview per rule and verb, so it runs off the scheduling loop (the
 * caller gives it its own thread).
 */
public final class ApiAccessCheck {
    private static final Logger LOG = LoggerFactory.getLogger(ApiAccessCheck.class);

    /** What the API server said about one verb of one rule. */
    public enum Answer { ALLOWED, DENIED, UNKNOWN }

    /** The answer for one verb of one rule. */
    public record Finding(ApiAccess access, String verb, Answer answer, String detail) {
    }

    /** Answers whether the caller may use {@code verb} on {@code access}'s resource. */
    @FunctionalInterface
    public interface Reviewer {
        /** @return true or false as the API server decided; null when the answer did not say */
        Boolean allowed(ApiAccess access, String verb);
    }

    private final Reviewer reviewer;
    private final List<ApiAccess> accesses;

    /** Checks {@link ApiAccess#REQUIRED} with SelfSubjectAccessReviews through {@code client}. */
    public ApiAccessCheck(KubernetesClient client) {
        this(selfSubjectAccessReviews(client), ApiAccess.REQUIRED);
    }

    public ApiAccessCheck(Reviewer reviewer, List<ApiAccess> accesses) {
        this.reviewer = Objects.requireNonNull(reviewer, "reviewer");
        this.accesses = List.copyOf(accesses);
    }

    /** Reviews every verb of every rule, logs what is missing, and returns every finding. Never throws. */
    public List<Finding> run() {
        List<Finding> findings = new ArrayList<>();
        for (ApiAccess access : accesses) {
            List<String> denied = new ArrayList<>();
            for (String verb : access.verbs()) {
                Finding finding = review(access, verb);
                findings.add(finding);
                switch (finding.answer()) {
                    case DENIED -> denied.add(verb);
                    case UNKNOWN -> LOG.debug("RBAC: cannot tell whether {} {} is granted: {}", verb, access.qualifiedResource(),
                            finding.detail());
                    case ALLOWED -> LOG.debug("RBAC: {} {} granted", verb, access.qualifiedResource());
                }
            }
            if (!denied.isEmpty()) {
                LOG.warn("RBAC: missing {} {} ({}); without it {}",
                        String.join(",", denied), access.qualifiedResource(),
                        access.usedBy(), access.withoutIt());
            }
        }
        return findings;
    }

    private Finding review(ApiAccess access, String verb) {
        try {
            Boolean allowed = reviewer.allowed(access, verb);
            if (allowed == null) {
                return new Finding(access, verb, Answer.UNKNOWN, "the review came back without an allowed field");
            }
            return new Finding(access, verb, allowed ? Answer.ALLOWED : Answer.DENIED, "");
        } catch (RuntimeException e) {
            return new Finding(access, verb, Answer.UNKNOWN, "the review failed: " + e.getMessage());
        }
    }

    private static Reviewer selfSubjectAccessReviews(KubernetesClient client) {
        Objects.requireNonNull(client, "client");
        return (access, verb) -> {
            SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder()
                    .withNewSpec()
                        .withNewResourceAttributes()
                            .withGroup(access.apiGroup())
                            .withResource(access.baseResource())
                            .withSubresource(access.subresource().isEmpty() ? null : access.subresource())
                            .withVerb(verb)
                        .endResourceAttributes()
                    .endSpec()
                    .build();
            SelfSubjectAccessReview answer = client.authorization().v1().selfSubjectAccessReview().create(review);
            return answer == null || answer.getStatus() == null ? null : answer.getStatus().getAllowed();
        };
    }
}
