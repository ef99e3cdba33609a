package io.kubenexus.scheduler.core.loop;

import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.TaintEffect;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.BindOutcome;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.state.ResourceColumns;
import io.kubenexus.scheduler.core.testing.MutableClock;
import io.kubenexus.scheduler.core.testing.RecordingEventSink;
import io.kubenexus.scheduler.core.testing.ScriptedBinder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SchedulingLoopTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final SchedulerSettings settings = SchedulerSettings.defaults();
    private final ScriptedBinder binder = new ScriptedBinder();
    private final RecordingEventSink events = new RecordingEventSink();
    private final SchedulingLoop loop = new SchedulingLoop(settings, SchedulingProfile.defaults(settings), binder,
            events, SchedulerMetrics.NONE, clock);

    private void leadAndSync() {
        loop.onLeadershipChanged(true);
        loop.onCachesSynced();
    }

    @Test
    void decidesNothingBeforeTheCachesHaveSynced() {
        loop.onLeadershipChanged(true);
        loop.onNodeUpserted(node("a").build());
        loop.onPodUpserted(pod("p").cpu(1).build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).isEmpty();

        loop.onCachesSynced();
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsEntry("p", "a");
    }

    @Test
    void aStandbyReplicaKeepsItsStateButBindsNothing() {
        loop.onCachesSynced();
        loop.onNodeUpserted(node("a").build());
        loop.onPodUpserted(pod("p").cpu(1).build());
        loop.onPodUpserted(pod("other").cpu(1).boundTo("a").build());
        loop.runUntilIdle();

        assertThat(binder.bindings()).isEmpty();
        assertThat(events.lines()).isEmpty();
        assertThat(loop.stateForTest().requested(ResourceColumns.CPU, 0)).as("cache kept warm").isEqualTo(1000);

        loop.onLeadershipChanged(true);
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsEntry("p", "a");
    }

    @Test
    void theAssumptionMakesTheNextDecisionSeeTheCapacityAsTaken() {
        leadAndSync();
        loop.onNodeUpserted(node("a").cpu(4).build());
        loop.onNodeUpserted(node("b").cpu(4).build());
        loop.onPodUpserted(pod("p1").cpu(3).build());
        loop.onPodUpserted(pod("p2").cpu(3).build());
        loop.runUntilIdle();

        assertThat(binder.bindings()).hasSize(2);
        assertThat(binder.bindings().get("p1")).isNotEqualTo(binder.bindings().get("p2"));
        assertThat(events.lines()).filteredOn(l -> l.startsWith("Scheduled")).hasSize(2);
    }

    @Test
    void anUnschedulablePodIsToldWhyAndScheduledWhenANodeArrives() {
        leadAndSync();
        loop.onNodeUpserted(node("small").cpu(2).build());
        loop.onNodeUpserted(node("gpu").cpu(64).taint("gpu", "true", TaintEffect.NO_SCHEDULE).build());
        loop.onPodUpserted(pod("big").cpu(8).build());
        loop.runUntilIdle();

        assertThat(events.linesAbout("big")).containsExactly(
                "FailedScheduling big: 0/2 nodes are available: 1 Insufficient cpu, "
                        + "1 node(s) had untolerated taint {gpu: true}.");
        assertThat(loop.stats().unschedulable()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(5));
        loop.onNodeUpserted(node("large").cpu(16).build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsEntry("big", "large");
    }

    @Test
    void aPodThatCannotFitIsNotRetriedOnUnrelatedChanges() {
        leadAndSync();
        loop.onNodeUpserted(node("a").cpu(2).build());
        loop.onPodUpserted(pod("big").cpu(8).build());
        loop.runUntilIdle();
        long attempts = loop.stats().attempts();

        clock.advance(Duration.ofSeconds(30));
        loop.onNodeUpserted(node("a").cpu(2).label("team", "x").build());
        loop.runUntilIdle();

        assertThat(loop.stats().attempts()).as("a label change cannot free cpu").isEqualTo(attempts);
    }

    @Test
    void aFailedBindForgetsTheAssumptionAndRetriesAfterBackoff() {
        binder.thenAnswer(BindOutcome.FAILED);
        leadAndSync();
        loop.onNodeUpserted(node("a").cpu(4).build());
        loop.onPodUpserted(pod("p").cpu(3).build());
        loop.runUntilIdle();

        assertThat(binder.bindings()).isEmpty();
        assertThat(loop.stateForTest().requested(ResourceColumns.CPU, 0)).as("assumption forgotten").isZero();
        assertThat(events.linesAbout("p")).singleElement().asString().startsWith("BindFailed");

        clock.advance(Duration.ofSeconds(1));
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsEntry("p", "a");
    }

    @Test
    void aPodAlreadyBoundElsewhereIsNotRetried() {
        binder.thenAnswer(BindOutcome.ALREADY_BOUND);
        leadAndSync();
        loop.onNodeUpserted(node("a").cpu(4).build());
        loop.onNodeUpserted(node("b").cpu(4).build());
        loop.onPodUpserted(pod("p").cpu(3).build());
        loop.runUntilIdle();
        loop.onPodUpserted(pod("p").cpu(3).boundTo("b").build());
        clock.advance(Duration.ofMinutes(1));
        loop.runUntilIdle();

        assertThat(binder.bindings()).isEmpty();
        assertThat(loop.stats().bindConflicts()).isEqualTo(1);
        assertThat(loop.stats().pending()).isZero();
        assertThat(loop.stateForTest().requested(ResourceColumns.CPU, loop.stateForTest().nodeIndex("b")))
                .isEqualTo(3000);
        assertThat(loop.stateForTest().requested(ResourceColumns.CPU, loop.stateForTest().nodeIndex("a"))).isZero();
    }

    @Test
    void aRestartCountsPodsAlreadyBoundBeforeDecidingAnything() {
        loop.onLeadershipChanged(true);
        loop.onNodeUpserted(node("a").cpu(4).build());
        loop.onPodUpserted(pod("pending").cpu(2).build());
        // The informer's initial list may deliver the running pods after the pending one.
        loop.onPodUpserted(pod("running").cpu(3).boundTo("a").build());
        loop.onCachesSynced();
        loop.runUntilIdle();

        assertThat(binder.bindings()).isEmpty();
        assertThat(events.linesAbout("pending")).singleElement().asString().contains("Insufficient cpu");
    }

    @Test
    void aMalformedPodIsReportedOnceAndEverythingElseIsScheduled() {
        leadAndSync();
        loop.onNodeUpserted(node("a").build());
        PodInfo broken = pod("broken").build();
        loop.onPodInvalid(broken, "container \"main\": memory request \"12x\" is not a valid quantity");
        loop.onPodInvalid(broken, "container \"main\": memory request \"12x\" is not a valid quantity");
        loop.onPodUpserted(pod("fine").cpu(1).build());
        loop.runUntilIdle();

        assertThat(events.linesAbout("broken")).containsExactly(
                "Invalid broken: container \"main\": memory request \"12x\" is not a valid quantity");
        assertThat(binder.bindings()).containsOnlyKeys("fine");

        // Fixing the pod brings it back.
        loop.onPodUpserted(pod("broken").cpu(1).build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsKeys("broken", "fine");
    }

    @Test
    void podsOfOtherSchedulersGatedPodsAndFinishedPodsAreNotScheduled() {
        leadAndSync();
        loop.onNodeUpserted(node("a").build());
        loop.onPodUpserted(pod("theirs").schedulerName("default-scheduler").build());
        loop.onPodUpserted(pod("gated").gated().build());
        loop.onPodUpserted(pod("leaving").terminating().build());
        loop.runUntilIdle();

        assertThat(binder.bindings()).isEmpty();
        assertThat(loop.stats().pending()).isZero();
    }

    @Test
    void aPodWithAConstraintWeDoNotEvaluateIsNeverPlaced() {
        leadAndSync();
        loop.onNodeUpserted(node("a").build());
        loop.onPodUpserted(pod("anti").unsupported("inter-pod anti-affinity").build());
        loop.runUntilIdle();

        assertThat(binder.bindings()).isEmpty();
        assertThat(events.linesAbout("anti")).singleElement().asString()
                .contains("0/1 nodes are available")
                .contains("inter-pod anti-affinity");
    }

    @Test
    void deletingABoundPodFreesRoomForAWaitingOne() {
        leadAndSync();
        loop.onNodeUpserted(node("a").cpu(4).build());
        loop.onPodUpserted(pod("running").cpu(3).boundTo("a").build());
        loop.onPodUpserted(pod("waiting").cpu(3).build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).isEmpty();

        clock.advance(Duration.ofSeconds(2));
        loop.onPodRemoved(pod("running").build().key());
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsEntry("waiting", "a");
    }

    @Test
    void publishesAReadViewForOtherThreads() {
        leadAndSync();
        loop.onNodeUpserted(node("a").cpu(4).build());
        loop.onPodUpserted(pod("p").cpu(1).build());
        loop.runUntilIdle();
        loop.stateForTest().publish();

        assertThat(loop.view().node("a").requested(ResourceColumns.CPU)).isEqualTo(1000);
    }
}
