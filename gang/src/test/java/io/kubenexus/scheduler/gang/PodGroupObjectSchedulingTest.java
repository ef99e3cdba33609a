package io.kubenexus.scheduler.gang;

import io.kubenexus.scheduler.gang.lifecycle.GangPlugin;
import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.gang.group.GangSettings;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.gang.group.GroupPolicy;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.testing.MutableClock;
import io.kubenexus.scheduler.core.testing.RecordingEventSink;
import io.kubenexus.scheduler.core.testing.ScriptedBinder;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Groups sized by PodGroup objects (scheduler-plugins or Kubernetes' own), whose object may come after the pods. */
class PodGroupObjectSchedulingTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final ScriptedBinder binder = new ScriptedBinder();
    private final RecordingEventSink events = new RecordingEventSink();
    private final SchedulerSettings settings = SchedulerSettings.defaults();
    private final SchedulingLoop loop = GangPlugin.newLoop(settings, SchedulingProfile.defaults(settings),
            new GangLabels(), new GangPlanner(), GangSettings.defaults(), binder, events, SchedulerMetrics.NONE, clock);

    @BeforeEach
    void start() {
        loop.onLeadershipChanged(true);
        loop.onCachesSynced();
        loop.onNodeUpserted(node("n0").cpu(16).build());
    }

    private static PodInfo labelled(String name) {
        return pod(name).namespace("ml").label(GangLabels.POD_GROUP, "train").cpu(1).build();
    }

    private static GroupPolicy minMember(int min) {
        return new GroupPolicy("ml/train", min, ResourceList.EMPTY, null, "PodGroup scheduling.x-k8s.io/v1alpha1 ml/train");
    }

    @Test
    void membersSeenBeforeTheirPodGroupWaitForItAndAreThenPlacedTogether() {
        loop.onPodUpserted(labelled("w-0"));
        loop.onPodUpserted(labelled("w-1"));
        loop.runUntilIdle();
        assertThat(binder.bindings()).as("no member placed alone").isEmpty();
        assertThat(events.linesAbout("w-0")).last().asString().contains("waiting for PodGroup ml/train");

        GangPlugin.of(loop).onGroupPolicy("ml/train", minMember(3));
        loop.runUntilIdle();
        assertThat(binder.bindings()).isEmpty();
        assertThat(events.linesAbout("w-1")).as(events.lines().toString()).last().asString().endsWith("2/3 members present, waiting for the rest before placing any");

        loop.onPodUpserted(labelled("w-2"));
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsOnlyKeys("w-0", "w-1", "w-2");
    }

    @Test
    void withoutAPodGroupObjectMembersArePlacedOnTheirOwnAfterAGracePeriodAndTold() {
        loop.onPodUpserted(labelled("lonely"));
        loop.runUntilIdle();
        assertThat(binder.bindings()).isEmpty();

        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofSeconds(10));
            loop.runUntilIdle();
        }

        assertThat(binder.bindings()).containsOnlyKeys("lonely");
        assertThat(events.linesAbout("lonely")).anySatisfy(l -> assertThat(l)
                .startsWith("PodGroupNotFound lonely: gang ml/train: no PodGroup object ml/train after 30s"));
    }

    @Test
    void kubernetesOwnPodGroupsWorkTheSameWay() {
        GangPlugin.of(loop).onGroupPolicy("ml/pair", new GroupPolicy("ml/pair", 2, ResourceList.EMPTY, null,
                "PodGroup scheduling.k8s.io/v1alpha2 ml/pair"));
        loop.onPodUpserted(pod("a").namespace("ml").schedulingGroup("pair").cpu(1).build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).isEmpty();

        loop.onPodUpserted(pod("b").namespace("ml").schedulingGroup("pair").cpu(1).build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsOnlyKeys("a", "b");
    }
}
