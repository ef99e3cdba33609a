package io.kubenexus.scheduler.gang;

import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.gang.group.GroupMembership;
import io.kubenexus.scheduler.core.testing.Fuzz;
import io.kubenexus.scheduler.core.testing.PodFixture;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Gang labels as anyone may write them (ours and the sigs.k8s.io aliases): a group name and a
 * min-available read as a number end in a membership or in an invalid one whose reason names the
 * label, never in an exception.
 */
class GangLabelsFuzzTest {
    private static final List<String> NAMES = List.of("pi", "spark-pi-7f3a", "team.a_job-1", "x");
    private static final List<String> MINIMUMS = List.of("1", "3", "21", "100", "2147483647");
    private final GangLabels labels = new GangLabels();

    @Test
    void nameAndMinAvailableEndInAMembershipOrAReasonNamingTheLabel() {
        Fuzz.named("gang labels").cases(4_000).generated(random -> {
            boolean alias = random.nextBoolean();
            String name = Fuzz.mutation(random, NAMES);
            String min = random.nextInt(5) == 0 ? null : Fuzz.mutation(random, MINIMUMS);
            return new Labels(alias ? GangLabels.ALIAS_NAME : GangLabels.NAME,
                    alias ? GangLabels.ALIAS_MIN_AVAILABLE : GangLabels.MIN_AVAILABLE, name, min,
                    random.nextInt(3) == 0 ? "driver" : "executor");
        }, input -> {
            PodFixture pod = pod("p").namespace("ns").label(input.nameLabel(), input.name())
                    .label(GangLabels.SPARK_ROLE, input.role());
            if (input.min() != null) {
                pod.label(input.minLabel(), input.min());
            }
            GroupMembership membership = labels.membership(pod.build());

            assertThat(membership).isNotNull();
            assertThat(membership.groupId()).isEqualTo("ns/" + input.name());
            if (membership.isValid()) {
                assertThat(input.name()).isNotBlank();
                if (input.min() == null) {
                    assertThat(membership.minMembers()).isZero();
                } else {
                    assertThat(membership.minMembers()).isPositive()
                            .isEqualTo(Integer.parseInt(input.min().trim()));
                    assertThat(input.min().trim()).as("ASCII digits only, as a label value can hold").matches("\\+?[0-9]+");
                }
            } else {
                assertThat(membership.invalidReason()).matches("(?s)label (" + input.nameLabel() + "|" + input.minLabel()
                        + ") is .*");
            }
        });
    }

    private record Labels(String nameLabel, String minLabel, String name, String min, String role) {
    }
}
