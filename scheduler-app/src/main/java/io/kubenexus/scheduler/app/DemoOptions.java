package io.kubenexus.scheduler.app;

import io.kubenexus.scheduler.app.config.GoDuration;
import io.kubenexus.scheduler.kube.embedded.FaultPlan;
import java.time.Duration;
import java.util.Objects;

/**
 * The options of {@code kubenexus-scheduler demo}; messages name the command-line option.
 *
 * @param nodes   synthetic nodes to create, at least 1
 * @param pods    pods to create, at least 0
 * @param sparkApps Spark applications to submit among the pods (driver first, executors once it
 *                is bound), at least 0
 * @param seed    seed of the synthetic cluster and workload: equal seeds give equal demos
 * @param timeout how long to wait for the pods to be bound or reported unschedulable
 * @param json    the summary is printed as one JSON object on stdout, progress on stderr
 * @param faults  what the embedded API injects into the scheduler's requests ({@code --chaos},
 *                {@code --chaos-rates}); {@link FaultPlan#NONE} without {@code --chaos}
 * @param failover {@code --failover}: two replicas with leader election, the leader cut off the API in
 *                the middle of the run (as a killed process), the standby taking over
 * @param httpPort the loopback port of the scheduler's HTTP endpoints ({@code --http-port}); 0 takes a free one
 * @param extender {@code --extender}: the workload keeps {@code schedulerName: default-scheduler} and a
 *                simulated kube-scheduler places it by calling the replica's extender verbs over HTTP
 */
public record DemoOptions(int nodes, int pods, int sparkApps, long seed, Duration timeout, boolean json,
                          FaultPlan faults, boolean failover, int httpPort, boolean extender) {
    public static final int DEFAULT_NODES = 50;
    public static final int DEFAULT_PODS = 500;
    public static final int DEFAULT_SPARK_APPS = 20;
    public static final long DEFAULT_SEED = 1;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    public DemoOptions {
        if (nodes < 1) {
            throw new IllegalArgumentException("--nodes: must be at least 1, was " + nodes);
        }
        if (pods < 0) {
            throw new IllegalArgumentException("--pods: must not be negative, was " + pods);
        }
        if (sparkApps < 0) {
            throw new IllegalArgumentException("--spark-apps: must not be negative, was " + sparkApps);
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--timeout: must be a positive duration, was " + GoDuration.format(timeout));
        }
        Objects.requireNonNull(faults, "faults");
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("--http-port: must be 0..65535 (0 = a free port), was " + httpPort);
        }
        if (extender && failover) {
            // The simulated kube-scheduler calls one replica's URL; a takeover would need it re-pointed.
            throw new IllegalArgumentException("--extender: not with --failover");
        }
    }

    /** As the scheduler of its own pods (not {@code --extender}). */
    public DemoOptions(int nodes, int pods, int sparkApps, long seed, Duration timeout, boolean json,
                       FaultPlan faults, boolean failover, int httpPort) {
        this(nodes, pods, sparkApps, seed, timeout, json, faults, failover, httpPort, false);
    }

    /** On a free HTTP port. */
    public DemoOptions(int nodes, int pods, int sparkApps, long seed, Duration timeout, boolean json,
                       FaultPlan faults, boolean failover) {
        this(nodes, pods, sparkApps, seed, timeout, json, faults, failover, 0);
    }

    /** One replica. */
    public DemoOptions(int nodes, int pods, int sparkApps, long seed, Duration timeout, boolean json,
                       FaultPlan faults) {
        this(nodes, pods, sparkApps, seed, timeout, json, faults, false);
    }

    public DemoOptions withFailover(boolean on) {
        return new DemoOptions(nodes, pods, sparkApps, seed, timeout, json, faults, on, httpPort, extender);
    }

    public DemoOptions withExtender(boolean on) {
        return new DemoOptions(nodes, pods, sparkApps, seed, timeout, json, faults, failover, httpPort, on);
    }

    /** Without faults. */
    public DemoOptions(int nodes, int pods, int sparkApps, long seed, Duration timeout, boolean json) {
        this(nodes, pods, sparkApps, seed, timeout, json, FaultPlan.NONE);
    }

    /**
     * The fault plan of {@code --chaos} and {@code --chaos-rates}: none without {@code --chaos},
     * else the default rates (docs/chaos.md) overridden by {@code rates} ({@code kind=rate,...}),
     * seeded with the demo's seed.
     *
     * @throws IllegalArgumentException naming the option: rates without {@code --chaos}, or a bad entry
     */
    public static FaultPlan faults(boolean chaos, String rates, long seed) {
        if (!chaos) {
            if (rates != null) {
                throw new IllegalArgumentException("--chaos-rates: needs --chaos");
            }
            return FaultPlan.NONE;
        }
        FaultPlan plan = FaultPlan.chaos(seed);
        if (rates == null) {
            return plan;
        }
        try {
            return plan.withRates(rates);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--chaos-rates: " + e.getMessage(), e);
        }
    }

    public static DemoOptions defaults() {
        return new DemoOptions(DEFAULT_NODES, DEFAULT_PODS, DEFAULT_SPARK_APPS, DEFAULT_SEED, DEFAULT_TIMEOUT, false);
    }
}
