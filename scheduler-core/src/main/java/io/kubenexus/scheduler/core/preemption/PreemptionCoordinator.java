package io.kubenexus.scheduler.core.preemption;

import io.kubenexus.scheduler.core.config.PreemptionSettings;
import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.framework.LoopHandle;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.ports.Evictor;
import io.kubenexus.scheduler.core.ports.Evictor.EvictionOutcome;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Acts on the {@link PreemptionEngine}'s plans: evicts the victims through the {@link Evictor},
 * nominates the preemptors (in the API and, for single pods, by holding the room in
 * {@link NominatedPods}), and reports it all in events and metrics. Both entry points go through
 * here: {@link DefaultPreemption} for a single pod that fits nowhere, and
 * {@link LoopHandle#preemptFor} for a gang's members (whose room their plugin holds).
 *
 * <p>Loop thread only, except the evictor's answers, which are posted back to it.
 */
public final class PreemptionCoordinator {
    private static final Logger LOG = System.getLogger(PreemptionCoordinator.class.getName());

    private final PreemptionEngine engine;
    private final VictimGroups groups;
    private final NominatedPods nominated;
    private LoopHandle loop;
    private Evictor evictor;
    private PreemptionSettings settings = PreemptionSettings.disabled();

    public PreemptionCoordinator(PreemptionEngine engine, VictimGroups groups, NominatedPods nominated) {
        this.engine = engine;
        this.groups = groups;
        this.nominated = nominated;
    }

    /** Called once by the loop's constructor. */
    public void attach(LoopHandle handle) {
        this.loop = handle;
    }

    /** Turns preemption on with {@code evictor} (or off, per {@code settings}); before the loop starts. */
    public void configure(Evictor evictor, PreemptionSettings settings) {
        this.evictor = Objects.requireNonNull(evictor, "evictor");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public boolean enabled() {
        return evictor != null && settings.enabled();
    }

    public PreemptionSettings settings() {
        return settings;
    }

    public NominatedPods nominated() {
        return nominated;
    }

    public PreemptionEngine engine() {
        return engine;
    }

    /**
     * Plans room for {@code preemptors} and acts on the plan: evictions, nominations, events,
     * metrics. With {@code holdRoom} the nominated room is kept for them (single pods); a group's
     * plugin holds its own.
     */
    public PreemptionOutcome preempt(List<PodInfo> preemptors, String why, boolean holdRoom) {
        if (!enabled()) {
            return new PreemptionOutcome.Refused("preemption is disabled", true);
        }
        PreemptionOutcome outcome = engine.plan(preemptors, loop.state());
        if (outcome instanceof PreemptionOutcome.Planned planned) {
            loop.metrics().preemptionAttempt("nominated");
            act(preemptors, planned.plan(), why, holdRoom);
        } else if (outcome instanceof PreemptionOutcome.Waiting) {
            loop.metrics().preemptionAttempt("waiting");
        } else {
            loop.metrics().preemptionAttempt(((PreemptionOutcome.Refused) outcome).notEligible() ? "not_eligible" : "no_victims");
        }
        return outcome;
    }

    /** {@link LoopHandle#preemptFor}: the plan when one was acted on. */
    public Optional<PreemptionPlan> preemptFor(List<PodInfo> preemptors, String why) {
        PreemptionOutcome outcome = preempt(preemptors, why, false);
        return outcome instanceof PreemptionOutcome.Planned planned ? Optional.of(planned.plan()) : Optional.empty();
    }

    private void act(List<PodInfo> preemptors, PreemptionPlan plan, String why, boolean holdRoom) {
        Map<String, PodInfo> preemptorByNode = new LinkedHashMap<>();
        for (PodInfo preemptor : preemptors) {
            preemptorByNode.putIfAbsent(plan.nominatedNodes().get(preemptor.key()), preemptor);
        }
        Map<PodInfo, List<PodInfo>> victimsByPreemptor = new LinkedHashMap<>();
        for (PodInfo victim : plan.victims()) {
            // A gang member elsewhere goes for the preemptor whose node needed its gang.
            PodInfo preemptor = preemptorByNode.getOrDefault(victim.nodeName(), preemptors.get(0));
            victimsByPreemptor.computeIfAbsent(preemptor, p -> new ArrayList<>()).add(victim);
        }
        countVictims(plan.victims());
        for (PodInfo preemptor : preemptors) {
            String node = plan.nominatedNodes().get(preemptor.key());
            List<PodInfo> victims = victimsByPreemptor.getOrDefault(preemptor, List.of());
            // A stand-in (a Spark executor not created yet) is no API object: nothing to tell or patch.
            if (loop.leading() && !preemptor.isStandIn()) {
                loop.events().preempting(preemptor, node, victims);
            }
            for (PodInfo victim : victims) {
                if (loop.leading()) {
                    loop.events().preempted(victim, preemptor, node);
                }
                evictor.evict(victim, preemptor, node).whenComplete((result, error) ->
                        loop.post(() -> evicted(victim, preemptor, node, result, error)));
            }
            if (holdRoom) {
                nominated.nominate(preemptor, node, loop.clock().instant().plus(settings.nominationTimeout()));
                // kube-scheduler: lower-priority pods nominated to that node lose their nomination.
                for (NominatedPods.Nomination displaced : nominated.releaseLowerOn(node, preemptor.priority(), preemptor.key())) {
                    evictor.nominate(displaced.pod(), null);
                }
                loop.metrics().nominatedPods(nominated.size());
            }
            if (!preemptor.isStandIn()) {
                evictor.nominate(preemptor, node);
            }
        }
        LOG.log(Level.INFO, "preempting {0} pod(s) for {1} ({2}); nominated {3}", plan.victims().size(),
                preemptors.get(0).key() + (preemptors.size() > 1 ? " and " + (preemptors.size() - 1) + " more" : ""),
                why, plan.nominatedNodes());
    }

    /**
     * Releases the nominations whose time is up: the preemptor never came back to take its room (or
     * could not), so others may use it; its nominatedNodeName is cleared in the API.
     */
    public void expireNominations(java.time.Instant now) {
        List<NominatedPods.Nomination> expired = nominated.releaseExpired(now);
        if (expired.isEmpty()) {
            return;
        }
        for (NominatedPods.Nomination nomination : expired) {
            LOG.log(Level.INFO, "nomination of {0} to {1} expired; the room is released pod={0}",
                    nomination.pod().key(), nomination.nodeName());
            if (loop.leading() && evictor != null) {
                evictor.nominate(nomination.pod(), null);
            }
        }
        loop.metrics().nominatedPods(nominated.size());
        loop.onClusterEvent(ClusterEventType.ASSIGNED_POD_REMOVED);
    }

    /** Victims by kind: a pod on its own, or one whole gang (a victim with others that go with it). */
    private void countVictims(List<PodInfo> victims) {
        Set<PodKey> counted = new HashSet<>();
        int pods = 0;
        int gangs = 0;
        for (PodInfo victim : victims) {
            if (!counted.add(victim.key())) {
                continue;
            }
            boolean gang = false;
            for (PodInfo other : groups.mustGoWith(victim)) {
                gang = true;
                counted.add(other.key());
            }
            if (gang) {
                gangs++;
            } else {
                pods++;
            }
        }
        if (pods > 0) {
            loop.metrics().preemptionVictims("pod", pods);
        }
        if (gangs > 0) {
            loop.metrics().preemptionVictims("gang", gangs);
        }
    }

    private void evicted(PodInfo victim, PodInfo preemptor, String node, Evictor.EvictionResult result, Throwable error) {
        EvictionOutcome outcome = error != null || result == null ? EvictionOutcome.FAILED : result.outcome();
        if (outcome == EvictionOutcome.FAILED) {
            String detail = error != null ? String.valueOf(error) : result == null ? "no result" : result.detail();
            LOG.log(Level.WARNING, "evicting {0} for {1} on {2} failed: {3} pod={0}", victim.key(), preemptor.key(),
                    node, detail);
            if (loop.leading()) {
                loop.events().warning(preemptor, "PreemptionFailed", "evicting " + victim.key() + " on node " + node
                        + " failed: " + detail);
            }
        } else if (outcome == EvictionOutcome.GONE) {
            // Already gone: its room is free (the informer tells the loop).
            loop.onClusterEvent(ClusterEventType.ASSIGNED_POD_REMOVED);
        }
    }
}
