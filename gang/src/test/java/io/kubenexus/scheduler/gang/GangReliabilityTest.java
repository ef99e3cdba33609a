package io.kubenexus.scheduler.gang;

import io.kubenexus.scheduler.gang.lifecycle.GangPlugin;
import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.gang.group.GangSettings;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.gang.group.GroupPolicy;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.PodPhase;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.BindOutcome;
import io.kubenexus.scheduler.core.ports.Binder;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.testing.HeldBinder;
import io.kubenexus.scheduler.core.testing.MutableClock;
import io.kubenexus.scheduler.core.testing.PodFixture;
import io.kubenexus.scheduler.core.testing.PoisonFilter;
import io.kubenexus.scheduler.core.testing.RecordingEventSink;
import io.kubenexus.scheduler.core.testing.ScriptedBinder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Gang and Spark defects found in the reliability review, each reproduced first: plugin bugs in
 * driver, executor and rebuild attempts, an executor's reserved place lost on a failed bind or a
 * delete, reservations rebuilt from what the API shows, and PodGroup schedule timeouts.
 */
class GangReliabilityTest {
    private static final long GI = 1024L * 1024 * 1024;

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final RecordingEventSink events = new RecordingEventSink();
    private final SchedulerSettings settings = SchedulerSettings.defaults();
    private final PoisonFilter poison = new PoisonFilter();

    private SchedulingLoop loop(Binder binder, int nodes, double cpu) {
        SchedulingLoop loop = GangPlugin.newLoop(settings, SchedulingProfile.defaults(settings).with(poison, null),
                new GangLabels(), new GangPlanner(), GangSettings.defaults(), binder, events, SchedulerMetrics.NONE, clock);
        loop.onLeadershipChanged(true);
        loop.onCachesSynced();
        for (int i = 0; i < nodes; i++) {
            loop.onNodeUpserted(node("n" + i).cpu(cpu).memoryGi(64).build());
        }
        return loop;
    }

    private static PodFixture spark(String name, String app, String role, int minAvailable) {
        return pod(name).namespace("spark").label("spark-role", role).label("spark-app-selector", "spark-" + app)
                .label("sparkoperator.k8s.io/app-name", app)
                .label(GangLabels.NAME, app).label(GangLabels.MIN_AVAILABLE, Integer.toString(minAvailable));
    }

    private static PodInfo driver(String app, int minAvailable) {
        return spark(app + "-driver", app, "driver", minAvailable).cpu(1).memoryGi(2).build();
    }

    private static PodFixture executor(String app, int id, int minAvailable) {
        return spark(app + "-exec-" + id, app, "executor", minAvailable).label("spark-exec-id", Integer.toString(id))
                .cpu(2).memoryGi(4);
    }

    private static ExecutorTemplate twoCoreExecutors(int count) {
        return new ExecutorTemplate(ResourceList.of(Map.of("cpu", 2000L, "memory", 4 * GI)), count, Map.of(), List.of(),
                "SparkApplication spark/pi");
    }

    private static long requestedCpu(SchedulingLoop loop) {
        return loop.view().nodes().stream().mapToLong(v -> v.requested(0)).sum();
    }

    // ---------------------------------------------------------------- contained attempts

    @Test
    void aPluginThatThrowsForADriverLeavesNoReservationAndTheDriverIsRetried() {
        ScriptedBinder binder = new ScriptedBinder();
        SchedulingLoop loop = loop(binder, 2, 4);
        poison.poison("pi-driver");
        GangPlugin.of(loop).onExecutorTemplate("spark", "pi", twoCoreExecutors(2));
        loop.onPodUpserted(driver("pi", 3));
        loop.onPodUpserted(pod("web").cpu(1).createdAtSecond(100).build());
        loop.runUntilIdle();

        assertThat(binder.bindings()).containsOnlyKeys("web");
        assertThat(loop.stats().reservations()).isZero();
        assertThat(requestedCpu(loop)).as("nothing of the failed plan stays assumed").isEqualTo(1000);
        assertThat(events.linesAbout("pi-driver")).anySatisfy(l -> assertThat(l).startsWith("SchedulingError pi-driver: "));

        poison.cure();
        clock.advance(Duration.ofSeconds(11));
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsKey("pi-driver");
        assertThat(loop.stats().reservations()).isEqualTo(2);
    }

