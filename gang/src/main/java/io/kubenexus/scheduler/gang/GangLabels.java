package io.kubenexus.scheduler.gang;

import io.kubenexus.scheduler.core.framework.GroupMembership;
import io.kubenexus.scheduler.core.framework.PodGroups;
import io.kubenexus.scheduler.core.model.PodInfo;
import java.util.List;

/**
 * Reads a pod's gang from its labels: {@code pod-group.scheduling.kubenexus.io/name} and
 * {@code .../min-available}, or the same pair under {@code pod-group.scheduling.sigs.k8s.io/}
 * (Koordinator and older scheduler-plugins). Our own prefix wins when a pod carries both.
 *
 * <p>Handling of bad input, as documented in docs/gang-scheduling.md:
 * <ul>
 *   <li>a min-available that is not a positive integer makes the pod invalid (reported, not scheduled);</li>
 *   <li>a member without min-available takes the group's value from its siblings;</li>
 *   <li>Spark pods ({@code spark-role} label) are scheduled one by one for now: their driver creates
 *       the executors only after it runs, so waiting for all members would never end. Executor
 *       reservations will make Spark gangs all-or-nothing.</li>
 * </ul>
 */
public final class GangLabels implements PodGroups {
    public static final String NAME = "pod-group.scheduling.kubenexus.io/name";
    public static final String MIN_AVAILABLE = "pod-group.scheduling.kubenexus.io/min-available";
    public static final String ALIAS_NAME = "pod-group.scheduling.sigs.k8s.io/name";
    public static final String ALIAS_MIN_AVAILABLE = "pod-group.scheduling.sigs.k8s.io/min-available";
    public static final String SPARK_ROLE = "spark-role";

    private static final List<String[]> SOURCES = List.of(
            new String[] {NAME, MIN_AVAILABLE},
            new String[] {ALIAS_NAME, ALIAS_MIN_AVAILABLE});

    @Override
    public GroupMembership membership(PodInfo pod) {
        if (pod.labels().containsKey(SPARK_ROLE)) {
            return null;
        }
        for (String[] source : SOURCES) {
            String name = pod.labels().get(source[0]);
            if (name == null) {
                continue;
            }
            String groupId = pod.key().namespace() + "/" + name;
            if (name.isBlank()) {
                return GroupMembership.invalid(groupId, "label " + source[0] + " is empty: it must name the pod group");
            }
            String minAvailable = pod.labels().get(source[1]);
            if (minAvailable == null) {
                return GroupMembership.of(groupId, 0);
            }
            int min;
            try {
                min = Integer.parseInt(minAvailable.trim());
            } catch (NumberFormatException e) {
                min = -1;
            }
            if (min < 1) {
                return GroupMembership.invalid(groupId, "label " + source[1] + " is \"" + minAvailable
                        + "\": it must be a positive whole number (the members to place together)");
            }
            return GroupMembership.of(groupId, min);
        }
        return null;
    }
}
