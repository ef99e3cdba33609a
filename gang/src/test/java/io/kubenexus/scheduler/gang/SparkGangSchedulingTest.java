package io.kubenexus.scheduler.gang;

import io.kubenexus.scheduler.gang.lifecycle.GangPlugin;
import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.gang.group.GangSettings;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.core.framework.FilterDiagnosis;
import io.kubenexus.scheduler.core.framework.FilterPlugin;
import io.kubenexus.scheduler.gang.group.GroupPolicy;
import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.state.ClusterSnapshot;
import io.kubenexus.scheduler.core.state.NodeView;
import io.kubenexus.scheduler.core.testing.MutableClock;
import io.kubenexus.scheduler.core.testing.PodFixture;
import io.kubenexus.scheduler.core.testing.RecordingEventSink;
import io.kubenexus.scheduler.core.testing.ScriptedBinder;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Spark's driver-first gangs through the real loop, labels and planner: the driver is bound only
 * with room for its executors, that room is reserved until they arrive, and nothing deadlocks.
 */
class SparkGangSchedulingTest {
    private static final long GI = 1024L * 1024 * 1024;

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final ScriptedBinder binder = new ScriptedBinder();
    private final RecordingEventSink events = new RecordingEventSink();
    private final SchedulerSettings settings = SchedulerSettings.defaults();

    private SchedulingLoop newLoop() {
        return GangPlugin.newLoop(settings, SchedulingProfile.defaults(settings), new GangLabels(), new GangPlanner(),
                GangSettings.defaults(), binder, events, SchedulerMetrics.NONE, clock);
    }

    private final SchedulingLoop loop = newLoop();

    private static PodFixture spark(String name, String app, String role, int minAvailable) {
        return pod(name).namespace("spark").label("spark-role", role).label("spark-app-selector", "spark-" + app)
                .label("sparkoperator.k8s.io/app-name", app)
                .label(GangLabels.NAME, app).label(GangLabels.MIN_AVAILABLE, Integer.toString(minAvailable));
    }

    private static PodInfo driver(String app, int minAvailable) {
        return spark(app + "-driver", app, "driver", minAvailable).cpu(1).memoryGi(2).build();
    }

    private static PodInfo executor(String app, int id, int minAvailable) {
        return spark(app + "-exec-" + id, app, "executor", minAvailable).cpu(2).memoryGi(4).build();
    }

    private static ExecutorTemplate twoCoreExecutors(int count) {
        return new ExecutorTemplate(ResourceList.of(Map.of("cpu", 2000L, "memory", 4 * GI)), count, Map.of(), List.of(),
                "SparkApplication spark/test");
    }

    private void start(SchedulingLoop target, int nodes, double cpu) {
        target.onLeadershipChanged(true);
        target.onCachesSynced();
        for (int i = 0; i < nodes; i++) {
            target.onNodeUpserted(node("n" + i).cpu(cpu).memoryGi(64).build());
        }
    }

    private long requestedCpu() {
        return loop.view().nodes().stream().mapToLong(v -> v.requested(0)).sum();
    }

    @Test
    void theDriverIsBoundWithItsExecutorsPlacesReservedAndTheExecutorsTakeThem() {
        start(loop, 2, 4);
        GangPlugin.of(loop).onExecutorTemplate("spark", "pi", twoCoreExecutors(3));
        loop.onPodUpserted(driver("pi", 4));
        loop.runUntilIdle();

        assertThat(binder.bindings()).containsOnlyKeys("pi-driver");
        assertThat(loop.stats().reservations()).isEqualTo(3);
        assertThat(requestedCpu()).as("driver 1 + three reserved executors of 2").isEqualTo(7000);

        // Another pod cannot take the reserved room: only 1 cpu is really free.
        loop.onPodUpserted(pod("intruder").cpu(2).build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).doesNotContainKey("intruder");

        // The driver runs and creates its executors, as Spark does.
        loop.onPodUpserted(driver("pi", 4).withNodeName(binder.bindings().get("pi-driver")));
        for (int i = 1; i <= 3; i++) {
            loop.onPodUpserted(executor("pi", i, 4));
        }
        loop.runUntilIdle();

        assertThat(binder.bindings()).containsKeys("pi-exec-1", "pi-exec-2", "pi-exec-3");
        assertThat(loop.stats().reservations()).isZero();
        assertThat(requestedCpu()).as("the executors replaced their reservations, nothing counted twice").isEqualTo(7000);
    }

    private long reservedCpu() {
        return loop.view().nodes().stream().mapToLong(v -> v.reserved(0)).sum();
    }

