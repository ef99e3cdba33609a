package io.kubenexus.scheduler.bench.memory;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.impl.cache.CacheImpl;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.gang.lifecycle.GangPlugin;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.BindResult;
import io.kubenexus.scheduler.core.ports.EventSink;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.sim.synthetic.SyntheticCluster;
import io.kubenexus.scheduler.gang.GangLabels;
import io.kubenexus.scheduler.gang.GangPlanner;
import io.kubenexus.scheduler.kube.KubeSchedulerOptions;
import io.kubenexus.scheduler.kube.translate.NodeTranslator;
import io.kubenexus.scheduler.kube.translate.PodTranslator;
import io.kubenexus.scheduler.kube.translate.Translation;
import io.kubenexus.scheduler.kube.informers.TranslatedPod;
import io.kubenexus.scheduler.kube.translate.ExecutorResourcesAnnotation;
import io.kubenexus.scheduler.kube.translate.TranslatingItemStore;
import io.kubenexus.scheduler.kube.translate.TrimmingItemStore;
import io.kubenexus.scheduler.numa.NumaPlugins;
import io.kubenexus.scheduler.numa.NumaZones;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Retained heap per cached pod and per cached node: what a running scheduler keeps for each object
 * of the cluster, i.e. the informer caches (fabric8's {@link CacheImpl} with its namespace index,
 * holding {@link TranslatingItemStore}'s placeholders and translations for pods and
 * {@link TrimmingItemStore}'s trimmed copies for nodes, as {@code ClusterInformers} sets them up) plus
 * the scheduling loop's {@code ClusterState} accounting of the translated {@link PodInfo} and
 * {@link NodeInfo}, built exactly as {@code KubeScheduler} builds them.
 *
 * <p>Objects are not created through the embedded API (100,000 creates at the mock's rate would take
 * many minutes): each one is deserialized from its own JSON document, as the informer does with what
 * the API server sends, and handed to the cache and the loop the way {@code ClusterInformers} does.
 * Pods are running Spark drivers and executors (labels, annotations, env, volumes, owner references,
 * managed fields, full status), bound to the CPU nodes of a synthetic cluster.
 *
 * <p>Method: full GCs until used heap stops falling, read used heap (MemoryMXBean) before and after
 * populating, divide by the count. Nodes first, then pods. The untrimmed pod is measured the same
 * way on a sample of fully deserialized pods kept in a list.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.kubenexus.scheduler.bench.memory.MemoryFootprint --pods 100000 --nodes 5000
 * </pre>
 */
public final class MemoryFootprint {
    private static final int LOOP_BATCH = 1000;
    static final long GOAL_BYTES_PER_POD = 2048;

    private final int podCount;
    private final int nodeCount;
    private final int untrimmedSample;
    private final long seed;
    private final boolean histogram;
    private final boolean interPod;
    private final KubernetesSerialization serialization = new KubernetesSerialization();
    private final HeapMeter meter = new HeapMeter();

    MemoryFootprint(int podCount, int nodeCount, int untrimmedSample, long seed, boolean histogram) {
        this(podCount, nodeCount, untrimmedSample, seed, histogram, false);
    }

    /** @param interPod executors with a preferred anti-affinity and a zone spread (see {@link SparkPodJson}) */
    MemoryFootprint(int podCount, int nodeCount, int untrimmedSample, long seed, boolean histogram, boolean interPod) {
        this.histogram = histogram;
        this.interPod = interPod;
        this.podCount = podCount;
        this.nodeCount = nodeCount;
        this.untrimmedSample = untrimmedSample;
        this.seed = seed;
    }

    public static void main(String[] args) throws InterruptedException {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        int pods = 100_000;
        int nodes = 5_000;
        int sample = 10_000;
        long seed = 1;
        boolean json = false;
        boolean histogram = false;
        boolean interPod = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--pods" -> pods = Integer.parseInt(args[++i].replace("_", ""));
                case "--nodes" -> nodes = Integer.parseInt(args[++i].replace("_", ""));
                case "--untrimmed-sample" -> sample = Integer.parseInt(args[++i].replace("_", ""));
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--json" -> json = true;
                case "--histogram" -> histogram = true;
                case "--inter-pod" -> interPod = true;
                default -> {
                    System.err.println("usage: MemoryFootprint [--pods N] [--nodes N] [--untrimmed-sample N] [--seed N] [--json] [--histogram] [--inter-pod]");
                    System.exit(2);
                }
            }
        }
        if (pods < 1 || nodes < 5 || sample < 1) {
            System.err.println("MemoryFootprint: --pods and --untrimmed-sample must be at least 1, --nodes at least 5");
            System.exit(2);
        }
        Result result = new MemoryFootprint(pods, nodes, sample, seed, histogram, interPod).measure();
        System.out.print(json ? result.json() + System.lineSeparator() : result.text());
    }

    /** Everything measured; bytes. */
    record Result(int pods, int nodes, int untrimmedSample, long heapMax, long bytesPerNode, long bytesPerPod,
                  long podCacheBytesPerPod, long podStateBytesPerPod, long untrimmedBytesPerPod, int podJsonBytes,
                  int nodeJsonBytes, int cachedPods, int accountedPods) {
        String text() {
            return String.format(Locale.ROOT, """
                    MemoryFootprint: %,d pods, %,d nodes (what the running scheduler keeps)
                      per cached pod    %,6d bytes   (goal <= %,d: %s)
                        informer cache  %,6d bytes   (fabric8 CacheImpl + namespace index + placeholder and entry)
                        ClusterState    %,6d bytes   (PodInfo and its accounting in the scheduling loop)
                      per cached node   %,6d bytes   (trimmed node in the cache + NodeInfo, columns, label bitsets, view)
                      untrimmed Pod     %,6d bytes   (a fully deserialized fabric8 Pod, sample of %,d; %.1fx the cached pod)
                      JSON on the wire  %,6d bytes per pod, %,d per node
                      check: %,d pods in the cache, %,d accounted by ClusterState
                      method: pods are running Spark drivers/executors (1 per 20 executors) with labels, annotations,
                        env, volumes, owner references, managedFields and full status, bound to the CPU nodes of a
                        SyntheticCluster; nodes carry images, addresses, conditions and managedFields. Each object is
                        deserialized from its own JSON (KubernetesSerialization, as the informer does) and fed
                        directly to a fabric8 CacheImpl with TranslatingItemStore (pods; TrimmingItemStore for nodes), whose translations go to a SchedulingLoop built like
                        KubeScheduler's (driven without its thread, no mock API: creating %,d pods through the mock
                        would take many minutes). Used heap (MemoryMXBean) after repeated System.gc() until it stops
                        falling, before and after populating, divided by the count; the cache/state split is the heap
                        freed by dropping the pod cache (objects shared by both count as state). Max heap %,d MiB.
                    """, pods, nodes, bytesPerPod, GOAL_BYTES_PER_POD, bytesPerPod <= GOAL_BYTES_PER_POD ? "met" : "NOT met",
                    podCacheBytesPerPod, podStateBytesPerPod, bytesPerNode, untrimmedBytesPerPod, untrimmedSample,
                    bytesPerPod == 0 ? 0.0 : (double) untrimmedBytesPerPod / bytesPerPod, podJsonBytes, nodeJsonBytes,
                    cachedPods, accountedPods, pods, heapMax >> 20);
        }

        String json() {
            return String.format(Locale.ROOT, "{\"pods\":%d,\"nodes\":%d,\"bytesPerPod\":%d,\"podCacheBytesPerPod\":%d,"
                            + "\"podStateBytesPerPod\":%d,\"bytesPerNode\":%d,\"untrimmedBytesPerPod\":%d,"
                            + "\"untrimmedSample\":%d,\"podJsonBytes\":%d,\"nodeJsonBytes\":%d,\"cachedPods\":%d,"
                            + "\"accountedPods\":%d,\"goalBytesPerPod\":%d,\"heapMaxBytes\":%d,"
                            + "\"method\":\"used heap after GC before/after feeding JSON-deserialized objects to "
                            + "CacheImpl+TranslatingItemStore (translations posted to a SchedulingLoop); no mock API\"}",
                    pods, nodes, bytesPerPod, podCacheBytesPerPod, podStateBytesPerPod, bytesPerNode,
                    untrimmedBytesPerPod, untrimmedSample, podJsonBytes, nodeJsonBytes, cachedPods, accountedPods,
                    GOAL_BYTES_PER_POD, heapMax);
        }
    }

    Result measure() throws InterruptedException {
        SchedulerSettings settings = SchedulerSettings.defaults();
        List<NodeInfo> nodes = SyntheticCluster.builder().seed(seed).nodes(nodeCount).build();
        List<String> cpuNodes = nodes.stream().filter(n -> n.taints().isEmpty()).map(NodeInfo::name).toList();
        SparkPodJson spark = new SparkPodJson(seed, interPod);
        PodTranslator podTranslator = new PodTranslator();
        NodeTranslator nodeTranslator = new NodeTranslator();
        // An executor that does not read as meant would measure something else: say so rather than a number.
        Translation<PodInfo> executor = podTranslator.translate(
                serialization.unmarshal(spark.pod(1, cpuNodes.get(0)), Pod.class));
        if (executor.errorOrNull() != null || executor.orElseThrow().interPod().isEmpty() == interPod) {
            throw new IllegalStateException("the executor does not read as meant (inter-pod " + interPod + "): "
                    + (executor.errorOrNull() != null ? executor.errorOrNull() : executor.orElseThrow().interPod()));
        }
        warmUp(spark, cpuNodes.get(0), nodes.get(0), podTranslator, nodeTranslator, settings);

        SchedulingLoop loop = loop(settings);
        CacheImpl<Node> nodeCache = cache(TrimmingItemStore.forNodes());
        TranslatingItemStore<Pod, TranslatedPod> podStore = podStore(podTranslator);
        CacheImpl<Pod> podCache = cache(podStore);
        progress("baseline");
        long baseline = meter.usedAfterGc();

        for (int i = 0; i < nodes.size(); i++) {
            Node node = serialization.unmarshal(NodeJson.node(nodes.get(i), i), Node.class);
            nodeCache.put(node);
            loop.onNodeUpserted(((Translation.Valid<NodeInfo>) nodeTranslator.translate(node)).value());
        }
        loop.runUntilIdle();
        progress("nodes cached");
        long afterNodes = meter.usedAfterGc();

        for (int i = 0; i < podCount; i++) {
            Pod pod = serialization.unmarshal(spark.pod(i, cpuNodes.get(i % cpuNodes.size())), Pod.class);
            podCache.put(pod);
            podStore.translation(pod).postTo(loop);
            if (i % LOOP_BATCH == LOOP_BATCH - 1) {
                loop.runUntilIdle();
            }
            if (i % 20_000 == 19_999) {
                progress((i + 1) + " pods");
            }
        }
        loop.runUntilIdle();
        progress("pods cached");
        long afterPods = meter.usedAfterGc();
        if (histogram) {
            printHistogram();
        }
        int cachedPods = podCache.list().size();
        int accountedPods = (int) loop.view().nodes().stream().mapToLong(n -> n.podCount()).sum();

        podCache = null;
        podStore = null;
        long afterPodCacheDropped = meter.usedAfterGc();
        Reference.reachabilityFence(loop);
        Reference.reachabilityFence(nodeCache);

        List<Pod> untrimmed = new ArrayList<>(untrimmedSample);
        long beforeUntrimmed = meter.usedAfterGc();
        for (int i = 0; i < untrimmedSample; i++) {
            untrimmed.add(serialization.unmarshal(spark.pod(podCount + i, cpuNodes.get(i % cpuNodes.size())), Pod.class));
        }
        long afterUntrimmed = meter.usedAfterGc();
        Reference.reachabilityFence(untrimmed);

        long perPod = (afterPods - afterNodes) / podCount;
        long cachePerPod = (afterPods - afterPodCacheDropped) / podCount;
        return new Result(podCount, nodes.size(), untrimmedSample, Runtime.getRuntime().maxMemory(),
                (afterNodes - baseline) / nodes.size(), perPod, cachePerPod, perPod - cachePerPod,
                (afterUntrimmed - beforeUntrimmed) / untrimmedSample,
                spark.pod(1, cpuNodes.get(0)).replaceAll("\\s+", " ").getBytes(StandardCharsets.UTF_8).length,
                NodeJson.node(nodes.get(0), 0).replaceAll("\\s+", " ").getBytes(StandardCharsets.UTF_8).length,
                cachedPods, accountedPods);
    }

    /** Loads and compiles the code paths once, so class metadata and static caches are not counted. */
    private void warmUp(SparkPodJson spark, String nodeName, NodeInfo nodeInfo, PodTranslator podTranslator,
                        NodeTranslator nodeTranslator, SchedulerSettings settings) {
        SchedulingLoop loop = loop(settings);
        TranslatingItemStore<Pod, TranslatedPod> podStore = podStore(podTranslator);
        CacheImpl<Pod> pods = cache(podStore);
        CacheImpl<Node> nodes = cache(TrimmingItemStore.forNodes());
        Node node = serialization.unmarshal(NodeJson.node(nodeInfo, 0), Node.class);
        nodes.put(node);
        loop.onNodeUpserted(((Translation.Valid<NodeInfo>) nodeTranslator.translate(node)).value());
        for (int i = 0; i < 2000; i++) {
            Pod pod = serialization.unmarshal(spark.pod(i, nodeName), Pod.class);
            pods.put(pod);
            podStore.translation(pod).postTo(loop);
        }
        loop.runUntilIdle();
    }

    /** The loop {@code KubeScheduler} builds (same profile, groups, planner and NUMA extension); never started. */
    private static SchedulingLoop loop(SchedulerSettings settings) {
        KubeSchedulerOptions options = KubeSchedulerOptions.singleReplica(settings);
        SchedulingProfile.Factory profiles = NumaPlugins.profiles(options.numa());
        SchedulingLoop loop = GangPlugin.newLoop(settings, profiles.create(settings), new GangLabels(),
                GangPlanner.packing(settings, profiles), options.gang(),
                (pod, node) -> CompletableFuture.completedFuture(BindResult.BOUND), EventSink.NONE,
                SchedulerMetrics.NONE, Clock.systemUTC());
        if (options.numa().enabled()) {
            loop.addStateExtension(new NumaZones(options.numa()));
        }
        return loop;
    }

    /** The pod store {@code ClusterInformers} uses: each pod kept as its translation and a placeholder. */
    private static TranslatingItemStore<Pod, TranslatedPod> podStore(PodTranslator podTranslator) {
        return TranslatingItemStore.forPods(TranslatedPod.translator(podTranslator, new ExecutorResourcesAnnotation()));
    }

    /** The informer's cache: fabric8's default (namespace index) over one of our stores. */
    private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> CacheImpl<T> cache(
            io.fabric8.kubernetes.client.informers.cache.ItemStore<T> store) {
        CacheImpl<T> cache = new CacheImpl<>();
        cache.setItemStore(store);
        return cache;
    }

    /** The live-object class histogram (jcmd GC.class_histogram), top lines, to stderr: where the bytes go. */
    private static void printHistogram() {
        try {
            Object text = java.lang.management.ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {null}, new String[] {String[].class.getName()});
            String[] lines = String.valueOf(text).split("\n");
            for (int i = 0; i < Math.min(lines.length, 45); i++) {
                System.err.println(lines[i]);
            }
        } catch (javax.management.JMException e) {
            System.err.println("memory: no class histogram: " + e);
        }
    }

    private static void progress(String step) {
        System.err.printf(Locale.ROOT, "memory: %s (%s)%n", step, java.time.LocalTime.now().withNano(0));
    }
}
