package io.kubenexus.scheduler.gang.lifecycle;

import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.gang.group.GroupMembership;
import io.kubenexus.scheduler.gang.group.GroupPlan;
import io.kubenexus.scheduler.gang.group.GroupPolicy;
import io.kubenexus.scheduler.gang.group.GroupRole;
import io.kubenexus.scheduler.core.framework.LoopHandle;
import io.kubenexus.scheduler.core.loop.Decision;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.queue.QueuedPod;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The attempts of the gang plugin, on the loop thread: a gang placed all-or-nothing, a driver placed
 * with stand-ins for its executors (kept as reservations), an executor taking a place held for it;
 * and what time does to them: places expiring, gangs timing out under their PodGroup's
 * {@code scheduleTimeoutSeconds}, places reserved again after a restart or a change of leader.
 */
final class GangAttempts {
    private static final Logger LOG = System.getLogger(GangAttempts.class.getName());
    private static final Duration TIMEOUT_CHECK_INTERVAL = Duration.ofSeconds(1);

    private final GangPlugin gang;
    /** Drivers waiting for the application that sizes their executors, by "ns/app". */
    private final Map<String, PodKey> driversAwaitingApplication = new HashMap<>();
    /** Drivers already told that their executors cannot be sized (told once). */
    private final Set<PodKey> unsizedDrivers = new HashSet<>();
    /** Executors their group's places refused (the wrong shape): counted when bound elsewhere. */
    private final Set<PodKey> refusedByTheirPlaces = new HashSet<>();
    /** Drivers already told how a minResources-only PodGroup sized them (told once). */
    private final Set<PodKey> toldSizing = new HashSet<>();
    private boolean placesRebuilt;
    /** When the next check of PodGroup schedule timeouts is due. */
    private Instant nextTimeoutCheck = Instant.MIN;

    GangAttempts(GangPlugin gang) {
        this.gang = gang;
    }

    private LoopHandle loop() {
        return gang.loop;
    }

    // ------------------------------------------------------------------ pre-enqueue

    String mustWait(QueuedPod entry) {
        GroupMembership membership = gang.members.membership(entry.pod().key());
        if (membership == null || !membership.isValid()) {
            return null;
        }
        if (membership.role() == GroupRole.DRIVER) {
            // Sized by what the application or the driver declares, or by a PodGroup naming the gang's
            // size: no reason to wait. A PodGroup with only minResources (min-available 1) is a fallback
            // worth waiting for the SparkApplication a little (it gives the executors' real shape).
            GroupPolicy policy = gang.members.policy(membership.groupId());
            boolean sized = gang.sizing.declared(entry.pod(), membership) != null
                    || (policy != null && !policy.minResources().isEmpty() && gang.members.minimum(membership) > 1);
            return sized ? null : awaitingApplication(entry, membership);
        }
        if (membership.role() == GroupRole.MEMBER) {
            return awaitingPodGroup(entry, membership);
        }
        return null;
    }

    /**
     * A member sized by a PodGroup object may be seen before the object (they come through
     * different watches): it waits for the object rather than being placed alone. If the object does
     * not come within the gang settings' {@code objectWait} (not installed, a typo), the member is placed on its
     * own and told why, so a missing CRD never strands pods.
     */
    private String awaitingPodGroup(QueuedPod entry, GroupMembership membership) {
        if (!membership.sizedByPodGroup() || gang.members.policy(membership.groupId()) != null) {
            return null;
        }
        PodInfo pod = entry.pod();
        if (Duration.between(entry.firstQueued(), loop().clock().instant()).compareTo(gang.settings.objectWait()) < 0) {
            return "gang " + membership.groupId() + ": waiting for PodGroup " + membership.groupId()
                    + " to say how many members belong together";
        }
        if (gang.members.warnOnce(pod.key()) && loop().leading()) {
            loop().events().warning(pod, "PodGroupNotFound", "gang " + membership.groupId() + ": no PodGroup object "
                    + membership.groupId() + " after " + GangPlugin.duration(gang.settings.objectWait())
                    + "; placing the pod on its own");
        }
        return null;
    }

