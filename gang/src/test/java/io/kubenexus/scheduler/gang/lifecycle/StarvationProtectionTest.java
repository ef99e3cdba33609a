package io.kubenexus.scheduler.gang.lifecycle;

import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.testing.MutableClock;
import io.kubenexus.scheduler.core.testing.PodFixture;
import io.kubenexus.scheduler.core.testing.RecordingEventSink;
import io.kubenexus.scheduler.core.testing.ScriptedBinder;
import io.kubenexus.scheduler.gang.GangLabels;
import io.kubenexus.scheduler.gang.GangPlanner;
import io.kubenexus.scheduler.gang.group.GangSettings;
import io.kubenexus.scheduler.gang.group.StarvationSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Starvation protection through the real loop, labels and planner: a gang waiting past its starvation
 * time holds room as it frees (never more than it needs), so a stream of small pods cannot keep it out;
 * small pods may use that room only when their declared run time ends before the gang could start.
 */
class StarvationProtectionTest {
    private static final Duration STARVES_AFTER = Duration.ofMinutes(5);

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final ScriptedBinder binder = new ScriptedBinder();
    private final RecordingEventSink events = new RecordingEventSink();
    private final CountingMetrics metrics = new CountingMetrics();
    private final SchedulerSettings settings = SchedulerSettings.defaults();
    private SchedulingLoop loop;
    private GangPlugin gang;

    private void start(StarvationSettings starvation) {
        loop = GangPlugin.newLoop(settings, SchedulingProfile.defaults(settings), new GangLabels(), new GangPlanner(),
                GangSettings.defaults().withStarvation(starvation), binder, events, metrics, clock);
        gang = GangPlugin.of(loop);
        loop.onLeadershipChanged(true);
        loop.onCachesSynced();
        for (int i = 0; i < 2; i++) {
            loop.onNodeUpserted(node("n" + i).cpu(8).memoryGi(64).build());
        }
        // Four small pods fill both nodes.
        for (int i = 0; i < 4; i++) {
            loop.onPodUpserted(small("s" + i).boundTo("n" + (i / 2)).build());
        }
        // The big gang: two members of a whole node each.
        for (int i = 0; i < 2; i++) {
            loop.onPodUpserted(pod("big-" + i).namespace("batch").label(GangLabels.NAME, "big")
                    .label(GangLabels.MIN_AVAILABLE, "2").cpu(8).build());
        }
        loop.runUntilIdle();
        assertThat(binder.bindings()).isEmpty();
    }

    private PodFixture small(String name) {
        return pod(name).cpu(4).startedAt(clock.instant());
    }

    /** A small pod leaves and another arrives at once, a second passes. */
    private void churn(String leaving, PodInfo arriving) {
        loop.onPodRemoved(new PodKey("default", leaving));
        loop.onPodUpserted(arriving);
        loop.runUntilIdle();
        clock.advance(Duration.ofSeconds(1));
        loop.runUntilIdle();
    }

    private long heldCpu() {
        return gang.room.held.of("batch/big").stream().mapToLong(h -> h.standIn().requests().get("cpu")).sum();
    }

    @Test
    void aStarvingGangHoldsTheRoomAsItFreesAndIsPlacedBeforeTheStreamOfSmallPods() {
        start(StarvationSettings.after(STARVES_AFTER));
        clock.advance(STARVES_AFTER.plusSeconds(1));
        loop.runUntilIdle();
        assertThat(heldCpu()).as("nothing is free yet").isZero();

        churn("s0", small("q0").build());
        assertThat(binder.bindings()).as("the freed room is held, not given to q0").isEmpty();
        assertThat(heldCpu()).isEqualTo(4000);
        assertThat(metrics.heldRoom.get("cpu")).isEqualTo(4000);
        assertThat(events.lines()).anyMatch(l -> l.startsWith("StarvationRoomHeld big-")
                && l.contains("holding cpu=4") && l.contains("room complete for 0 of 2"));

        churn("s1", small("q1").build());
        assertThat(heldCpu()).as("one member's room complete").isEqualTo(8000);
        churn("s2", small("q2").build());
        churn("s3", small("q3").build());

        assertThat(binder.bindings()).containsOnlyKeys("big-0", "big-1");
        assertThat(binder.bindings().values()).containsExactlyInAnyOrder("n0", "n1");
        assertThat(heldCpu()).as("the hold is gone once the gang is placed").isZero();
        assertThat(metrics.heldRoom.get("cpu")).isZero();
    }

