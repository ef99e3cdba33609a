package io.kubenexus.scheduler.gang.lifecycle;

import io.kubenexus.scheduler.gang.group.GangSettings;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.core.framework.GroupAttemptPlugin;
import io.kubenexus.scheduler.core.framework.GroupInsightPlugin;
import io.kubenexus.scheduler.gang.group.GroupMembership;
import io.kubenexus.scheduler.gang.group.GroupPlanner;
import io.kubenexus.scheduler.gang.group.GroupPolicy;
import io.kubenexus.scheduler.gang.group.GroupRole;
import io.kubenexus.scheduler.core.framework.LoopHandle;
import io.kubenexus.scheduler.core.framework.PermitPlugin;
import io.kubenexus.scheduler.core.framework.PodEventsPlugin;
import io.kubenexus.scheduler.gang.group.PodGroups;
import io.kubenexus.scheduler.core.framework.PostFilterPlugin;
import io.kubenexus.scheduler.core.framework.PreEnqueuePlugin;
import io.kubenexus.scheduler.core.framework.ReservePlugin;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.Quantities;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.Binder;
import io.kubenexus.scheduler.core.ports.EventSink;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.query.ExtenderBindResult;
import io.kubenexus.scheduler.core.query.GangExplanation;
import io.kubenexus.scheduler.core.query.GroupSummary;
import io.kubenexus.scheduler.core.query.PodState;
import io.kubenexus.scheduler.core.queue.QueuedPod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Gang scheduling as a lifecycle plugin of the loop: pod groups placed all-or-nothing, Spark drivers
 * placed only with room reserved for their executors, those places held until the executors take them
 * or expire, and binds decided by kube-scheduler (the extender) held until a gang is ready. A thin
 * layer over tested managers: {@link GangMembers} (who belongs where, policies, summed demand),
 * {@link ExecutorPlaces} (the places held), {@link ExecutorSizing} (what executors will ask for),
 * {@link GangAttempts} (the attempts themselves), {@link GangExtenderBinds} and {@link GangInsight}.
 *
 * <p>The {@code on*} methods may be called from any thread (informers); they are applied on the loop
 * thread in order with the pod events. Everything else runs on the loop thread.
 */