    /**
     * A driver spark-operator created names its SparkApplication, which sizes the executors; the two
     * come through different watches, and after a cut watch the application may be seen late. The
     * driver waits for it up to the gang settings' {@code objectWait}, and is tried again as soon as it arrives,
     * rather than being placed at once without room for its executors.
     */
    private String awaitingApplication(QueuedPod entry, GroupMembership membership) {
        PodInfo driver = entry.pod();
        if (membership.appName() == null || !gang.groups.sizedByApplication(driver)
                || Duration.between(entry.firstQueued(), loop().clock().instant()).compareTo(gang.settings.objectWait()) >= 0) {
            return null;
        }
        driversAwaitingApplication.put(driver.key().namespace() + "/" + membership.appName(), driver.key());
        return "gang " + membership.groupId() + ": waiting for SparkApplication "
                + driver.key().namespace() + "/" + membership.appName() + " to size the executors";
    }

    /** The application {@code appKey} now sizes its executors: a driver waiting for it is tried at once. */
    void applicationArrived(String appKey) {
        PodKey waiting = driversAwaitingApplication.remove(appKey);
        QueuedPod entry = waiting == null ? null : loop().claim(waiting);
        if (entry != null) {
            loop().retryNow(entry); // its application arrived: no need to wait out the backoff
        }
    }

    void podRemoved(PodKey key) {
        driversAwaitingApplication.values().remove(key);
        refusedByTheirPlaces.remove(key);
    }

    /** An executor was bound: in a place of its group, or elsewhere after its places refused it. */
    void executorBound(PodKey key, boolean inItsPlace) {
        boolean refused = refusedByTheirPlaces.remove(key);
        if (inItsPlace) {
            loop().metrics().executorPlaced("reserved");
        } else if (refused) {
            loop().metrics().executorPlaced("elsewhere");
        }
    }

    void forgetDriver(PodKey key) {
        unsizedDrivers.remove(key);
        toldSizing.remove(key);
    }

    // ------------------------------------------------------------------ attempts

    boolean attempt(QueuedPod entry) {
        GroupMembership membership = gang.members.membership(entry.pod().key());
        if (membership == null || !membership.isValid()) {
            return false;
        }
        switch (membership.role()) {
            case EXECUTOR -> scheduleExecutor(entry, membership.groupId());
            case DRIVER -> scheduleDriver(entry, membership);
            case MEMBER -> {
                int minMembers = gang.members.minimum(membership.groupId());
                if (minMembers <= 0) {
                    return false; // no member says how many belong together: each is placed on its own
                }
                scheduleGroup(entry, membership.groupId(), minMembers);
            }
        }
        return true;
    }

    /**
     * One attempt for a whole group: the popped member brings every sibling waiting in the queue,
     * and the planner places them all against this snapshot or none. Siblings whose own attempt
     * is under way (a bind in flight) count as bound.
     */
    private void scheduleGroup(QueuedPod popped, String groupId, int minMembers) {
        long start = System.nanoTime();
        LoopHandle loop = loop();
        List<QueuedPod> entries = new ArrayList<>();
        entries.add(popped);
        for (PodKey sibling : List.copyOf(gang.members.pending(groupId))) {
            if (!sibling.equals(popped.pod().key())) {
                QueuedPod claimed = loop.claim(sibling);
                if (claimed != null) {
                    entries.add(claimed);
                    loop.joinAttempt(claimed);
                }
            }
        }
        warnIfMembersDisagree(groupId, minMembers, entries);
        List<PodInfo> pods = new ArrayList<>(entries.size());
        entries.forEach(e -> pods.add(e.pod()));
        pods.forEach(p -> loop.mayAssume(p.key()));
        loop.countAttempts(entries.size());
        int bound = gang.members.bound(groupId).size();
        // Every pending member is in the attempt (the queue holds them all), so the group's running sum
        // is their demand: an impossible gang is told in O(resources), whatever its size.
        Set<PodKey> pending = gang.members.pending(groupId);
        boolean allPending = pods.size() == pending.size() && pending.contains(popped.pod().key());
        // Only a gang with every member present asks for room (preemption); one missing members only waits.
        List<PodInfo> preemptors = pods.size() + bound >= minMembers
                ? RoomForGangs.largestFirst(pods, minMembers - bound) : List.of();
        GroupPlan plan = gang.room.plan(groupId, preemptors, () -> allPending
                ? gang.planner.plan(groupId, minMembers, pods, bound, gang.members.pendingDemand(groupId), loop.state(),
                        loop.algorithm())
                : gang.planner.plan(groupId, minMembers, pods, bound, loop.state(), loop.algorithm()));
        long elapsed = System.nanoTime() - start;
        if (plan instanceof GroupPlan.Placed placed) {
            for (QueuedPod entry : entries) {
                String node = placed.nodes().get(entry.pod().key());
                if (node == null) {
                    // Beyond min-available and does not fit now: retried on its own later.
                    loop.retryAfterBackoff(entry);
                    continue;
                }
                gang.members.move(groupId, entry.pod().key(), true, null);
                loop.bind(entry.pod(), node, elapsed);
            }
        } else if (plan instanceof GroupPlan.Waiting waiting) {
            for (QueuedPod entry : entries) {
                loop.unschedulable(entry, waiting.helpfulEvents(), waiting.message(), elapsed);
            }
        }
    }

