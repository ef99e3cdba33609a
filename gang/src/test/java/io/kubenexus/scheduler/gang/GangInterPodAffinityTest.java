package io.kubenexus.scheduler.gang;

import static io.kubenexus.scheduler.core.testing.InterPodFixture.interPod;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.labels;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.term;
import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.InterPodSettings;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.testing.MutableClock;
import io.kubenexus.scheduler.core.testing.RecordingEventSink;
import io.kubenexus.scheduler.core.testing.ScriptedBinder;
import io.kubenexus.scheduler.gang.group.GangSettings;
import io.kubenexus.scheduler.gang.lifecycle.GangPlugin;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

/**
 * Members of one gang see each other's planned places: the planner assumes them one by one in the
 * cluster state, and the inter-pod counts follow every assumption.
 */
class GangInterPodAffinityTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final ScriptedBinder binder = new ScriptedBinder();
    private final RecordingEventSink events = new RecordingEventSink();
    private final SchedulerSettings settings = SchedulerSettings.defaults();
    private final SchedulingLoop loop = GangPlugin.newLoop(settings, SchedulingProfile.defaults(settings),
            new GangLabels(), new GangPlanner(), GangSettings.defaults(), binder, events, SchedulerMetrics.NONE, clock);

    private void start(int nodes) {
        loop.onLeadershipChanged(true);
        loop.onCachesSynced();
        for (int i = 0; i < nodes; i++) {
            loop.onNodeUpserted(node("n" + i).cpu(16).memoryGi(64).label(InterPodSettings.HOSTNAME, "n" + i).build());
        }
    }

    private static PodInfo member(int i) {
        return pod("w-" + i).namespace("ml").label(GangLabels.NAME, "train").label(GangLabels.MIN_AVAILABLE, "4")
                .label("app", "train").cpu(1)
                .interPod(interPod().antiAffinity(term(labels("app", "train"), InterPodSettings.HOSTNAME)).build())
                .build();
    }

    @Test
    void aGangWithSelfAntiAffinityIsPlacedOnDistinctNodesInOneAttempt() {
        start(6);
        for (int i = 0; i < 4; i++) {
            loop.onPodUpserted(member(i));
        }
        loop.runUntilIdle();

        assertThat(binder.bindings()).as(events.lines().toString()).hasSize(4);
        assertThat(new HashSet<>(binder.bindings().values())).as("one member per node").hasSize(4);
    }

    @Test
    void withTooFewNodesNoMemberIsPlaced() {
        start(3);
        for (int i = 0; i < 4; i++) {
            loop.onPodUpserted(member(i));
        }
        loop.runUntilIdle();

        assertThat(binder.bindings()).as("no partial gang").isEmpty();
        assertThat(events.linesAbout("w-0")).as(events.lines().toString()).isNotEmpty();
    }
}
