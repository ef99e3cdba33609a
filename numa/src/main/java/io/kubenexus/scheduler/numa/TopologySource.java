package io.kubenexus.scheduler.numa;

/** Where a node's NUMA topology came from; it decides how the per-zone free amounts are reconciled. */
public enum TopologySource {
    /**
     * A NodeResourceTopology object kept current by an exporter on the node: its {@code available}
     * amounts already count the pods the kubelet has admitted, so each of our charges is dropped once
     * a report newer than the pod's start arrives.
     */
    NODE_RESOURCE_TOPOLOGY,
    /**
     * The node annotation {@code numa.scheduling.kubenexus.io/topology}, written once by an admin or
     * a provisioning tool: static, so every pod on the node stays charged by us for as long as it
     * runs, and the annotation's {@code available} amounts are not used.
     */
    NODE_ANNOTATION
}
