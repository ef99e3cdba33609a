package io.kubenexus.scheduler.core.state;

import io.kubenexus.scheduler.core.model.NodeInfo;

/**
 * An immutable copy of one node's accounting, taken when the node last changed before a publish.
 * Arrays are indexed by resource column and must not be modified.
 *
 * @param generation the node's change counter when this view was taken
 * @param podCount   pods accounted on the node, assumed ones included
 */
public record NodeView(int index, NodeInfo node, long generation, long[] allocatable, long[] requested, int podCount) {

    public long allocatable(int column) {
        return column < allocatable.length ? allocatable[column] : 0;
    }

    public long requested(int column) {
        return column < requested.length ? requested[column] : 0;
    }
}
