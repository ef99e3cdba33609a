package io.kubenexus.scheduler.gang;

import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.gang.group.GangSettings;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.gang.group.GroupPolicy;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.testing.MutableClock;
import io.kubenexus.scheduler.core.testing.PodFixture;
import io.kubenexus.scheduler.core.testing.RecordingEventSink;
import io.kubenexus.scheduler.core.testing.ScriptedBinder;
import io.kubenexus.scheduler.gang.lifecycle.GangPlugin;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * spark-operator's kube-scheduler mode as it really runs: a scheduler-plugins PodGroup {@code <app>-pg}
 * with minMember 1 and minResources = driver + executors x instances, pods labelled with it and with the
 * application's name. The driver is driver-first all the same: held until its executors fit too.
 */
class SparkOperatorKubeSchedulerModeTest {
    private static final long GI = 1L << 30;
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final ScriptedBinder binder = new ScriptedBinder();
    private final RecordingEventSink events = new RecordingEventSink();
    private final SchedulerSettings settings = SchedulerSettings.defaults();
    private final SchedulingLoop loop = GangPlugin.newLoop(settings, SchedulingProfile.defaults(settings), new GangLabels(),
            new GangPlanner(), GangSettings.defaults(), binder, events, SchedulerMetrics.NONE, clock);
    private final GangPlugin gangs = GangPlugin.of(loop);

    private void start(int nodes, double cpu) {
        loop.onLeadershipChanged(true);
        loop.onCachesSynced();
        for (int i = 0; i < nodes; i++) {
            loop.onNodeUpserted(node("n" + i).cpu(cpu).memoryGi(64).build());
        }
    }

    private static PodFixture operatorPod(String name, String role) {
        return pod(name).namespace("spark").label(GangLabels.SPARK_ROLE, role).label(GangLabels.POD_GROUP, "pi-pg")
                .label(GangLabels.OPERATOR_APP_NAME, "pi").label(GangLabels.SPARK_APP_SELECTOR, "spark-pi");
    }

    private static PodInfo driver() {
        return operatorPod("pi-driver", "driver").cpu(1).memoryGi(2).build();
    }

    private static PodInfo executor(int id) {
        return operatorPod("pi-exec-" + id, "executor").label(GangLabels.SPARK_EXEC_ID, Integer.toString(id))
                .cpu(2).memoryGi(4).build();
    }

    /** As spark-operator writes it: driver 1 cpu + 2Gi, three executors of 2 cpu + 4Gi (no overheads). */
    private static GroupPolicy podGroup(Duration timeout) {
        return new GroupPolicy("spark/pi-pg", 1, ResourceList.of(Map.of("cpu", 7000L, "memory", 14 * GI)), timeout,
                "PodGroup scheduling.x-k8s.io/v1alpha1 spark/pi-pg");
    }

    private long requestedCpu() {
        return loop.view().nodes().stream().mapToLong(v -> v.requested(0)).sum();
    }

    private void waitOut(Duration duration) {
        for (long s = 0; s <= duration.toSeconds(); s += 5) {
            clock.advance(Duration.ofSeconds(5));
            loop.runUntilIdle();
        }
    }

    @Test
    void withoutASparkApplicationMinResourcesHoldTheDriverAndReservePlacesTheDriversSize() {
        start(2, 4);
        gangs.onGroupPolicy("spark/pi-pg", podGroup(null));
        loop.onPodUpserted(driver());
        loop.runUntilIdle();
        assertThat(binder.bindings()).as("the SparkApplication may still come: the driver waits a little").isEmpty();

        waitOut(GangSettings.DEFAULT_OBJECT_WAIT);

        assertThat(binder.bindings()).containsOnlyKeys("pi-driver");
        // minResources 7 cpu - driver 1 = 6 cpu, 12Gi: six places of the driver's 1 cpu + 2Gi.
        assertThat(loop.stats().reservations()).isEqualTo(6);
        assertThat(requestedCpu()).isEqualTo(7000);
        assertThat(events.linesAbout("pi-driver")).anySatisfy(line -> assertThat(line)
                .startsWith("ExecutorsSizedFromMinResources pi-driver: gang spark/pi-pg: no SparkApplication spark/pi")
                .contains("6 executor place(s) of cpu=1, memory=2Gi (no larger than the driver)"));
    }

    @Test
    void withoutRoomForTheRemainderTheDriverIsNotPlacedAtAll() {
        start(1, 4); // 4 cpu, minResources asks 7
        gangs.onGroupPolicy("spark/pi-pg", podGroup(null));
        loop.onPodUpserted(driver());
        waitOut(GangSettings.DEFAULT_OBJECT_WAIT.plusSeconds(10));

        assertThat(binder.bindings()).isEmpty();
        assertThat(requestedCpu()).as("nothing held while it waits").isZero();
        assertThat(events.linesAbout("pi-driver")).last().asString().contains("driver and 6 executor(s) sized by PodGroup");
    }

