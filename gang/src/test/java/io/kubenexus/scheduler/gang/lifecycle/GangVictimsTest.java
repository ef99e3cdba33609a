package io.kubenexus.scheduler.gang.lifecycle;

import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.testing.MutableClock;
import io.kubenexus.scheduler.core.testing.PodFixture;
import io.kubenexus.scheduler.core.testing.RecordingEventSink;
import io.kubenexus.scheduler.core.testing.ScriptedBinder;
import io.kubenexus.scheduler.gang.GangLabels;
import io.kubenexus.scheduler.gang.GangPlanner;
import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.gang.group.GangSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A preemption victim brings its whole gang: no eviction may leave a gang or a Spark application partial. */
class GangVictimsTest {
    private static final long GI = 1024L * 1024 * 1024;

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final ScriptedBinder binder = new ScriptedBinder();
    private final SchedulerSettings settings = SchedulerSettings.defaults();
    private final SchedulingLoop loop = GangPlugin.newLoop(settings, SchedulingProfile.defaults(settings),
            new GangLabels(), new GangPlanner(), GangSettings.defaults(), binder, new RecordingEventSink(),
            SchedulerMetrics.NONE, clock);
    private final GangPlugin gang = GangPlugin.of(loop);

    private void start(int nodes, double cpu) {
        loop.onLeadershipChanged(true);
        loop.onCachesSynced();
        for (int i = 0; i < nodes; i++) {
            loop.onNodeUpserted(node("n" + i).cpu(cpu).memoryGi(64).build());
        }
    }

    private static PodFixture member(String name, String group, int min) {
        return pod(name).namespace("batch").label(GangLabels.NAME, group)
                .label(GangLabels.MIN_AVAILABLE, Integer.toString(min)).cpu(2);
    }

    private static PodFixture spark(String name, String role) {
        return pod(name).namespace("spark").label("spark-role", role).label("spark-app-selector", "spark-pi")
                .label("sparkoperator.k8s.io/app-name", "pi").label(GangLabels.NAME, "pi")
                .label(GangLabels.MIN_AVAILABLE, "4").cpu(1).memoryGi(2);
    }

    private PodInfo accounted(String namespace, String name) {
        return gang.loop.state().accountedPod(new io.kubenexus.scheduler.core.model.PodKey(namespace, name));
    }

    private static List<String> names(java.util.Collection<PodInfo> pods) {
        return pods.stream().map(p -> p.key().name()).sorted().toList();
    }

    @Test
    void anyMemberOfARunningGangBringsEveryOtherMember() {
        start(3, 4);
        for (int i = 0; i < 3; i++) {
            loop.onPodUpserted(member("w-" + i, "train", 3).build());
        }
        loop.runUntilIdle();
        assertThat(binder.bindings()).hasSize(3);

        for (int i = 0; i < 3; i++) {
            PodInfo victim = accounted("batch", "w-" + i);
            int self = i;
            assertThat(names(gang.mustGoWith(victim))).as("evicting w-%d", i)
                    .containsExactlyElementsOf(List.of("w-0", "w-1", "w-2").stream()
                            .filter(n -> !n.equals("w-" + self)).toList());
        }
    }

    @Test
    void aDriverBringsItsExecutorsAndThePlacesHeldForTheOthers() {
        start(2, 8);
        gang.onExecutorTemplate("spark", "pi", new ExecutorTemplate(
                ResourceList.of(Map.of("cpu", 2000L, "memory", 4 * GI)), 3, Map.of(), List.of(), "test"));
        loop.onPodUpserted(spark("pi-driver", "driver").build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsOnlyKeys("pi-driver");

        // The driver runs and creates one executor; two places are still held for the others.
        loop.onPodUpserted(spark("pi-driver", "driver").build().withNodeName(binder.bindings().get("pi-driver")));
        loop.onPodUpserted(spark("pi-exec-1", "executor").cpu(2).memoryGi(4).build());
        loop.runUntilIdle();
        assertThat(gang.reservationsOf("spark/pi")).hasSize(2);

        List<String> places = gang.reservationsOf("spark/pi").stream().map(r -> r.placeholder().key().name()).sorted().toList();
        assertThat(names(gang.mustGoWith(accounted("spark", "pi-driver"))))
                .containsExactlyInAnyOrderElementsOf(concat(List.of("pi-exec-1"), places));
        assertThat(names(gang.mustGoWith(accounted("spark", "pi-exec-1"))))
                .as("an executor brings its driver (and so the whole application)")
                .containsExactlyInAnyOrderElementsOf(concat(List.of("pi-driver"), places));
    }

    @Test
    void aPodOfNoGroupOrOfAGroupPlacedOneByOneGoesAlone() {
        start(2, 8);
        loop.onPodUpserted(pod("lonely").cpu(1).build());
        loop.onPodUpserted(member("solo-0", "solo", 1).build());
        loop.onPodUpserted(member("solo-1", "solo", 1).build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).hasSize(3);

        assertThat(gang.mustGoWith(accounted("default", "lonely"))).isEmpty();
        assertThat(gang.mustGoWith(accounted("batch", "solo-0"))).isEmpty();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