    @Test
    void aPluginThatThrowsForAnExecutorKeepsItsReservedPlace() {
        ScriptedBinder binder = new ScriptedBinder();
        SchedulingLoop loop = loop(binder, 1, 5);
        GangPlugin.of(loop).onExecutorTemplate("spark", "pi", twoCoreExecutors(2));
        loop.onPodUpserted(driver("pi", 3));
        loop.runUntilIdle();
        assertThat(loop.stats().reservations()).isEqualTo(2);

        poison.poison("pi-exec");
        loop.onPodUpserted(driver("pi", 3).withNodeName("n0"));
        loop.onPodUpserted(executor("pi", 1, 3).build());
        loop.onPodUpserted(pod("intruder").cpu(2).createdAtSecond(100).build());
        loop.runUntilIdle();

        assertThat(loop.stats().reservations()).as("the place is still held").isEqualTo(2);
        assertThat(requestedCpu(loop)).isEqualTo(5000);
        assertThat(binder.bindings()).doesNotContainKeys("pi-exec-1", "intruder");

        poison.cure();
        clock.advance(Duration.ofSeconds(11));
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsEntry("pi-exec-1", "n0").doesNotContainKey("intruder");
        assertThat(loop.stats().reservations()).isEqualTo(1);
    }

    @Test
    void aPluginThatThrowsWhileReservationsAreRebuiltDoesNotStopScheduling() {
        ScriptedBinder binder = new ScriptedBinder();
        SchedulingLoop loop = loop(binder, 2, 8);
        poison.poison("not created yet");
        GangPlugin.of(loop).onExecutorTemplate("spark", "pi", twoCoreExecutors(2));
        loop.onPodUpserted(driver("pi", 3).withNodeName("n0"));
        loop.onPodUpserted(pod("web").cpu(1).build());
        loop.runUntilIdle();

        assertThat(binder.bindings()).containsKey("web");
        assertThat(events.linesAbout("pi-driver")).anySatisfy(l -> assertThat(l).startsWith("ReservationLost pi-driver: "));
    }

    // ---------------------------------------------------------------- an executor's reserved place

    @Test
    void aFailedExecutorBindGivesItsPlaceBackToTheReservationNotToAnyone() {
        ScriptedBinder binder = new ScriptedBinder();
        SchedulingLoop loop = loop(binder, 1, 5);
        GangPlugin.of(loop).onExecutorTemplate("spark", "pi", twoCoreExecutors(2));
        loop.onPodUpserted(driver("pi", 3));
        loop.runUntilIdle();
        loop.onPodUpserted(driver("pi", 3).withNodeName("n0"));
        loop.runUntilIdle();

        binder.thenAnswer(BindOutcome.FAILED);
        loop.onPodUpserted(executor("pi", 1, 3).build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).doesNotContainKey("pi-exec-1");
        assertThat(loop.stats().reservations()).isEqualTo(2);

        loop.onPodUpserted(pod("intruder").cpu(2).build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).as("the room is still reserved").doesNotContainKey("intruder");

        clock.advance(Duration.ofSeconds(11));
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsEntry("pi-exec-1", "n0").doesNotContainKey("intruder");
    }

