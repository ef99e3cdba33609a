package io.kubenexus.scheduler.core.testing;

import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.framework.FilterDiagnosis;
import io.kubenexus.scheduler.core.framework.FilterPlugin;
import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.state.ClusterSnapshot;
import java.util.BitSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A filter with a bug: it throws for the pods a test names, as a broken plugin would. */
public final class PoisonFilter implements FilterPlugin {
    private final Set<String> poisoned = ConcurrentHashMap.newKeySet();
    private int thrown;

    /** The filter throws for every pod whose name contains {@code fragment}. */
    public PoisonFilter poison(String fragment) {
        poisoned.add(fragment);
        return this;
    }

    public PoisonFilter cure() {
        poisoned.clear();
        return this;
    }

    public int thrown() {
        return thrown;
    }

    @Override
    public String name() {
        return "Poison";
    }

    @Override
    public void filter(PodContext pod, ClusterSnapshot snapshot, BitSet candidates, FilterDiagnosis diagnosis) {
        for (String fragment : poisoned) {
            if (pod.pod().key().name().contains(fragment)) {
                thrown++;
                throw new IllegalStateException("plugin bug for " + pod.pod().key());
            }
        }
    }

    @Override
    public boolean judgesEachNodeAlone() {
        return true;
    }

    @Override
    public Set<ClusterEventType> eventsThatMayHelp() {
        return Set.of();
    }
}
