package io.kubenexus.scheduler.core.model;

/**
 * A host port a container asks for. {@code hostIp} is "0.0.0.0" when unset; protocol is the API
 * spelling (TCP, UDP, SCTP).
 */
public record HostPort(String hostIp, String protocol, int port) {
    public static final String ANY_IP = "0.0.0.0";

    public HostPort {
        hostIp = hostIp == null || hostIp.isEmpty() ? ANY_IP : hostIp;
        protocol = protocol == null || protocol.isEmpty() ? "TCP" : protocol;
    }

    /** kube-scheduler's NodePorts rule: same protocol and port, and the IPs overlap (0.0.0.0 overlaps all). */
    public boolean conflictsWith(HostPort other) {
        return port == other.port
                && protocol.equals(other.protocol)
                && (hostIp.equals(other.hostIp) || ANY_IP.equals(hostIp) || ANY_IP.equals(other.hostIp));
    }
}
