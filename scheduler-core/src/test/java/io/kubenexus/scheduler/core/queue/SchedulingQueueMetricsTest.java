package io.kubenexus.scheduler.core.queue;

import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.ports.BindOutcome;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every admission into a part of the queue is reported once, with kube-scheduler's event label. */
class SchedulingQueueMetricsTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final List<String> admissions = new ArrayList<>();
    private final SchedulerMetrics recording = new SchedulerMetrics() {
        @Override
        public void attempt(String result, long durationNanos) {
        }

        @Override
        public void bind(BindOutcome outcome, long durationNanos) {
        }

        @Override
        public void queueSize(String queue, int size) {
        }

        @Override
        public void podsQueued(String event, String queue, int count) {
            admissions.add(event + " -> " + queue + (count == 1 ? "" : " x" + count));
        }
    };
    private final SchedulingQueue queue = new SchedulingQueue(clock, Duration.ofSeconds(1), Duration.ofSeconds(10),
            Duration.ofMinutes(5), recording);

    @Test
    void aPodsWayThroughTheQueue() {
        queue.addOrUpdate(pod("p").cpu(1).build());
        queue.addOrUpdate(pod("p").cpu(1).build()); // unchanged while active: no admission
        QueuedPod entry = queue.pop();
        queue.unschedulable(entry, Set.of(ClusterEventType.NODE_ADDED));
        queue.onClusterEvent(ClusterEventType.NODE_ADDED); // backoff not over: to backoff
        clock.advance(Duration.ofSeconds(2));
        entry = queue.pop(); // backoff complete, then popped
        queue.retryAfterBackoff(entry);
        clock.advance(Duration.ofSeconds(5));
        entry = queue.pop();
        queue.unschedulable(entry, Set.of());
        queue.addOrUpdate(pod("p").cpu(2).build()); // changed while unschedulable
        clock.advance(Duration.ofSeconds(10));
        entry = queue.pop();
        queue.unschedulable(entry, Set.of());
        clock.advance(Duration.ofMinutes(6));
        entry = queue.pop(); // flushed after podMaxInUnschedulablePods
        queue.retryAfterBackoff(entry);
        queue.retryNow(queue.claim(entry.pod().key()));
        queue.done(queue.pop());

        assertThat(admissions).containsExactly(
                "UnschedulablePodAdd -> active",
                "ScheduleAttemptFailure -> unschedulable",
                "NodeAdd -> backoff",
                "BackoffComplete -> active",
                "ScheduleAttemptFailure -> backoff",
                "BackoffComplete -> active",
                "ScheduleAttemptFailure -> unschedulable",
                "UnschedulablePodUpdate -> backoff",
                "BackoffComplete -> active",
                "ScheduleAttemptFailure -> unschedulable",
                "UnschedulableTimeout -> active",
                "ScheduleAttemptFailure -> backoff",
                "ForceActivate -> active");
    }

    @ParameterizedTest
    @EnumSource(ClusterEventType.class)
    void everyClusterEventHasALabelOfTheClosedSet(ClusterEventType event) {
        assertThat(QueueingEvents.ALL).contains(QueueingEvents.forClusterEvent(event));
    }

    @Test
    void onlyEventsKubeSchedulerHasNoNameForAreOther() {
        Set<ClusterEventType> other = EnumSet.noneOf(ClusterEventType.class);
        for (ClusterEventType event : ClusterEventType.values()) {
            if (QueueingEvents.forClusterEvent(event).equals(QueueingEvents.OTHER)) {
                other.add(event);
            }
        }
        assertThat(other).containsExactlyInAnyOrder(ClusterEventType.NODE_TOPOLOGY_CHANGED,
                ClusterEventType.NAMESPACE_LABELS_CHANGED);
    }
}
