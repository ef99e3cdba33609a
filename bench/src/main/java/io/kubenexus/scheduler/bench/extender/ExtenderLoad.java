package io.kubenexus.scheduler.bench.extender;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kubenexus.scheduler.bench.extender.ExtenderLoadOptions.Mode;
import io.kubenexus.scheduler.bench.extender.ExtenderRequests.BenchPod;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The kube-scheduler extender over HTTP: a real {@code java.net.http} client (HTTP/1.1, keep-alive)
 * on loopback against the real server ({@link ServedLoop}), for (a) filter and prioritize with 5,000
 * {@code NodeNames} and (b) with 1,000 whole Node objects in the body, each with a Spark executor and
 * a GPU pod. Per row: a warm-up, a latency phase (one request at a time, every latency kept), and a
 * throughput phase (C clients for T seconds). Prints a table and writes JSON
 * ({@code bench/target/extender.json} by default).
 *
 * <p>Bytes allocated per request are read from {@code com.sun.management.ThreadMXBean} for the
 * server's threads (Vert.x event loops and workers, the scheduling loop) and for the rest (the
 * client's threads) over the latency phase.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.kubenexus.scheduler.bench.extender.ExtenderLoad [options]</pre>
 */
public final class ExtenderLoad {
    private static final String LOOP_THREAD = "kubenexus-scheduling-loop";

    private final ExtenderLoadOptions options;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = new ObjectMapper();

    ExtenderLoad(ExtenderLoadOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        ExtenderLoadOptions options;
        try {
            options = ExtenderLoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        new ExtenderLoad(options).run();
        System.exit(0); // the HTTP client's selector thread is not a daemon
    }

    /** One row's figures in one round. */
    record Row(String mode, String verb, String pod, int nodes, int requestBytes, long responseBytes, String answer,
               int requests, double p50Ms, double p90Ms, double p99Ms, double maxMs, double meanMs,
               long serverBytesPerRequest, long clientBytesPerRequest, int concurrency, double seconds,
               long throughputRequests, double requestsPerSecond, double loadedP50Ms, double loadedP99Ms, long errors) {
        String key() {
            return mode + "/" + verb + "/" + pod;
        }
    }

    void run() throws Exception {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("started", Instant.now().toString());
        report.put("machine", machine());
        report.put("options", Map.of("modes", options.modes().stream().map(m -> m.label).toList(),
                "namesNodes", options.namesNodes(), "objectsNodes", options.objectsNodes(),
                "podsPerNode", options.podsPerNode(), "seed", options.seed(),
                "warmupSeconds", options.warmup().toMillis() / 1000.0, "requests", options.requests(),
                "concurrency", options.concurrency(), "throughputSeconds", options.throughput().toMillis() / 1000.0,
                "rounds", options.rounds()));
        System.out.println("machine: " + machine());
        List<Row> rows = new ArrayList<>();
        for (Mode mode : options.modes()) {
            int nodes = options.nodes(mode);
            long setup = System.nanoTime();
            try (ServedLoop served = ServedLoop.start(nodes, options.podsPerNode(), options.seed())) {
                Map<BenchPod, byte[]> bodies = new LinkedHashMap<>();
                for (BenchPod pod : options.pods()) {
                    bodies.put(pod, mode == Mode.NAMES ? ExtenderRequests.namesBody(pod, served.nodes())
                            : ExtenderRequests.nodeObjectsBody(pod, served.nodes()));
                }
                System.out.printf(Locale.ROOT, "%s: %,d nodes x %d pods served at %s (%.1f s)%n", mode.label, nodes,
                        options.podsPerNode(), served.baseUrl(), (System.nanoTime() - setup) / 1e9);
                for (int round = 1; round <= options.rounds(); round++) {
                    for (String verb : List.of("filter", "prioritize")) {
                        for (BenchPod pod : options.pods()) {
                            URI uri = URI.create(served.baseUrl() + "/extender/" + verb);
                            Row row = row(mode, verb, pod, nodes, uri, bodies.get(pod));
                            rows.add(row);
                            System.out.printf(Locale.ROOT, "round %d %-38s p50 %7.2f p99 %7.2f ms  %8.1f req/s  %s%n",
                                    round, row.key(), row.p50Ms(), row.p99Ms(), row.requestsPerSecond(), row.answer());
                        }
                    }
                }
            }
        }
        List<Map<String, Object>> medians = medians(rows);
        report.put("rows", rows);
        report.put("medians", medians);
        report.put("finished", Instant.now().toString());
        report.put("loadAverageAtEnd", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println();
        System.out.println(table(medians));
        Path out = options.out();
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        json.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), report);
        System.out.println("json: " + out.toAbsolutePath());
    }

