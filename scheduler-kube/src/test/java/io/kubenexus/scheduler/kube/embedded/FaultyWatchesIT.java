package io.kubenexus.scheduler.kube.embedded;

import static io.kubenexus.scheduler.kube.testing.PodObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Watches the embedded API closes mid-stream, over and over, while pods are written: no write may
 * go unanswered (the mock's watch close must neither block its event loop nor break a write), and
 * watchers that resume still see every pod.
 */
class FaultyWatchesIT {
    private static final String NS = "watched";

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void writesAreAnsweredAndResumedWatchesSeeEveryPodWhileWatchesKeepClosing() throws Exception {
        FaultPlan plan = FaultPlan.NONE.withRate(FaultKind.WATCH_CLOSED, 1.0).withTimings(Duration.ofSeconds(2),
                Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMillis(300));
        // 10 s per request: on a loaded machine 3 s was missed by a healthy server; a mock loop blocked
        // by a closed watch (what this guards against) stays blocked for up to a minute.
        try (EmbeddedKubernetesApi api = new EmbeddedKubernetesApi(InetAddress.getLoopbackAddress(), 0,
                Duration.ofSeconds(10), Clock.systemUTC(), plan)) {
            KubernetesClient watching = api.newClientUnderFaults();
            List<Set<String>> seen = new ArrayList<>();
            List<Watch> watches = new ArrayList<>();
            for (int w = 0; w < 16; w++) {
                Set<String> names = ConcurrentHashMap.newKeySet();
                seen.add(names);
                watches.add(watching.pods().inNamespace(NS).watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, Pod pod) {
                        names.add(pod.getMetadata().getName());
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                    }
                }));
            }
            ExecutorService writers = Executors.newFixedThreadPool(8);
            List<Future<?>> writes = new ArrayList<>();
            int pods = 1200;
            for (int i = 0; i < pods; i++) {
                String name = "p-" + i;
                writes.add(writers.submit(() -> api.client().pods().inNamespace(NS)
                        .resource(pod(name).namespace(NS).forCreate().container("main").cpu("100m").build()).create()));
            }
            List<String> failed = new ArrayList<>();
            for (Future<?> write : writes) {
                try {
                    write.get(20, TimeUnit.SECONDS);
                } catch (Exception e) {
                    failed.add(String.valueOf(e.getCause() == null ? e : e.getCause()));
                }
            }
            writers.shutdown();
            assertThat(failed).as("writes that failed while watches closed").isEmpty();
            // Each resume replays what the mock holds (it ignores resourceVersion): every pod is seen.
            // 16 watches replaying 1,200 pods each: seconds on an idle machine, longer on a loaded one.
            // On a fast machine the writes end before any resumed watch is closed a second time, so
            // the closes are awaited too rather than counted when the writes end.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((seen.stream().anyMatch(s -> s.size() < pods) || api.faults().count(FaultKind.WATCH_CLOSED) <= 16)
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(api.faults().count(FaultKind.WATCH_CLOSED)).as("watches closed, resumed ones again").isGreaterThan(16);
            assertThat(seen).allSatisfy(names -> assertThat(names).hasSize(pods));
            watches.forEach(Watch::close);
        }
    }
}
