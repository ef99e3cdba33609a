package io.kubenexus.scheduler.kube.topology;

/**
 * Tells the cluster's users about malformed topology data, e.g. as a Warning Event on the Node
 * ({@link NodeTopologyEvents}). Called once per node and distinct problem, under the sources' lock:
 * implementations must not block and must not throw.
 */
public interface InvalidTopologyReporter {
    InvalidTopologyReporter NONE = (nodeName, nodeUid, message) -> { };

    /**
     * @param nodeUid the Node's uid when the Node has been seen, else null
     * @param message names the node, the source (NodeResourceTopology or annotation) and the field
     */
    void invalidTopology(String nodeName, String nodeUid, String message);
}
