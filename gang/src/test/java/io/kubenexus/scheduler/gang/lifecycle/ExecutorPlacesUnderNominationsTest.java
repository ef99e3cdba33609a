package io.kubenexus.scheduler.gang.lifecycle;

import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.PreemptionSettings;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
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
import org.junit.jupiter.api.Test;

/**
 * Issue 15: a Spark application's executor places and the room preemption keeps for a nominated
 * pod (held only during attempts of pods of lower or equal priority). The places are reserved in
 * the driver's attempt; each executor takes its place in an attempt of its own: the gang stays whole
 * only if the executor can still take its place then.
 */
class ExecutorPlacesUnderNominationsTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final ScriptedBinder binder = new ScriptedBinder();
    private final RecordingEvictor evictor = new RecordingEvictor();
    private final SchedulerSettings settings = SchedulerSettings.defaults();
    private final SchedulingLoop loop = GangPlugin.newLoop(settings, SchedulingProfile.defaults(settings),
            new GangLabels(), new GangPlanner(), GangSettings.defaults(), binder, new RecordingEventSink(),
            new QuietMetrics() { }, clock);
    private final GangPlugin gang = GangPlugin.of(loop);

    ExecutorPlacesUnderNominationsTest() {
        loop.usePreemption(evictor, new PreemptionSettings(true, Duration.ofMinutes(2)));
        loop.onLeadershipChanged(true);
        loop.onCachesSynced();
        loop.onNodeUpserted(node("n0").cpu(4).memoryGi(64).build());
        loop.onNodeUpserted(node("n1").cpu(4).memoryGi(64).build());
    }

    private static PodFixture spark(String name, String role, int priority) {
        return pod(name).namespace("spark").label(GangLabels.SPARK_ROLE, role).label(GangLabels.SPARK_APP_SELECTOR, "spark-etl")
                .label(GangLabels.OPERATOR_APP_NAME, "etl").label(GangLabels.NAME, "etl").priority(priority).cpu(1);
    }

    @Test
    void executorsTakeTheirPlacesEvenWhenANominationTheDriverOutranksHoldsRoomOnTheirNode() {
        // n1 is taken by work nobody may evict; on n0 a low pod is evicted for "urgent" (priority 500).
        loop.onPodUpserted(pod("keeper").cpu(4).priority(100_000).boundTo("n1").build());
        loop.onPodUpserted(pod("low").cpu(4).priority(0).boundTo("n0").build());
        loop.onPodUpserted(pod("urgent").cpu(2).priority(500).build());
        loop.runUntilIdle();
        assertThat(evictor.evictions()).hasSize(1);
        assertThat(evictor.nominations()).containsExactly("urgent -> n0");
        loop.onPodRemoved(new PodKey("default", "low"));

        // A driver of priority 1000 outranks the nomination: it and its executors' places take n0.
        // Its executors run at priority 10 (spec.executor.priorityClassName differs from the driver's).
        gang.onExecutorTemplate("spark", "etl", new ExecutorTemplate(ResourceList.of(Map.of("cpu", 1000L)), 2, Map.of(),
                List.of(), "test"));
        loop.onPodUpserted(spark("etl-driver", "driver", 1000).build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsKey("etl-driver");
        assertThat(gang.reservationsOf("spark/etl")).hasSize(2);
        loop.onPodUpserted(spark("etl-driver", "driver", 1000).boundTo(binder.bindings().get("etl-driver")).build());

        for (int id = 1; id <= 2; id++) {
            loop.onPodUpserted(spark("etl-exec-" + id, "executor", 10)
                    .label(GangLabels.SPARK_EXEC_ID, Integer.toString(id)).build());
        }
        loop.runUntilIdle();
        clock.advance(Duration.ofSeconds(30));
        loop.runUntilIdle();

        assertThat(binder.bindings()).as("the driver's executors take the places held for them")
                .containsKeys("etl-exec-1", "etl-exec-2");
    }

    @Test
    void executorsTakeTheirPlacesWhileAHigherNominationWaitsForItsVictimsOnTheirNode() {
        // Driver and executors share one priority (the demo's Spark applications); their places are
        // reserved on n0 before "urgent" preempts "low" there. While "low" is still terminating,
        // urgent's hold over-commits n0: an executor yielding to it could not take its own place, and
        // freeing both places for the first executor counted its sibling's as used up (a partial gang).
        loop.onNodeUpserted(node("n0").cpu(9).memoryGi(64).build());
        loop.onPodUpserted(pod("keeper").cpu(4).priority(100_000).boundTo("n1").build());
        gang.onExecutorTemplate("spark", "etl", new ExecutorTemplate(ResourceList.of(Map.of("cpu", 1000L)), 2, Map.of(),
                List.of(), "test"));
        loop.onPodUpserted(spark("etl-driver", "driver", 10).build());
        loop.runUntilIdle();
        assertThat(binder.bindings()).containsEntry("etl-driver", "n0");
        loop.onPodUpserted(spark("etl-driver", "driver", 10).boundTo("n0").build());
        loop.onPodUpserted(pod("low").cpu(4).priority(0).boundTo("n0").build());
        loop.onPodUpserted(pod("urgent").cpu(4).priority(500).build());
        loop.runUntilIdle();
        assertThat(evictor.nominations()).containsExactly("urgent -> n0");
        assertThat(evictor.evictions()).hasSize(1);

        for (int id = 1; id <= 2; id++) {
            loop.onPodUpserted(spark("etl-exec-" + id, "executor", 10)
                    .label(GangLabels.SPARK_EXEC_ID, Integer.toString(id)).build());
        }
        loop.runUntilIdle();
        assertThat(binder.bindings()).as("each executor on its own place at once, low still terminating")
                .containsEntry("etl-exec-1", "n0").containsEntry("etl-exec-2", "n0");
        loop.onPodRemoved(new PodKey("default", "low"));
        loop.runUntilIdle();
        clock.advance(Duration.ofSeconds(30));
        loop.runUntilIdle();

        assertThat(binder.bindings()).as("both executors on their places, then urgent in the room of low")
                .containsEntry("etl-exec-1", "n0").containsEntry("etl-exec-2", "n0").containsEntry("urgent", "n0");
    }
}