    @Test
    void withoutStarvationProtectionTheStreamOfSmallPodsKeepsTheGangOut() {
        start(StarvationSettings.off());
        clock.advance(Duration.ofHours(1));
        for (int i = 0; i < 4; i++) {
            churn("s" + i, small("q" + i).build());
        }
        assertThat(binder.bindings()).containsOnlyKeys("q0", "q1", "q2", "q3");
    }

    @Test
    void theWaitIsPerPriority() {
        TreeMap<Integer, Duration> byPriority = new TreeMap<>(Map.of(1000, Duration.ofHours(1)));
        start(new StarvationSettings(STARVES_AFTER, byPriority));
        assertThat(gang.settings.starvation().starvesAfter(0)).isEqualTo(STARVES_AFTER);
        assertThat(gang.settings.starvation().starvesAfter(5000)).isEqualTo(Duration.ofHours(1));
        assertThat(StarvationSettings.off().starvesAfter(0)).isNull();
    }

    @Test
    void aPodWhoseDeclaredRunTimeEndsBeforeTheGangCouldStartMayUseTheHeldRoomOthersMayNot() {
        start(StarvationSettings.after(STARVES_AFTER));
        // The small pods still running declare 30 minutes: the gang cannot start before they end.
        for (int i = 1; i < 4; i++) {
            loop.onPodUpserted(small("s" + i).boundTo("n" + (i / 2)).declaredRunTime(Duration.ofMinutes(30)).build());
        }
        clock.advance(STARVES_AFTER.plusSeconds(1));
        loop.onPodRemoved(new PodKey("default", "s0"));
        loop.runUntilIdle();
        assertThat(heldCpu()).isEqualTo(4000);

        loop.onPodUpserted(small("no-deadline").build());
        loop.onPodUpserted(small("too-long").declaredRunTime(Duration.ofMinutes(40)).build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).as("either could delay the gang").isEmpty();

        loop.onPodUpserted(small("short").declaredRunTime(Duration.ofMinutes(10)).build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsOnlyKeys("short");
        assertThat(binder.bindings().get("short")).isEqualTo("n0");
        assertThat(metrics.backfills).isEqualTo(1);
        assertThat(events.linesAbout("short")).anyMatch(l -> l.startsWith("Backfilled short: placed on n0 in room held "
                + "for starving gang(s) [batch/big]"));
        assertThat(heldCpu()).as("the room lent to the backfilled pod").isZero();

        // It ends: the room is held again, not given to the pods waiting.
        loop.onPodRemoved(new PodKey("default", "short"));
        loop.runUntilIdle();
        assertThat(heldCpu()).isEqualTo(4000);
        assertThat(binder.bindings()).containsOnlyKeys("short");
    }

    @Test
    void theHoldIsReleasedWhenTheGangGoesAway() {
        start(StarvationSettings.after(STARVES_AFTER));
        clock.advance(STARVES_AFTER.plusSeconds(1));
        churn("s0", small("q0").build());
        assertThat(heldCpu()).isEqualTo(4000);

        loop.onPodRemoved(new PodKey("batch", "big-0"));
        loop.onPodRemoved(new PodKey("batch", "big-1"));
        loop.runUntilIdle();

        assertThat(heldCpu()).isZero();
        assertThat(binder.bindings()).as("the room went to the waiting pod").containsOnlyKeys("q0");
    }

    private static final class CountingMetrics implements SchedulerMetrics {
        final Map<String, Long> heldRoom = new HashMap<>();
        int backfills;

        @Override
        public void attempt(String result, long durationNanos) {
        }

        @Override
        public void bind(io.kubenexus.scheduler.core.ports.BindOutcome outcome, long durationNanos) {
        }

        @Override
        public void queueSize(String queue, int size) {
        }

        @Override
        public void starvationHeldRoom(String resource, long amount) {
            heldRoom.put(resource, amount);
        }

        @Override
        public void backfilled() {
            backfills++;
        }
    }
}
