package io.kubenexus.scheduler.core.framework;

import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import java.util.List;

/**
 * Capacity held in the state that is not (yet) a pod: placeholders assumed where pods still to come
 * will go (kube-scheduler's Reserve/Unreserve, extended to pods that do not exist yet). The loop
 * tells the plugin when an assumption of a pod is confirmed or undone, so the plugin can move the
 * room it holds with it.
 */
public interface ReservePlugin extends LifecyclePlugin {
    /** {@code pod}'s bind succeeded (or the informer showed it bound): what it took is its own. */
    default void bound(PodInfo pod) {
    }

    /**
     * {@code pod}'s assumption was undone (its bind failed, was refused, or it turned out gone):
     * whatever came with it is given back or released.
     */
    void unreserve(PodInfo pod);

    /**
     * Whether a failed bind of {@code pod} keeps its place, to be sent again on the same node, rather
     * than being undone: members of a group placed together keep theirs so the group is never left partial.
     */
    default boolean keepsPlaceOnBindFailure(PodInfo pod) {
        return false;
    }

    /**
     * An attempt failed with an internal error after it may have assumed {@code key}: returns true
     * when the plugin keeps that assumption (a placeholder held with a pod whose bind already started);
     * else it drops its own record and the loop forgets the assumption.
     */
    boolean attemptFailed(PodKey key, boolean bindStarted);

    /** A pod of an attempt that failed with an internal error goes back to the queue: release what it took. */
    default void attemptAbandoned(PodInfo pod) {
    }

    /** Placeholders {@code pod} may use as its own (its group's places), for questions about where it fits. */
    default List<PodInfo> placeholdersUsableBy(PodInfo pod) {
        return List.of();
    }

    /** Placeholders held now, and released unused since start, for the loop's counters. */
    default int heldPlaceholders() {
        return 0;
    }

    default long expiredPlaceholders() {
        return 0;
    }
}
