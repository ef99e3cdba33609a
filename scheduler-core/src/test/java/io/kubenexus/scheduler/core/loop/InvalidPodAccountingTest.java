package io.kubenexus.scheduler.core.loop;

import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodPhase;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.BindResult;
import io.kubenexus.scheduler.core.ports.Binder;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.state.ResourceColumns;
import io.kubenexus.scheduler.core.testing.MutableClock;
import io.kubenexus.scheduler.core.testing.PodFixture;
import io.kubenexus.scheduler.core.testing.RecordingEventSink;
import io.kubenexus.scheduler.core.testing.ScriptedBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The loop's contract for pods that cannot be translated ({@link SchedulingLoop#onPodInvalid}):
 * accounting needs only requests, node and phase, so an assigned one is charged where it runs
 * (by whichever scheduler bound it), an unassigned one holds nothing and is not queued, and ours
 * are reported once.
 */
class InvalidPodAccountingTest {
    private static final String MALFORMED = "node affinity: key \"gpu\": unknown operator \"Near\"";

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final SchedulerSettings settings = SchedulerSettings.defaults();
    private final ScriptedBinder binder = new ScriptedBinder();
    private final RecordingEventSink events = new RecordingEventSink();
    private final SchedulingLoop loop = loop(binder);

    private SchedulingLoop loop(Binder with) {
        return new SchedulingLoop(settings, SchedulingProfile.defaults(settings), with, events, SchedulerMetrics.NONE,
                clock);
    }

    private static void leadAndSync(SchedulingLoop loop) {
        loop.onLeadershipChanged(true);
        loop.onCachesSynced();
    }

    private static long cpuOn(SchedulingLoop loop, String node) {
        return loop.stateForTest().requested(ResourceColumns.CPU, loop.stateForTest().nodeIndex(node));
    }

    @ParameterizedTest(name = "bound by {0}")
    @ValueSource(strings = {PodFixture.SCHEDULER, "default-scheduler"})
    void anAssignedPodThatCannotBeReadIsChargedWhereItRuns(String boundBy) {
        leadAndSync(loop);
        loop.onNodeUpserted(node("a").cpu(4).build());
        loop.onPodInvalid(pod("running").schedulerName(boundBy).cpu(3).boundTo("a").build(), MALFORMED);
        loop.onPodUpserted(pod("waiting").cpu(2).build());
        loop.runUntilIdle();

        assertThat(cpuOn(loop, "a")).isEqualTo(3000);
        assertThat(binder.bindings()).as("the node is not over-committed").isEmpty();
        assertThat(events.linesAbout("waiting")).singleElement().asString().contains("Insufficient cpu");
        assertThat(events.linesAbout("running")).as("a running pod is not reported").isEmpty();
    }

    @Test
    void aRunningPodTurningUnreadableKeepsExactlyItsCharge() {
        leadAndSync(loop);
        loop.onNodeUpserted(node("a").cpu(4).build());
        loop.onPodUpserted(pod("running").schedulerName("default-scheduler").cpu(3).boundTo("a").build());
        loop.runUntilIdle();
        loop.onPodInvalid(pod("running").schedulerName("default-scheduler").cpu(3).boundTo("a").build(), MALFORMED);
        loop.runUntilIdle();

        assertThat(cpuOn(loop, "a")).as("charged once, not twice, not dropped").isEqualTo(3000);
        assertThat(loop.stateForTest().accountedPodCount()).isEqualTo(1);
    }

    @Test
    void anUnreadablePodThatFinishesFreesItsRoomAndRetriesTheWaitingPods() {
        leadAndSync(loop);
        loop.onNodeUpserted(node("a").cpu(4).build());
        loop.onPodInvalid(pod("job").schedulerName("default-scheduler").cpu(3).boundTo("a").build(), MALFORMED);
        loop.onPodUpserted(pod("waiting").cpu(2).build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).isEmpty();

        clock.advance(Duration.ofSeconds(2));
        loop.onPodInvalid(pod("job").schedulerName("default-scheduler").cpu(3).boundTo("a")
                .phase(PodPhase.SUCCEEDED).build(), MALFORMED);
        loop.runUntilIdle();

        assertThat(binder.bindings()).containsEntry("waiting", "a");
        assertThat(cpuOn(loop, "a")).isEqualTo(2000);
    }

