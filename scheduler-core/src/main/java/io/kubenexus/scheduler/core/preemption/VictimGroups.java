package io.kubenexus.scheduler.core.preemption;

import io.kubenexus.scheduler.core.model.PodInfo;
import java.util.Collection;
import java.util.List;

/**
 * What else must go with a victim, and whether a set of victims may go at all: the loop answers from
 * its {@link io.kubenexus.scheduler.core.framework.PostFilterPlugin}s (a gang plugin keeps gangs whole).
 */
public interface VictimGroups {
    /** The accounted pods that go when {@code victim} goes (its gang, the places held for it); may be empty. */
    Collection<PodInfo> mustGoWith(PodInfo victim);

    /** Whether evicting all of {@code victims} together is allowed. */
    boolean mayEvict(List<PodInfo> victims);

    /** Every pod stands alone and any set may go. */
    VictimGroups NONE = new VictimGroups() {
        @Override
        public Collection<PodInfo> mustGoWith(PodInfo victim) {
            return List.of();
        }

        @Override
        public boolean mayEvict(List<PodInfo> victims) {
            return true;
        }
    };
}
