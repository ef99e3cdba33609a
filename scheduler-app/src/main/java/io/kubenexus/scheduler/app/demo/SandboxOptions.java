package io.kubenexus.scheduler.app.demo;

import io.kubenexus.scheduler.app.config.GoDuration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The options of {@code kubenexus-scheduler sandbox}; messages name the command-line option.
 *
 * @param nodes         CPU nodes ({@code --nodes}); ignored with a cluster file
 * @param gpuNodes      8-GPU nodes with two NUMA zones ({@code --gpu-nodes}); ignored with a cluster file
 * @param clusterFile   {@code --cluster}: a node list to use instead (see {@link ClusterFile}), or null
 * @param httpPort      loopback port of the scheduler's HTTP server ({@code --http-port}); 0 takes a free one
 * @param appDuration   how long a Spark application runs once its driver started ({@code --app-duration})
 * @param kubeconfigOut where to write the kubeconfig ({@code --kubeconfig-out}); null: a new temporary directory
 */
public record SandboxOptions(int nodes, int gpuNodes, Path clusterFile, int httpPort, Duration appDuration,
                             Path kubeconfigOut) {
    public static final int DEFAULT_NODES = 8;
    public static final int DEFAULT_GPU_NODES = 2;
    public static final Duration DEFAULT_APP_DURATION = Duration.ofMinutes(5);

    public SandboxOptions {
        if (nodes < 0) {
            throw new IllegalArgumentException("--nodes: must not be negative, was " + nodes);
        }
        if (gpuNodes < 0) {
            throw new IllegalArgumentException("--gpu-nodes: must not be negative, was " + gpuNodes);
        }
        if (clusterFile == null && nodes + gpuNodes == 0) {
            throw new IllegalArgumentException("--nodes, --gpu-nodes: the cluster needs at least one node");
        }
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("--http-port: must be 0..65535 (0 = a free port), was " + httpPort);
        }
        Objects.requireNonNull(appDuration, "appDuration");
        if (appDuration.isNegative() || appDuration.isZero()) {
            throw new IllegalArgumentException("--app-duration: must be a positive duration, was "
                    + GoDuration.format(appDuration));
        }
    }

    public static SandboxOptions defaults() {
        return new SandboxOptions(DEFAULT_NODES, DEFAULT_GPU_NODES, null, 0, DEFAULT_APP_DURATION, null);
    }

    public SandboxOptions withAppDuration(Duration duration) {
        return new SandboxOptions(nodes, gpuNodes, clusterFile, httpPort, duration, kubeconfigOut);
    }

    public SandboxOptions withKubeconfigOut(Path file) {
        return new SandboxOptions(nodes, gpuNodes, clusterFile, httpPort, appDuration, file);
    }
}