    private Row row(Mode mode, String verb, BenchPod pod, int nodes, URI uri, byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<byte[]> first = send(request);
        String answer = describe(verb, first.body());

        long warmupEnd = System.nanoTime() + options.warmup().toNanos();
        while (System.nanoTime() < warmupEnd) {
            send(request);
        }

        long[] latencies = new long[options.requests()];
        Map<Long, Long> allocatedBefore = allocatedByThread();
        for (int i = 0; i < latencies.length; i++) {
            long start = System.nanoTime();
            send(request);
            latencies[i] = System.nanoTime() - start;
        }
        long[] allocated = allocatedSince(allocatedBefore);
        Arrays.sort(latencies);
        long total = 0;
        for (long latency : latencies) {
            total += latency;
        }

        Loaded loaded = throughput(request);
        return new Row(mode.label, verb, pod.label, nodes, body.length, first.body().length, answer, latencies.length,
                ms(percentile(latencies, 0.50)), ms(percentile(latencies, 0.90)), ms(percentile(latencies, 0.99)),
                ms(latencies[latencies.length - 1]), ms(total / latencies.length),
                allocated[0] / latencies.length, allocated[1] / latencies.length, options.concurrency(), loaded.seconds,
                loaded.completed, loaded.completed / loaded.seconds, ms(loaded.p50), ms(loaded.p99), loaded.errors);
    }

    private record Loaded(double seconds, long completed, long errors, long p50, long p99) {
    }

