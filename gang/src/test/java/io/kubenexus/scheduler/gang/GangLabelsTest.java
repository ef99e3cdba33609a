package io.kubenexus.scheduler.gang;

import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static io.kubenexus.scheduler.gang.GangLabels.ALIAS_MIN_AVAILABLE;
import static io.kubenexus.scheduler.gang.GangLabels.ALIAS_NAME;
import static io.kubenexus.scheduler.gang.GangLabels.MIN_AVAILABLE;
import static io.kubenexus.scheduler.gang.GangLabels.NAME;
import static io.kubenexus.scheduler.gang.GangLabels.OPERATOR_APP_NAME;
import static io.kubenexus.scheduler.gang.GangLabels.POD_GROUP;
import static io.kubenexus.scheduler.gang.GangLabels.SPARK_APP_SELECTOR;
import static io.kubenexus.scheduler.gang.GangLabels.SPARK_ROLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.gang.group.GroupMembership;
import io.kubenexus.scheduler.gang.group.GroupRole;
import io.kubenexus.scheduler.core.testing.PodFixture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GangLabelsTest {
    private static final String POSITIVE = ": it must be a positive whole number (the members to place together)";

    private final GangLabels labels = new GangLabels();

    private static Arguments reads(String name, PodFixture pod, GroupMembership expected) {
        return Arguments.of(name, pod, expected);
    }

    /** The reason a bad min-available gets: it names the label and quotes the value as written. */
    private static String badMin(String label, String value) {
        return "label " + label + " is \"" + value + "\"" + POSITIVE;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                reads("no labels: scheduled on its own", pod("p"), null),
                reads("unrelated labels: scheduled on its own", pod("p").label("app", "web"), null),
                reads("kubenexus name and min-available",
                        pod("p").label(NAME, "job").label(MIN_AVAILABLE, "4"),
                        GroupMembership.of("default/job", 4)),
                reads("alias name and min-available (pod-group.scheduling.sigs.k8s.io)",
                        pod("p").label(ALIAS_NAME, "job").label(ALIAS_MIN_AVAILABLE, "4"),
                        GroupMembership.of("default/job", 4)),
                reads("both prefixes: kubenexus wins",
                        pod("p").label(NAME, "ours").label(MIN_AVAILABLE, "3")
                                .label(ALIAS_NAME, "theirs").label(ALIAS_MIN_AVAILABLE, "7"),
                        GroupMembership.of("default/ours", 3)),
                reads("both prefixes: a bad alias min-available does not matter",
                        pod("p").label(NAME, "ours").label(MIN_AVAILABLE, "3")
                                .label(ALIAS_NAME, "theirs").label(ALIAS_MIN_AVAILABLE, "abc"),
                        GroupMembership.of("default/ours", 3)),
                reads("name without min-available: valid, takes the size from its siblings",
                        pod("p").label(NAME, "job"), GroupMembership.of("default/job", 0)),
                reads("alias name without min-available: valid",
                        pod("p").label(ALIAS_NAME, "job"), GroupMembership.of("default/job", 0)),
                reads("min-available 1 is the smallest valid size",
                        pod("p").label(NAME, "job").label(MIN_AVAILABLE, "1"), GroupMembership.of("default/job", 1)),
                reads("min-available without a name: scheduled on its own",
                        pod("p").label(MIN_AVAILABLE, "4"), null),
                reads("min-available \"abc\": invalid",
                        pod("p").label(NAME, "job").label(MIN_AVAILABLE, "abc"),
                        GroupMembership.invalid("default/job", badMin(MIN_AVAILABLE, "abc"))),
                reads("min-available \"0\": invalid",
                        pod("p").label(NAME, "job").label(MIN_AVAILABLE, "0"),
                        GroupMembership.invalid("default/job", badMin(MIN_AVAILABLE, "0"))),
                reads("min-available \"-3\": invalid",
                        pod("p").label(NAME, "job").label(MIN_AVAILABLE, "-3"),
                        GroupMembership.invalid("default/job", badMin(MIN_AVAILABLE, "-3"))),
                reads("min-available \"2.5\": invalid",
                        pod("p").label(NAME, "job").label(MIN_AVAILABLE, "2.5"),
                        GroupMembership.invalid("default/job", badMin(MIN_AVAILABLE, "2.5"))),
                reads("min-available \"\": invalid",
                        pod("p").label(NAME, "job").label(MIN_AVAILABLE, ""),
                        GroupMembership.invalid("default/job", badMin(MIN_AVAILABLE, ""))),
                reads("min-available beyond int range: invalid",
                        pod("p").label(NAME, "job").label(MIN_AVAILABLE, "99999999999"),
                        GroupMembership.invalid("default/job", badMin(MIN_AVAILABLE, "99999999999"))),
                reads("bad alias min-available names the alias label",
                        pod("p").label(ALIAS_NAME, "job").label(ALIAS_MIN_AVAILABLE, "many"),
                        GroupMembership.invalid("default/job", badMin(ALIAS_MIN_AVAILABLE, "many"))),
                reads("empty name: invalid",
                        pod("p").label(NAME, "").label(MIN_AVAILABLE, "4"),
                        GroupMembership.invalid("default/",
                                "label " + NAME + " is empty: it must name the pod group")),
                reads("empty alias name: invalid, naming the alias label",
                        pod("p").label(ALIAS_NAME, "").label(ALIAS_MIN_AVAILABLE, "4"),
                        GroupMembership.invalid("default/",
                                "label " + ALIAS_NAME + " is empty: it must name the pod group")),
                reads("scheduler-plugins PodGroup label: size comes from the PodGroup object",
                        pod("p").label(POD_GROUP, "pg"), GroupMembership.ofPodGroup("default/pg", GroupRole.MEMBER, null)),
                reads("empty PodGroup label: invalid",
                        pod("p").label(POD_GROUP, ""),
                        GroupMembership.invalid("default/", "label " + POD_GROUP + " is empty")),
                reads("native spec.schedulingGroup: size comes from the PodGroup object",
                        pod("p").schedulingGroup("pg"), GroupMembership.ofPodGroup("default/pg", GroupRole.MEMBER, null)),
                reads("group labels win over the PodGroup label",
                        pod("p").label(ALIAS_NAME, "job").label(ALIAS_MIN_AVAILABLE, "2").label(POD_GROUP, "pg"),
                        GroupMembership.of("default/job", 2)),
                reads("the PodGroup label wins over spec.schedulingGroup",
                        pod("p").label(POD_GROUP, "from-label").schedulingGroup("from-spec"),
                        GroupMembership.ofPodGroup("default/from-label", GroupRole.MEMBER, null)),
                reads("spark driver: DRIVER of the operator's application",
                        pod("p").label(SPARK_ROLE, "driver").label(OPERATOR_APP_NAME, "pi")
                                .label(SPARK_APP_SELECTOR, "spark-123").label(NAME, "job").label(MIN_AVAILABLE, "4"),
                        GroupMembership.of("default/job", 4, GroupRole.DRIVER, "pi")),
                reads("spark executor: EXECUTOR, application from spark-app-selector without the operator",
                        pod("p").label(SPARK_ROLE, "executor").label(SPARK_APP_SELECTOR, "spark-123")
                                .label(ALIAS_NAME, "job").label(ALIAS_MIN_AVAILABLE, "4"),
                        GroupMembership.of("default/job", 4, GroupRole.EXECUTOR, "spark-123")),
                reads("spark executor in a PodGroup (spark-operator)",
                        pod("p").label(SPARK_ROLE, "executor").label(OPERATOR_APP_NAME, "pi").label(POD_GROUP, "pi-pg"),
                        GroupMembership.ofPodGroup("default/pi-pg", GroupRole.EXECUTOR, "pi")),
                reads("spark driver without a group label forms no group",
                        pod("p").label(SPARK_ROLE, "driver").label(OPERATOR_APP_NAME, "pi"), null),
                reads("unknown spark-role: an ordinary member without an application",
                        pod("p").label(SPARK_ROLE, "shuffle").label(OPERATOR_APP_NAME, "pi").label(NAME, "job"),
                        GroupMembership.of("default/job", 0)),
                reads("spark executor with a bad min-available: invalid",
                        pod("p").label(SPARK_ROLE, "executor").label(NAME, "job").label(MIN_AVAILABLE, "abc"),
                        GroupMembership.invalid("default/job", badMin(MIN_AVAILABLE, "abc"))),
                reads("the namespace is part of the group id",
                        pod("p").namespace("team-a").label(NAME, "job").label(MIN_AVAILABLE, "2"),
                        GroupMembership.of("team-a/job", 2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void readsTheGroupFromLabels(String name, PodFixture pod, GroupMembership expected) {
        GroupMembership membership = labels.membership(pod.build());

        assertThat(membership).isEqualTo(expected);
        if (expected != null) {
            assertThat(membership.isValid()).isEqualTo(expected.invalidReason() == null);
        }
    }

    @Test
    void theSameNameInTwoNamespacesIsTwoGroups() {
        GroupMembership inA = labels.membership(
                pod("p").namespace("team-a").label(NAME, "job").label(MIN_AVAILABLE, "2").build());
        GroupMembership inB = labels.membership(
                pod("p").namespace("team-b").label(NAME, "job").label(MIN_AVAILABLE, "2").build());

        assertThat(inA.groupId()).isEqualTo("team-a/job");
        assertThat(inB.groupId()).isEqualTo("team-b/job");
        assertThat(inA.groupId()).isNotEqualTo(inB.groupId());
    }

    @Test
    void membersOfOneGroupShareTheGroupIdWhicheverPrefixTheyUse() {
        GroupMembership ours = labels.membership(pod("a").label(NAME, "job").label(MIN_AVAILABLE, "2").build());
        GroupMembership alias = labels.membership(pod("b").label(ALIAS_NAME, "job").build());

        assertThat(ours.groupId()).isEqualTo(alias.groupId());
    }
}