    @Test
    void withASparkApplicationTheExecutorsAreSizedFromItAndAnAgreeingMinResourcesIsQuiet() {
        start(2, 4);
        gangs.onGroupPolicy("spark/pi-pg", podGroup(null));
        gangs.onExecutorTemplate("spark", "pi", new ExecutorTemplate(ResourceList.of(Map.of("cpu", 2000L, "memory",
                4 * GI + (384L << 20))), 3, Map.of(), List.of(), "SparkApplication spark/pi"));
        loop.onPodUpserted(driver());
        loop.runUntilIdle();

        assertThat(binder.bindings()).as("sized at once: no wait").containsOnlyKeys("pi-driver");
        assertThat(loop.stats().reservations()).isEqualTo(3);
        assertThat(events.lines()).noneMatch(line -> line.startsWith("MinResourcesMismatch"));

        loop.onPodUpserted(driver().withNodeName(binder.bindings().get("pi-driver")));
        for (int id = 1; id <= 3; id++) {
            loop.onPodUpserted(executor(id));
        }
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsKeys("pi-exec-1", "pi-exec-2", "pi-exec-3");
        assertThat(loop.stats().reservations()).isZero();
    }

    @Test
    void aMinResourcesThatDisagreesWithTheSparkApplicationIsReported() {
        start(4, 8);
        gangs.onGroupPolicy("spark/pi-pg", podGroup(null));
        gangs.onExecutorTemplate("spark", "pi", new ExecutorTemplate(ResourceList.of(Map.of("cpu", 4000L, "memory",
                4 * GI)), 3, Map.of(), List.of(), "SparkApplication spark/pi"));
        loop.onPodUpserted(driver());
        loop.runUntilIdle();

        assertThat(binder.bindings()).containsOnlyKeys("pi-driver");
        assertThat(events.linesAbout("pi-driver")).anySatisfy(line -> assertThat(line)
                .startsWith("MinResourcesMismatch pi-driver: gang spark/pi-pg: PodGroup")
                .contains("cpu=7 differs from the driver and 3 executor(s), cpu=13")
                .endsWith("the executors are sized from SparkApplication spark/pi"));
    }

    @Test
    void scheduleTimeoutSecondsTimesOutAWaitingDriver() {
        start(1, 4);
        gangs.onGroupPolicy("spark/pi-pg", podGroup(Duration.ofSeconds(60)));
        loop.onPodUpserted(driver());
        waitOut(Duration.ofSeconds(95));

        assertThat(binder.bindings()).isEmpty();
        assertThat(events.linesAbout("pi-driver")).as(String.join("\n", events.lines())).anySatisfy(line -> assertThat(line)
                .startsWith("GangScheduleTimeout pi-driver: gang spark/pi-pg: not placed within the PodGroup's "
                        + "scheduleTimeoutSeconds (1m0s)"));
    }

    @Test
    void executorsBeyondTheReservedOnesNeverTakeAnotherGangsPlaces() {
        start(2, 4);
        gangs.onExecutorTemplate("spark", "pi", new ExecutorTemplate(ResourceList.of(Map.of("cpu", 2000L, "memory",
                4 * GI)), 1, Map.of(), List.of(), "SparkApplication spark/pi"));
        gangs.onGroupPolicy("spark/pi-pg", new GroupPolicy("spark/pi-pg", 1, ResourceList.EMPTY, null, "PodGroup spark/pi-pg"));
        gangs.onGroupPolicy("spark/etl-pg", new GroupPolicy("spark/etl-pg", 1, ResourceList.EMPTY, null, "PodGroup spark/etl-pg"));
        gangs.onExecutorTemplate("spark", "etl", new ExecutorTemplate(ResourceList.of(Map.of("cpu", 2000L, "memory",
                4 * GI)), 2, Map.of(), List.of(), "SparkApplication spark/etl"));
        loop.onPodUpserted(driver());
        loop.onPodUpserted(pod("etl-driver").namespace("spark").label(GangLabels.SPARK_ROLE, "driver")
                .label(GangLabels.POD_GROUP, "etl-pg").label(GangLabels.OPERATOR_APP_NAME, "etl").cpu(1).memoryGi(1).build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsOnlyKeys("pi-driver", "etl-driver");
        assertThat(loop.stats().reservations()).as("1 for pi, 2 for etl").isEqualTo(3);

        // pi asks for more executors than it reserved (dynamic allocation): the first takes pi's place,
        // the others find only etl's places left and wait rather than take them.
        loop.onPodUpserted(driver().withNodeName(binder.bindings().get("pi-driver")));
        for (int id = 1; id <= 3; id++) {
            loop.onPodUpserted(executor(id));
        }
        loop.runUntilIdle();

        assertThat(binder.bindings()).containsKey("pi-exec-1").doesNotContainKeys("pi-exec-2", "pi-exec-3");
        assertThat(GangPlugin.of(loop).reservationsOf("spark/etl-pg")).hasSize(2);
    }

    /** Review: places the driver's size must still let the (larger) executors that minResources counted in. */
    @Test
    void executorsLargerThanTheDriverTakeTheRoomMinResourcesReservedForThem() {
        start(2, 4);
        gangs.onGroupPolicy("spark/pi-pg", podGroup(null));
        loop.onPodUpserted(driver());
        loop.runUntilIdle();
        waitOut(GangSettings.DEFAULT_OBJECT_WAIT);
        assertThat(binder.bindings()).containsOnlyKeys("pi-driver");
        assertThat(loop.stats().reservations()).isEqualTo(6);

        loop.onPodUpserted(driver().withNodeName(binder.bindings().get("pi-driver")));
        for (int id = 1; id <= 3; id++) {
            loop.onPodUpserted(executor(id));
        }
        loop.runUntilIdle();

        // minResources (7 cpu) = driver 1 + 3 x 2: the 6 cpu held are exactly the executors' room.
        assertThat(binder.bindings()).containsKeys("pi-exec-1", "pi-exec-2", "pi-exec-3");
    }
}