    @Test
    void anUnreadablePodThatIsDeletedLeavesNoCharge() {
        leadAndSync(loop);
        loop.onNodeUpserted(node("a").cpu(4).build());
        loop.onPodInvalid(pod("running").cpu(3).boundTo("a").build(), MALFORMED);
        loop.runUntilIdle();
        loop.onPodRemoved(pod("running").build().key());
        loop.runUntilIdle();

        assertThat(cpuOn(loop, "a")).isZero();
        assertThat(loop.stateForTest().accountedPodCount()).isZero();
    }

    @Test
    void anUnassignedPodTurningUnreadableLosesItsChargeAndIsReportedOnce() {
        leadAndSync(loop);
        loop.onNodeUpserted(node("a").cpu(4).build());
        // The API never unassigns a pod, but a cache can hold a version that says so: no charge may outlive it.
        loop.onPodUpserted(pod("p").cpu(3).boundTo("a").build());
        loop.runUntilIdle();
        loop.onPodInvalid(pod("p").cpu(3).build(), MALFORMED);
        loop.onPodInvalid(pod("p").cpu(3).build(), MALFORMED);
        loop.runUntilIdle();

        assertThat(cpuOn(loop, "a")).isZero();
        assertThat(loop.stateForTest().accountedPodCount()).isZero();
        assertThat(events.linesAbout("p")).containsExactly("Invalid p: " + MALFORMED);
        assertThat(binder.bindings()).isEmpty();
    }

    @Test
    void aPendingPodTurningUnreadableLeavesTheQueue() {
        leadAndSync(loop);
        loop.onPodUpserted(pod("p").cpu(8).build());
        loop.runUntilIdle();
        assertThat(loop.stats().pending()).isEqualTo(1);

        loop.onPodInvalid(pod("p").cpu(8).build(), MALFORMED);
        loop.onNodeUpserted(node("a").cpu(16).build());
        loop.runUntilIdle();

        assertThat(loop.stats().pending()).isZero();
        assertThat(binder.bindings()).isEmpty();
        assertThat(events.linesAbout("p")).contains("Invalid p: " + MALFORMED);
    }

    @Test
    void anUnassignedUnreadablePodOfAnotherSchedulerIsNeitherChargedNorReported() {
        leadAndSync(loop);
        loop.onNodeUpserted(node("a").cpu(4).build());
        loop.onPodInvalid(pod("theirs").schedulerName("default-scheduler").cpu(3).build(), MALFORMED);
        loop.runUntilIdle();

        assertThat(cpuOn(loop, "a")).isZero();
        assertThat(events.lines()).isEmpty();
        assertThat(loop.stats().pending()).isZero();
    }

    /** Our bind is in flight when the pod's next version cannot be read: the assumption holds until the bind answers. */
    @Test
    void aBindInFlightKeepsItsAssumptionUntilItsResult() {
        List<CompletableFuture<BindResult>> inFlight = new ArrayList<>();
        SchedulingLoop deferred = loop(new Binder() {
            @Override
            public CompletionStage<BindResult> bind(PodInfo pod, String nodeName) {
                CompletableFuture<BindResult> result = new CompletableFuture<>();
                inFlight.add(result);
                return result;
            }
        });
        leadAndSync(deferred);
        deferred.onNodeUpserted(node("a").cpu(4).build());
        deferred.onPodUpserted(pod("p").cpu(3).build());
        deferred.runUntilIdle();
        assertThat(inFlight).hasSize(1);
        assertThat(cpuOn(deferred, "a")).isEqualTo(3000);

        deferred.onPodInvalid(pod("p").cpu(3).build(), MALFORMED);
        deferred.runUntilIdle();
        assertThat(cpuOn(deferred, "a")).as("the bind may still succeed").isEqualTo(3000);

        inFlight.get(0).complete(BindResult.BOUND);
        deferred.onPodInvalid(pod("p").cpu(3).boundTo("a").build(), MALFORMED);
        deferred.runUntilIdle();
        assertThat(cpuOn(deferred, "a")).as("confirmed by the informer, once").isEqualTo(3000);
        assertThat(deferred.stateForTest().isAssumed(pod("p").build().key())).isFalse();
        assertThat(inFlight).hasSize(1);
    }
}