    /** Members declaring different sizes are told once each which size the group uses. */
    private void warnIfMembersDisagree(String groupId, int used, List<QueuedPod> entries) {
        if (!loop().leading()) {
            return;
        }
        Set<Integer> declared = new TreeSet<>();
        for (QueuedPod entry : entries) {
            int min = gang.members.membership(entry.pod().key()).minMembers();
            if (min > 0) {
                declared.add(min);
            }
        }
        if (declared.size() < 2) {
            return;
        }
        for (QueuedPod entry : entries) {
            int min = gang.members.membership(entry.pod().key()).minMembers();
            if (min != used && gang.members.warnOnce(entry.pod().key())) {
                loop().events().warning(entry.pod(), "PodGroupMismatch", "gang " + groupId
                        + ": members disagree on min-available " + declared + "; the group uses the largest, " + used);
            }
        }
    }

    /**
     * A driver is placed only together with room for the executors it will create: the planner
     * places the driver and one stand-in per executor against the same snapshot; on success the
     * driver is bound and the stand-ins stay assumed as reservations no other pod can take.
     * Without an executor size the driver is placed alone and told why (documented fallback).
     */
    private void scheduleDriver(QueuedPod entry, GroupMembership membership) {
        LoopHandle loop = loop();
        PodInfo driver = entry.pod();
        String groupId = membership.groupId();
        ExecutorTemplate template = gang.executorTemplate(driver, membership);
        if (template == null || template.count() == 0) {
            if (template == null && unsizedDrivers.add(driver.key()) && loop.leading()) {
                loop.events().warning(driver, "ExecutorsNotSized", "gang " + groupId + ": cannot size the executors (no "
                        + "PodGroup minResources, no SparkApplication " + driver.key().namespace() + "/"
                        + membership.appName() + ", no " + ExecutorSizing.EXECUTOR_RESOURCES_ANNOTATION
                        + " annotation); placing the driver without reserving room for them");
            }
            loop.scheduleAlone(entry, Set.of());
            return;
        }
        tellHowSized(driver, membership, template);
        long start = System.nanoTime();
        loop.countAttempts(1);
        List<PodInfo> standIns = ExecutorSizing.standIns(driver, template, 0);
        List<PodInfo> members = new ArrayList<>(standIns.size() + 1);
        members.add(driver);
        members.addAll(standIns);
        members.forEach(m -> loop.mayAssume(m.key()));
        GroupPlan plan = gang.room.plan(groupId, members,
                () -> gang.planner.plan(groupId, members.size(), members, 0, loop.state(), loop.algorithm()));
        long elapsed = System.nanoTime() - start;
        if (plan instanceof GroupPlan.Placed placed) {
            Instant expiry = loop.clock().instant().plus(gang.settings.reservationTtl());
            for (PodInfo standIn : standIns) {
                gang.places.hold(new Reservation(standIn.withNodeName(placed.nodes().get(standIn.key())),
                        groupId, driver, expiry));
            }
            gang.members.move(groupId, driver.key(), true, null);
            gang.places.publish(loop.state());
            loop.bind(driver, placed.nodes().get(driver.key()), elapsed);
        } else if (plan instanceof GroupPlan.Waiting waiting) {
            loop.unschedulable(entry, waiting.helpfulEvents(), "driver and " + template.count()
                    + " executor(s) sized by " + template.source() + ": " + waiting.message(), elapsed);
        }
    }