    @Test
    void anExecutorDeletedBeforeItsBindAnswersGivesItsPlaceBack() {
        HeldBinder held = new HeldBinder();
        SchedulingLoop loop = loop(held, 1, 5);
        GangPlugin.of(loop).onExecutorTemplate("spark", "pi", twoCoreExecutors(2));
        loop.onPodUpserted(driver("pi", 3));
        loop.runUntilIdle();
        held.take("pi-driver").answer(BindOutcome.BOUND);
        loop.onPodUpserted(driver("pi", 3).withNodeName("n0"));
        loop.onPodUpserted(executor("pi", 1, 3).build());
        loop.runUntilIdle();
        HeldBinder.Call executorBind = held.take("pi-exec-1");
        assertThat(loop.stats().reservations()).isEqualTo(1);

        loop.onPodRemoved(new PodKey("spark", "pi-exec-1"));
        loop.runUntilIdle();
        assertThat(loop.stats().reservations()).as("Spark will create another executor for it").isEqualTo(2);
        assertThat(requestedCpu(loop)).isEqualTo(5000);

        executorBind.answer(BindOutcome.POD_GONE);
        loop.onPodUpserted(pod("intruder").cpu(2).build());
        loop.runUntilIdle();
        assertThat(held.calls()).extracting(c -> c.pod().key().name()).doesNotContain("intruder");
        assertThat(loop.stats().reservations()).isEqualTo(2);
    }

    /**
     * A bind that timed out as we saw it but was applied: the place was given back, then the informer
     * shows the executor bound. The executor counts against its group's places all the same, so
     * nothing stays reserved for an executor that has arrived.
     */
    @Test
    void anExecutorBoundDespiteAFailedAnswerTakesItsPlaceWhenTheInformerShowsIt() {
        ScriptedBinder binder = new ScriptedBinder();
        SchedulingLoop loop = loop(binder, 1, 5);
        GangPlugin.of(loop).onExecutorTemplate("spark", "pi", twoCoreExecutors(2));
        loop.onPodUpserted(driver("pi", 3));
        loop.runUntilIdle();
        loop.onPodUpserted(driver("pi", 3).withNodeName("n0"));
        binder.thenAnswer(BindOutcome.FAILED);
        loop.onPodUpserted(executor("pi", 1, 3).build());
        loop.runUntilIdle();
        assertThat(loop.stats().reservations()).isEqualTo(2);

        loop.onPodUpserted(executor("pi", 1, 3).boundTo("n0").build());
        loop.runUntilIdle();
        assertThat(loop.stats().reservations()).as("one place left, for executor 2").isEqualTo(1);
        assertThat(requestedCpu(loop)).as("driver, executor 1, one reserved place").isEqualTo(5000);

        loop.onPodUpserted(executor("pi", 2, 3).build());
        clock.advance(Duration.ofSeconds(11));
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsKey("pi-exec-2");
        assertThat(loop.stats().reservations()).isZero();
    }

    /** An executor that arrives already bound (placed by a previous leader, or by hand) still fills one of its group's places. */
    @Test
    void anExecutorBoundByAnyoneFillsOneOfItsGroupsPlaces() {
        ScriptedBinder binder = new ScriptedBinder();
        SchedulingLoop loop = loop(binder, 2, 5);
        GangPlugin.of(loop).onExecutorTemplate("spark", "pi", twoCoreExecutors(2));
        loop.onPodUpserted(driver("pi", 3));
        loop.runUntilIdle();
        assertThat(loop.stats().reservations()).isEqualTo(2);

        loop.onPodUpserted(driver("pi", 3).withNodeName(binder.bindings().get("pi-driver")));
        loop.onPodUpserted(executor("pi", 1, 3).boundTo("n1").build());
        loop.runUntilIdle();
        assertThat(loop.stats().reservations()).isEqualTo(1);
    }

    /**
     * Found by demo --chaos: a driver whose bind failed kept the places reserved with it; its retry
     * then planned against its own old places and, on a cluster that fits it exactly, never fit.
     */
    @Test
    void aDriverWhoseBindFailedHoldsNothingAndFitsAgainOnItsRetry() {
        ScriptedBinder binder = new ScriptedBinder().thenAnswer(BindOutcome.FAILED);
        SchedulingLoop loop = loop(binder, 1, 5);
        GangPlugin.of(loop).onExecutorTemplate("spark", "pi", twoCoreExecutors(2));
        loop.onPodUpserted(driver("pi", 3));
        loop.runUntilIdle();
        assertThat(loop.stats().reservations()).as("a driver that is not bound holds nothing").isZero();
        assertThat(requestedCpu(loop)).isZero();

        clock.advance(Duration.ofSeconds(2));
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsKey("pi-driver");
        assertThat(loop.stats().reservations()).isEqualTo(2);
    }

