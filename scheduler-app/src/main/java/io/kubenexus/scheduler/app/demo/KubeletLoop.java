package io.kubenexus.scheduler.app.demo;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.kube.topology.NodeResourceTopologyTranslator;
import io.kubenexus.scheduler.numa.ContainerRequest;
import io.kubenexus.scheduler.numa.NodeTopology;
import io.kubenexus.scheduler.numa.NumaMask;
import io.kubenexus.scheduler.numa.NumaRequest;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays, through the API, the kubelets of the nodes with a NUMA topology and the topology exporter
 * beside each of them (node-feature-discovery's topology-updater):
 * <ul>
 *   <li>a pod bound to such a node is admitted by the {@link SimulatedKubelet}, in the order the binds
 *       reached the API (the watch's order, as a kubelet sees its pods); admitted, it is set
 *       {@code Running}; rejected, it is failed as the kubelet does, {@code phase: Failed},
 *       {@code reason: TopologyAffinityError};</li>
 *   <li>a pod that ends or is deleted gives its zones back;</li>
 *   <li>each node's NodeResourceTopology is rewritten with its true available amounts, batched every
 *       report interval, so the scheduler reads them late and must count what it placed itself.
 *       Each change is published twice, one interval apart, and every node again every
 *       {@value #FULL_REPORT_EVERY} intervals, as exporters publish on a timer as well as on changes: a
 *       report that crossed a pod's start on the way to the scheduler is corrected by a later one.</li>
 * </ul>
 * A report and a pod's start never cross inside this process: an admission and its status write,
 * and a report's snapshot and its write, each run whole under one lock, so a report that counts a pod
 * is written after the pod was set Running.
 *
 * <p>Pods are read from an informer's cache (one watch, no polling lists). Thread model: the loop's
 * own thread runs {@link #syncOnce} and {@link #publish} after {@link #start}; tests call them
 * directly instead, never both. The counters may be read from any thread.
 */
final class KubeletLoop implements AutoCloseable {
    static final Duration DEFAULT_REPORT_INTERVAL = Duration.ofMillis(500);
    static final String TOPOLOGY_AFFINITY_ERROR = "TopologyAffinityError";
    /** The kubelet's message for a pod its Topology Manager refused. */
    static final String TOPOLOGY_AFFINITY_MESSAGE = "Pod was rejected: Resources cannot be allocated with Topology locality";
    private static final long SYNC_MILLIS = 50;
    /** Every node is reported again after this many report intervals, changed or not. */
    static final int FULL_REPORT_EVERY = 4;

    private final KubernetesClient client;
    /** Null: every namespace. */
    private final String namespace;
    /** Whether pods on nodes without a topology are run too (set Running), not only those the NUMA model admits. */
    private final boolean runsEveryPod;
    private final SimulatedKubelet kubelet;
    private final Clock clock;
    private final PrintStream progress;
    /** Admissions with their status writes, and report snapshots with theirs, never interleave. */
    private final Object apiLock = new Object();
    /** Pods handled, by key, with the uid seen (a pod recreated under the same name is a new pod). */
    private final Map<PodKey, String> handled = new HashMap<>();
    /** Nodes whose last change was published once and gets its second report next time. */
    private final Set<String> echoDue = new HashSet<>();
    /** Pods whose bind the watch delivered, in the order it did; drained by the loop's passes. */
    private final Queue<PodKey> bindOrder = new ConcurrentLinkedQueue<>();
    private int reportRound;
    /** Whether a report of every node was written since the last change was first published. */
    private boolean fullReportSinceChange = true;
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();
    private final AtomicInteger reportsPublished = new AtomicInteger();
    private volatile boolean caughtUp = true;
    private volatile boolean reportsDue;
    private ScheduledExecutorService thread;
    private SharedIndexInformer<Pod> informer;

    /** The demo's kubelets: pods of {@code namespace} on the nodes with a topology. */
    KubeletLoop(KubernetesClient client, String namespace, SimulatedKubelet kubelet, Clock clock, PrintStream progress) {
        this(client, Objects.requireNonNull(namespace, "namespace"), false, kubelet, clock, progress);
    }

    /**
     * @param namespace    null for every namespace
     * @param runsEveryPod also run (set {@code Running}) pods bound to nodes without a topology, as
     *                     every node's kubelet does (the sandbox); the demo leaves them bound and Pending
     */
    KubeletLoop(KubernetesClient client, String namespace, boolean runsEveryPod, SimulatedKubelet kubelet, Clock clock,
                PrintStream progress) {
        this.client = Objects.requireNonNull(client, "client");
        this.namespace = namespace;
        this.runsEveryPod = runsEveryPod;
        this.kubelet = Objects.requireNonNull(kubelet, "kubelet");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** Creates every node's NodeResourceTopology, idle, as the exporters do when they start. */
    void createTopologies() {
        for (String node : kubelet.nodeNames()) {
            write(TopologyObjects.nodeResourceTopology(node, kubelet.current(node)));
        }
    }

    /** Watches the namespace's pods and syncs and reports on a daemon thread until {@link #close}. */
    synchronized void start(Duration reportInterval) {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        var pods = namespace == null ? client.pods().inAnyNamespace() : client.pods().inNamespace(namespace);
        informer = pods.inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                if (pod.getSpec() != null && pod.getSpec().getNodeName() != null) {
                    bindOrder.add(keyOf(pod));
                }
            }

            @Override
            public void onUpdate(Pod before, Pod after) {
                if (before.getSpec().getNodeName() == null && after.getSpec().getNodeName() != null) {
                    bindOrder.add(keyOf(after));
                }
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                // The next pass sees it gone.
            }
        });
        thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "demo-kubelets");
            t.setDaemon(true);
            return t;
        });
        long reportEvery = Math.max(1, reportInterval.toMillis() / SYNC_MILLIS);
        long[] ticks = {0};
        thread.scheduleWithFixedDelay(() -> {
            try {
                syncOnce(inBindOrder(informer.getStore().list()));
                if (++ticks[0] % reportEvery == 0) {
                    publish();
                }
            } catch (RuntimeException e) {
                // A failed write is retried at the next pass: the pod is not marked handled, the node stays changed.
                progress.println("demo: simulated kubelets: " + e.getMessage());
            }
        }, 0, SYNC_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The pods with those whose binds the watch delivered first, in that order, then the rest. */
    private List<Pod> inBindOrder(List<Pod> pods) {
        Map<PodKey, Pod> byKey = new LinkedHashMap<>();
        for (Pod pod : pods) {
            byKey.put(keyOf(pod), pod);
        }
        List<Pod> ordered = new ArrayList<>(pods.size());
        for (PodKey key; (key = bindOrder.poll()) != null; ) {
            Pod pod = byKey.remove(key);
            if (pod != null) {
                ordered.add(pod);
            }
        }
        ordered.addAll(byKey.values());
        return ordered;
    }

    private static PodKey keyOf(Pod pod) {
        return new PodKey(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    }

    /**
     * One pass over the pods, in the order given (a kubelet admits in the order it sees binds): first
     * gives back the zones of pods that ended or are gone, then admits those newly bound to a node with
     * topology and writes their status. Releases come first because a real kubelet has stopped a pod
     * before its deletion is final in the API (it confirms the delete itself, after the grace period),
     * so no pod bound after a deletion was seen can find the deleted pod's zones still held; the
     * embedded API deletes an evicted pod at once, and this pass may see the deletion and the bind that
     * followed it together.
     */
    void syncOnce(Collection<Pod> pods) {
        Set<PodKey> seen = new HashSet<>();
        List<Pod> newlyBound = new ArrayList<>();
        for (Pod pod : pods) {
            PodKey key = keyOf(pod);
            seen.add(key);
            String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
            String uid = Objects.toString(pod.getMetadata().getUid(), "");
            String known = handled.get(key);
            if (known != null && !known.equals(uid)) {
                release(key);
                handled.remove(key);
                known = null;
            }
            if (known != null) {
                if (isTerminal(pod) || pod.getMetadata().getDeletionTimestamp() != null) {
                    release(key);
                }
                continue;
            }
            if (node == null || isTerminal(pod) || !kubelet.hasTopology(node) && !runsEveryPod) {
                continue;
            }
            newlyBound.add(pod);
        }
        for (PodKey gone : new ArrayList<>(handled.keySet())) {
            if (!seen.contains(gone)) {
                release(gone);
                handled.remove(gone);
            }
        }
        for (Pod pod : newlyBound) {
            admit(keyOf(pod), Objects.toString(pod.getMetadata().getUid(), ""), pod.getSpec().getNodeName(), pod);
        }
        caughtUp = newlyBound.isEmpty();
    }

    private void admit(PodKey key, String uid, String node, Pod pod) {
        NumaRequest request;
        try {
            request = NumaRequest.parse(annotations(pod));
        } catch (IllegalArgumentException e) {
            request = null;
        }
        synchronized (apiLock) {
            // A node without a topology has no Topology Manager to refuse anything.
            SimulatedKubelet.Outcome outcome = kubelet.hasTopology(node)
                    ? kubelet.admit(key, node, containers(pod), isGuaranteed(pod), request)
                    : new SimulatedKubelet.Outcome(key, node, null, true, "", NumaMask.EMPTY,
                            SimulatedKubelet.Alignment.NOT_REQUIRED, "");
            String patch = outcome.admitted() ? running(pod)
                    : "{\"status\":{\"phase\":\"Failed\",\"reason\":\"" + TOPOLOGY_AFFINITY_ERROR + "\",\"message\":\""
                            + TOPOLOGY_AFFINITY_MESSAGE + "\"}}";
            try {
                client.pods().inNamespace(key.namespace()).withName(key.name()).subresource("status")
                        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                    throw e;
                }
                // Deleted meanwhile: the next pass gives its zones back.
            }
            handled.put(key, uid);
            (outcome.admitted() ? admitted : rejected).incrementAndGet();
            if (!outcome.admitted()) {
                progress.println("demo: kubelet on " + node + " rejected " + key + ": " + outcome.reason());
            }
        }
    }

    /** The status a kubelet writes once the pod's containers started: Running, each container ready. */
    private String running(Pod pod) {
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        return "{\"status\":{\"phase\":\"Running\",\"startTime\":\"" + now + "\",\"podIP\":\"" + podIp(pod)
                + "\",\"containerStatuses\":" + containerStatuses(pod, true, "{\"running\":{\"startedAt\":\"" + now
                + "\"}}") + "}}";
    }

    /** The status a kubelet writes when every container of the pod exited 0: Succeeded, containers terminated. */
    static String succeeded(Pod pod, Instant now) {
        String at = now.truncatedTo(ChronoUnit.SECONDS).toString();
        return "{\"status\":{\"phase\":\"Succeeded\",\"containerStatuses\":" + containerStatuses(pod, false,
                "{\"terminated\":{\"exitCode\":0,\"reason\":\"Completed\",\"finishedAt\":\"" + at + "\"}}") + "}}";
    }

    private static String containerStatuses(Pod pod, boolean ready, String state) {
        StringBuilder statuses = new StringBuilder("[");
        for (Container container : pod.getSpec().getContainers()) {
            statuses.append(statuses.length() == 1 ? "" : ",").append("{\"name\":\"").append(container.getName())
                    .append("\",\"ready\":").append(ready).append(",\"started\":").append(ready)
                    .append(",\"restartCount\":0,\"image\":\"").append(Objects.toString(container.getImage(), ""))
                    .append("\",\"imageID\":\"\",\"state\":").append(state).append('}');
        }
        return statuses.append(']').toString();
    }

    /** A stable address in 10.0.0.0/8 per pod uid: kubectl's IP column, nothing routes to it. */
    private static String podIp(Pod pod) {
        int hash = Objects.toString(pod.getMetadata().getUid(), pod.getMetadata().getName()).hashCode();
        return "10." + ((hash >>> 16) & 0xff) + "." + ((hash >>> 8) & 0xff) + "." + Math.max(1, hash & 0xfe);
    }

    private void release(PodKey key) {
        synchronized (apiLock) {
            kubelet.release(key);
        }
    }

    /**
     * Publishes the reports due: every node whose zones changed since the last report, once more every
     * node published the time before, and every {@value #FULL_REPORT_EVERY}th time all nodes. Returns
     * how many were written.
     */
    int publish() {
        synchronized (apiLock) {
            Map<String, NodeTopology> due = new LinkedHashMap<>();
            boolean full = ++reportRound % FULL_REPORT_EVERY == 0;
            for (String node : full ? kubelet.nodeNames() : echoDue) {
                due.put(node, kubelet.current(node));
            }
            Map<String, NodeTopology> changed = kubelet.takeChanged();
            due.putAll(changed);
            if (!changed.isEmpty()) {
                fullReportSinceChange = false;
            } else if (full) {
                fullReportSinceChange = true;
            }
            for (Map.Entry<String, NodeTopology> e : due.entrySet()) {
                write(TopologyObjects.nodeResourceTopology(e.getKey(), e.getValue()));
            }
            echoDue.clear();
            echoDue.addAll(changed.keySet());
            reportsDue = !echoDue.isEmpty() || !fullReportSinceChange;
            reportsPublished.addAndGet(due.size());
            return due.size();
        }
    }

    private void write(GenericKubernetesResource nrt) {
        var resources = client.genericKubernetesResources(NodeResourceTopologyTranslator.NODE_RESOURCE_TOPOLOGIES);
        try {
            resources.resource(nrt).update();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                throw e;
            }
            resources.resource(nrt).create();
        }
    }

    /**
     * Whether the last pass found no newly bound pod, and every change has been reported twice and
     * then once more in a report of every node.
     */
    boolean idle() {
        return caughtUp && !reportsDue;
    }

    int admitted() {
        return admitted.get();
    }

    int rejected() {
        return rejected.get();
    }

    int reportsPublished() {
        return reportsPublished.get();
    }

    /** Stops watching and reporting; waits briefly for a pass under way. Idempotent. */
    @Override
    public synchronized void close() {
        if (thread != null) {
            thread.shutdownNow();
            try {
                thread.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (informer != null) {
            informer.close();
            informer = null;
        }
    }

    // ------------------------------------------------------------------ reading pods as the kubelet does

    static boolean isTerminal(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    private static Map<String, String> annotations(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        return annotations == null ? Map.of() : annotations;
    }

    /** App containers' requests in scheduler units (cpu millicores rounded up, others whole units); requests default to limits. */
    static List<ContainerRequest> containers(Pod pod) {
        List<ContainerRequest> containers = new ArrayList<>();
        for (Container container : pod.getSpec().getContainers()) {
            Map<String, Long> requests = new LinkedHashMap<>();
            Map<String, Quantity> limits = container.getResources() == null || container.getResources().getLimits() == null
                    ? Map.of() : container.getResources().getLimits();
            Map<String, Quantity> asked = container.getResources() == null || container.getResources().getRequests() == null
                    ? Map.of() : container.getResources().getRequests();
            limits.forEach((name, q) -> requests.put(name, units(name, q)));
            asked.forEach((name, q) -> requests.put(name, units(name, q)));
            containers.add(new ContainerRequest(container.getName(), requests));
        }
        return containers;
    }

    /** Guaranteed QoS: every container has cpu and memory limits, and requests (if given) equal to them. */
    static boolean isGuaranteed(Pod pod) {
        for (Container container : pod.getSpec().getContainers()) {
            Map<String, Quantity> limits = container.getResources() == null ? null : container.getResources().getLimits();
            Map<String, Quantity> requests = container.getResources() == null ? null : container.getResources().getRequests();
            for (String resource : List.of(ResourceNames.CPU, ResourceNames.MEMORY)) {
                Quantity limit = limits == null ? null : limits.get(resource);
                Quantity request = requests == null ? null : requests.get(resource);
                if (limit == null || request != null
                        && request.getNumericalAmount().compareTo(limit.getNumericalAmount()) != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private static long units(String resource, Quantity quantity) {
        BigDecimal amount = quantity.getNumericalAmount();
        if (ResourceNames.CPU.equals(resource)) {
            amount = amount.movePointRight(3);
        }
        return amount.setScale(0, RoundingMode.CEILING).longValueExact();
    }
}
