package io.kubenexus.scheduler.core.state;

import io.kubenexus.scheduler.core.model.NodeInfo;

/**
 * An immutable copy of one node's accounting, taken when the node last changed before a publish.
 * Arrays are indexed by resource column and must not be modified.
 *
 * @param generation the node's change counter when this view was taken
 * @param podCount   pods accounted on the node, assumed ones included
 * @param reserved   the part of {@code requested} held by reservation stand-ins (executor places held
 *                   for drivers); {@link #NONE_RESERVED} on nodes that hold none
 */
public record NodeView(int index, NodeInfo node, long generation, long[] allocatable, long[] requested, int podCount,
                       long[] reserved) {

    /** Shared by every node without reservations. */
    public static final long[] NONE_RESERVED = new long[0];

    public long allocatable(int column) {
        return column < allocatable.length ? allocatable[column] : 0;
    }

    public long requested(int column) {
        return column < requested.length ? requested[column] : 0;
    }

    /** Capacity of the column held by reservation stand-ins on this node (included in {@link #requested(int)}). */
    public long reserved(int column) {
        return column < reserved.length ? reserved[column] : 0;
    }
}
