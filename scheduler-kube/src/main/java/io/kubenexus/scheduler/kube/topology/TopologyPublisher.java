package io.kubenexus.scheduler.kube.topology;

/**
 * Where {@link NodeTopologySources} sends each node's effective topology: the scheduling loop in
 * production ({@link TopologyInformers}), a recorder in tests. Called only on a change, under the
 * sources' lock: implementations must not block.
 */
interface TopologyPublisher {
    /** The node's topology is now {@code topology}. */
    void publish(String nodeName, PublishedTopology topology);

    /** The node's topology is unknown from now on. */
    void clear(String nodeName);
}