    @Test
    void thePublishedViewTellsReservedCapacityFromRequestedUntilTheExecutorsTakeTheirPlaces() {
        start(loop, 2, 4);
        GangPlugin.of(loop).onExecutorTemplate("spark", "pi", twoCoreExecutors(3));
        loop.onPodUpserted(driver("pi", 4));
        loop.runUntilIdle();
        assertThat(requestedCpu()).as("requested includes the places held").isEqualTo(7000);
        assertThat(reservedCpu()).as("three places of 2 cpu").isEqualTo(6000);

        loop.onPodUpserted(driver("pi", 4).withNodeName(binder.bindings().get("pi-driver")));
        loop.onPodUpserted(executor("pi", 1, 4));
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsKey("pi-exec-1");
        assertThat(reservedCpu()).as("the executor took one place").isEqualTo(4000);
        assertThat(requestedCpu()).isEqualTo(7000);

        clock.advance(Duration.ofMinutes(5));
        loop.runUntilIdle();
        assertThat(reservedCpu()).as("the other two expired").isZero();
        assertThat(requestedCpu()).isEqualTo(3000);
    }

    @Test
    void twoDriversCompetingForRoomForOneBindOneAndTheOtherWaitsHoldingNothing() {
        start(loop, 2, 4);
        GangPlugin.of(loop).onExecutorTemplate("spark", "a", twoCoreExecutors(3));
        GangPlugin.of(loop).onExecutorTemplate("spark", "b", twoCoreExecutors(3));
        loop.onPodUpserted(driver("a", 4));
        loop.onPodUpserted(driver("b", 4));
        loop.runUntilIdle();

        assertThat(binder.bindings()).hasSize(1);
        String waiting = binder.bindings().containsKey("a-driver") ? "b" : "a";
        assertThat(loop.stats().reservations()).as("only the winner holds reservations").isEqualTo(3);
        assertThat(events.linesAbout(waiting + "-driver")).last().asString()
                .contains("driver and 3 executor(s) sized by SparkApplication spark/test")
                .contains("gang spark/" + waiting + ": 4 members need cpu=7, memory=14Gi")
                .contains("the whole cluster has only cpu=1 free");
    }

    @Test
    void unusedReservationsAreReleasedAfterTheirTtlAndTheDriverIsTold() {
        start(loop, 1, 8);
        GangPlugin.of(loop).onExecutorTemplate("spark", "pi", twoCoreExecutors(2));
        loop.onPodUpserted(driver("pi", 3));
        loop.onPodUpserted(pod("waiting").cpu(4).build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsOnlyKeys("pi-driver");
        assertThat(loop.stats().reservations()).isEqualTo(2);

        clock.advance(Duration.ofMinutes(5));
        loop.runUntilIdle();

        assertThat(loop.stats().reservations()).isZero();
        assertThat(loop.stats().reservationsExpired()).isEqualTo(2);
        assertThat(events.linesAbout("pi-driver")).contains(
                "ReservationExpired pi-driver: gang spark/pi: released 2 executor place(s) held for 5m0s: the executors did not arrive");
        assertThat(binder.bindings()).as("the released room goes to the waiting pod").containsKey("waiting");
    }

    @Test
    void aDeletedDriverReleasesItsReservations() {
        start(loop, 1, 8);
        GangPlugin.of(loop).onExecutorTemplate("spark", "pi", twoCoreExecutors(2));
        loop.onPodUpserted(driver("pi", 3));
        loop.runUntilIdle();
        assertThat(loop.stats().reservations()).isEqualTo(2);

        loop.onPodRemoved(driver("pi", 3).key());
        loop.runUntilIdle();

        assertThat(loop.stats().reservations()).isZero();
        assertThat(requestedCpu()).isZero();
    }

    @Test
    void aRestartedSchedulerReservesAgainForABoundDriverWhoseExecutorsAreMissing() {
        SchedulingLoop restarted = newLoop();
        restarted.onNodeUpserted(node("n0").cpu(8).memoryGi(64).build());
        GangPlugin.of(restarted).onExecutorTemplate("spark", "pi", twoCoreExecutors(3));
        restarted.onPodUpserted(driver("pi", 4).withNodeName("n0"));
        restarted.onPodUpserted(executor("pi", 1, 4).withNodeName("n0"));
        restarted.onLeadershipChanged(true);
        restarted.onCachesSynced();
        restarted.runUntilIdle();

        assertThat(restarted.stats().reservations()).as("two executors still missing").isEqualTo(2);
        NodeView n0 = restarted.view().node("n0");
        assertThat(n0.requested(0)).as("driver 1 + executor 2 + two reserved of 2").isEqualTo(7000);
    }

    @Test
    void aPodGroupsMinResourcesSizeTheExecutorsBeforeTheApplication() {
        start(loop, 1, 16);
        GangPlugin.of(loop).onExecutorTemplate("spark", "pi", twoCoreExecutors(3));
        GangPlugin.of(loop).onGroupPolicy("spark/pi", new GroupPolicy("spark/pi", 3,
                ResourceList.of(Map.of("cpu", 9000L, "memory", 10 * GI)), null, "PodGroup scheduling.x-k8s.io/v1alpha1 spark/pi"));
        loop.onPodUpserted(driver("pi", 3));
        loop.runUntilIdle();

        assertThat(loop.stats().reservations()).as("min-available 3 = driver + 2").isEqualTo(2);
        assertThat(requestedCpu()).as("driver 1 + 2 x (9 - 1) / 2").isEqualTo(9000);
    }

    @Test
    void aDriverWhoseExecutorsCannotBeSizedIsToldAndPlacedAlone() {
        start(loop, 1, 8);
        loop.onPodUpserted(driver("mystery", 5));
        loop.runUntilIdle();
        assertThat(binder.bindings()).as("first it waits for its SparkApplication").isEmpty();
        assertThat(events.linesAbout("mystery-driver")).last().asString()
                .endsWith("waiting for SparkApplication spark/mystery to size the executors");

        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofSeconds(10));
            loop.runUntilIdle();
        }

