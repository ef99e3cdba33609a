package io.kubenexus.scheduler.extender.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * The process's own series under Micrometer's standard names (heap and non-heap per pool, GC
 * pauses, threads, classes, CPU, open files, uptime): what sizing the heap against the container's
 * limit is checked by. Labels are bounded (memory pool, collector, cause, thread state).
 *
 * <p>Close it with the registry's owner: the GC binder listens to the JVM's notifications.
 */
public final class ProcessMetrics implements AutoCloseable {
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /** Registers every series on {@code registry} and returns this, to be closed later. */
    public static ProcessMetrics bindTo(MeterRegistry registry) {
        ProcessMetrics metrics = new ProcessMetrics();
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        metrics.gc.bindTo(registry);
        return metrics;
    }

    @Override
    public void close() {
        gc.close();
    }
}
