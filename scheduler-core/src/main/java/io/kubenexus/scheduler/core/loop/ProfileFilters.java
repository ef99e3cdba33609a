package io.kubenexus.scheduler.core.loop;

import io.kubenexus.scheduler.core.framework.FilterDiagnosis;
import io.kubenexus.scheduler.core.framework.FilterPlugin;
import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.framework.PreFilterPlugin;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.preemption.PreemptionFilters;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.util.BitSet;

/**
 * A profile's pre-filters and filters as preemption asks them: the pre-filters on their own (once per
 * question), feasibility in bulk exactly as a decision filters, and resolvability per rejected node
 * as the extender's filter reports it ({@link NodeVerdicts}). Uses the profile's plugins, so only on
 * the loop thread that owns them.
 */
public final class ProfileFilters implements PreemptionFilters {
    private final SchedulingProfile profile;
    private final NodeVerdicts verdicts;
    private final FilterDiagnosis diagnosis = new FilterDiagnosis();

    public ProfileFilters(SchedulingProfile profile) {
        this(profile, new NodeVerdicts(profile));
    }

    ProfileFilters(SchedulingProfile profile, NodeVerdicts verdicts) {
        this.profile = profile;
        this.verdicts = verdicts;
    }

    @Override
    public boolean passesPreFilters(PodInfo pod, ClusterState state) {
        PodContext context = state.podContext(pod);
        for (PreFilterPlugin preFilter : profile.preFilters()) {
            if (!preFilter.preFilter(context, state).isSuccess()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public BitSet feasible(PodInfo pod, ClusterState state, BitSet candidates) {
        PodContext context = state.podContext(pod);
        BitSet feasible = (BitSet) candidates.clone();
        feasible.and(state.liveNodes());
        diagnosis.reset();
        for (FilterPlugin filter : profile.filters()) {
            if (feasible.isEmpty()) {
                break;
            }
            filter.filter(context, state, feasible, diagnosis);
        }
        return feasible;
    }

    @Override
    public BitSet resolvableByEviction(PodInfo pod, ClusterState state) {
        NodeVerdicts.Outcome outcome = verdicts.judgeFilters(state.podContext(pod), state, state.liveNodes());
        BitSet resolvable = new BitSet();
        NodeVerdicts.Verdict[] byNode = outcome.byNode();
        for (int node = 0; node < byNode.length; node++) {
            if (byNode[node] != null && byNode[node].resolvable()) {
                resolvable.set(node);
            }
        }
        return resolvable;
    }
}
