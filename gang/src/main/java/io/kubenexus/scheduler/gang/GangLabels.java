package io.kubenexus.scheduler.gang;

import io.kubenexus.scheduler.gang.group.GroupMembership;
import io.kubenexus.scheduler.gang.group.GroupRole;
import io.kubenexus.scheduler.gang.group.PodGroups;
import io.kubenexus.scheduler.core.model.PodInfo;
import java.util.List;

/**
 * Reads a pod's gang from what it carries, in this order:
 * <ol>
 *   <li>{@code pod-group.scheduling.kubenexus.io/name} and {@code .../min-available};</li>
 *   <li>the same pair under {@code pod-group.scheduling.sigs.k8s.io/} (Koordinator, older
 *       scheduler-plugins);</li>
 *   <li>{@code scheduling.x-k8s.io/pod-group: <PodGroup>} (scheduler-plugins' PodGroup, which
 *       spark-operator creates); the size comes from the PodGroup object;</li>
 *   <li>{@code spec.schedulingGroup.podGroupName} (Kubernetes' own PodGroup, 1.35+); likewise.</li>
 * </ol>
 * Spark pods ({@code spark-role: driver|executor}) get the DRIVER or EXECUTOR role, and the
 * application that sizes their executors: {@code sparkoperator.k8s.io/app-name}, else
 * {@code spark-app-selector}. A Spark driver with no group label forms no group.
 *
 * <p>Bad input, as documented in docs/gang-scheduling.md: a min-available that is not a positive
 * whole number, or an empty group name, makes the pod invalid (reported, not scheduled); a member
 * without min-available takes the group's value from its siblings or its PodGroup object.
 */
public final class GangLabels implements PodGroups {
    public static final String NAME = "pod-group.scheduling.kubenexus.io/name";
    public static final String MIN_AVAILABLE = "pod-group.scheduling.kubenexus.io/min-available";
    public static final String ALIAS_NAME = "pod-group.scheduling.sigs.k8s.io/name";
    public static final String ALIAS_MIN_AVAILABLE = "pod-group.scheduling.sigs.k8s.io/min-available";
    /** scheduler-plugins' (coscheduling) label naming a PodGroup object. */
    public static final String POD_GROUP = "scheduling.x-k8s.io/pod-group";
    public static final String SPARK_ROLE = "spark-role";
    public static final String SPARK_APP_SELECTOR = "spark-app-selector";
    public static final String OPERATOR_APP_NAME = "sparkoperator.k8s.io/app-name";
    /** Spark's executor id label: 1 for the first executor a driver creates, and up. */
    public static final String SPARK_EXEC_ID = "spark-exec-id";

    private static final List<String[]> LABEL_PAIRS = List.of(
            new String[] {NAME, MIN_AVAILABLE},
            new String[] {ALIAS_NAME, ALIAS_MIN_AVAILABLE});

    @Override
    public GroupMembership membership(PodInfo pod) {
        GroupRole role = role(pod);
        String appName = role == GroupRole.MEMBER ? null : appName(pod);
        for (String[] pair : LABEL_PAIRS) {
            String name = pod.labels().get(pair[0]);
            if (name != null) {
                return fromLabels(pod, name, pair, role, appName);
            }
        }
        String podGroup = pod.labels().get(POD_GROUP);
        if (podGroup == null) {
            podGroup = pod.schedulingGroup();
        }
        if (podGroup != null) {
            String groupId = pod.key().namespace() + "/" + podGroup;
            String field = pod.labels().containsKey(POD_GROUP) ? "label " + POD_GROUP : "spec.schedulingGroup.podGroupName";
            return podGroup.isBlank() ? GroupMembership.invalid(groupId, field + " is empty")
                    : GroupMembership.ofPodGroup(groupId, role, appName);
        }
        return null;
    }

    @Override
    public boolean sizedByApplication(PodInfo pod) {
        return pod.labels().containsKey(OPERATOR_APP_NAME);
    }

    @Override
    public int executorOrdinal(PodInfo pod) {
        String id = pod.labels().get(SPARK_EXEC_ID);
        if (id == null || id.isEmpty() || id.length() > 9) {
            return 0;
        }
        for (int i = 0; i < id.length(); i++) {
            if (id.charAt(i) < '0' || id.charAt(i) > '9') {
                return 0; // not Spark's numbering: the count of executors seen is used instead
            }
        }
        return Integer.parseInt(id);
    }

    private static GroupMembership fromLabels(PodInfo pod, String name, String[] pair, GroupRole role, String appName) {
        String groupId = pod.key().namespace() + "/" + name;
        if (name.isBlank()) {
            return GroupMembership.invalid(groupId, "label " + pair[0] + " is empty: it must name the pod group");
        }
        String minAvailable = pod.labels().get(pair[1]);
        if (minAvailable == null) {
            return GroupMembership.of(groupId, 0, role, appName);
        }
        int min;
        try {
            min = Integer.parseInt(minAvailable.trim());
        } catch (NumberFormatException e) {
            min = -1;
        }
        if (min < 1) {
            return GroupMembership.invalid(groupId, "label " + pair[1] + " is \"" + minAvailable
                    + "\": it must be a positive whole number (the members to place together)");
        }
        return GroupMembership.of(groupId, min, role, appName);
    }

    private static GroupRole role(PodInfo pod) {
        String sparkRole = pod.labels().get(SPARK_ROLE);
        if ("driver".equals(sparkRole)) {
            return GroupRole.DRIVER;
        }
        return "executor".equals(sparkRole) ? GroupRole.EXECUTOR : GroupRole.MEMBER;
    }

    private static String appName(PodInfo pod) {
        String operatorName = pod.labels().get(OPERATOR_APP_NAME);
        return operatorName != null ? operatorName : pod.labels().get(SPARK_APP_SELECTOR);
    }
}