    /**
     * spark-operator's kube-scheduler mode names a PodGroup with min-available 1 and minResources: the
     * driver is told once which sizing holds it. Without a SparkApplication the places are the driver's
     * size (a guess, so a warning says so); with one, the executors are sized from it and a
     * minResources that disagrees beyond what Spark's memory overhead explains is reported.
     */
    private void tellHowSized(PodInfo driver, GroupMembership membership, ExecutorTemplate template) {
        GroupPolicy policy = gang.members.policy(membership.groupId());
        if (policy == null || policy.minResources().isEmpty() || gang.members.minimum(membership) > 1
                || !loop().leading() || !toldSizing.add(driver.key())) {
            return;
        }
        String groupId = membership.groupId();
        if (gang.sizing.declared(driver, membership) == null) {
            loop().events().warning(driver, "ExecutorsSizedFromMinResources", "gang " + groupId + ": no SparkApplication "
                    + driver.key().namespace() + "/" + membership.appName() + " to size the executors; the PodGroup's "
                    + "minResources (" + policy.minResources() + ") hold the driver until " + template.count()
                    + " executor place(s) of " + template.requests() + " (no larger than the driver) fit beside it; "
                    + "executors take them as they arrive");
            return;
        }
        String mismatch = MinResourcesCheck.mismatch(policy.minResources(), driver.requests(), template);
        if (mismatch != null) {
            loop().events().warning(driver, "MinResourcesMismatch", "gang " + groupId + ": PodGroup " + policy.source()
                    + " minResources " + mismatch + "; the executors are sized from " + template.source());
        }
    }

    /**
     * An executor takes a place reserved for its group when one fits it (the stand-in is released
     * and the executor placed on that node); otherwise, or when nothing is reserved (executors
     * beyond min-available, dynamic allocation), it is placed like any pod.
     */
    private void scheduleExecutor(QueuedPod entry, String groupId) {
        LoopHandle loop = loop();
        ClusterState state = loop.state();
        PodInfo executor = entry.pod();
        // Why the reserved places refused it: the general attempt below sees those nodes taken by
        // the reservations again and blames capacity, so without these the executor would wait for
        // a capacity event, not for the one that frees its reserved place (e.g. a NUMA zone settling).
        Set<ClusterEventType> reservedPlacesRefused = EnumSet.noneOf(ClusterEventType.class);
        for (Reservation reservation : gang.places.of(groupId)) {
            int node = state.nodeIndex(reservation.placeholder().nodeName());
            state.forget(reservation.placeholder().key());
            BitSet onlyThere = new BitSet();
            if (node >= 0) {
                onlyThere.set(node);
            }
            loop.countAttempts(1);
            Decision there;
            try {
                there = node >= 0 ? loop.algorithm().schedule(executor, state, onlyThere) : null;
            } catch (RuntimeException e) {
                state.assume(reservation.placeholder()); // the place stays held for the retry
                throw e;
            }
            if (there instanceof Decision.Unschedulable refused) {
                reservedPlacesRefused.addAll(refused.helpfulEvents());
            }
            if (there instanceof Decision.Placed placed) {
                gang.places.take(executor.key(), reservation, state);
                state.assume(executor.withNodeName(placed.nodeName()));
                gang.members.move(groupId, executor.key(), true, null);
                loop.bind(executor, placed.nodeName(), 0);
                return;
            }
            state.assume(reservation.placeholder());
        }
        if (takeSeveralPlaces(executor, groupId)) {
            return;
        }
        if (!gang.places.of(groupId).isEmpty()) {
            refusedByTheirPlaces.add(executor.key());
        }
        loop.scheduleAlone(entry, reservedPlacesRefused);
    }