    /** The driver's bind timed out as we saw it but was applied: when the informer shows it bound, its places are reserved again. */
    @Test
    void aDriverBoundDespiteAFailedAnswerGetsItsPlacesBackWhenTheInformerShowsIt() {
        ScriptedBinder binder = new ScriptedBinder().thenAnswer(BindOutcome.FAILED);
        SchedulingLoop loop = loop(binder, 1, 5);
        GangPlugin.of(loop).onExecutorTemplate("spark", "pi", twoCoreExecutors(2));
        loop.onPodUpserted(driver("pi", 3));
        loop.runUntilIdle();
        loop.onPodUpserted(pod("intruder").cpu(2).createdAtSecond(100).build());
        loop.onPodUpserted(driver("pi", 3).withNodeName("n0"));
        loop.runUntilIdle();

        assertThat(loop.stats().reservations()).isEqualTo(2);
        assertThat(binder.bindings()).doesNotContainKey("intruder");
    }

    /**
     * Found by demo --chaos: with the SparkApplication watch cut (relisting), an operator's driver was
     * seen first and placed at once without room for its executors. It now waits for its application
     * and is placed, with its executors' places, as soon as the application is seen.
     */
    @Test
    void aDriverSeenBeforeItsSparkApplicationWaitsForItAndIsPlacedWithItsPlacesWhenItArrives() {
        ScriptedBinder binder = new ScriptedBinder();
        SchedulingLoop loop = loop(binder, 1, 8);
        loop.onPodUpserted(driver("pi", 3));
        loop.runUntilIdle();
        assertThat(binder.bindings()).isEmpty();

        clock.advance(Duration.ofMillis(200));
        GangPlugin.of(loop).onExecutorTemplate("spark", "pi", twoCoreExecutors(2));
        loop.runUntilIdle();
        assertThat(binder.bindings()).as("without waiting out its backoff").containsKey("pi-driver");
        assertThat(loop.stats().reservations()).isEqualTo(2);
        assertThat(events.linesAbout("pi-driver")).noneMatch(l -> l.startsWith("ExecutorsNotSized"));
    }

    /**
     * Found by demo --chaos: one member's bind of a placed gang failed (429, a timeout) while its
     * siblings' succeeded. Forgetting it and planning it again let other pods take its room, and the
     * gang stayed partial. Now the member keeps its place and its bind is retried on the same node.
     */
    @Test
    void aGangMemberWhoseBindFailedKeepsItsPlaceAndIsBoundThereOnRetry() {
        HeldBinder held = new HeldBinder();
        SchedulingLoop loop = loop(held, 1, 3);
        for (int i = 0; i < 3; i++) {
            loop.onPodUpserted(pod("w-" + i).namespace("ml").label(GangLabels.NAME, "train")
                    .label(GangLabels.MIN_AVAILABLE, "3").cpu(1).build());
        }
        loop.runUntilIdle();
        held.take("w-0").answer(BindOutcome.BOUND);
        held.take("w-1").answer(BindOutcome.BOUND);
        held.take("w-2").answer(BindOutcome.FAILED);
        loop.onPodUpserted(pod("intruder").cpu(1).priority(1000).build());
        loop.runUntilIdle();
        assertThat(requestedCpu(loop)).as("w-2's place is still held").isEqualTo(3000);
        assertThat(held.calls()).extracting(c -> c.pod().key().name()).doesNotContain("intruder");

        clock.advance(Duration.ofSeconds(2));
        loop.runUntilIdle();
        HeldBinder.Call retry = held.take("w-2");
        assertThat(retry.nodeName()).isEqualTo("n0");
        retry.answer(BindOutcome.BOUND);
        loop.runUntilIdle();
        assertThat(held.calls()).extracting(c -> c.pod().key().name()).doesNotContain("intruder");
        assertThat(events.linesAbout("w-2")).last().asString().startsWith("Scheduled w-2: n0");
    }

    // ---------------------------------------------------------------- rebuilt from what the API shows

