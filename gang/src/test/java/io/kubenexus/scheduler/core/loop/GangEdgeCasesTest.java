package io.kubenexus.scheduler.core.loop;

import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.gang.group.GangSettings;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.gang.group.GroupMembership;
import io.kubenexus.scheduler.gang.group.GroupRole;
import io.kubenexus.scheduler.gang.group.PodGroups;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.query.ExtenderBindResult;
import io.kubenexus.scheduler.core.query.ExtenderBindResult.Refused;
import io.kubenexus.scheduler.core.testing.HeldBinder;
import io.kubenexus.scheduler.core.testing.MutableClock;
import io.kubenexus.scheduler.core.testing.RecordingEventSink;
import io.kubenexus.scheduler.core.testing.ScriptedBinder;
import io.kubenexus.scheduler.gang.GangPlanner;
import io.kubenexus.scheduler.gang.lifecycle.GangPlugin;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Review of the gang-lifecycle move: behaviour the refactor changed. */
class GangEdgeCasesTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final RecordingEventSink events = new RecordingEventSink();
    private final SchedulerSettings settings = SchedulerSettings.defaults();

    private final PodGroups groups = pod -> {
        String group = pod.labels().get("group");
        if (group == null) {
            return null;
        }
        GroupRole role = switch (pod.labels().getOrDefault("role", "member")) {
            case "driver" -> GroupRole.DRIVER;
            case "executor" -> GroupRole.EXECUTOR;
            default -> GroupRole.MEMBER;
        };
        return GroupMembership.of(pod.key().namespace() + "/" + group,
                Integer.parseInt(pod.labels().getOrDefault("min", "0")), role, null);
    };

    /**
     * Before the move (2d9b72f) a second bind request for a held pod completed the held one as
     * "replaced" before any other check; now the replacement happens inside the permit plugin, which
     * a request refused earlier (unknown node, already under way, accounted) never reaches: the stale
     * hold stays and is later bound to the node kube-scheduler abandoned.
     */
    @Test
    void aNewerBindRequestRefusedForAnUnknownNodeStillDropsTheHeldOne() {
        HeldBinder binder = new HeldBinder();
        SchedulingLoop loop = GangPlugin.newLoop(settings, SchedulingProfile.defaults(settings), groups,
                GangPlanner.packing(settings), GangSettings.defaults(), binder, events, SchedulerMetrics.NONE, clock);
        loop.onLeadershipChanged(true);
        loop.onCachesSynced();
        loop.onNodeUpserted(node("a").cpu(4).build());
        loop.onNodeUpserted(node("b").cpu(4).build());
        loop.runUntilIdle();

        CompletableFuture<ExtenderBindResult> old = loop.bindFor(member("m-0"), "a", Duration.ofSeconds(20));
        loop.runUntilIdle();
        CompletableFuture<ExtenderBindResult> again = loop.bindFor(member("m-0"), "z", Duration.ofSeconds(20));
        loop.runUntilIdle();
        assertThat(again.join()).isInstanceOf(Refused.class);
        assertThat(old).as("the older hold is answered when a newer request for the pod arrives").isDone();

        loop.bindFor(member("m-1"), "b", Duration.ofSeconds(20));
        loop.runUntilIdle();
        assertThat(binder.calls()).as("m-0 is not bound on the node kube-scheduler abandoned")
                .noneMatch(c -> c.pod().key().name().equals("m-0"));
    }

    private static PodInfo member(String name) {
        return pod(name).schedulerName("default-scheduler").label("group", "g").label("min", "2").cpu(1).build();
    }

    /**
     * GangMembers keeps the pending members' summed requests from the first time each is seen pending;
     * a pending member seen again with other requests (in-place resize of a pending pod) is not recounted,
     * so the gang is told "too big for the cluster" from the old sum forever (the old loop summed the pods).
     */
    @Test
    void aPendingGangWhoseMembersShrinkIsPlacedOnceTheyFit() {
        ScriptedBinder binder = new ScriptedBinder();
        SchedulingLoop loop = GangPlugin.newLoop(settings, SchedulingProfile.defaults(settings), groups,
                GangPlanner.packing(settings), GangSettings.defaults(), binder, events, SchedulerMetrics.NONE, clock);
        loop.onLeadershipChanged(true);
        loop.onCachesSynced();
        loop.onNodeUpserted(node("n0").cpu(4).build());
        loop.onNodeUpserted(node("n1").cpu(4).build());
        loop.onPodUpserted(pod("w-0").label("group", "train").label("min", "2").cpu(100).build());
        loop.onPodUpserted(pod("w-1").label("group", "train").label("min", "2").cpu(100).build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).isEmpty();

        // Resized while pending: each now asks for 1 cpu.
        loop.onPodUpserted(pod("w-0").label("group", "train").label("min", "2").cpu(1).build());
        loop.onPodUpserted(pod("w-1").label("group", "train").label("min", "2").cpu(1).build());
        for (int i = 0; i < 30; i++) {
            clock.advance(Duration.ofSeconds(20));
            loop.runUntilIdle();
        }
        assertThat(events.linesAbout("w-0")).last().asString().doesNotContain("cpu=200");
        assertThat(binder.bindings()).containsOnlyKeys("w-0", "w-1");
    }
}