public final class GangPlugin implements PreEnqueuePlugin, GroupAttemptPlugin, ReservePlugin, PermitPlugin,
        PostFilterPlugin, PodEventsPlugin, GroupInsightPlugin {
    public static final String NAME = "Coscheduling";

    final PodGroups groups;
    final GroupPlanner planner;
    final GangSettings settings;
    final GangMembers members;
    final ExecutorPlaces places;
    final ExecutorSizing sizing = new ExecutorSizing();
    final SchedulerMetrics metrics;
    private final GangAttempts attempts;
    private final GangExtenderBinds extenderBinds;
    private final GangInsight insight;
    private final GangVictims victims = new GangVictims(this);
    final RoomForGangs room;
    LoopHandle loop;

    /**
     * @param groups  which pods must be scheduled together
     * @param planner places a group all-or-nothing
     */
    public GangPlugin(PodGroups groups, GroupPlanner planner, GangSettings settings, Clock clock,
                      SchedulerMetrics metrics) {
        this.groups = Objects.requireNonNull(groups, "groups");
        this.planner = Objects.requireNonNull(planner, "planner");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.members = new GangMembers(clock, metrics);
        this.places = new ExecutorPlaces(metrics);
        this.attempts = new GangAttempts(this);
        this.extenderBinds = new GangExtenderBinds(this);
        this.insight = new GangInsight(this);
        this.room = new RoomForGangs(this);
    }

    /**
     * A loop with gang scheduling: the wiring {@code run}, the demo, the benchmarks and the tests share.
     * The plugin is found again with {@code loop.plugin(GangPlugin.class)} or {@link #of}.
     */
    public static SchedulingLoop newLoop(SchedulerSettings scheduling, SchedulingProfile profile, PodGroups groups,
                                         GroupPlanner planner, GangSettings gang, Binder binder, EventSink events,
                                         SchedulerMetrics metrics, Clock clock) {
        return new SchedulingLoop(scheduling, profile, List.of(new GangPlugin(groups, planner, gang, clock, metrics)),
                binder, events, metrics, clock);
    }

    /** The gang plugin of a loop built by {@link #newLoop}. */
    public static GangPlugin of(SchedulingLoop loop) {
        return loop.plugin(GangPlugin.class).orElseThrow(() -> new IllegalArgumentException("the loop has no gang plugin"));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void attach(LoopHandle handle) {
        if (this.loop != null) {
            throw new IllegalStateException("the gang plugin is already attached to a loop");
        }
        this.loop = handle;
    }

    // ------------------------------------------------------------------ from the informers (any thread)

    /** A PodGroup object was added or changed ({@code policy}) or deleted ({@code policy} null). */
    public void onGroupPolicy(String groupId, GroupPolicy policy) {
        loop.post(() -> {
            members.policy(groupId, policy);
            retryGroup(groupId);
        });
    }

    /**
     * The executors of application {@code namespace/appName} (as named in the members'
     * {@link GroupMembership#appName()}) are now sized by {@code template}, or unknown again (null).
     */
    public void onExecutorTemplate(String namespace, String appName, ExecutorTemplate template) {
        String appKey = namespace + "/" + appName;
        loop.post(() -> {
            sizing.application(appKey, template);
            if (template != null) {
                attempts.applicationArrived(appKey);
            }
        });
    }

    /**
     * The driver's own annotation sizes its executors ({@link ExecutorSizing#EXECUTOR_RESOURCES_ANNOTATION}),
     * or no longer does (null).
     */
    public void onDriverExecutorTemplate(PodKey driver, ExecutorTemplate template) {
        loop.post(() -> sizing.driverAnnotation(driver, template));
    }

    // ------------------------------------------------------------------ pod events

    @Override
    public String podUpdated(PodInfo pod) {
        extenderBinds.podUpdated(pod);
        GroupMembership membership = loop.isOurs(pod) ? groups.membership(pod) : null;
        track(pod, membership);
        boolean valid = membership != null && membership.isValid();
        if (pod.isAssigned()) {
            boolean tookPlace = places.confirm(pod.key()); // an executor's bind confirmed: its place is its own
            if (valid && membership.role() == GroupRole.EXECUTOR && pod.holdsResources()) {
                attempts.executorBound(pod.key(), tookPlace);
                if (places.fill(pod.key(), membership.groupId(), pod.nodeName(), loop.state())) {
                    loop.onClusterEvent(ClusterEventType.ASSIGNED_POD_REMOVED); // room freed on another node
                }
            }
        }
        return membership == null || valid ? null : membership.invalidReason();
    }

    @Override
    public void podAccounted(PodInfo pod, PodInfo before) {
        GroupMembership membership = members.membership(pod.key());
        if (before == null && membership != null && membership.role() == GroupRole.DRIVER && pod.holdsResources()) {
            // A driver shows up bound that this term did not just bind: its bind timed out as we saw
            // it but was applied (its places were released with the failure), or someone else bound
            // it. Its executors' places are reserved again, as after a restart.
            attempts.driverSeenBound(pod, membership);
        }
    }

    @Override
    public void podRemoved(PodKey key) {
        // An executor deleted before its bind answered: Spark creates another, the place waits for it.
        giveBack(key);
        extenderBinds.podRemoved(key);
        sizing.driverRemoved(key); // a driver's own executor-resources annotation
        attempts.podRemoved(key);
        untrack(key);
    }

    @Override
    public void podUnreadable(PodKey key) {
        untrack(key);
    }

    private void track(PodInfo pod, GroupMembership membership) {
        if (membership == null || !membership.isValid()) {
            untrack(pod.key());
            return;
        }
        members.track(pod.key(), membership);
        if (membership.role() == GroupRole.EXECUTOR) {
            places.sawOrdinal(membership.groupId(), groups.executorOrdinal(pod));
        }
        if (pod.holdsResources()) {
            members.move(membership.groupId(), pod.key(), true, null);
        } else if (pod.phase().isTerminal()) {
            if (membership.role() == GroupRole.DRIVER) {
                release(membership.groupId());
            }
            // A finished member no longer counts: the group is not re-formed around it.
            members.leave(membership.groupId(), pod.key());
        } else if (!loop.state().isAssumed(pod.key())) {
            members.move(membership.groupId(), pod.key(), false, pod.requests());
        }
    }

    private void untrack(PodKey key) {
        places.uncount(key);
        attempts.forgetDriver(key);
        GroupMembership previous = members.untrack(key);
        if (previous != null && previous.role() == GroupRole.DRIVER) {
            release(previous.groupId());
        }
        if (previous != null && members.pending(previous.groupId()).isEmpty()) {
            room.groupGone(previous.groupId()); // nothing waits: no room is held for it
            if (members.bound(previous.groupId()).isEmpty()) {
                places.forgetOrdinals(previous.groupId()); // the group is gone: nothing to rebuild for it
            }
        }
    }

    /** A PodGroup object changed: its waiting members deserve another look, now. */
    private void retryGroup(String groupId) {
        for (PodKey key : members.pending(groupId)) {
            QueuedPod entry = loop.claim(key);
            if (entry != null) {
                loop.retryNow(entry);
            }
        }
    }

    // ------------------------------------------------------------------ attempts

    @Override
    public String mustWait(QueuedPod entry) {
        return attempts.mustWait(entry);
    }

    @Override
    public boolean attempt(QueuedPod entry) {
        return attempts.attempt(entry) || room.backfill(entry);
    }

    @Override
    public int waitingGroups() {
        return members.waitingGroups();
    }

    @Override
    public void tick(Instant now) {
        attempts.tick(now);
        room.tick(now);
        extenderBinds.expireHolds(now);
    }

    @Override
    public Instant nextWakeUp() {
        return ExecutorPlaces.earliest(ExecutorPlaces.earliest(places.nextExpiry(), extenderBinds.nextDeadline()),
                room.nextWakeUp());
    }

    @Override
    public void leadershipLost() {
        extenderBinds.leadershipLost();
        places.releaseAll(loop.state());
        room.leadershipLost();
        attempts.leadershipLost();
    }

    // ------------------------------------------------------------------ reserve

    @Override
    public void bound(PodInfo pod) {
        boolean inItsPlace = places.confirm(pod.key());
        GroupMembership membership = members.membership(pod.key());
        if (membership != null && membership.role() == GroupRole.EXECUTOR) {
            attempts.executorBound(pod.key(), inItsPlace);
        }
    }

    @Override
    public void unreserve(PodInfo pod) {
        GroupMembership membership = members.membership(pod.key());
        if (membership != null) {
            members.move(membership.groupId(), pod.key(), false, pod.requests());
            if (membership.role() == GroupRole.DRIVER) {
                // A driver that is not bound holds nothing: its retry plans the places again (against its
                // own old places it might never fit), and if the bind was applied after all, the informer
                // shows the driver bound and the places are reserved again then.
                release(membership.groupId());
            }
        }
        giveBack(pod.key());
    }

    @Override
    public boolean keepsPlaceOnBindFailure(PodInfo pod) {
        GroupMembership membership = members.membership(pod.key());
        return membership != null && membership.isValid() && membership.role() == GroupRole.MEMBER
                && members.minimum(membership.groupId()) >= 2;
    }

    @Override
    public boolean attemptFailed(PodKey key, boolean bindStarted) {
        if (bindStarted && places.holdsPlaceholder(key)) {
            return true; // a driver whose bind started keeps the places reserved with it
        }
        places.dropPlaceholder(key);
        return false;
    }

    @Override
    public void attemptAbandoned(PodInfo pod) {
        PodKey key = pod.key();
        giveBack(key);
        GroupMembership membership = members.membership(key);
        if (membership != null && membership.isValid() && !loop.state().isAssumed(key)
                && loop.state().accountedPod(key) == null) {
            members.move(membership.groupId(), key, false, pod.requests());
        }
        places.publish(loop.state());
    }

    @Override
    public List<PodInfo> placeholdersUsableBy(PodInfo pod) {
        // Not a starving gang's room for backfill: the extender's bind (assumeIfFits) would not free it,
        // so its filter would promise what its bind refuses. The loop backfills on its own attempts.
        GroupMembership membership = groups.membership(pod);
        if (membership == null || !membership.isValid() || membership.role() != GroupRole.EXECUTOR) {
            return List.of();
        }
        List<PodInfo> own = new ArrayList<>();
        places.of(membership.groupId()).forEach(r -> own.add(r.placeholder()));
        return own;
    }

    @Override
    public int heldPlaceholders() {
        return places.heldCount();
    }

    @Override
    public long expiredPlaceholders() {
        return places.expiredCount();
    }

    /** Releases the group's places; the pods waiting for room hear of it. */
    void release(String groupId) {
        if (places.release(groupId, loop.state())) {
            loop.onClusterEvent(ClusterEventType.ASSIGNED_POD_REMOVED);
        }
    }

    void giveBack(PodKey executor) {
        places.giveBack(executor, loop.state());
    }

    // ------------------------------------------------------------------ permit (the extender's bind)

    @Override
    public boolean permit(PodInfo pod, String nodeName, Duration holdLimit,
                          CompletableFuture<ExtenderBindResult> answer) {
        return extenderBinds.permit(pod, nodeName, holdLimit, answer);
    }

    @Override
    public void superseded(PodKey key) {
        extenderBinds.superseded(key);
    }

    @Override
    public boolean holds(PodKey key) {
        return extenderBinds.holds(key);
    }

    @Override
    public PodInfo heldPod(PodKey key) {
        return extenderBinds.heldPod(key);
    }

    // ------------------------------------------------------------------ post-filter (evictions)

    /** A victim's whole gang goes with it: its other members and the places held for them. */
    @Override
    public Collection<PodInfo> mustGoWith(PodInfo victim) {
        return victims.mustGoWith(victim);
    }

    /**
     * No victim may leave a gang partly bound below its min-available, nor be a driver holding
     * places for its executors.
     */
    @Override
    public boolean mayEvict(List<PodInfo> victims) {
        Map<String, Integer> evictedPerGroup = new HashMap<>();
        Map<String, GroupMembership> groupsOfVictims = new HashMap<>();
        for (PodInfo victim : victims) {
            GroupMembership membership = groups.membership(victim);
            if (membership == null || !membership.isValid()) {
                continue;
            }
            if (membership.role() == GroupRole.DRIVER && !places.of(membership.groupId()).isEmpty()) {
                return false;
            }
            evictedPerGroup.merge(membership.groupId(), 1, Integer::sum);
            groupsOfVictims.merge(membership.groupId(), membership,
                    (a, b) -> a.minMembers() >= b.minMembers() ? a : b);
        }
        for (Map.Entry<String, Integer> group : evictedPerGroup.entrySet()) {
            int min = members.minimum(groupsOfVictims.get(group.getKey()));
            int remaining = boundMembers(group.getKey()).size() - group.getValue();
            if (min >= 2 && remaining > 0 && remaining < min) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ insight

    @Override
    public GangExplanation explainGroup(PodInfo pod, PodState podState) {
        return insight.explain(pod, podState);
    }

    @Override
    public List<GroupSummary> groups() {
        return insight.groups();
    }

    @Override
    public Set<PodKey> waitingMembers(String groupId) {
        return members.pending(groupId);
    }

    @Override
    public void sizes(Map<String, Integer> out) {
        members.sizes(out);
        places.sizes(out);
        sizing.sizes(out);
        attempts.sizes(out);
        extenderBinds.sizes(out);
        room.sizes(out);
    }

    // ------------------------------------------------------------------ shared by the helpers

    /**
     * Members of {@code groupId} charged to a node (bound, or assumed with a bind under way), whoever
     * schedules them: from the accounted pods, so an extender's gang counts its default-scheduler pods.
     * O(accounted pods).
     */
    Set<PodKey> boundMembers(String groupId) {
        Set<PodKey> bound = new HashSet<>(members.bound(groupId));
        loop.state().forEachAccountedPod(pod -> {
            GroupMembership membership = groups.membership(pod);
            if (membership != null && membership.isValid() && membership.groupId().equals(groupId)
                    && pod.holdsResources()) {
                bound.add(pod.key());
            }
        });
        return bound;
    }

    /** The executors a driver needs now, or null when they cannot be sized. */
    ExecutorTemplate executorTemplate(PodInfo driver, GroupMembership membership) {
        return sizing.template(driver, membership, members.minimum(membership), members.policy(membership.groupId()));
    }

    /** The places held for {@code groupId}, in the order they were reserved. */
    public List<Reservation> reservationsOf(String groupId) {
        return places.of(groupId);
    }

    int extenderHeldMinimum(String groupId) {
        return extenderBinds.heldMinimum(groupId);
    }

    Map<String, List<Instant>> extenderHeldSince() {
        return extenderBinds.heldSinceByGroup();
    }

    static String duration(Duration duration) {
        return Quantities.duration(duration);
    }
}
