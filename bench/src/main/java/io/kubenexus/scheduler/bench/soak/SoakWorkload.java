package io.kubenexus.scheduler.bench.soak;

import io.kubenexus.scheduler.bench.BenchClusters;
import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.TaintEffect;
import io.kubenexus.scheduler.core.model.Toleration;
import io.kubenexus.scheduler.sim.synthetic.NodeShape;
import io.kubenexus.scheduler.sim.synthetic.PodSpecTemplate;
import io.kubenexus.scheduler.sim.synthetic.SyntheticCluster;
import io.kubenexus.scheduler.sim.synthetic.WorkloadClass;
import io.kubenexus.scheduler.sim.synthetic.WorkloadGenerator;
import io.kubenexus.scheduler.gang.GangLabels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What arrives in a soak, seeded: arrival {@code n} depends only on the seed and {@code n}.
 * <ul>
 *   <li>{@link SoakOptions.Mix#WEB}: DecisionBenchmark's pod (1 cpu, 2Gi, {@code kubernetes.io/os=linux});</li>
 *   <li>{@link SoakOptions.Mix#SOAK}: 90% single pods of {@link WorkloadGenerator}'s mix (web, batch,
 *       services, GPU training, 2% larger than any node), 6% gangs of 2-8 members labelled
 *       {@value GangLabels#NAME} / {@value GangLabels#MIN_AVAILABLE} (a third of them 4-GPU workers),
 *       4% Spark applications: a driver sized with its executors by a SparkApplication template
 *       (posted as the informer would), and 2-10 executors the driver "creates" once it runs.</li>
 * </ul>
 * Lifetimes are exponential around the mean, capped at five times it.
 */
final class SoakWorkload {
    static final String NAMESPACE = "soak";
    private static final long GI = 1024L * 1024 * 1024;
    private static final Toleration GPU_TOLERATION = Toleration.exists(NodeShape.GPU_TAINT.key(), TaintEffect.NO_SCHEDULE);

    /** One arrival: pods created together, and for a Spark application what it will create later. */
    record Arrival(Kind kind, String group, List<PodInfo> pods, ExecutorTemplate template, List<PodInfo> executors,
                   Duration lifetime) {
    }

    enum Kind {
        SINGLE, GANG, SPARK
    }

    private final SoakOptions.Mix mix;
    private final long seed;
    private final Duration meanLifetime;
    private final String schedulerName;
    private final WorkloadGenerator singles;
    private long singleIndex;

    SoakWorkload(SoakOptions.Mix mix, long seed, Duration meanLifetime, String schedulerName) {
        this.mix = mix;
        this.seed = seed;
        this.meanLifetime = meanLifetime;
        this.schedulerName = schedulerName;
        this.singles = WorkloadGenerator.builder().seed(seed).namespace(NAMESPACE).build();
    }

    /** Arrival number {@code n}, created at {@code now}. */
    Arrival arrival(long n, Instant now) {
        SplittableRandom random = new SplittableRandom(mix(seed, n));
        Duration lifetime = lifetime(random);
        if (mix == SoakOptions.Mix.WEB) {
            return new Arrival(Kind.SINGLE, null, List.of(BenchClusters.webPod("web-" + n)), null, List.of(), lifetime);
        }
        double draw = random.nextDouble();
        if (draw < 0.06) {
            return gang(n, random, now, lifetime);
        }
        if (draw < 0.10) {
            return spark(n, random, now, lifetime);
        }
        PodSpecTemplate template = singles.pod(singleIndex++);
        PodSpecTemplate renamed = new PodSpecTemplate(template.name() + "-" + n, NAMESPACE, template.cpuMilli(),
                template.memoryBytes(), template.gpus(), template.priority(), template.tolerations(),
                template.nodeSelector(), template.labels(), template.workloadClass());
        return new Arrival(Kind.SINGLE, null, List.of(renamed.toPodInfo(schedulerName, now)), null, List.of(), lifetime);
    }

    private Arrival gang(long n, SplittableRandom random, Instant now, Duration lifetime) {
        boolean gpu = random.nextInt(3) == 0;
        int size = gpu ? 2 + random.nextInt(3) : 2 + random.nextInt(7);
        String group = "job-" + n;
        Map<String, String> labels = Map.of(GangLabels.NAME, group, GangLabels.MIN_AVAILABLE, Integer.toString(size),
                WorkloadGenerator.APP_NAME_LABEL, group);
        List<PodInfo> members = new ArrayList<>(size);
        for (int m = 0; m < size; m++) {
            PodSpecTemplate member = gpu
                    ? new PodSpecTemplate(group + "-worker-" + m, NAMESPACE, 40_000, 256 * GI, 4, 0, List.of(GPU_TOLERATION),
                            Map.of(SyntheticCluster.POOL_LABEL, "gpu"), labels, WorkloadClass.GPU_TRAINING)
                    : new PodSpecTemplate(group + "-worker-" + m, NAMESPACE, 2000, 8 * GI, 0, 0, List.of(), Map.of(),
                            labels, WorkloadClass.BATCH);
            members.add(member.toPodInfo(schedulerName, now));
        }
        return new Arrival(Kind.GANG, NAMESPACE + "/" + group, members, null, List.of(), lifetime);
    }

    private Arrival spark(long n, SplittableRandom random, Instant now, Duration lifetime) {
        int executors = 2 + random.nextInt(9);
        String app = "spark-" + n;
        Map<String, String> common = new LinkedHashMap<>();
        common.put(GangLabels.NAME, app + "-pg");
        common.put(GangLabels.MIN_AVAILABLE, Integer.toString(1 + executors));
        common.put(GangLabels.OPERATOR_APP_NAME, app);
        common.put(GangLabels.SPARK_APP_SELECTOR, "spark-" + Long.toHexString(mix(seed, n) & 0xffffffffffL));
        Map<String, String> driverLabels = new LinkedHashMap<>(common);
        driverLabels.put(GangLabels.SPARK_ROLE, "driver");
        PodInfo driver = new PodSpecTemplate(app + "-driver", NAMESPACE, 1000, 4 * GI, 0, 0, List.of(), Map.of(),
                driverLabels, WorkloadClass.BATCH).toPodInfo(schedulerName, now);
        List<PodInfo> executorPods = new ArrayList<>(executors);
        for (int e = 0; e < executors; e++) {
            Map<String, String> labels = new LinkedHashMap<>(common);
            labels.put(GangLabels.SPARK_ROLE, "executor");
            labels.put("spark-exec-id", Integer.toString(e + 1));
            PodSpecTemplate executor = new PodSpecTemplate(app + "-exec-" + (e + 1), NAMESPACE, 2000, 8 * GI, 0, 0,
                    List.of(), Map.of(), labels, WorkloadClass.BATCH);
            executorPods.add(executor.toPodInfo(schedulerName, now));
        }
        ExecutorTemplate template = new ExecutorTemplate(executorPods.get(0).requests(), executors, Map.of(),
                List.of(), "SparkApplication " + NAMESPACE + "/" + app);
        return new Arrival(Kind.SPARK, app, List.of(driver), template, executorPods, lifetime);
    }

    /** A stream per arrival: SplittableRandom's output mixing decorrelates neighbouring seeds. */
    private static long mix(long seed, long n) {
        return seed * 0x9E3779B97F4A7C15L + n;
    }

    private Duration lifetime(SplittableRandom random) {
        double mean = meanLifetime.toNanos();
        double drawn = -mean * Math.log(1 - random.nextDouble());
        return Duration.ofNanos((long) Math.max(1e6, Math.min(drawn, 5 * mean)));
    }
}
