package io.kubenexus.scheduler.core.loop;

import static io.kubenexus.scheduler.core.testing.InterPodFixture.interPod;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.labels;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.term;
import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.plugins.InterPodAffinity;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.testing.MutableClock;
import io.kubenexus.scheduler.core.testing.RecordingEventSink;
import io.kubenexus.scheduler.core.testing.ScriptedBinder;
import java.time.Duration;
import java.util.HashSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Inter-pod constraints through the scheduling loop: assumptions count, and the events that retry. */
class InterPodSchedulingLoopTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final SchedulerSettings settings = SchedulerSettings.defaults();
    private final ScriptedBinder binder = new ScriptedBinder();
    private final RecordingEventSink events = new RecordingEventSink();
    private final SchedulingLoop loop = new SchedulingLoop(settings, SchedulingProfile.defaults(settings), binder,
            events, SchedulerMetrics.NONE, clock);

    @BeforeEach
    void start() {
        loop.onLeadershipChanged(true);
        loop.onCachesSynced();
        loop.onNodeUpserted(node("a").cpu(8).label("zone", "z1").build());
        loop.onNodeUpserted(node("b").cpu(8).label("zone", "z2").build());
        loop.onNodeUpserted(node("c").cpu(8).label("zone", "z2").build());
    }

    @Test
    void replicasWithSelfAntiAffinityDecidedOneAfterAnotherSeeTheAssumedOnes() {
        for (int i = 0; i < 3; i++) {
            loop.onPodUpserted(pod("web-" + i).cpu(1).label("app", "web")
                    .interPod(interPod().antiAffinity(term(labels("app", "web"), "kubernetes.io/hostname")).build())
                    .build());
        }
        loop.runUntilIdle();

        assertThat(binder.bindings()).hasSize(3);
        assertThat(new HashSet<>(binder.bindings().values())).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void aPodWaitingForAffinityIsRetriedWhenAMatchingPodIsBoundNotAfterTheFiveMinuteFlush() {
        loop.onPodUpserted(pod("db").label("app", "db").cpu(1).boundTo("b").build());
        loop.onPodUpserted(pod("cache").cpu(1)
                .interPod(interPod().affinity(term(labels("app", "web"), "zone")).build()).build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).doesNotContainKey("cache");
        assertThat(events.linesAbout("cache")).last().asString().contains(InterPodAffinity.REASON_AFFINITY);

        // A matching pod appears in zone z2, bound by someone else: the waiting pod is tried again after
        // its backoff, long before the unschedulable pool's five-minute flush.
        loop.onPodUpserted(pod("web-0").label("app", "web").cpu(1).boundTo("c").build());
        clock.advance(Duration.ofSeconds(11));
        loop.runUntilIdle();

        assertThat(binder.bindings()).containsKey("cache");
        assertThat(binder.bindings().get("cache")).isIn("b", "c");
    }

    @Test
    void aRelabelledPodRetriesWaitingPodsToo() {
        loop.onPodUpserted(pod("other").label("app", "other").cpu(1).boundTo("a").build());
        loop.onPodUpserted(pod("cache").cpu(1)
                .interPod(interPod().affinity(term(labels("app", "web"), "zone")).build()).build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).doesNotContainKey("cache");

        loop.onPodUpserted(pod("other").label("app", "web").cpu(1).boundTo("a").build());
        clock.advance(Duration.ofSeconds(11));
        loop.runUntilIdle();

        assertThat(binder.bindings()).containsEntry("cache", "a");
    }
}
