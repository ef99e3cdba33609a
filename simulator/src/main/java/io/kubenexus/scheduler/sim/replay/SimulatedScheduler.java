package io.kubenexus.scheduler.sim.replay;

import io.kubenexus.scheduler.gang.lifecycle.GangPlugin;
import io.kubenexus.scheduler.core.config.PreemptionSettings;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.Binder;
import io.kubenexus.scheduler.core.ports.EventSink;
import io.kubenexus.scheduler.core.ports.Evictor;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.gang.GangLabels;
import io.kubenexus.scheduler.gang.GangPlanner;
import io.kubenexus.scheduler.numa.NumaZones;
import io.kubenexus.scheduler.sim.policy.Policy;
import java.time.Clock;

/**
 * The one place the simulator builds a scheduling loop: exactly as {@code KubeScheduler} wires it for
 * {@code run} (the policy's profile with the NUMA plugins, {@link GangLabels},
 * {@link GangPlanner#packing}, the {@link NumaZones} state extension, preemption), with the replay's
 * binder, evictor, sinks and virtual clock in place of the Kubernetes adapters. Keep it in step with
 * {@code KubeScheduler}'s constructor.
 */
public final class SimulatedScheduler {
    private SimulatedScheduler() {
    }

    public static SchedulingLoop loop(Policy policy, Binder binder, Evictor evictor, EventSink events,
                                      SchedulerMetrics metrics, Clock clock) {
        SchedulerSettings settings = policy.settings();
        SchedulingProfile.Factory profiles = policy.profiles();
        SchedulingLoop loop = GangPlugin.newLoop(settings, profiles.create(settings), new GangLabels(),
                GangPlanner.packing(settings, profiles), policy.gang(), binder, events, metrics, clock);
        loop.usePreemption(evictor, PreemptionSettings.defaults());
        if (policy.numa().enabled()) {
            loop.addStateExtension(new NumaZones(policy.numa()));
        }
        return loop;
    }
}