        assertThat(binder.bindings()).containsOnlyKeys("mystery-driver");
        assertThat(loop.stats().reservations()).isZero();
        assertThat(events.linesAbout("mystery-driver")).anySatisfy(line -> assertThat(line)
                .startsWith("ExecutorsNotSized mystery-driver: gang spark/mystery: cannot size the executors"));
    }

    @Test
    void executorsBeyondTheReservationsArePlacedLikeAnyPod() {
        start(loop, 2, 8);
        GangPlugin.of(loop).onExecutorTemplate("spark", "pi", twoCoreExecutors(1));
        loop.onPodUpserted(driver("pi", 2));
        loop.runUntilIdle();
        loop.onPodUpserted(driver("pi", 2).withNodeName(binder.bindings().get("pi-driver")));
        loop.onPodUpserted(executor("pi", 1, 2));
        loop.onPodUpserted(executor("pi", 2, 2));
        loop.runUntilIdle();

        assertThat(binder.bindings()).containsKeys("pi-exec-1", "pi-exec-2");
        assertThat(loop.stats().reservations()).isZero();
    }

    /**
     * An executor its reserved node refuses for a reason other than capacity (here a gate standing
     * for, e.g., a NUMA zone still settling) waits in the unschedulable pool. The general attempt
     * sees the node full of the reservation and blames capacity; the executor must still be retried
     * when the event that can lift the refusal comes, or it waits minutes with its place held.
     */
    @Test
    void anExecutorRefusedByItsReservedPlaceIsRetriedOnTheEventThatCanLiftTheRefusal() {
        ExecutorGate gate = new ExecutorGate();
        SchedulingLoop gated = GangPlugin.newLoop(settings, SchedulingProfile.defaults(settings).with(gate, null),
                new GangLabels(), new GangPlanner(), GangSettings.defaults(), binder, events, SchedulerMetrics.NONE,
                clock);
        gated.onLeadershipChanged(true);
        gated.onCachesSynced();
        gated.onNodeUpserted(node("n0").cpu(3).memoryGi(64).build());
        GangPlugin.of(gated).onExecutorTemplate("spark", "pi", twoCoreExecutors(1));
        gated.onPodUpserted(driver("pi", 2));
        gated.runUntilIdle();
        assertThat(binder.bindings()).containsOnlyKeys("pi-driver");
        assertThat(gated.stats().reservations()).isEqualTo(1);

        gate.closed = true;
        gated.onPodUpserted(driver("pi", 2).withNodeName("n0"));
        gated.onPodUpserted(executor("pi", 1, 2));
        gated.runUntilIdle();
        assertThat(binder.bindings()).doesNotContainKey("pi-exec-1");

        // The gate opens and the event it declares happens (a label change on the node).
        gate.closed = false;
        gated.onNodeUpserted(node("n0").cpu(3).memoryGi(64).label("ready", "true").build());
        gated.runUntilIdle();
        clock.advance(Duration.ofSeconds(11)); // past the retry backoff, far from the 5-minute flush
        gated.runUntilIdle();

        assertThat(binder.bindings()).containsEntry("pi-exec-1", "n0");
        assertThat(gated.stats().reservations()).isZero();
    }

    /** Rejects executors everywhere while closed; a node label change may open it. */
    private static final class ExecutorGate implements FilterPlugin {
        boolean closed;

        @Override
        public String name() {
            return "ExecutorGate";
        }

        @Override
        public void filter(PodContext pod, ClusterSnapshot snapshot, BitSet candidates, FilterDiagnosis diagnosis) {
            if (closed && "executor".equals(pod.pod().labels().get("spark-role"))) {
                diagnosis.rejectCount(this, "executor gate closed", candidates.cardinality());
                candidates.clear();
            }
        }

        @Override
        public Set<ClusterEventType> eventsThatMayHelp() {
            return Set.of(ClusterEventType.NODE_LABELS_CHANGED);
        }
    }
}