    /**
     * Places sized without the executors' shape (a PodGroup's minResources split into places no larger
     * than the driver) may each be smaller than an executor: then every place of its group on one node
     * is freed for it, and those that no longer fit beside it are its own (one taken, given back if its
     * bind fails; the others used up). Returns whether the executor was placed so.
     */
    private boolean takeSeveralPlaces(PodInfo executor, String groupId) {
        LoopHandle loop = loop();
        ClusterState state = loop.state();
        Map<String, List<Reservation>> byNode = new java.util.LinkedHashMap<>();
        for (Reservation reservation : gang.places.of(groupId)) {
            byNode.computeIfAbsent(reservation.placeholder().nodeName(), n -> new ArrayList<>()).add(reservation);
        }
        for (Map.Entry<String, List<Reservation>> onNode : byNode.entrySet()) {
            List<Reservation> places = onNode.getValue();
            int node = state.nodeIndex(onNode.getKey());
            if (places.size() < 2 || node < 0) {
                // One place alone was tried already. Places as large as the executor are pooled too: a
                // NUMA-aligned executor may need a zone its sibling's place also sits in.
                continue;
            }
            places.forEach(r -> state.forget(r.placeholder().key()));
            BitSet onlyThere = new BitSet();
            onlyThere.set(node);
            loop.countAttempts(1);
            Decision there;
            try {
                there = loop.algorithm().schedule(executor, state, onlyThere);
            } catch (RuntimeException e) {
                places.forEach(r -> state.assume(r.placeholder()));
                throw e;
            }
            if (!(there instanceof Decision.Placed placed)) {
                places.forEach(r -> state.assume(r.placeholder()));
                continue;
            }
            state.assume(executor.withNodeName(placed.nodeName()));
            List<Reservation> usedUp = new ArrayList<>();
            for (Reservation place : places) {
                if (loop.algorithm().schedule(place.placeholder().withNodeName(null), state, onlyThere)
                        instanceof Decision.Placed) {
                    state.assume(place.placeholder()); // still room for it beside the executor
                } else {
                    usedUp.add(place);
                }
            }
            Reservation taken = usedUp.isEmpty() ? places.get(0) : usedUp.get(0);
            if (usedUp.isEmpty()) {
                state.forget(taken.placeholder().key());
            }
            gang.places.take(executor.key(), taken, state);
            for (Reservation extra : usedUp.subList(Math.min(1, usedUp.size()), usedUp.size())) {
                gang.places.dropPlaceholder(extra.placeholder().key());
            }
            gang.places.publish(state);
            gang.members.move(groupId, executor.key(), true, null);
            loop.bind(executor, placed.nodeName(), 0);
            return true;
        }
        return false;
    }

    // ------------------------------------------------------------------ time

    void tick(Instant now) {
        if (!placesRebuilt) {
            // Set first: a rebuild that fails is reported per driver, never retried on every iteration.
            placesRebuilt = true;
            rebuildPlaces();
        }
        expirePlaces(now);
        timeOutWaitingGroups(now);
    }

    void leadershipLost() {
        placesRebuilt = false;
    }

    /** Places past their TTL are released; the driver is told once per release. */
    private void expirePlaces(Instant now) {
        Map<String, List<Reservation>> expired = gang.places.expire(now, loop().state());
        if (expired.isEmpty()) {
            return;
        }
        expired.forEach((groupId, released) -> {
            if (loop().leading()) {
                loop().events().warning(released.get(0).driver(), "ReservationExpired", "gang " + groupId + ": released "
                        + released.size() + " executor place(s) held for "
                        + GangPlugin.duration(gang.settings.reservationTtl()) + ": the executors did not arrive");
            }
        });
        loop().onClusterEvent(ClusterEventType.ASSIGNED_POD_REMOVED);
    }

