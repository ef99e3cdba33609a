package io.kubenexus.scheduler.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.kube.embedded.EmbeddedKubernetesApi;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An embedded API per test and the {@link KubeScheduler}s a test starts against it over HTTP (a
 * restart test starts several), closed in the order that loses nothing (the scheduler's watches before the API: closing the
 * mock under live watches can stall it). Register with {@code @RegisterExtension}.
 */
public final class EmbeddedScheduler implements BeforeEachCallback, AfterEachCallback {
    /** Short backoffs so retries happen within a test's patience. */
    public static final SchedulerSettings FAST_RETRIES =
            SchedulerSettings.defaults().withBackoff(Duration.ofMillis(100), Duration.ofMillis(500));

    private EmbeddedKubernetesApi api;
    private final List<KubeScheduler> schedulers = new ArrayList<>();

    @Override
    public void beforeEach(ExtensionContext context) {
        api = new EmbeddedKubernetesApi();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        schedulers.forEach(KubeScheduler::close);
        schedulers.clear();
        api.close();
    }

    /** The test's own client of the API. */
    public KubernetesClient client() {
        return api.client();
    }

    /** The test's embedded API (e.g. to declare the API versions it serves before starting). */
    public EmbeddedKubernetesApi api() {
        return api;
    }

    /** Starts one replica with {@link #FAST_RETRIES} and waits until its caches have synced. */
    public KubeScheduler start() {
        return start(KubeSchedulerOptions.singleReplica(FAST_RETRIES));
    }

    public KubeScheduler start(KubeSchedulerOptions options) {
        KubeScheduler scheduler = new KubeScheduler(api.newClient(), options, Clock.systemUTC());
        schedulers.add(scheduler);
        scheduler.start().toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
        return scheduler;
    }
}
