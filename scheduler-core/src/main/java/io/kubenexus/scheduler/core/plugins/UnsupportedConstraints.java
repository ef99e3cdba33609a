package io.kubenexus.scheduler.core.plugins;

import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.framework.PreFilterPlugin;
import io.kubenexus.scheduler.core.framework.Status;
import io.kubenexus.scheduler.core.state.ClusterSnapshot;
import java.util.List;

/**
 * Refuses pods that use a constraint this scheduler does not evaluate yet (PersistentVolumeClaims,
 * resource claims; the translator names them): placing them while ignoring the constraint would
 * break the user's intent, and no cluster change can help, so the verdict is unresolvable. Inter-pod
 * affinity and topology spread are evaluated by {@link InterPodAffinity} and {@link PodTopologySpread}.
 *
 * <p>Stateless; called only from the scheduling loop thread.
 */
public final class UnsupportedConstraints implements PreFilterPlugin {
    public static final String NAME = "UnsupportedConstraints";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(PodContext pod, ClusterSnapshot snapshot) {
        List<String> unsupported = pod.pod().unsupportedConstraints();
        if (unsupported.isEmpty()) {
            return Status.SUCCESS;
        }
        return Status.unresolvable(NAME, "pod uses " + String.join(", ", unsupported)
                + " which kubenexus-scheduler does not evaluate yet");
    }
}