    /**
     * A gang whose PodGroup sets {@code scheduleTimeoutSeconds} and that has not reached min-available
     * within it times out, as coscheduling's does: every waiting member is told (event and condition)
     * and backs off, the wait starts over. It never held anything, so nothing is released.
     */
    private void timeOutWaitingGroups(Instant now) {
        if (gang.members.waiting().isEmpty() || now.isBefore(nextTimeoutCheck)) {
            return;
        }
        nextTimeoutCheck = now.plus(TIMEOUT_CHECK_INTERVAL);
        List<String> timedOut = new ArrayList<>();
        for (Map.Entry<String, Instant> waiting : gang.members.waiting().entrySet()) {
            GroupPolicy policy = gang.members.policy(waiting.getKey());
            if (policy != null && policy.scheduleTimeout() != null
                    && !now.isBefore(waiting.getValue().plus(policy.scheduleTimeout()))
                    && gang.members.bound(waiting.getKey()).size() < gang.members.minimum(waiting.getKey())) {
                timedOut.add(waiting.getKey());
            }
        }
        for (String groupId : timedOut) {
            Instant began = gang.members.restartWait(groupId, now);
            timeOut(groupId, gang.members.policy(groupId), Duration.between(began, now));
        }
    }

    private void timeOut(String groupId, GroupPolicy policy, Duration waited) {
        LoopHandle loop = loop();
        loop.metrics().groupWaited("timeout", waited.toNanos());
        Set<PodKey> waiting = gang.members.pending(groupId);
        int present = waiting.size() + gang.members.bound(groupId).size();
        int min = gang.members.minimum(groupId);
        String timeout = GangPlugin.duration(policy.scheduleTimeout());
        String warning = "gang " + groupId + ": not placed within the PodGroup's scheduleTimeoutSeconds (" + timeout
                + "): " + present + "/" + min + " members present; the members back off and are "
                + "tried again when the cluster or the group changes";
        String condition = "gang " + groupId + ": timed out after " + timeout + " (scheduleTimeoutSeconds of "
                + policy.source() + ") with " + present + "/" + min + " members placeable";
        for (PodKey key : List.copyOf(waiting)) {
            QueuedPod entry = loop.claim(key);
            if (entry == null) {
                continue; // its attempt is under way
            }
            loop.unschedulableAgain(entry);
            if (loop.leading()) {
                loop.events().warning(entry.pod(), "GangScheduleTimeout", warning);
                loop.events().unschedulable(entry.pod(), condition);
            }
        }
    }

    // ------------------------------------------------------------------ rebuilding places

