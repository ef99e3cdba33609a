package io.kubenexus.scheduler.core.state;

import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;

/**
 * Per-node data kept beside the {@link ClusterState} arrays by a module the core does not know
 * (NUMA zones, for one), kept in step with the state's own accounting: the state tells it about
 * every node and every pod charge as it happens, so the extension never needs its own cache or a
 * second pass. Plugins find it with {@link ClusterSnapshot#extension}.
 *
 * <p>Called on the scheduling loop thread only, inside the state's own mutation, so a callback must
 * not call back into the state's mutators.
 */
public interface StateExtension {

    /**
     * A node was added ({@code old} null), replaced, or removed ({@code current} null) at
     * {@code index}. A removed node's pods are not uncharged one by one: they are off the node with
     * it (and charged again with {@link #podCharged} if the node comes back).
     */
    default void nodeChanged(int index, NodeInfo old, NodeInfo current) {
    }

    /**
     * {@code pod} now holds resources on the node at {@code index}: bound (seen from the API) or
     * assumed (chosen by us, bind in flight or a reservation).
     */
    default void podCharged(int index, PodInfo pod, boolean assumed) {
    }

    /** {@code pod} no longer holds resources on the node at {@code index}. */
    default void podUncharged(int index, PodInfo pod) {
    }

    /**
     * A newer version of an accounted pod arrived that changes nothing the state charges (e.g. its
     * phase moved to Running). {@code index} is -1 while the pod's node is unknown.
     */
    default void podUpdated(int index, PodInfo previous, PodInfo current) {
    }

    /**
     * A what-if question starts: until {@link #whatIfEnded}, every charge and uncharge is a
     * hypothetical edit (a preemption victim taken off, a preemptor placed) that the question undoes
     * before it ends, newest first. An extension that chooses something for a charge (NUMA zones)
     * must give a pod put back exactly what it held, not choose again: the state around it is the
     * same, but what it chose from may not have been (a report since, an order of charges since).
     * Not nested: the state calls this once for the outermost question.
     */
    default void whatIfBegan() {
    }

    /** The what-if question started by {@link #whatIfBegan} ended; every edit it made is undone. */
    default void whatIfEnded() {
    }

    /**
     * What this extension chose for a charged pod beyond its node, for events and the debug view
     * (e.g. "NUMA zone 1, NVLink island nvl1"), or null when it chose nothing.
     */
    default String describePlacement(PodKey pod) {
        return null;
    }
}