    /** C clients, each sending the request back to back until the deadline. */
    private Loaded throughput(HttpRequest request) throws InterruptedException {
        int clients = options.concurrency();
        long[][] latencies = new long[clients][1 << 18];
        int[] counts = new int[clients];
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + options.throughput().toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread thread = new Thread(() -> {
                long[] mine = latencies[client];
                int n = 0;
                while (System.nanoTime() < deadline && n < mine.length) {
                    long sent = System.nanoTime();
                    try {
                        send(request);
                        mine[n++] = System.nanoTime() - sent;
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
                counts[client] = n;
            }, "extender-load-client-" + c);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int c = 0; c < clients; c++) {
            System.arraycopy(latencies[c], 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        return new Loaded(seconds, total, errors.get(), total == 0 ? 0 : percentile(all, 0.5),
                total == 0 ? 0 : percentile(all, 0.99));
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": "
                    + new String(response.body(), 0, Math.min(500, response.body().length)));
        }
        return response;
    }

    /** What the answer says, to show that the row measured real work ("4000 pass, 1000 failed, 0 unresolvable"). */
    private String describe(String verb, byte[] answer) throws IOException {
        JsonNode tree = json.readTree(answer);
        if (verb.equals("prioritize")) {
            int scored = 0;
            for (JsonNode host : tree) {
                scored += host.path("Score").asInt() > 0 ? 1 : 0;
            }
            return tree.size() + " hosts, " + scored + " scored > 0";
        }
        int passing = tree.path("NodeNames").isArray() ? tree.path("NodeNames").size()
                : tree.path("Nodes").path("items").size();
        String counts = passing + " pass, " + tree.path("FailedNodes").size() + " failed, "
                + tree.path("FailedAndUnresolvableNodes").size() + " unresolvable";
        Map<String, Integer> reasons = new java.util.TreeMap<>();
        for (String field : List.of("FailedNodes", "FailedAndUnresolvableNodes")) {
            tree.path(field).forEach(reason -> reasons.merge(reason.asText(), 1, Integer::sum));
        }
        return reasons.isEmpty() ? counts : counts + " " + reasons;
    }

    // ------------------------------------------------------------------ allocation per thread

    private static com.sun.management.ThreadMXBean threads() {
        return (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    }

    private static Map<Long, Long> allocatedByThread() {
        Map<Long, Long> bytes = new HashMap<>();
        for (long id : threads().getAllThreadIds()) {
            bytes.put(id, threads().getThreadAllocatedBytes(id));
        }
        return bytes;
    }

    /** {server threads' bytes, other threads' bytes} allocated since {@code before}. */
    private static long[] allocatedSince(Map<Long, Long> before) {
        long[] ids = threads().getAllThreadIds();
        java.lang.management.ThreadInfo[] infos = threads().getThreadInfo(ids);
        long server = 0;
        long other = 0;
        for (int i = 0; i < ids.length; i++) {
            long now = threads().getThreadAllocatedBytes(ids[i]);
            if (now < 0 || infos[i] == null) {
                continue;
            }
            long delta = now - before.getOrDefault(ids[i], 0L);
            String name = infos[i].getThreadName();
            if (name.startsWith("vert.x-") || name.equals(LOOP_THREAD)) {
                server += delta;
            } else {
                other += delta;
            }
        }
        return new long[] {server, other};
    }

    // ------------------------------------------------------------------ report

    private static long percentile(long[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** Per row, the median over the rounds of every figure. */
    private static List<Map<String, Object>> medians(List<Row> rows) {
        Map<String, List<Row>> byKey = new LinkedHashMap<>();
        rows.forEach(row -> byKey.computeIfAbsent(row.key(), k -> new ArrayList<>()).add(row));
        List<Map<String, Object>> out = new ArrayList<>();
        byKey.forEach((key, list) -> {
            Row first = list.get(0);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mode", first.mode());
            m.put("verb", first.verb());
            m.put("pod", first.pod());
            m.put("nodes", first.nodes());
            m.put("requestBytes", first.requestBytes());
            m.put("responseBytes", first.responseBytes());
            m.put("answer", first.answer());
            m.put("rounds", list.size());
            m.put("p50Ms", median(list, Row::p50Ms));
            m.put("p90Ms", median(list, Row::p90Ms));
            m.put("p99Ms", median(list, Row::p99Ms));
            m.put("maxMs", median(list, Row::maxMs));
            m.put("requestsPerSecond", median(list, Row::requestsPerSecond));
            m.put("loadedP99Ms", median(list, Row::loadedP99Ms));
            m.put("serverBytesPerRequest", median(list, r -> r.serverBytesPerRequest()));
            m.put("clientBytesPerRequest", median(list, r -> r.clientBytesPerRequest()));
            m.put("errors", list.stream().mapToLong(Row::errors).sum());
            out.add(m);
        });
        return out;
    }

    private static double median(List<Row> rows, java.util.function.ToDoubleFunction<Row> figure) {
        double[] values = rows.stream().mapToDouble(figure).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static String table(List<Map<String, Object>> medians) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%-8s %-10s %-15s %6s %9s %8s %8s %8s %8s %9s %10s %10s  %s%n", "mode", "verb", "pod", "nodes",
                "body KB", "p50 ms", "p90 ms", "p99 ms", "max ms", "req/s", "srv KB/rq", "cli KB/rq", "answer"));
        for (Map<String, Object> m : medians) {
            out.append(String.format(Locale.ROOT, "%-8s %-10s %-15s %6d %9.1f %8.2f %8.2f %8.2f %8.2f %9.1f %10.1f %10.1f  %s%n",
                    m.get("mode"), m.get("verb"), m.get("pod"), (Integer) m.get("nodes"),
                    (Integer) m.get("requestBytes") / 1024.0, (Double) m.get("p50Ms"), (Double) m.get("p90Ms"),
                    (Double) m.get("p99Ms"), (Double) m.get("maxMs"), (Double) m.get("requestsPerSecond"),
                    (Double) m.get("serverBytesPerRequest") / 1024.0, (Double) m.get("clientBytesPerRequest") / 1024.0,
                    m.get("answer")));
        }
        return out.toString();
    }

    private static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        machine.put("cpu", cpuModel());
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20);
        machine.put("gc", ManagementFactory.getGarbageCollectorMXBeans().stream().map(b -> b.getName()).toList());
        machine.put("loadAverage", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return machine;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: leave it out
        }
        return "unknown";
    }
}
