package io.kubenexus.scheduler.core.queue;

import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The unschedulable pool is indexed by the events that help its pods, and flushed in age order
 * with an early stop. Differential check against the plain rules on random operation sequences: an
 * event moves exactly the pods that named it, the flush exactly those that waited the maximum, and
 * everything else stays where it was.
 */
class UnschedulableIndexTest {
    private static final ClusterEventType[] EVENTS = ClusterEventType.values();
    private static final Duration MAX_WAIT = Duration.ofMinutes(5);

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void eventsAndFlushesMoveExactlyThePodsThePlainRulesWould(long seed) {
        Random random = new Random(seed);
        MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
        SchedulingQueue queue = new SchedulingQueue(clock, Duration.ofSeconds(1), Duration.ofSeconds(10), MAX_WAIT);
        // The model: which pods wait as unschedulable, for which events, since when.
        Map<PodKey, Set<ClusterEventType>> waitingFor = new HashMap<>();
        Map<PodKey, Instant> since = new HashMap<>();
        for (int step = 0; step < 3_000; step++) {
            int op = random.nextInt(10);
            if (op < 4) {
                String name = "p" + random.nextInt(200);
                queue.addOrUpdate(pod(name).cpu(1).build());
            } else if (op < 7) {
                QueuedPod popped = queue.pop();
                if (popped != null) {
                    Set<ClusterEventType> events = EnumSet.noneOf(ClusterEventType.class);
                    for (ClusterEventType event : EVENTS) {
                        if (random.nextInt(4) == 0) {
                            events.add(event);
                        }
                    }
                    queue.unschedulable(popped, events);
                    waitingFor.put(popped.pod().key(), events);
                    since.put(popped.pod().key(), clock.instant());
                }
            } else if (op < 9) {
                ClusterEventType event = EVENTS[random.nextInt(EVENTS.length)];
                Set<PodKey> expected = new HashSet<>();
                waitingFor.forEach((key, events) -> {
                    if (events.contains(event)) {
                        expected.add(key);
                    }
                });
                int moved = queue.onClusterEvent(event);
                assertThat(moved).as("step %d: %s", step, event).isEqualTo(expected.size());
                expected.forEach(waitingFor::remove);
            } else {
                clock.advance(Duration.ofSeconds(random.nextInt(90)));
                Set<PodKey> stale = new HashSet<>();
                since.forEach((key, at) -> {
                    if (waitingFor.containsKey(key) && !at.plus(MAX_WAIT).isAfter(clock.instant())) {
                        stale.add(key);
                    }
                });
                queue.pop(); // flushes, then may pop one pod (no longer unschedulable either way)
                stale.forEach(waitingFor::remove);
            }
            Set<PodKey> inPool = new HashSet<>();
            for (var p : queue.unschedulablePods()) {
                inPool.add(p.key());
            }
            assertThat(inPool).as("step %d", step).isEqualTo(waitingFor.keySet());
            assertThat(queue.unschedulableCount()).isEqualTo(inPool.size());
        }
    }
}
