package io.kubenexus.scheduler.app.config;

/**
 * How pods are bound once placed.
 *
 * @param parallelism binding API calls in flight at once, 1..256. Binds run off the scheduling
 *                    loop; more parallelism lets a gang's members bind together and hides API
 *                    latency, at the cost of more concurrent requests to the API server.
 */
public record BindingConfig(int parallelism) {
    public static final int DEFAULT_PARALLELISM = 16;
    public static final int MAX_PARALLELISM = 256;

    public BindingConfig {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("binding.parallelism: must be 1.." + MAX_PARALLELISM + ", was " + parallelism);
        }
    }

    public static BindingConfig defaults() {
        return new BindingConfig(DEFAULT_PARALLELISM);
    }
}