    /**
     * After a restart or a change of leader, from what the API shows: every bound driver gets a place
     * for each expected executor that is not bound, whether it exists and waits (pending) or has not
     * been created yet, and none for executors that already ran (finished, or removed after running:
     * Spark numbers its executors, so the highest number seen says how many were created). A driver
     * whose places cannot be rebuilt (no room, or a plugin's bug) is told; the others go on.
     */
    private void rebuildPlaces() {
        ClusterState state = loop().state();
        Map<String, ExecutorCounts> counts = executorCounts(null);
        for (Map.Entry<PodKey, GroupMembership> entry : List.copyOf(gang.members.memberships().entrySet())) {
            GroupMembership membership = entry.getValue();
            PodInfo driver = state.accountedPod(entry.getKey());
            if (membership.role() != GroupRole.DRIVER || driver == null || state.isAssumed(driver.key())) {
                continue;
            }
            try {
                rebuildPlaces(driver, membership, counts.getOrDefault(membership.groupId(), ExecutorCounts.NONE));
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "rebuilding the reservations of " + driver.key() + " failed pod=" + driver.key()
                        + " gang=" + membership.groupId(), e);
                for (Reservation r : gang.places.of(membership.groupId())) {
                    gang.places.dropPlaceholder(r.placeholder().key());
                    state.forget(r.placeholder().key());
                }
                if (loop().leading()) {
                    loop().events().warning(driver, "ReservationLost", "gang " + membership.groupId() + ": the executors' "
                            + "places could not be reserved again after a restart: internal error: " + e);
                }
            }
        }
        gang.places.publish(state);
    }

    /** Reserves again, now, for one driver that turned out bound (see {@link #rebuildPlaces()}). */
    void driverSeenBound(PodInfo driver, GroupMembership membership) {
        if (!placesRebuilt || !loop().leading()) {
            return; // the term's rebuild will see it
        }
        try {
            rebuildPlaces(driver, membership,
                    executorCounts(membership.groupId()).getOrDefault(membership.groupId(), ExecutorCounts.NONE));
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "reserving the executors' places of " + driver.key() + " failed pod=" + driver.key()
                    + " gang=" + membership.groupId(), e);
        }
        gang.places.publish(loop().state());
    }

    private void rebuildPlaces(PodInfo driver, GroupMembership membership, ExecutorCounts counts) {
        LoopHandle loop = loop();
        String groupId = membership.groupId();
        ExecutorTemplate template = gang.executorTemplate(driver, membership);
        if (template == null) {
            return;
        }
        int created = Math.max(counts.seen(), gang.places.highestOrdinal(groupId));
        int notCreated = Math.max(0, template.count() - created);
        int missing = Math.min(Math.max(0, template.count() - counts.bound()), counts.pending() + notCreated);
        if (missing == 0) {
            return;
        }
        List<PodInfo> standIns = ExecutorSizing.standIns(driver, template.withCount(missing), counts.bound());
        List<PodKey> planned = new ArrayList<>(standIns.size());
        standIns.forEach(standIn -> planned.add(standIn.key()));
        GroupPlan plan;
        try {
            plan = gang.planner.plan(groupId, standIns.size(), standIns, 0, loop.state(), loop.algorithm());
        } catch (RuntimeException e) {
            planned.forEach(loop.state()::forget); // the planner's all-or-nothing contract does not hold when it throws
            throw e;
        }
        if (plan instanceof GroupPlan.Placed placed) {
            Instant expiry = loop.clock().instant().plus(gang.settings.reservationTtl());
            standIns.forEach(standIn -> gang.places.hold(new Reservation(
                    standIn.withNodeName(placed.nodes().get(standIn.key())), groupId, driver, expiry)));
            LOG.log(Level.INFO, "gang {0}: reserved {1} executor place(s) again ({2} waiting, {3} not created yet) gang={0}",
                    groupId, missing, counts.pending(), notCreated);
        } else if (plan instanceof GroupPlan.Waiting waiting && loop.leading()) {
            loop.events().warning(driver, "ReservationLost", "gang " + groupId + ": " + missing + " executor place(s) could "
                    + "not be reserved again after a restart: " + waiting.message());
        }
    }

    /** A group's executors as the API shows them: bound (holding room), pending, and all seen in any phase. */
    private record ExecutorCounts(int bound, int pending, int seen) {
        static final ExecutorCounts NONE = new ExecutorCounts(0, 0, 0);
    }

    /** Per group (or for {@code onlyGroup} alone when not null). */
    private Map<String, ExecutorCounts> executorCounts(String onlyGroup) {
        ClusterState state = loop().state();
        Map<String, int[]> counts = new HashMap<>();
        for (Map.Entry<PodKey, GroupMembership> entry : gang.members.memberships().entrySet()) {
            GroupMembership membership = entry.getValue();
            if (membership.role() != GroupRole.EXECUTOR
                    || (onlyGroup != null && !onlyGroup.equals(membership.groupId()))) {
                continue;
            }
            int[] c = counts.computeIfAbsent(membership.groupId(), g -> new int[3]);
            c[2]++;
            PodInfo accounted = state.accountedPod(entry.getKey());
            if (accounted != null && !state.isAssumed(entry.getKey())) {
                c[0]++;
            } else if (gang.members.pending(membership.groupId()).contains(entry.getKey())) {
                c[1]++;
            }
        }
        Map<String, ExecutorCounts> out = new HashMap<>();
        counts.forEach((group, c) -> out.put(group, new ExecutorCounts(c[0], c[1], c[2])));
        return out;
    }

    void sizes(Map<String, Integer> out) {
        out.put("unsizedDrivers", unsizedDrivers.size());
        out.put("toldSizing", toldSizing.size());
        out.put("refusedByTheirPlaces", refusedByTheirPlaces.size());
        out.put("driversAwaitingApplication", driversAwaitingApplication.size());
    }
}
