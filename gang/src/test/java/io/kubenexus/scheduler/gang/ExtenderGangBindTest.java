package io.kubenexus.scheduler.gang;

import io.kubenexus.scheduler.gang.lifecycle.GangPlugin;
import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.gang.group.GangSettings;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.query.ExtenderBindResult;
import io.kubenexus.scheduler.core.query.ExtenderBindResult.Bound;
import io.kubenexus.scheduler.core.query.ExtenderBindResult.Refused;
import io.kubenexus.scheduler.core.testing.MutableClock;
import io.kubenexus.scheduler.core.testing.PodFixture;
import io.kubenexus.scheduler.core.testing.RecordingEventSink;
import io.kubenexus.scheduler.core.testing.ScriptedBinder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The extender's bind with the real labels and planner, for pods kube-scheduler schedules
 * (schedulerName default-scheduler): a gang is bound whole once its last member's bind arrives, a
 * Spark driver only with its executors' places reserved by the {@link GangPlanner}.
 */
class ExtenderGangBindTest {
    private static final long GI = 1024L * 1024 * 1024;
    private static final Duration HOLD = Duration.ofSeconds(30);

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final ScriptedBinder binder = new ScriptedBinder();
    private final SchedulerSettings settings = SchedulerSettings.defaults();
    private final SchedulingLoop loop = GangPlugin.newLoop(settings, SchedulingProfile.defaults(settings),
            new GangLabels(), new GangPlanner(), GangSettings.defaults(), binder, new RecordingEventSink(),
            SchedulerMetrics.NONE, clock);

    ExtenderGangBindTest() {
        loop.onLeadershipChanged(true);
        loop.onCachesSynced();
        for (int i = 0; i < 2; i++) {
            loop.onNodeUpserted(node("n" + i).cpu(4).memoryGi(64).build());
        }
        loop.runUntilIdle();
    }

    private static PodFixture foreign(String name) {
        return pod(name).namespace("spark").schedulerName("default-scheduler");
    }

    private static PodInfo spark(String name, String role, double cpu) {
        return foreign(name).label("spark-role", role).label("spark-app-selector", "spark-pi")
                .label("sparkoperator.k8s.io/app-name", "pi").label(GangLabels.NAME, "pi")
                .label(GangLabels.MIN_AVAILABLE, "3").cpu(cpu).memoryGi(2).build();
    }

    private ExtenderBindResult answered(CompletableFuture<ExtenderBindResult> answer) {
        assertThat(answer).isDone();
        return answer.join();
    }

    @Test
    void aGangIsBoundWholeOnceItsLastMemberArrives() {
        List<CompletableFuture<ExtenderBindResult>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            PodInfo member = foreign("w-" + i).label(GangLabels.NAME, "train").label(GangLabels.MIN_AVAILABLE, "3")
                    .cpu(1).build();
            answers.add(loop.bindFor(member, "n" + (i % 2), HOLD));
            loop.runUntilIdle();
            if (i < 2) {
                assertThat(binder.bindings()).isEmpty();
            }
        }

        assertThat(binder.bindings()).containsOnlyKeys("w-0", "w-1", "w-2");
        assertThat(answers).allSatisfy(a -> assertThat(answered(a)).isInstanceOf(Bound.class));
    }

    @Test
    void aDriverIsBoundWithItsExecutorsPlacesAndRefusedWhenTheyDoNotFit() {
        GangPlugin.of(loop).onExecutorTemplate("spark", "pi", new ExecutorTemplate(ResourceList.of(Map.of("cpu", 3000L,
                "memory", 2 * GI)), 2, Map.of(), List.of(), "SparkApplication spark/pi"));
        loop.runUntilIdle();

        CompletableFuture<ExtenderBindResult> tooBig = loop.bindFor(spark("pi-driver", "driver", 2), "n0", HOLD);
        loop.runUntilIdle();
        assertThat(answered(tooBig)).isInstanceOf(Refused.class);
        assertThat(((Refused) answered(tooBig)).error()).startsWith("driver and 2 executor(s) sized by SparkApplication spark/pi: ");
        assertThat(binder.bindings()).isEmpty();

        CompletableFuture<ExtenderBindResult> fits = loop.bindFor(spark("pi-driver", "driver", 1), "n0", HOLD);
        loop.runUntilIdle();
        assertThat(answered(fits)).isEqualTo(new Bound("n0"));
        assertThat(loop.stats().reservations()).isEqualTo(2);
    }
}
