package io.kubenexus.scheduler.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays kube-scheduler with this scheduler as its HTTP extender, for {@code demo --extender}: pods
 * whose {@code schedulerName} is {@value #DEFAULT_SCHEDULER} are taken one at a time (a serial
 * scheduling cycle, as kube-scheduler's), sent to the extender's {@code filter} with every node's
 * name ({@code nodeCacheCapable: true}), the feasible nodes to {@code prioritize}, and the best one
 * (ties broken at random, seeded) to {@code bind}. Binds run asynchronously, as kube-scheduler's
 * binding cycle does, so that the bind of a gang member the extender holds until its group is
 * complete never stops the next pod's cycle. A pod without a feasible node, and one whose bind
 * answered an error, is tried again after a backoff (1 s doubling to 10 s, kube-scheduler's
 * defaults). Each failed attempt sets the pod's {@code PodScheduled=False} condition as kube-scheduler
 * does: reason {@code Unschedulable} with {@code 0/N nodes are available: ...} counted from the
 * filter's {@code FailedNodes} and {@code FailedAndUnresolvableNodes}, or reason
 * {@code SchedulerError} with a refused bind's {@code Error}.
 *
 * <p>It has no filters of its own: every node verdict is the extender's, which is the strictest
 * test of the extender (kube-scheduler would have filtered by resources first).
 *
 * <p>Thread model: one scheduling thread, a pool for binds; counters readable from any thread.
 */
final class SimulatedKubeScheduler implements AutoCloseable {
    static final String DEFAULT_SCHEDULER = "default-scheduler";
    private static final Duration INITIAL_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final Duration IDLE_WAIT = Duration.ofMillis(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final String namespace;
    private final URI extender;
    private final Clock clock;
    private final PrintStream progress;
    private final Random ties;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    /** Binds may be held by the extender for its whole hold limit: enough threads for every held member at once. */
    private final ExecutorService binds = Executors.newFixedThreadPool(64, daemon("kube-scheduler-bind"));
    /** Writes PodScheduled conditions off the scheduling thread, one at a time. */
    private final ExecutorService statusWrites = Executors.newSingleThreadExecutor(daemon("kube-scheduler-status"));
    /** The condition message last written per pod UID: an equal verdict is not written again. */
    private final Map<String, String> conditionWritten = new ConcurrentHashMap<>();
    private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();
    private final Set<String> binding = ConcurrentHashMap.newKeySet();
    /**
     * Pods whose bind succeeded, as kube-scheduler's assumed pods: never scheduled again, not even in
     * the moment before the informer shows them bound. Kept for the run (one UID per bound pod).
     */
    private final Set<String> bound = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong filterCalls = new AtomicLong();
    private final AtomicLong prioritizeCalls = new AtomicLong();
    private final AtomicLong bindCalls = new AtomicLong();
    private final AtomicLong bindErrors = new AtomicLong();
    private final AtomicLong extenderFailures = new AtomicLong();
    private SharedIndexInformer<Pod> pods;
    private SharedIndexInformer<Node> nodes;
    private Thread thread;

    /** A pod's backoff: when it failed last, when it may be tried again and how often it failed. */
    private record Attempt(Instant failedAt, Instant notBefore, int failures) {
    }

    /**
     * @param extenderUrl the extender's {@code urlPrefix}, e.g. {@code http://127.0.0.1:8080/extender}
     * @param seed        breaks ties between equally scored nodes, as kube-scheduler does at random
     */
    SimulatedKubeScheduler(KubernetesClient client, String namespace, String extenderUrl, Clock clock, long seed,
                           PrintStream progress) {
        this.client = Objects.requireNonNull(client, "client");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.extender = URI.create(extenderUrl.endsWith("/") ? extenderUrl : extenderUrl + "/");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ties = new Random(seed);
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    void start() {
        pods = client.pods().inNamespace(namespace).inform();
        nodes = client.nodes().inform();
        running.set(true);
        thread = new Thread(this::run, "kube-scheduler-cycle");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running.get()) {
            try {
                Pod next = nextPod();
                if (next == null) {
                    Thread.sleep(IDLE_WAIT.toMillis());
                    continue;
                }
                scheduleOne(next);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                extenderFailures.incrementAndGet();
                progress.println("demo: kube-scheduler: cycle failed: " + e);
            }
        }
    }

    /** The oldest pending pod of ours that is not binding and not backing off, or null. */
    private Pod nextPod() {
        Instant now = clock.instant();
        Pod oldest = null;
        for (Pod pod : pods.getStore().list()) {
            if (!waiting(pod) || binding.contains(uid(pod)) || bound.contains(uid(pod))) {
                continue;
            }
            Attempt attempt = attempts.get(uid(pod));
            if (attempt != null && attempt.notBefore().isAfter(now)) {
                continue;
            }
            if (oldest == null || created(pod).compareTo(created(oldest)) < 0) {
                oldest = pod;
            }
        }
        return oldest;
    }

    private static boolean waiting(Pod pod) {
        return DEFAULT_SCHEDULER.equals(pod.getSpec().getSchedulerName()) && pod.getSpec().getNodeName() == null
                && pod.getMetadata().getDeletionTimestamp() == null
                && (pod.getStatus() == null || pod.getStatus().getPhase() == null
                || "Pending".equals(pod.getStatus().getPhase()));
    }

    private void scheduleOne(Pod pod) {
        List<String> names = new ArrayList<>();
        nodes.getStore().list().forEach(n -> names.add(n.getMetadata().getName()));
        ObjectNode args = JSON.createObjectNode();
        args.set("Pod", podTree(pod));
        ArrayNode nodeNames = args.putArray("NodeNames");
        names.forEach(nodeNames::add);
        filterCalls.incrementAndGet();
        JsonNode filtered = post("filter", args);
        if (filtered == null) {
            backOff(pod);
            return;
        }
        List<String> feasible = new ArrayList<>();
        filtered.path("NodeNames").forEach(n -> feasible.add(n.asText()));
        if (feasible.isEmpty()) {
            backOff(pod);
            setCondition(pod, "Unschedulable", unschedulableMessage(filtered, names.size()));
            return;
        }
        ArrayNode feasibleNames = args.putArray("NodeNames");
        feasible.forEach(feasibleNames::add);
        prioritizeCalls.incrementAndGet();
        JsonNode scores = post("prioritize", args);
        if (scores == null || !scores.isArray()) {
            backOff(pod);
            return;
        }
        String host = best(scores, feasible);
        bindAsync(pod, host);
    }

    /** The highest score; kube-scheduler picks among equal ones at random. */
    private String best(JsonNode scores, List<String> feasible) {
        long top = Long.MIN_VALUE;
        List<String> tied = new ArrayList<>();
        for (JsonNode score : scores) {
            long value = score.path("Score").asLong();
            String host = score.path("Host").asText();
            if (!feasible.contains(host)) {
                continue;
            }
            if (value > top) {
                top = value;
                tied.clear();
            }
            if (value == top) {
                tied.add(host);
            }
        }
        return tied.isEmpty() ? feasible.get(0) : tied.get(ties.nextInt(tied.size()));
    }

    private void bindAsync(Pod pod, String host) {
        String uid = uid(pod);
        binding.add(uid);
        binds.execute(() -> {
            try {
                ObjectNode args = JSON.createObjectNode();
                args.put("PodName", pod.getMetadata().getName());
                args.put("PodNamespace", pod.getMetadata().getNamespace());
                args.put("PodUID", uid);
                args.put("Node", host);
                bindCalls.incrementAndGet();
                JsonNode result = post("bind", args);
                if (result == null) {
                    backOff(pod);
                } else if (!result.path("Error").asText("").isEmpty()) {
                    bindErrors.incrementAndGet();
                    backOff(pod);
                    setCondition(pod, "SchedulerError", result.path("Error").asText());
                } else {
                    bound.add(uid);
                    attempts.remove(uid);
                }
            } finally {
                binding.remove(uid);
            }
        });
    }

    private void backOff(Pod pod) {
        attempts.compute(uid(pod), (uid, before) -> {
            int failures = before == null ? 1 : before.failures() + 1;
            long millis = Math.min(MAX_BACKOFF.toMillis(), INITIAL_BACKOFF.toMillis() << Math.min(failures - 1, 10));
            Instant now = clock.instant();
            return new Attempt(now, now.plusMillis(millis), failures);
        });
    }

    /**
     * kube-scheduler's FitError text from a filter answer: each node's reason counted once (a
     * node's text is one reason, as kube-scheduler keeps an extender's), the counts sorted as
     * strings, e.g. {@code 0/50 nodes are available: 12 Insufficient cpu, 38 node(s) didn't match
     * Pod's node affinity/selector.}
     */
    static String unschedulableMessage(JsonNode filterAnswer, int nodes) {
        Map<String, Integer> histogram = new java.util.HashMap<>();
        for (String field : List.of("FailedNodes", "FailedAndUnresolvableNodes")) {
            filterAnswer.path(field).fields().forEachRemaining(e -> histogram.merge(e.getValue().asText(), 1, Integer::sum));
        }
        List<String> parts = new ArrayList<>();
        histogram.forEach((reason, count) -> parts.add(count + " " + reason));
        java.util.Collections.sort(parts);
        return "0/" + nodes + " nodes are available" + (parts.isEmpty() ? "." : ": " + String.join(", ", parts) + ".");
    }

    /** Sets PodScheduled=False on the pod, off this thread, unless that very message is there already. */
    private void setCondition(Pod pod, String reason, String message) {
        String uid = uid(pod);
        String verdict = reason + ": " + message;
        if (verdict.equals(conditionWritten.get(uid))) {
            return;
        }
        statusWrites.execute(() -> {
            try {
                Pod current = client.pods().inNamespace(pod.getMetadata().getNamespace())
                        .withName(pod.getMetadata().getName()).get();
                if (current == null || current.getSpec().getNodeName() != null
                        || !uid.equals(current.getMetadata().getUid())) {
                    return;
                }
                client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).subresource("status")
                        .patch(PatchContext.of(PatchType.JSON), conditionPatch(current, reason, message));
                conditionWritten.put(uid, verdict);
            } catch (RuntimeException e) {
                // The next failed attempt writes it again.
                progress.println("demo: kube-scheduler: setting PodScheduled on " + pod.getMetadata().getName()
                        + " failed: " + e.getMessage());
            }
        });
    }

    /** A JSON patch replacing the PodScheduled condition where it is (guarded by a test), or adding it. */
    private static String conditionPatch(Pod pod, String reason, String message) {
        ObjectNode condition = JSON.createObjectNode();
        condition.put("type", "PodScheduled");
        condition.put("status", "False");
        condition.put("reason", reason);
        condition.put("message", message);
        condition.put("lastTransitionTime", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        ArrayNode patch = JSON.createArrayNode();
        List<PodCondition> conditions = pod.getStatus() == null || pod.getStatus().getConditions() == null ? List.of()
                : pod.getStatus().getConditions();
        int index = -1;
        for (int i = 0; i < conditions.size(); i++) {
            if ("PodScheduled".equals(conditions.get(i).getType())) {
                index = i;
            }
        }
        if (index >= 0) {
            patch.addObject().put("op", "test").put("path", "/status/conditions/" + index + "/type").put("value", "PodScheduled");
            patch.addObject().put("op", "replace").put("path", "/status/conditions/" + index).set("value", condition);
        } else if (pod.getStatus() == null) {
            ObjectNode status = JSON.createObjectNode();
            status.putArray("conditions").add(condition);
            patch.addObject().put("op", "add").put("path", "/status").set("value", status);
        } else if (conditions.isEmpty()) {
            // fabric8 reads an absent list as empty: "add" of the member creates or replaces it.
            patch.addObject().put("op", "add").put("path", "/status/conditions").set("value",
                    JSON.createArrayNode().add(condition));
        } else {
            patch.addObject().put("op", "add").put("path", "/status/conditions/-").set("value", condition);
        }
        return patch.toString();
    }

    /** The answer's JSON, or null (counted) when the call failed: a non-200 is an error to kube-scheduler. */
    private JsonNode post(String verb, JsonNode body) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(extender.resolve(verb))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                extenderFailures.incrementAndGet();
                progress.println("demo: kube-scheduler: " + verb + " answered " + response.statusCode() + ": "
                        + response.body());
                return null;
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            extenderFailures.incrementAndGet();
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static JsonNode podTree(Pod pod) {
        try {
            return JSON.readTree(Serialization.asJson(pod));
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize pod " + pod.getMetadata().getName(), e);
        }
    }

    private static String uid(Pod pod) {
        return pod.getMetadata().getUid();
    }

    private static String created(Pod pod) {
        String created = pod.getMetadata().getCreationTimestamp();
        return created == null ? "" : created;
    }

    long filterCalls() {
        return filterCalls.get();
    }

    long prioritizeCalls() {
        return prioritizeCalls.get();
    }

    long bindCalls() {
        return bindCalls.get();
    }

    long bindErrors() {
        return bindErrors.get();
    }

    /** Calls that did not answer 200 or did not answer at all. */
    long extenderFailures() {
        return extenderFailures.get();
    }

    /** Pods of ours still waiting for a node (not counting binds under way). */
    int waitingPods() {
        return (int) pods.getStore().list().stream().filter(p -> waiting(p) && !bound.contains(uid(p))).count();
    }

    /**
     * Whether every pod of ours still waiting (and not binding) failed an attempt at or after
     * {@code since}: with nothing changing in between, kube-scheduler has nothing left to try.
     */
    boolean everyWaitingPodFailedSince(Instant since) {
        for (Pod pod : pods.getStore().list()) {
            if (waiting(pod) && !binding.contains(uid(pod)) && !bound.contains(uid(pod))) {
                Attempt attempt = attempts.get(uid(pod));
                if (attempt == null || attempt.failedAt().isBefore(since)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether a bind call is under way (held by the extender, or on the wire). */
    boolean binding() {
        return !binding.isEmpty();
    }

    @Override
    public void close() {
        running.set(false);
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        binds.shutdownNow();
        statusWrites.shutdownNow();
        if (pods != null) {
            pods.close();
        }
        if (nodes != null) {
            nodes.close();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicLong count = new AtomicLong();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
