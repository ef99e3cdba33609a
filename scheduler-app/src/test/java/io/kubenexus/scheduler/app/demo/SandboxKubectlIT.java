package io.kubenexus.scheduler.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox driven by the real kubectl, as a user drives it: the user guide's SparkApplications,
 * a PodGroup with its pods, and a gang too large for the cluster are applied with
 * {@code kubectl apply -f}; their pods' nodes, conditions and Events are read back with
 * {@code kubectl get -o json} and {@code kubectl describe pod}. Skipped (with the reason) where no
 * kubectl is on the PATH.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxKubectlIT {
    private static final Path EXAMPLES = Path.of("..", "deploy", "examples");
    private static final Path SPARK_GUIDE = Path.of("..", "docs", "spark-guide.md");
    private static final String NAMESPACE = "spark-jobs";
    /** Long enough for every assertion on running pods, short enough to see applications complete. */
    private static final Duration APP_DURATION = Duration.ofSeconds(20);
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Name, executors to expect (instances, or the dynamic-allocation start). */
    private static final Map<String, Integer> USER_GUIDE_APPS = Map.of(
            "spark-pi", 4, "daily-etl", 20, "adhoc-report", 2, "gpu-feature-eng", 4, "clickstream", 3,
            "etl-daily", 20);

    @TempDir
    static Path work;
    private static String kubectl;
    private static Sandbox sandbox;
    private static final ByteArrayOutputStream PROGRESS = new ByteArrayOutputStream();

    @BeforeAll
    static void startSandbox() {
        kubectl = onPath("kubectl").orElse(null);
        Assumptions.assumeTrue(kubectl != null, "no kubectl on the PATH: the sandbox's kubectl tests are skipped");
        sandbox = Sandbox.start(SandboxOptions.defaults().withAppDuration(APP_DURATION)
                .withKubeconfigOut(work.resolve("kubeconfig")), new PrintStream(PROGRESS, true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stopSandbox() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    @Order(1)
    void everyUserGuideSparkApplicationRunsAsOneGang() throws IOException {
        for (String example : List.of("spark-pi", "spark-data-processing", "spark-dynamic-allocation", "spark-gpu-numa",
                "spark-streaming")) {
            assertThat(kubectl("apply", "-f", EXAMPLES.resolve(example + ".yaml").toString()))
                    .contains("sparkapplication.sparkoperator.k8s.io/");
        }
        Path guideExample = work.resolve("etl-daily.yaml");
        Files.writeString(guideExample, yamlBlock(Files.readString(SPARK_GUIDE), "name: etl-daily"));
        assertThat(kubectl("apply", "-f", guideExample.toString())).contains("etl-daily created");

        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonNode pods = json("get", "pods", "-n", NAMESPACE, "-o", "json");
            USER_GUIDE_APPS.forEach((app, executors) -> {
                List<JsonNode> members = members(pods, app);
                assertThat(members).as("pods of %s", app).hasSize(1 + executors);
                assertThat(members).as("every pod of %s bound", app)
                        .allSatisfy(p -> assertThat(p.path("spec").path("nodeName").asText()).isNotEmpty());
            });
        });
        JsonNode pods = json("get", "pods", "-n", NAMESPACE, "-o", "json");
        JsonNode events = json("get", "events", "-n", NAMESPACE, "-o", "json");
        for (String app : USER_GUIDE_APPS.keySet()) {
            for (JsonNode pod : members(pods, app)) {
                String name = pod.path("metadata").path("name").asText();
                assertThat(condition(pod, "PodScheduled")).as(name).isEqualTo("True");
                assertThat(scheduledEvents(events, name)).as("Scheduled event of %s", name).hasSize(1)
                        .first().asString().contains("to " + pod.path("spec").path("nodeName").asText());
            }
        }
        // The GPU executors landed on GPU nodes (the drivers may go anywhere).
        assertThat(members(pods, "gpu-feature-eng")).filteredOn(p -> "executor".equals(role(p)))
                .allSatisfy(p -> assertThat(p.path("spec").path("nodeName").asText()).startsWith("gpu-node-"));
        // Sized as Spark sizes them: 2g + 40% overhead (819Mi) and the 500m core request.
        assertThat(members(pods, "adhoc-report")).filteredOn(p -> "executor".equals(role(p))).allSatisfy(p -> {
            JsonNode requests = p.path("spec").path("containers").get(0).path("resources").path("requests");
            assertThat(requests.path("memory").asText()).isEqualTo("2867Mi");
            assertThat(requests.path("cpu").asText()).isEqualTo("500m");
        });
        JsonNode apps = json("get", "sparkapplications", "-n", NAMESPACE, "-o", "json");
        for (JsonNode app : apps.path("items")) {
            assertThat(app.path("status").path("applicationState").path("state").asText())
                    .as(app.path("metadata").path("name").asText()).isIn("RUNNING", "SUCCEEDING", "COMPLETED");
        }
    }

    @Test
    @Order(2)
    void describeShowsTheConditionAndTheSchedulerEvent() {
        await().atMost(PATIENCE).untilAsserted(() -> {
            String described = kubectl("describe", "pod", "-n", NAMESPACE, "spark-pi-exec-1");
            assertThat(described).containsPattern("PodScheduled\\s+True");
            assertThat(described).containsPattern("Normal\\s+Scheduled\\s+\\S+\\s+kubenexus-scheduler\\s+Successfully "
                    + "assigned spark-jobs/spark-pi-exec-1 to ");
        });
        assertThat(kubectl("get", "pods", "-n", NAMESPACE, "-o", "wide")).contains("NODE").containsPattern(
                "spark-pi-driver\\s+\\S+\\s+\\S+\\s+\\d+\\s+\\S+\\s+[0-9.]+\\s+(cpu|gpu)-node-\\d{4}");
    }

    @Test
    @Order(3)
    void aPodGroupIsPlacedWhole() {
        assertThat(kubectl("apply", "-f", EXAMPLES.resolve("scheduler-plugins-podgroup.yaml").toString()))
                .contains("podgroup.scheduling.x-k8s.io/mpi-job created", "pod/mpi-job-2 created");
        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonNode pods = json("get", "pods", "-n", "training", "-o", "json");
            assertThat(pods.path("items")).hasSize(3).allSatisfy(p -> {
                assertThat(p.path("spec").path("nodeName").asText()).isNotEmpty();
                assertThat(p.path("status").path("phase").asText()).isEqualTo("Running");
            });
        });
    }

    @Test
    @Order(4)
    void aGangLargerThanTheClusterBindsNothingAndSaysWhy() throws IOException {
        Path huge = work.resolve("huge.yaml");
        Files.writeString(huge, Files.readString(EXAMPLES.resolve("spark-pi.yaml"))
                .replace("name: spark-pi", "name: spark-huge")
                .replace("pod-group.scheduling.kubenexus.io/name: spark-pi", "pod-group.scheduling.kubenexus.io/name: spark-huge")
                .replace("instances: 4", "instances: 60")
                .replace("cores: 2", "cores: 16")
                .replace("min-available: \"5\"", "min-available: \"61\""));
        assertThat(kubectl("apply", "-f", huge.toString())).contains("spark-huge created");
        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonNode driver = json("get", "pod", "-n", NAMESPACE, "spark-huge-driver", "-o", "json");
            assertThat(driver.path("spec").path("nodeName").asText()).isEmpty();
            assertThat(condition(driver, "PodScheduled")).isEqualTo("False");
            assertThat(kubectl("describe", "pod", "-n", NAMESPACE, "spark-huge-driver"))
                    .containsPattern("Warning\\s+FailedScheduling");
        });
        assertThat(members(json("get", "pods", "-n", NAMESPACE, "-o", "json"), "spark-huge")).hasSize(1);
    }

    @Test
    @Order(5)
    void applicationsCompleteAfterTheirTimeAndDeleteTakesTheirPods() {
        await().atMost(PATIENCE.plus(APP_DURATION)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonNode apps = json("get", "sparkapplications", "-n", NAMESPACE, "-o", "json");
            for (JsonNode app : apps.path("items")) {
                String name = app.path("metadata").path("name").asText();
                String expected = "spark-huge".equals(name) ? "SUBMITTED" : "COMPLETED";
                assertThat(app.path("status").path("applicationState").path("state").asText()).as(name)
                        .isEqualTo(expected);
            }
        });
        assertThat(members(json("get", "pods", "-n", NAMESPACE, "-o", "json"), "spark-pi"))
                .allSatisfy(p -> assertThat(p.path("status").path("phase").asText()).isEqualTo("Succeeded"));

        assertThat(kubectl("delete", "-f", EXAMPLES.resolve("spark-pi.yaml").toString())).contains("deleted");
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(members(json("get", "pods", "-n", NAMESPACE, "-o", "json"), "spark-pi")).isEmpty());
    }

    // ------------------------------------------------------------------ helpers

    private static List<JsonNode> members(JsonNode pods, String app) {
        List<JsonNode> members = new ArrayList<>();
        for (JsonNode pod : pods.path("items")) {
            if (app.equals(pod.path("metadata").path("labels").path("sparkoperator.k8s.io/app-name").asText())) {
                members.add(pod);
            }
        }
        return members;
    }

    private static String role(JsonNode pod) {
        return pod.path("metadata").path("labels").path("spark-role").asText();
    }

    private static String condition(JsonNode pod, String type) {
        for (JsonNode condition : pod.path("status").path("conditions")) {
            if (type.equals(condition.path("type").asText())) {
                return condition.path("status").asText();
            }
        }
        return "";
    }

    private static List<String> scheduledEvents(JsonNode events, String pod) {
        List<String> messages = new ArrayList<>();
        for (JsonNode event : events.path("items")) {
            if (pod.equals(event.path("involvedObject").path("name").asText())
                    && "Scheduled".equals(event.path("reason").asText())) {
                messages.add(event.path("message").asText());
            }
        }
        return messages;
    }

    /** The fenced yaml block of a Markdown page that contains {@code marker}. */
    static String yamlBlock(String markdown, String marker) {
        Matcher blocks = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        while (blocks.find()) {
            if (blocks.group(1).contains(marker)) {
                return blocks.group(1);
            }
        }
        throw new AssertionError("no yaml block with '" + marker + "' in the page");
    }

    private static JsonNode json(String... args) {
        String out = kubectl(args);
        try {
            return JSON.readTree(out);
        } catch (IOException e) {
            throw new AssertionError("kubectl " + String.join(" ", args) + " printed no JSON: " + out, e);
        }
    }

    /** Runs kubectl against the sandbox; fails the test with kubectl's stderr when it exits non-zero. */
    private static String kubectl(String... args) {
        List<String> command = new ArrayList<>();
        command.add(kubectl);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("KUBECONFIG", sandbox.kubeconfig().toString());
        // Its own discovery cache: another run's cache of a reused port must not answer for this API.
        env.put("HOME", work.toString());
        try {
            Path stderr = Files.createTempFile(work, "kubectl", ".err");
            Process process = builder.redirectError(stderr.toFile()).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 60s");
            }
            String error = Files.readString(stderr);
            if (process.exitValue() != 0) {
                throw new AssertionError("kubectl " + String.join(" ", args) + " exited " + process.exitValue() + ": "
                        + error);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot run kubectl: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static Optional<String> onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }
}
