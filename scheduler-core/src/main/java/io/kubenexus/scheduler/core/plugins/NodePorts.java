package io.kubenexus.scheduler.core.plugins;

import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.framework.FilterDiagnosis;
import io.kubenexus.scheduler.core.framework.FilterPlugin;
import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.model.HostPort;
import io.kubenexus.scheduler.core.state.ClusterSnapshot;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * kube-scheduler's NodePorts: a node where a pod already uses one of the pod's host ports (same
 * protocol and port, overlapping IP, 0.0.0.0 overlapping every IP) is rejected. Ports the pod
 * repeats among its own containers are not checked against each other, as in kube-scheduler.
 *
 * <p>Stateless; called only from the scheduling loop thread.
 */
public final class NodePorts implements FilterPlugin {
    public static final String NAME = "NodePorts";
    public static final String REASON = "node(s) didn't have free ports for the requested pod ports";

    private static final Set<ClusterEventType> EVENTS = Set.copyOf(
            EnumSet.of(ClusterEventType.ASSIGNED_POD_REMOVED, ClusterEventType.NODE_ADDED));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void filter(PodContext pod, ClusterSnapshot snapshot, BitSet candidates, FilterDiagnosis diagnosis) {
        List<HostPort> ports = pod.pod().hostPorts();
        if (ports.isEmpty()) {
            return;
        }
        int rejected = 0;
        for (int n = candidates.nextSetBit(0); n >= 0; n = candidates.nextSetBit(n + 1)) {
            if (conflicts(snapshot, n, ports)) {
                candidates.clear(n);
                rejected++;
            }
        }
        diagnosis.rejectCount(this, REASON, rejected);
    }

    private static boolean conflicts(ClusterSnapshot snapshot, int node, List<HostPort> ports) {
        for (int i = 0, size = ports.size(); i < size; i++) {
            HostPort port = ports.get(i);
            // Port 0 means "no host port" and never conflicts (kube-scheduler's HostPortInfo).
            if (port.port() > 0 && snapshot.hostPortConflict(node, port)) {
                return true;
            }
        }
        return false;
    }

    /** A conflicting host port is freed by evicting the pod that holds it. */
    @Override
    public boolean evictionMayResolve(String reason) {
        return true;
    }

    @Override
    public boolean judgesEachNodeAlone() {
        return true;
    }

    @Override
    public Set<ClusterEventType> eventsThatMayHelp() {
        return EVENTS;
    }
}
