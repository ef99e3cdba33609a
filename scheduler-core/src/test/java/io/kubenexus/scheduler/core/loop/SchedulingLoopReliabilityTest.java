package io.kubenexus.scheduler.core.loop;

import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.BindOutcome;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.state.ResourceColumns;
import io.kubenexus.scheduler.core.testing.HeldBinder;
import io.kubenexus.scheduler.core.testing.MutableClock;
import io.kubenexus.scheduler.core.testing.PoisonFilter;
import io.kubenexus.scheduler.core.testing.RecordingEventSink;
import io.kubenexus.scheduler.core.testing.ScriptedBinder;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Defects of the loop found in the reliability review, each reproduced first: results that arrive
 * for a pod of the same name but another UID, pods rejected by no filter, plugins that throw.
 */
class SchedulingLoopReliabilityTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final SchedulerSettings settings = SchedulerSettings.defaults();
    private final RecordingEventSink events = new RecordingEventSink();
    private final HeldBinder held = new HeldBinder();

    private SchedulingLoop loop(io.kubenexus.scheduler.core.ports.Binder binder, SchedulingProfile profile) {
        SchedulingLoop loop = new SchedulingLoop(settings, profile, binder, events, SchedulerMetrics.NONE, clock);
        loop.onLeadershipChanged(true);
        loop.onCachesSynced();
        return loop;
    }

    private static long requestedCpu(SchedulingLoop loop) {
        long sum = 0;
        for (int n = 0; n < loop.stateForTest().nodeIndexBound(); n++) {
            sum += loop.stateForTest().requested(ResourceColumns.CPU, n);
        }
        return sum;
    }

    /**
     * A StatefulSet (or spark-operator retrying a driver) deletes and recreates a pod of the same name
     * while our bind call for the old one is still open; whatever that call answers belongs to the old
     * UID and must leave the new pod's attempt alone.
     */
    @ParameterizedTest(name = "stale answer {0}")
    @EnumSource(BindOutcome.class)
    void aLateBindResultForTheOldUidLeavesTheRecreatedPodAlone(BindOutcome staleAnswer) {
        SchedulingLoop loop = loop(held, SchedulingProfile.defaults(settings));
        loop.onNodeUpserted(node("a").cpu(4).build());
        loop.onPodUpserted(pod("web-0").uid("uid-1").cpu(1).build());
        loop.runUntilIdle();
        HeldBinder.Call first = held.take("web-0");

        loop.onPodRemoved(new PodKey("default", "web-0"));
        loop.onPodUpserted(pod("web-0").uid("uid-2").cpu(1).build());
        loop.runUntilIdle();
        HeldBinder.Call second = held.take("web-0");
        assertThat(second.pod().uid()).isEqualTo("uid-2");

        first.answer(staleAnswer);
        loop.runUntilIdle();
        clock.advance(Duration.ofSeconds(30));
        loop.runUntilIdle();

        assertThat(requestedCpu(loop)).as("uid-2 stays assumed on its node").isEqualTo(1000);
        assertThat(held.openCount()).as("uid-2 is not tried again while its own bind is open").isZero();
        assertThat(loop.stats().pending()).as("uid-2 stays in flight").isEqualTo(1);

        second.answer(BindOutcome.BOUND);
        loop.runUntilIdle();
        assertThat(events.lines()).filteredOn(l -> l.startsWith("Scheduled")).hasSize(1);
        assertThat(loop.stats().pending()).isZero();
        assertThat(requestedCpu(loop)).isEqualTo(1000);
    }

    /** The informer relisted and replaced the object without a delete event: the old UID is gone all the same. */
    @Test
    void aRecreatedPodSeenWithoutItsDeleteReplacesTheOldOne() {
        SchedulingLoop loop = loop(held, SchedulingProfile.defaults(settings));
        loop.onNodeUpserted(node("a").cpu(4).build());
        loop.onPodUpserted(pod("web-0").uid("uid-1").cpu(1).build());
        loop.runUntilIdle();
        HeldBinder.Call first = held.take("web-0");

        loop.onPodUpserted(pod("web-0").uid("uid-2").cpu(2).build());
        loop.runUntilIdle();
        HeldBinder.Call second = held.take("web-0");
        assertThat(second.pod().uid()).isEqualTo("uid-2");
        assertThat(requestedCpu(loop)).as("only uid-2 is charged").isEqualTo(2000);

        first.answer(BindOutcome.POD_GONE);
        second.answer(BindOutcome.BOUND);
        loop.runUntilIdle();
        assertThat(requestedCpu(loop)).isEqualTo(2000);
        assertThat(events.linesAbout("web-0")).containsExactly("Scheduled web-0: a");
    }

    /** With no node at all, no filter rejects the pod, so no filter can name the event that helps: any does. */
    @Test
    void aPodRejectedWhileTheClusterHasNoNodesIsTriedWhenTheFirstNodeArrives() {
        ScriptedBinder binder = new ScriptedBinder();
        SchedulingLoop loop = loop(binder, SchedulingProfile.defaults(settings));
        loop.onPodUpserted(pod("p").cpu(1).build());
        loop.runUntilIdle();
        assertThat(events.linesAbout("p")).containsExactly("FailedScheduling p: 0/0 nodes are available.");

        clock.advance(Duration.ofSeconds(5));
        loop.onNodeUpserted(node("a").cpu(4).build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).as("long before the 5-minute flush").containsEntry("p", "a");
    }

    /** A plugin bug is contained to the pod it hit: reported, backed off, nothing leaked, the rest bound. */
    @Test
    void aThrowingPluginCostsOnlyThePodItThrowsFor() {
        ScriptedBinder binder = new ScriptedBinder();
        PoisonFilter poison = new PoisonFilter().poison("bad");
        SchedulingLoop loop = loop(binder, SchedulingProfile.defaults(settings).with(poison, null));
        loop.onNodeUpserted(node("a").cpu(4).build());
        loop.onPodUpserted(pod("bad").cpu(1).createdAtSecond(1).build());
        loop.onPodUpserted(pod("good-1").cpu(1).createdAtSecond(2).build());
        loop.onPodUpserted(pod("good-2").cpu(1).createdAtSecond(3).build());
        loop.runUntilIdle();

        assertThat(binder.bindings()).containsOnlyKeys("good-1", "good-2");
        assertThat(requestedCpu(loop)).as("nothing assumed for the pod at fault").isEqualTo(2000);
        assertThat(events.linesAbout("bad")).singleElement().asString()
                .startsWith("SchedulingError bad: ").contains("plugin bug for default/bad");

        poison.cure();
        clock.advance(Duration.ofSeconds(11));
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsKey("bad");
    }

    /**
     * A 409 says "someone bound it", but only the informer says where: until it does, the pod is not
     * forgotten. A conflict the API answered for a pod that is not bound (a proxy, a fault) would
     * otherwise lose the pod until something about it changes.
     */
    @Test
    void aConflictAnswerForAPodTheInformerNeverShowsBoundDoesNotLoseIt() {
        ScriptedBinder binder = new ScriptedBinder().thenAnswer(BindOutcome.ALREADY_BOUND);
        SchedulingLoop loop = loop(binder, SchedulingProfile.defaults(settings));
        loop.onNodeUpserted(node("a").cpu(4).build());
        loop.onPodUpserted(pod("p").cpu(1).build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).isEmpty();
        assertThat(requestedCpu(loop)).as("the conflicting assumption is forgotten").isZero();

        clock.advance(Duration.ofSeconds(2));
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsEntry("p", "a");
    }

    /** A 404 for a pod whose delete never comes (a fault, a stale cache in front of the API) is looked at again. */
    @Test
    void aNotFoundAnswerForAPodTheInformerStillShowsIsTriedAgain() {
        ScriptedBinder binder = new ScriptedBinder().thenAnswer(BindOutcome.POD_GONE);
        SchedulingLoop loop = loop(binder, SchedulingProfile.defaults(settings));
        loop.onNodeUpserted(node("a").cpu(4).build());
        loop.onPodUpserted(pod("p").cpu(1).build());
        loop.runUntilIdle();
        clock.advance(Duration.ofSeconds(2));
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsEntry("p", "a");

        // A real delete ends it for good.
        loop.onPodRemoved(new PodKey("default", "p"));
        loop.runUntilIdle();
        assertThat(loop.stats().pending()).isZero();
    }
}
