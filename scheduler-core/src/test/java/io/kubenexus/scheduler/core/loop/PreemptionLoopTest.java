package io.kubenexus.scheduler.core.loop;

import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.PreemptionSettings;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.framework.LifecyclePlugin;
import io.kubenexus.scheduler.core.framework.LoopHandle;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.PreemptionPolicy;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.preemption.PreemptionPlan;
import io.kubenexus.scheduler.core.testing.MutableClock;
import io.kubenexus.scheduler.core.testing.QuietMetrics;
import io.kubenexus.scheduler.core.testing.RecordingEventSink;
import io.kubenexus.scheduler.core.testing.RecordingEvictor;
import io.kubenexus.scheduler.core.testing.ScriptedBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Preemption in the loop: a pod that fits nowhere evicts the engine's victims, is nominated, keeps
 * the room from less important pods until it is bound there, and says what it did.
 */
class PreemptionLoopTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final SchedulerSettings settings = SchedulerSettings.defaults();
    private final ScriptedBinder binder = new ScriptedBinder();
    private final RecordingEventSink events = new RecordingEventSink();
    private final RecordingEvictor evictor = new RecordingEvictor();
    private final Map<String, Integer> counters = new ConcurrentHashMap<>();
    private final QuietMetrics metrics = new QuietMetrics() {
        @Override
        public void preemptionAttempt(String result) {
            counters.merge("attempt " + result, 1, Integer::sum);
        }

        @Override
        public void preemptionVictims(String kind, int count) {
            counters.merge("victims " + kind, count, Integer::sum);
        }

        @Override
        public void nominatedPods(int count) {
            counters.put("nominated", count);
        }
    };

    private SchedulingLoop loop(LifecyclePlugin... plugins) {
        SchedulingLoop loop = new SchedulingLoop(settings, SchedulingProfile.defaults(settings), List.of(plugins), binder,
                events, metrics, clock);
        loop.usePreemption(evictor, new PreemptionSettings(true, Duration.ofMinutes(2)));
        loop.onLeadershipChanged(true);
        loop.onCachesSynced();
        return loop;
    }

    /** Node a (4 cpu) runs p1, p2, p3 (1 cpu each, priorities 1, 2, 3): one cpu is free. */
    private SchedulingLoop fullNode() {
        SchedulingLoop loop = loop();
        loop.onNodeUpserted(node("a").cpu(4).build());
        for (int i = 1; i <= 3; i++) {
            loop.onPodUpserted(pod("p" + i).cpu(1).priority(i).boundTo("a").build());
        }
        return loop;
    }

    @Test
    void aPodThatFitsNowhereEvictsTheFewestLowestVictimsIsNominatedAndBindsThereOnceTheyGo() {
        SchedulingLoop loop = fullNode();
        loop.onPodUpserted(pod("high").cpu(3).priority(100).build());
        loop.runUntilIdle();

        assertThat(evictor.evictions()).containsExactlyInAnyOrder("p1 for high on a", "p2 for high on a");
        assertThat(evictor.nominations()).containsExactly("high -> a");
        assertThat(events.linesAbout("high")).contains("Preempting high: [p1, p2] on node a");
        assertThat(events.linesAbout("high")).last().asString()
                .endsWith("; nominated node a (DefaultPreemption)");
        assertThat(events.linesAbout("p1")).containsExactly("Preempted p1: by default/high on node a");
        assertThat(counters).containsEntry("attempt nominated", 1).containsEntry("victims pod", 2)
                .containsEntry("nominated", 1);
        assertThat(binder.bindings()).isEmpty();

        loop.onPodRemoved(new PodKey("default", "p1"));
        loop.onPodRemoved(new PodKey("default", "p2"));
        clock.advance(Duration.ofSeconds(15)); // past high's backoff
        loop.runUntilIdle();

        assertThat(binder.bindings()).containsEntry("high", "a");
        loop.onPodUpserted(pod("high").cpu(3).priority(100).boundTo("a").build());
        loop.runUntilIdle();
        assertThat(counters).containsEntry("nominated", 0);
    }

    @Test
    void theNominatedRoomIsKeptFromLessImportantPodsButNotFromMoreImportantOnes() {
        SchedulingLoop loop = fullNode();
        loop.onPodUpserted(pod("high").cpu(3).priority(100).build());
        loop.runUntilIdle();
        assertThat(evictor.evictions()).hasSize(2);

        // The node's free cpu is part of the room made for high: a lesser pod may not take it.
        loop.onPodUpserted(pod("sneaky").cpu(1).priority(50).preemptionPolicy(PreemptionPolicy.NEVER).build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).doesNotContainKey("sneaky");
        assertThat(events.linesAbout("sneaky")).last().asString()
                .contains("preemption: not eligible due to preemptionPolicy=Never");

        loop.onPodUpserted(pod("vip").cpu(1).priority(1000).build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsEntry("vip", "a");
    }

    @Test
    void theRoomIsReleasedAfterTheNominationTimeout() {
        SchedulingLoop loop = fullNode();
        loop.onPodUpserted(pod("high").cpu(3).priority(100).build());
        loop.runUntilIdle();
        // Evicted: they terminate but (a stuck kubelet) never leave.
        loop.onPodUpserted(pod("p1").cpu(1).priority(1).boundTo("a").terminating().build());
        loop.onPodUpserted(pod("p2").cpu(1).priority(2).boundTo("a").terminating().build());
        loop.onPodUpserted(pod("later").cpu(1).priority(50).preemptionPolicy(PreemptionPolicy.NEVER).build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).doesNotContainKey("later");

        clock.advance(Duration.ofMinutes(3));
        loop.runUntilIdle();
        clock.advance(Duration.ofSeconds(20));
        loop.runUntilIdle();

        assertThat(evictor.nominations()).contains("high -> null");
        assertThat(binder.bindings()).containsEntry("later", "a");
    }

    @Test
    void aPreemptorWhoseVictimsAreStillTerminatingWaitsInsteadOfPreemptingAgain() {
        SchedulingLoop loop = fullNode();
        loop.onPodUpserted(pod("high").cpu(3).priority(100).build());
        loop.runUntilIdle();
        loop.onPodUpserted(pod("p1").cpu(1).priority(1).boundTo("a").terminating().build());
        loop.onPodUpserted(pod("p2").cpu(1).priority(2).boundTo("a").terminating().build());
        clock.advance(Duration.ofMinutes(1));
        loop.runUntilIdle();
        clock.advance(Duration.ofMinutes(5)); // the periodic retry of unschedulable pods
        loop.runUntilIdle();

        assertThat(evictor.evictions()).as("no second round of victims").hasSize(2);
        assertThat(counters).containsKey("attempt waiting");
        assertThat(events.linesAbout("high")).last().asString().contains("waiting for 2 terminating pod(s) on node(s) a");
    }

    @Test
    void withoutAnEvictorOrWhenDisabledNothingIsEvicted() {
        SchedulingLoop loop = new SchedulingLoop(settings, SchedulingProfile.defaults(settings), List.of(), binder,
                events, metrics, clock);
        loop.usePreemption(evictor, PreemptionSettings.disabled());
        loop.onLeadershipChanged(true);
        loop.onCachesSynced();
        loop.onNodeUpserted(node("a").cpu(1).build());
        loop.onPodUpserted(pod("low").cpu(1).priority(1).boundTo("a").build());
        loop.onPodUpserted(pod("high").cpu(1).priority(100).build());
        loop.runUntilIdle();

        assertThat(evictor.evictions()).isEmpty();
        assertThat(events.linesAbout("high")).last().asString().doesNotContain("preemption");
    }

    /** A plugin that asks the loop to make room for two pods together, as the gang plugin does. */
    private static final class GroupPreemptor implements LifecyclePlugin {
        LoopHandle loop;

        @Override
        public String name() {
            return "GroupPreemptor";
        }

        @Override
        public void attach(LoopHandle handle) {
            this.loop = handle;
        }
    }

    @Test
    void preemptForMakesRoomForSeveralPodsTogether() {
        GroupPreemptor group = new GroupPreemptor();
        SchedulingLoop loop = loop(group);
        loop.onNodeUpserted(node("a").cpu(2).build());
        loop.onNodeUpserted(node("b").cpu(2).build());
        loop.onPodUpserted(pod("a1").cpu(2).priority(1).boundTo("a").build());
        loop.onPodUpserted(pod("b1").cpu(2).priority(1).boundTo("b").build());
        loop.runUntilIdle();
        List<Optional<PreemptionPlan>> plans = new ArrayList<>();
        List<PodInfo> members = List.of(pod("m0").cpu(2).priority(10).build(), pod("m1").cpu(2).priority(10).build());

        loop.post(() -> plans.add(group.loop.preemptFor(members, "gang g")));
        loop.runUntilIdle();

        assertThat(plans).singleElement().satisfies(plan -> assertThat(plan).isPresent());
        assertThat(plans.get(0).get().nominatedNodes()).containsOnlyKeys(new PodKey("default", "m0"), new PodKey("default", "m1"));
        assertThat(evictor.evictions()).containsExactlyInAnyOrder("a1 for m0 on a", "b1 for m1 on b");
        assertThat(evictor.nominations()).containsExactlyInAnyOrder("m0 -> a", "m1 -> b");
        assertThat(counters).as("a group's own plugin holds its room").doesNotContainKey("nominated");
    }
}