    /** After a restart the executors exist but are unbound: each gets its place back before anyone else. */
    @Test
    void afterARestartExecutorsThatExistButAreUnboundHaveTheirRoomReserved() {
        ScriptedBinder binder = new ScriptedBinder();
        SchedulingLoop loop = loop(binder, 1, 5);
        GangPlugin.of(loop).onExecutorTemplate("spark", "pi", twoCoreExecutors(2));
        loop.onPodUpserted(driver("pi", 3).withNodeName("n0"));
        loop.onPodUpserted(executor("pi", 1, 3).build());
        loop.onPodUpserted(executor("pi", 2, 3).build());
        // Popped before the executors (higher priority): only reservations keep it off their room.
        loop.onPodUpserted(pod("intruder").cpu(2).priority(1000).build());
        loop.runUntilIdle();

        assertThat(binder.bindings()).containsOnlyKeys("pi-exec-1", "pi-exec-2");
        assertThat(loop.stats().reservations()).isZero();
    }

    /** Executors that ran and finished (or were scaled down) will not come back: nothing is held for them. */
    @Test
    void afterARestartNoRoomIsHeldForExecutorsThatAlreadyRan() {
        ScriptedBinder binder = new ScriptedBinder();
        SchedulingLoop loop = loop(binder, 1, 9);
        GangPlugin.of(loop).onExecutorTemplate("spark", "pi", twoCoreExecutors(4));
        loop.onPodUpserted(driver("pi", 5).withNodeName("n0"));
        loop.onPodUpserted(executor("pi", 1, 5).boundTo("n0").phase(PodPhase.SUCCEEDED).build());
        loop.onPodUpserted(executor("pi", 2, 5).boundTo("n0").phase(PodPhase.FAILED).build());
        // Executors 3 and 4 were removed by dynamic allocation; 5 and 6 run now.
        loop.onPodUpserted(executor("pi", 5, 5).boundTo("n0").build());
        loop.onPodUpserted(executor("pi", 6, 5).boundTo("n0").build());
        loop.runUntilIdle();

        assertThat(loop.stats().reservations()).isZero();
        loop.onPodUpserted(pod("web").cpu(4).build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsKey("web");
    }

    @Test
    void afterARestartExecutorsNotCreatedYetHaveTheirRoomReserved() {
        ScriptedBinder binder = new ScriptedBinder();
        SchedulingLoop loop = loop(binder, 1, 9);
        GangPlugin.of(loop).onExecutorTemplate("spark", "pi", twoCoreExecutors(3));
        loop.onPodUpserted(driver("pi", 4).withNodeName("n0"));
        loop.onPodUpserted(executor("pi", 1, 4).boundTo("n0").build());
        loop.runUntilIdle();

        assertThat(loop.stats().reservations()).isEqualTo(2);
        assertThat(requestedCpu(loop)).isEqualTo(1000 + 3 * 2000);
    }

    // ---------------------------------------------------------------- PodGroup scheduleTimeoutSeconds

    @Test
    void aGangThatNeverReachesMinAvailableTimesOutAsItsPodGroupSaysAndHoldsNothing() {
        ScriptedBinder binder = new ScriptedBinder();
        SchedulingLoop loop = loop(binder, 1, 16);
        GangPlugin.of(loop).onGroupPolicy("ml/train", new GroupPolicy("ml/train", 3, ResourceList.EMPTY, Duration.ofSeconds(60),
                "PodGroup scheduling.x-k8s.io/v1alpha1 ml/train"));
        loop.onPodUpserted(pod("w-0").namespace("ml").label(GangLabels.POD_GROUP, "train").cpu(1).build());
        loop.onPodUpserted(pod("w-1").namespace("ml").label(GangLabels.POD_GROUP, "train").cpu(1).build());
        loop.runUntilIdle();
        assertThat(events.linesAbout("w-0")).noneMatch(l -> l.startsWith("GangScheduleTimeout"));

        clock.advance(Duration.ofSeconds(61));
        loop.runUntilIdle();

        for (String member : List.of("w-0", "w-1")) {
            assertThat(events.linesAbout(member)).anySatisfy(l -> assertThat(l)
                    .startsWith("GangScheduleTimeout " + member + ": gang ml/train: not placed within the PodGroup's "
                            + "scheduleTimeoutSeconds (1m0s)"));
            assertThat(events.linesAbout(member)).last().asString().startsWith("FailedScheduling " + member)
                    .contains("timed out");
        }
        assertThat(binder.bindings()).isEmpty();
        assertThat(requestedCpu(loop)).isZero();

        // Told once per timeout, not on every iteration.
        long told = events.lines().stream().filter(l -> l.startsWith("GangScheduleTimeout")).count();
        clock.advance(Duration.ofSeconds(5));
        loop.runUntilIdle();
        assertThat(events.lines().stream().filter(l -> l.startsWith("GangScheduleTimeout")).count()).isEqualTo(told);

        // The third member arrives: the group is placed after all.
        loop.onPodUpserted(pod("w-2").namespace("ml").label(GangLabels.POD_GROUP, "train").cpu(1).build());
        clock.advance(Duration.ofSeconds(20));
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsOnlyKeys("w-0", "w-1", "w-2");
    }

    // ---------------------------------------------------------------- bounded books

    /** What the loop keeps about a driver and its members goes with them: nothing grows with pods that came and went. */
    @Test
    void aDeletedDriverLeavesNothingOfItsOwnBehind() throws Exception {
        ScriptedBinder binder = new ScriptedBinder();
        SchedulingLoop loop = loop(binder, 1, 8);
        PodInfo driver = driver("pi", 3);
        GangPlugin.of(loop).onDriverExecutorTemplate(driver.key(), twoCoreExecutors(0));
        loop.onPodUpserted(driver);
        loop.runUntilIdle();
        loop.onPodUpserted(driver.withNodeName("n0"));
        loop.onPodUpserted(executor("pi", 1, 3).build());
        loop.runUntilIdle();
        loop.onPodUpserted(executor("pi", 1, 3).boundTo("n0").build());
        loop.runUntilIdle();

        loop.onPodRemoved(new PodKey("spark", "pi-exec-1"));
        loop.onPodRemoved(driver.key());
        java.util.concurrent.CompletableFuture<Map<String, Integer>> sizes = loop.bookkeepingSizes();
        loop.runUntilIdle();

        assertThat(sizes.get(1, java.util.concurrent.TimeUnit.SECONDS)).as("every book is empty again")
                .allSatisfy((book, size) -> assertThat(size).as(book).isEqualTo(book.equals("nodes") ? 1 : 0));
    }

    /** A pending gang member that turns unreadable no longer counts as present. */
    @Test
    void aMemberThatBecomesInvalidNoLongerCountsTowardsItsGang() throws Exception {
        ScriptedBinder binder = new ScriptedBinder();
        SchedulingLoop loop = loop(binder, 1, 16);
        PodFixture member = pod("w-0").namespace("ml").label(GangLabels.NAME, "train").label(GangLabels.MIN_AVAILABLE, "3").cpu(1);
        loop.onPodUpserted(member.build());
        loop.onPodUpserted(pod("w-1").namespace("ml").label(GangLabels.NAME, "train").label(GangLabels.MIN_AVAILABLE, "3").cpu(1).build());
        loop.runUntilIdle();
        loop.onPodInvalid(member.build(), "annotation numa.scheduling.kubenexus.io/policy: unknown value");
        loop.onPodUpserted(pod("w-2").namespace("ml").label(GangLabels.NAME, "train").label(GangLabels.MIN_AVAILABLE, "3").cpu(1).build());
        loop.runUntilIdle();

        java.util.concurrent.CompletableFuture<Map<String, Integer>> sizes = loop.bookkeepingSizes();
        loop.runUntilIdle();

        assertThat(binder.bindings()).as("2 readable members of 3 are not a gang").isEmpty();
        assertThat(events.linesAbout("w-2")).last().asString().contains("2/3 members present");
        assertThat(sizes.get(1, java.util.concurrent.TimeUnit.SECONDS)).containsEntry("memberships", 2);
    }
}
