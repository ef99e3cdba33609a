package io.kubenexus.scheduler.gang.lifecycle;

import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.PreemptionSettings;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.testing.MutableClock;
import io.kubenexus.scheduler.core.testing.PodFixture;
import io.kubenexus.scheduler.core.testing.QuietMetrics;
import io.kubenexus.scheduler.core.testing.RecordingEventSink;
import io.kubenexus.scheduler.core.testing.RecordingEvictor;
import io.kubenexus.scheduler.core.testing.ScriptedBinder;
import io.kubenexus.scheduler.gang.GangLabels;
import io.kubenexus.scheduler.gang.GangPlanner;
import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.gang.group.GangSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Gangs as preemptors through the real loop, planner and preemption engine: a higher-priority gang
 * evicts only whole lower-priority gangs, holds the room while they leave, and binds all-or-nothing.
 */
class GangPreemptionTest {
    private static final int LOW = 10;
    private static final int HIGH = 1000;

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final ScriptedBinder binder = new ScriptedBinder();
    private final RecordingEventSink events = new RecordingEventSink();
    private final RecordingEvictor evictor = new RecordingEvictor();
    private final Map<String, Integer> victims = new ConcurrentHashMap<>();
    private final SchedulerSettings settings = SchedulerSettings.defaults();
    private final SchedulingLoop loop = GangPlugin.newLoop(settings, SchedulingProfile.defaults(settings),
            new GangLabels(), new GangPlanner(), GangSettings.defaults(), binder, events, new QuietMetrics() {
                @Override
                public void preemptionVictims(String kind, int count) {
                    victims.merge(kind, count, Integer::sum);
                }
            }, clock);
    private final GangPlugin gang = GangPlugin.of(loop);

    private void start(int nodes, double cpu) {
        loop.usePreemption(evictor, new PreemptionSettings(true, Duration.ofMinutes(2)));
        loop.onLeadershipChanged(true);
        loop.onCachesSynced();
        for (int i = 0; i < nodes; i++) {
            loop.onNodeUpserted(node("n" + i).cpu(cpu).memoryGi(64).build());
        }
    }

    private static PodFixture member(String group, int index, int size, int priority) {
        return pod(group + "-" + index).namespace("batch").label(GangLabels.NAME, group)
                .label(GangLabels.MIN_AVAILABLE, Integer.toString(size)).priority(priority).cpu(2);
    }

    private static Set<String> gangsOf(List<String> evictions) {
        Set<String> gangs = new TreeSet<>();
        evictions.forEach(line -> gangs.add(line.substring(0, line.indexOf('-'))));
        return gangs;
    }

    @Test
    void aSixMemberHighPriorityGangEvictsOneWholeLowPriorityGangNotPartsOfTwo() {
        start(6, 4);
        // Two running low-priority gangs of six, interleaved: every node has one member of each.
        for (int i = 0; i < 6; i++) {
            loop.onPodUpserted(member("a", i, 6, LOW).boundTo("n" + i).build());
            loop.onPodUpserted(member("b", i, 6, LOW).boundTo("n" + i).build());
        }
        for (int i = 0; i < 6; i++) {
            loop.onPodUpserted(member("high", i, 6, HIGH).build());
        }
        loop.runUntilIdle();

        List<String> evictions = evictor.evictions();
        assertThat(evictions).hasSize(6);
        assertThat(gangsOf(evictions)).as("one whole gang goes, not parts of two").hasSize(1);
        String evicted = gangsOf(evictions).iterator().next();
        assertThat(victims).containsExactlyEntriesOf(Map.of("gang", 1));
        assertThat(binder.bindings()).as("nothing binds while the victims are still there").isEmpty();
        assertThat(gang.room.held.of("batch/high")).hasSize(6)
                .allSatisfy(h -> assertThat(h.why()).isEqualTo(HeldRoom.Why.PREEMPTION));
        assertThat(events.lines()).anyMatch(l -> l.startsWith("GangPreempting high-0: gang batch/high: 6 lower-priority"));

        // The victims go; a pod that arrives meanwhile cannot take their room.
        loop.onPodUpserted(pod("opportunist").cpu(2).build());
        for (int i = 0; i < 6; i++) {
            loop.onPodRemoved(new PodKey("batch", evicted + "-" + i));
        }
        loop.runUntilIdle();
        clock.advance(Duration.ofSeconds(30)); // the members' backoff ends
        loop.runUntilIdle();

        assertThat(binder.bindings()).containsOnlyKeys("high-0", "high-1", "high-2", "high-3", "high-4", "high-5");
        assertThat(gang.room.held.of("batch/high")).as("the hold ends when the gang is placed").isEmpty();
        String survivor = evicted.equals("a") ? "b" : "a";
        for (int i = 0; i < 6; i++) {
            assertThat(gang.loop.state().accountedPod(new PodKey("batch", survivor + "-" + i)))
                    .as("the other gang is whole").isNotNull();
        }
    }

    @Test
    void aGangWithoutHigherPriorityEvictsNothingAndHoldsNothing() {
        start(2, 4);
        for (int i = 0; i < 2; i++) {
            loop.onPodUpserted(member("a", i, 2, HIGH).cpu(4).boundTo("n" + i).build());
        }
        for (int i = 0; i < 2; i++) {
            loop.onPodUpserted(member("same", i, 2, HIGH).cpu(4).build());
        }
        loop.runUntilIdle();

        assertThat(evictor.evictions()).isEmpty();
        assertThat(gang.room.held.of("batch/same")).isEmpty();
        assertThat(binder.bindings()).isEmpty();
    }

    @Test
    void aSparkDriverPreemptsForItselfAndItsExecutorsPlacesAndIsBoundWithThemOnceTheVictimsAreGone() {
        start(2, 4);
        for (int i = 0; i < 2; i++) {
            loop.onPodUpserted(member("low", i, 2, LOW).cpu(4).boundTo("n" + i).build());
        }
        gang.onExecutorTemplate("spark", "pi", new ExecutorTemplate(ResourceList.of(Map.of("cpu", 2000L)), 2, Map.of(),
                List.of(), "test"));
        loop.onPodUpserted(pod("pi-driver").namespace("spark").label("spark-role", "driver")
                .label("spark-app-selector", "spark-pi").label("sparkoperator.k8s.io/app-name", "pi")
                .label(GangLabels.NAME, "pi").label(GangLabels.MIN_AVAILABLE, "3").priority(HIGH).cpu(2).build());
        loop.runUntilIdle();

        assertThat(gangsOf(evictor.evictions())).containsExactly("low");
        assertThat(evictor.evictions()).hasSize(2);
        assertThat(evictor.nominations()).as("only real pods are nominated in the API: not the executors' stand-ins")
                .containsExactly("pi-driver -> " + gang.room.held.heldFor("spark/pi", new PodKey("spark", "pi-driver"))
                        .standIn().nodeName());
        assertThat(gang.room.held.of("spark/pi")).hasSize(3);

        loop.onPodRemoved(new PodKey("batch", "low-0"));
        loop.onPodRemoved(new PodKey("batch", "low-1"));
        loop.runUntilIdle();
        clock.advance(Duration.ofSeconds(30));
        loop.runUntilIdle();

        assertThat(binder.bindings()).containsOnlyKeys("pi-driver");
        assertThat(gang.reservationsOf("spark/pi")).as("its executors' places are reserved with it").hasSize(2);
        assertThat(gang.room.held.of("spark/pi")).isEmpty();
    }
}
