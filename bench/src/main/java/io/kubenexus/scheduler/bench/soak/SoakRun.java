package io.kubenexus.scheduler.bench.soak;

import io.kubenexus.scheduler.bench.BenchClusters;
import io.kubenexus.scheduler.bench.memory.HeapMeter;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.Binder;
import io.kubenexus.scheduler.sim.synthetic.SyntheticCluster;
import io.kubenexus.scheduler.gang.GangLabels;
import io.kubenexus.scheduler.gang.GangPlanner;
import io.kubenexus.scheduler.kube.KubeSchedulerOptions;
import io.kubenexus.scheduler.numa.NumaPlugins;
import io.kubenexus.scheduler.numa.NumaZones;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * One soak: the real {@link SchedulingLoop} on its own thread, wired as {@code KubeScheduler} wires
 * it (default profile with the NUMA plugins, {@link GangLabels}, {@link GangPlanner#packing}, the
 * NUMA state extension), in front of a {@link SimulatedCluster} that binds in process and churns
 * pods and nodes. Samples heap after GC and the loop's book sizes while pods arrive, then stops the
 * arrivals, lets the loop settle, and audits.
 *
 * <p>With a rate, the whole run is the measuring window (after the first tenth); as fast as it
 * goes, the window is the last three quarters and no GC is forced inside it (a forced GC would stop
 * the loop being timed): heap is read at the start and the end only.
 */
final class SoakRun {
    /** How long the end waits for the loop and the cluster to settle before auditing as they are. */
    static final Duration SETTLE_LIMIT = Duration.ofSeconds(60);
    /** {@code SchedulingLoop}'s thread, whose CPU time is read. */
    static final String LOOP_THREAD = "kubenexus-scheduling-loop";

    private final SoakOptions options;
    private final PrintStream progress;
    private final UnaryOperator<Binder> binderDecorator;
    private final Clock clock;
    private final Duration settleLimit;
    private final HeapMeter meter = new HeapMeter();

    SoakRun(SoakOptions options, PrintStream progress) {
        this(options, progress, UnaryOperator.identity(), Clock.systemUTC(), SETTLE_LIMIT);
    }

    /**
     * @param binderDecorator wraps the in-process binder (tests use it to lose binds on purpose)
     * @param settleLimit     how long the end waits for everything to settle (a run that loses pods never does)
     */
    SoakRun(SoakOptions options, PrintStream progress, UnaryOperator<Binder> binderDecorator, Clock clock,
            Duration settleLimit) {
        this.options = options;
        this.settleLimit = settleLimit;
        this.progress = progress;
        this.binderDecorator = binderDecorator;
        this.clock = clock;
    }

    SoakReport run() throws InterruptedException {
        SchedulerSettings settings = SchedulerSettings.defaults();
        KubeSchedulerOptions wiring = KubeSchedulerOptions.singleReplica(settings);
        SchedulingProfile.Factory profiles = NumaPlugins.profiles(wiring.numa());
        ScheduledExecutorService api = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "soak-cluster");
            thread.setDaemon(true);
            return thread;
        });
        LoopTimings timings = new LoopTimings();
        SimulatedCluster cluster = new SimulatedCluster(api, options,
                new SoakWorkload(options.mix(), options.seed(), options.lifetime(), settings.schedulerName()), clock);
        SchedulingLoop loop = new SchedulingLoop(settings, profiles.create(settings), new GangLabels(),
                GangPlanner.packing(settings, profiles), wiring.gang(), binderDecorator.apply(cluster), cluster, timings,
                clock);
        if (wiring.numa().enabled()) {
            loop.addStateExtension(new NumaZones(wiring.numa()));
        }
        cluster.connect(loop);
        try {
            return run(api, cluster, loop, timings);
        } finally {
            loop.close();
            api.shutdownNow();
        }
    }

    private SoakReport run(ScheduledExecutorService api, SimulatedCluster cluster, SchedulingLoop loop,
                           LoopTimings timings) throws InterruptedException {
        List<NodeInfo> nodes = SyntheticCluster.builder().seed(options.seed()).nodes(options.nodes()).build();
        Map<String, List<PodInfo>> prefill = new LinkedHashMap<>();
        SplittableRandom fillRandom = new SplittableRandom(options.seed());
        int prefilled = 0;
        for (NodeInfo node : nodes) {
            List<PodInfo> onNode = options.prefillPerNode() == 0 ? List.of()
                    : BenchClusters.filler(node, options.prefillPerNode(), fillRandom);
            prefill.put(node.name(), onNode);
            prefilled += onNode.size();
        }
        await(api.submit(() -> cluster.populate(nodes, prefill)));
        loop.onCachesSynced();
        loop.onLeadershipChanged(true);
        loop.start();
        books(loop);
        progress.printf(Locale.ROOT, "soak: %,d nodes, %,d prefilled pods; %s mix; arrivals for %.1f min%n", nodes.size(),
                prefilled, options.mix().name().toLowerCase(Locale.ROOT), options.duration().toMillis() / 60_000.0);

        List<SoakReport.Sample> samples = new ArrayList<>();
        boolean max = options.asFastAsItGoes();
        samples.add(sample(0, meter.usedAfterGc(), loop, cluster));
        long start = System.nanoTime();
        long end = start + options.duration().toNanos();
        long windowStart = start + options.duration().toNanos() / (max ? 4 : 10);
        api.execute(cluster::startArrivals);
        long nextSample = start + options.sampleEvery().toNanos();
        boolean windowOpen = false;
        long windowStartBound = 0;
        long windowStartNanos = 0;
        long windowStartLoopCpu = 0;
        long windowStartProcessCpu = 0;
        while (true) {
            long now = System.nanoTime();
            if (!windowOpen && now >= windowStart) {
                windowOpen = true;
                timings.open();
                windowStartBound = cluster.bound();
                windowStartNanos = now;
                windowStartLoopCpu = loopThreadCpuNanos();
                windowStartProcessCpu = processCpuNanos();
            }
            if (now >= end) {
                break;
            }
            long wake = Math.min(end, Math.min(nextSample, windowOpen ? Long.MAX_VALUE : windowStart));
            TimeUnit.NANOSECONDS.sleep(Math.max(0, wake - now));
            if (System.nanoTime() >= nextSample && System.nanoTime() < end) {
                nextSample += options.sampleEvery().toNanos();
                double seconds = (System.nanoTime() - start) / 1e9;
                // As fast as it goes, no GC is forced inside the window: the loop is being timed.
                samples.add(sample(seconds, max ? -1 : meter.usedAfterGc(), loop, cluster));
                SoakReport.Sample last = samples.get(samples.size() - 1);
                progress.printf(Locale.ROOT, "soak: %5.0f s  created %,d  bound %,d  heap %s  queue %d  accounted %d%n",
                        seconds, last.created(), last.bound(),
                        last.heapAfterGc() < 0 ? "-" : String.format(Locale.ROOT, "%.1f MiB", last.heapAfterGc() / 1048576.0),
                        last.books().get("queue"), last.books().get("accountedPods"));
            }
        }
        long windowEndNanos = System.nanoTime();
        long windowBinds = cluster.bound() - windowStartBound;
        long windowLoopCpu = loopThreadCpuNanos() - windowStartLoopCpu;
        long windowProcessCpu = processCpuNanos() - windowStartProcessCpu;
        timings.close();
        api.execute(cluster::stopArrivals);
        double seconds = (windowEndNanos - start) / 1e9;
        books(loop); // the loop thread's answer makes its timings visible here
        SoakReport.Throughput throughput = new SoakReport.Throughput((windowEndNanos - windowStartNanos) / 1e9,
                windowBinds, windowBinds / ((windowEndNanos - windowStartNanos) / 1e9), timings.attemptMedianNanos(),
                timings.attemptSamples(), timings.attemptMeanNanos(), timings.bindRoundTripMedianNanos(),
                windowBinds == 0 ? 0 : windowLoopCpu / windowBinds,
                windowProcessCpu / ((windowEndNanos - windowStartNanos) / 1e9) / 1e9);

        SimulatedCluster.Audit audit = settle(cluster, loop);
        Map<String, Integer> finalBooks = books(loop);
        samples.add(sample(seconds, meter.usedAfterGc(), loop, cluster));
        Map<String, Trend> trends = new LinkedHashMap<>();
        for (String name : finalBooks.keySet()) {
            List<Trend.Point> points = new ArrayList<>();
            // The settled sample is not part of the run's trend (arrivals had stopped).
            for (SoakReport.Sample sample : samples.subList(0, samples.size() - 1)) {
                points.add(new Trend.Point(sample.seconds(), sample.books().getOrDefault(name, 0)));
            }
            trends.put(name, Trend.of(points));
        }
        List<Trend.Point> heapPoints = new ArrayList<>();
        for (SoakReport.Sample sample : samples.subList(0, samples.size() - 1)) {
            if (sample.heapAfterGc() >= 0) {
                heapPoints.add(new Trend.Point(sample.seconds(), sample.heapAfterGc()));
            }
        }
        SoakReport.Sample settled = samples.get(samples.size() - 1);
        Trend heap = heapPoints.size() > 1 ? Trend.of(heapPoints)
                : new Trend(0, 0, 0, settled.heapAfterGc(), settled.heapAfterGc());
        double inboxSlack = options.asFastAsItGoes() ? Math.max(Trend.ALLOWED_SLACK, 5.0 * options.backlog())
                : Trend.ALLOWED_SLACK;
        return new SoakReport(options, machine(), seconds, samples, trends, heap, audit, finalBooks, loop.stats(),
                throughput, inboxSlack, SoakReport.checks(audit, finalBooks, trends, inboxSlack));
    }

    /**
     * Waits until nothing is in flight and every pending pod was told why, and two audits around a
     * read of the loop's books agree (the loop may still retry a pod in between), at most {@code settleLimit}.
     */
    private SimulatedCluster.Audit settle(SimulatedCluster cluster, SchedulingLoop loop) throws InterruptedException {
        long deadline = System.nanoTime() + settleLimit.toNanos();
        SimulatedCluster.Audit audit = await(cluster.audit());
        while (System.nanoTime() < deadline) {
            SimulatedCluster.Audit before = await(cluster.audit());
            Map<String, Integer> books = books(loop);
            audit = await(cluster.audit());
            if (audit.settled() && audit.equals(before) && books.getOrDefault("inbox", 1) == 0) {
                return audit;
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        progress.println("soak: did not settle within " + settleLimit.toSeconds() + " s; auditing as it is");
        return audit;
    }

    private SoakReport.Sample sample(double seconds, long heap, SchedulingLoop loop, SimulatedCluster cluster)
            throws InterruptedException {
        return new SoakReport.Sample(seconds, heap, books(loop), cluster.created(), cluster.bound());
    }

    private static Map<String, Integer> books(SchedulingLoop loop) throws InterruptedException {
        return await(loop.bookkeepingSizes());
    }

    private static <T> T await(java.util.concurrent.Future<T> future) throws InterruptedException {
        try {
            return future.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("soak: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("soak: no answer within 60 s (the loop or the cluster thread is stuck)", e);
        }
    }

    /** CPU time of the loop's thread: what the loop itself spent, whatever else the machine runs. */
    private static long loopThreadCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals(LOOP_THREAD)) {
                return threads.getThreadCpuTime(thread.getId());
            }
        }
        throw new IllegalStateException("soak: no thread named " + LOOP_THREAD + " (renamed in SchedulingLoop?)");
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    private static String machine() {
        Runtime runtime = Runtime.getRuntime();
        return String.format(Locale.ROOT, "%d cpus, max heap %d MiB, %s %s, %s", runtime.availableProcessors(),
                runtime.maxMemory() >> 20, System.getProperty("java.vm.name"), System.getProperty("java.version"),
                ManagementFactory.getRuntimeMXBean().getInputArguments());
    }
}
