package io.kubenexus.scheduler.core.queue;

import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class SchedulingQueueTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final SchedulingQueue queue = new SchedulingQueue(clock, Duration.ofSeconds(1), Duration.ofSeconds(10),
            Duration.ofMinutes(5));

    @Test
    void popsByPriorityThenAge() {
        queue.addOrUpdate(pod("young-low").createdAtSecond(300).build());
        queue.addOrUpdate(pod("old-low").createdAtSecond(100).build());
        queue.addOrUpdate(pod("young-high").priority(1000).createdAtSecond(400).build());
        queue.addOrUpdate(pod("old-high").priority(1000).createdAtSecond(200).build());

        assertThat(drainNames()).containsExactly("old-high", "young-high", "old-low", "young-low");
    }

    static Stream<Arguments> backoffs() {
        return Stream.of(
                Arguments.of("first failure waits the initial backoff", 1, Duration.ofSeconds(1)),
                Arguments.of("second doubles", 2, Duration.ofSeconds(2)),
                Arguments.of("fourth", 4, Duration.ofSeconds(8)),
                Arguments.of("capped at max", 5, Duration.ofSeconds(10)),
                Arguments.of("stays capped", 50, Duration.ofSeconds(10)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backoffs")
    void backoffIsExponentialAndBounded(String name, int attempts, Duration expected) {
        assertThat(queue.backoffFor(attempts)).isEqualTo(expected);
    }

    @Test
    void unschedulablePodsWaitForAHelpfulEvent() {
        queue.addOrUpdate(pod("needs-cpu").build());
        QueuedPod entry = queue.pop();
        queue.unschedulable(entry, Set.of(ClusterEventType.ASSIGNED_POD_REMOVED, ClusterEventType.NODE_ADDED));
        clock.advance(Duration.ofSeconds(30));

        assertThat(queue.pop()).as("no event yet").isNull();
        assertThat(queue.onClusterEvent(ClusterEventType.NODE_LABELS_CHANGED)).as("cannot help").isZero();
        assertThat(queue.pop()).isNull();

        assertThat(queue.onClusterEvent(ClusterEventType.ASSIGNED_POD_REMOVED)).isEqualTo(1);
        QueuedPod again = queue.pop();
        assertThat(again.pod().key().name()).isEqualTo("needs-cpu");
        assertThat(again.attempts()).isEqualTo(1);
    }

    @Test
    void aHelpfulEventDuringBackoffStillWaitsOutTheBackoff() {
        queue.addOrUpdate(pod("p").build());
        queue.unschedulable(queue.pop(), Set.of(ClusterEventType.NODE_ADDED));

        queue.onClusterEvent(ClusterEventType.NODE_ADDED);
        assertThat(queue.pop()).as("still backing off").isNull();
        assertThat(queue.backoffCount()).isEqualTo(1);
        assertThat(queue.nextWakeUp()).isEqualTo(clock.instant().plusSeconds(1));

        clock.advance(Duration.ofSeconds(1));
        assertThat(queue.pop()).isNotNull();
    }

    @Test
    void anUnchangedUpdateDoesNotRetryButAChangedOneDoes() {
        PodInfo original = pod("p").cpu(1).build();
        queue.addOrUpdate(original);
        queue.unschedulable(queue.pop(), Set.of());
        clock.advance(Duration.ofSeconds(30));

        queue.addOrUpdate(original);
        assertThat(queue.pop()).as("our own status write must not cause a retry").isNull();

        queue.addOrUpdate(pod("p").cpu(0.5).build());
        assertThat(queue.pop()).isNotNull();
    }

    @Test
    void unschedulablePodsAreRetriedAfterTheSafetyInterval() {
        queue.addOrUpdate(pod("p").build());
        queue.unschedulable(queue.pop(), Set.of());

        clock.advance(Duration.ofMinutes(4));
        assertThat(queue.pop()).isNull();
        clock.advance(Duration.ofMinutes(1));
        assertThat(queue.pop()).isNotNull();
    }

    @Test
    void aPodRemovedWhileInFlightIsNotRequeued() {
        queue.addOrUpdate(pod("p").build());
        QueuedPod entry = queue.pop();
        assertThat(queue.isInFlight(entry.pod().key())).isTrue();

        queue.remove(entry.pod().key());
        queue.retryAfterBackoff(entry);
        clock.advance(Duration.ofMinutes(1));

        assertThat(queue.pop()).isNull();
        assertThat(queue.size()).isZero();
    }

    @Test
    void countsPerSubQueue() {
        queue.addOrUpdate(pod("a").build());
        queue.addOrUpdate(pod("b").build());
        queue.addOrUpdate(pod("c").build());
        queue.unschedulable(queue.pop(), Set.of(ClusterEventType.NODE_ADDED));
        queue.retryAfterBackoff(queue.pop());

        assertThat(queue.activeCount()).isEqualTo(1);
        assertThat(queue.backoffCount()).isEqualTo(1);
        assertThat(queue.unschedulableCount()).isEqualTo(1);
        assertThat(queue.size()).isEqualTo(3);
    }

    private List<String> drainNames() {
        List<String> names = new ArrayList<>();
        QueuedPod next;
        while ((next = queue.pop()) != null) {
            names.add(next.pod().key().name());
            queue.done(next);
        }
        return names;
    }
}
