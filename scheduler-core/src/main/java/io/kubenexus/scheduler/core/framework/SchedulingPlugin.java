package io.kubenexus.scheduler.core.framework;

/**
 * Base of every extension point. A plugin implements only the extension points it needs; its name
 * is constant and appears in configuration, diagnostics and metrics.
 *
 * <p>Thread model: plugins are called only from the scheduling loop thread, against the loop's
 * live {@link io.kubenexus.scheduler.core.state.ClusterSnapshot}; they keep no state across cycles
 * other than caches they own.
 */
public interface SchedulingPlugin {
    String name();
}
