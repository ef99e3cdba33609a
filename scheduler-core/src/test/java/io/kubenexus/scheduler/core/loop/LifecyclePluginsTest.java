package io.kubenexus.scheduler.core.loop;

import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.framework.GroupAttemptPlugin;
import io.kubenexus.scheduler.core.framework.LifecyclePlugin;
import io.kubenexus.scheduler.core.framework.LoopHandle;
import io.kubenexus.scheduler.core.framework.PermitPlugin;
import io.kubenexus.scheduler.core.framework.PostFilterPlugin;
import io.kubenexus.scheduler.core.framework.PreEnqueuePlugin;
import io.kubenexus.scheduler.core.framework.ReservePlugin;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.BindOutcome;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.query.ExtenderBindResult;
import io.kubenexus.scheduler.core.queue.QueuedPod;
import io.kubenexus.scheduler.core.testing.MutableClock;
import io.kubenexus.scheduler.core.testing.RecordingEventSink;
import io.kubenexus.scheduler.core.testing.ScriptedBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The loop's extension points with plugins written here, no gang module: each is called where ADR
 * 0009 says, and what it decides is what happens.
 */
class LifecyclePluginsTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final SchedulerSettings settings = SchedulerSettings.defaults();
    private final ScriptedBinder binder = new ScriptedBinder();
    private final RecordingEventSink events = new RecordingEventSink();

    private SchedulingLoop loopWith(LifecyclePlugin... plugins) {
        SchedulingLoop loop = new SchedulingLoop(settings, SchedulingProfile.defaults(settings), List.of(plugins),
                binder, events, SchedulerMetrics.NONE, clock);
        loop.onLeadershipChanged(true);
        loop.onCachesSynced();
        return loop;
    }

    /** Names a plugin and keeps its handle. */
    private abstract static class Base implements LifecyclePlugin {
        LoopHandle loop;

        @Override
        public String name() {
            return getClass().getSimpleName();
        }

        @Override
        public void attach(LoopHandle handle) {
            this.loop = handle;
        }
    }

    /** Holds pods back while {@code closed}. */
    private static final class Gate extends Base implements PreEnqueuePlugin {
        boolean closed = true;

        @Override
        public String mustWait(QueuedPod entry) {
            return closed ? "the gate is closed" : null;
        }
    }

    @Test
    void aPreEnqueuePluginKeepsAPodUntriedAndToldUntilItMayGo() {
        Gate gate = new Gate();
        SchedulingLoop loop = loopWith(gate);
        loop.onNodeUpserted(node("a").build());
        loop.onPodUpserted(pod("p").cpu(1).build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).isEmpty();
        assertThat(events.linesAbout("p")).containsExactly("FailedScheduling p: the gate is closed");
        assertThat(loop.stats().attempts()).as("not an attempt").isZero();

        gate.closed = false;
        clock.advance(Duration.ofSeconds(20)); // past its backoff
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsEntry("p", "a");
    }

    /** Pods whose name starts with "pair-" go in twos, on the same node, or not at all. */
    private static final class Pairs extends Base implements GroupAttemptPlugin {
        @Override
        public boolean attempt(QueuedPod entry) {
            String name = entry.pod().key().name();
            if (!name.startsWith("pair-")) {
                return false;
            }
            QueuedPod sibling = loop.claim(new PodKey("default", name.endsWith("-a") ? "pair-b" : "pair-a"));
            if (sibling == null) {
                loop.unschedulable(entry, Set.of(), "waiting for its pair", 0);
                return true;
            }
            loop.joinAttempt(sibling);
            loop.countAttempts(2);
            for (QueuedPod member : List.of(entry, sibling)) {
                loop.mayAssume(member.pod().key());
                loop.state().assume(member.pod().withNodeName("a"));
                loop.bind(member.pod(), "a", 0);
            }
            return true;
        }
    }

    @Test
    void aGroupAttemptPluginDecidesForEveryPodItClaims() {
        SchedulingLoop loop = loopWith(new Pairs());
        loop.onNodeUpserted(node("a").build());
        loop.onNodeUpserted(node("b").build());
        loop.onPodUpserted(pod("pair-a").cpu(1).build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).isEmpty();
        assertThat(events.linesAbout("pair-a")).last().isEqualTo("FailedScheduling pair-a: waiting for its pair");

        loop.onPodUpserted(pod("pair-b").cpu(1).build());
        loop.onPodUpserted(pod("alone").cpu(1).build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsEntry("pair-a", "a").containsEntry("pair-b", "a").containsKey("alone");
    }

    /** Nominates node "a" for every pod that fits nowhere, and refuses evicting pods named "keep". */
    private static final class Nominating extends Base implements PostFilterPlugin {
        @Override
        public String postFilter(PodInfo pod, Decision.Unschedulable why) {
            return "a";
        }

        @Override
        public boolean mayEvict(List<PodInfo> victims) {
            return victims.stream().noneMatch(v -> v.key().name().equals("keep"));
        }
    }

    @Test
    void aPostFilterPluginIsAskedWhenAPodFitsNowhereAndJudgesEvictions() throws Exception {
        SchedulingLoop loop = loopWith(new Nominating());
        loop.onNodeUpserted(node("a").cpu(2).build());
        loop.onPodUpserted(pod("keep").cpu(2).boundTo("a").build());
        loop.onPodUpserted(pod("big").cpu(2).build());
        loop.runUntilIdle();
        assertThat(events.linesAbout("big")).last().asString().endsWith("; nominated node a (Nominating)");

        CompletableFuture<java.util.Map<String, List<PodKey>>> accepted = loop.acceptVictims(pod("big").cpu(2).priority(10).build(),
                java.util.Map.of("a", List.of(new PodKey("default", "keep"))));
        loop.runUntilIdle();
        assertThat(accepted.get()).as("the plugin refuses that victim").isEmpty();
    }

    /** Records the reserve calls. */
    private static final class Recording extends Base implements ReservePlugin {
        final List<String> calls = new ArrayList<>();

        @Override
        public void bound(PodInfo pod) {
            calls.add("bound " + pod.key().name());
        }

        @Override
        public void unreserve(PodInfo pod) {
            calls.add("unreserve " + pod.key().name());
        }

        @Override
        public boolean attemptFailed(PodKey key, boolean bindStarted) {
            return false;
        }
    }

    @Test
    void aReservePluginHearsWhenABindSucceedsOrIsUndone() {
        Recording reserve = new Recording();
        SchedulingLoop loop = loopWith(reserve);
        loop.onNodeUpserted(node("a").build());
        binder.thenAnswer(BindOutcome.BOUND).thenAnswer(BindOutcome.FAILED);
        loop.onPodUpserted(pod("ok").cpu(1).build());
        loop.runUntilIdle();
        loop.onPodUpserted(pod("unlucky").cpu(1).build());
        loop.runUntilIdle();
        assertThat(reserve.calls).containsExactly("bound ok", "unreserve unlucky");
    }

    /** Holds every extender bind of a pod named "held-*" until released. */
    private static final class Holding extends Base implements PermitPlugin {
        final Set<PodKey> held = new HashSet<>();
        final List<CompletableFuture<ExtenderBindResult>> answers = new ArrayList<>();
        final List<PodInfo> pods = new ArrayList<>();

        @Override
        public boolean permit(PodInfo pod, String nodeName, Duration holdLimit,
                              CompletableFuture<ExtenderBindResult> answer) {
            if (!pod.key().name().startsWith("held-")) {
                return false;
            }
            held.add(pod.key());
            pods.add(pod);
            answers.add(answer);
            return true;
        }

        void release() {
            for (int i = 0; i < pods.size(); i++) {
                loop.assumeIfFits(pods.get(i), "a");
                loop.sendExternalBind(pods.get(i), "a", answers.get(i), null);
            }
            held.clear();
        }

        @Override
        public boolean holds(PodKey key) {
            return held.contains(key);
        }
    }

    @Test
    void aPermitPluginHoldsAnExtenderBindUntilItLetsItGo() throws Exception {
        Holding permit = new Holding();
        SchedulingLoop loop = loopWith(permit);
        loop.onNodeUpserted(node("a").build());
        loop.runUntilIdle();

        CompletableFuture<ExtenderBindResult> plain = loop.bindFor(pod("plain").cpu(1).build(), "a", Duration.ofSeconds(5));
        CompletableFuture<ExtenderBindResult> held = loop.bindFor(pod("held-1").cpu(1).build(), "a", Duration.ofSeconds(5));
        loop.runUntilIdle();
        assertThat(plain.get()).isEqualTo(new ExtenderBindResult.Bound("a"));
        assertThat(held).isNotDone();
        assertThat(loop.explain(new PodKey("default", "held-1"))).isNotNull();

        permit.release();
        loop.runUntilIdle();
        assertThat(held.get()).isEqualTo(new ExtenderBindResult.Bound("a"));
        assertThat(binder.bindings()).containsOnlyKeys("plain", "held-1");
    }
}
