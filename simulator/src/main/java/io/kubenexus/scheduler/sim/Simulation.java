package io.kubenexus.scheduler.sim;

import io.kubenexus.scheduler.sim.model.SimCluster;
import io.kubenexus.scheduler.sim.model.SimWorkload;
import io.kubenexus.scheduler.sim.policy.Policy;
import io.kubenexus.scheduler.sim.replay.Replay;
import io.kubenexus.scheduler.sim.replay.ReplayPlan;
import io.kubenexus.scheduler.sim.report.PolicyResult;
import io.kubenexus.scheduler.sim.report.SimulationReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One {@code simulate} run: the same arrival sequence replayed once per policy (each on its own
 * loop, several at a time on the machine's cores), and once more per policy on the what-if cluster
 * when one is asked for.
 */
public final class Simulation {
    private Simulation() {
    }

    /**
     * @param policies    in report order ({@code default} first)
     * @param whatIf      a change to replay beside the base run, or null
     * @param parallelism replays run at the same time (each is single-threaded)
     */
    public static SimulationReport run(SimCluster cluster, SimWorkload workload, ReplayPlan plan, double load, long seed,
                                       List<Policy> policies, WhatIf whatIf, int parallelism) {
        long start = System.nanoTime();
        boolean hasWhatIf = whatIf != null && !whatIf.isEmpty();
        SimCluster changed = hasWhatIf ? whatIf.apply(cluster) : null;
        List<Replay> replays = new ArrayList<>();
        for (Policy policy : policies) {
            replays.add(new Replay(policy, cluster, plan));
        }
        if (hasWhatIf) {
            for (Policy policy : policies) {
                replays.add(new Replay(whatIf.apply(policy), changed, plan));
            }
        }
        List<PolicyResult> results = runAll(replays, parallelism);
        Map<String, PolicyResult> base = new LinkedHashMap<>();
        Map<String, PolicyResult> alternative = new LinkedHashMap<>();
        for (int i = 0; i < results.size(); i++) {
            (i < policies.size() ? base : alternative).put(results.get(i).policy(), results.get(i));
        }
        return new SimulationReport(cluster.source(), workload.source(), plan.mode().apiName(), load, seed,
                cluster.nodes().size(), cluster.totalGpus(), workload.tasks().size(), workload.sharedGpuTasks(),
                plan.arrivals().size(), base, hasWhatIf ? whatIf.describe() : null,
                hasWhatIf ? changed.nodes().size() : 0, hasWhatIf ? changed.totalGpus() : 0, alternative,
                (System.nanoTime() - start) / 1e9, machine());
    }

    private static List<PolicyResult> runAll(List<Replay> replays, int parallelism) {
        if (parallelism <= 1 || replays.size() == 1) {
            return replays.stream().map(Replay::run).toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, replays.size()), r -> {
            Thread thread = new Thread(r, "kubenexus-simulate");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<PolicyResult>> futures = new ArrayList<>();
            for (Replay replay : replays) {
                futures.add(pool.submit(replay::run));
            }
            List<PolicyResult> out = new ArrayList<>();
            for (Future<PolicyResult> future : futures) {
                out.add(future.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version() + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch");
    }
}
