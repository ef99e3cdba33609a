package io.kubenexus.scheduler.core.plugins;

import io.kubenexus.scheduler.core.model.Taint;
import io.kubenexus.scheduler.core.model.Toleration;
import java.util.List;

/** Whether a pod's tolerations cover a taint; an indexed loop so the hot path allocates no iterator. */
final class Tolerations {
    private Tolerations() {
    }

    static boolean tolerate(List<Toleration> tolerations, Taint taint) {
        for (int i = 0, n = tolerations.size(); i < n; i++) {
            if (tolerations.get(i).tolerates(taint)) {
                return true;
            }
        }
        return false;
    }
}
