package io.kubenexus.scheduler.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubenexus.scheduler.app.config.SchedulerConfig;
import io.kubenexus.scheduler.kube.embedded.FaultKind;
import io.kubenexus.scheduler.kube.embedded.FaultPlan;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import io.kubenexus.scheduler.extender.loop.DebugRoutes;
import io.kubenexus.scheduler.extender.loop.FakeQueries;
import io.kubenexus.scheduler.extender.server.HealthReport;
import io.kubenexus.scheduler.extender.server.HttpRoutes;
import io.kubenexus.scheduler.extender.server.HttpServerSettings;
import io.kubenexus.scheduler.extender.server.SchedulerHttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class KubenexusSchedulerTest {
    private static final DemoSummary SUMMARY = new DemoSummary(50, 500, 478, 22, 10, 0, 0, 0, DemoSummary.SparkGangs.NONE, 2_500, 191.2,
            Map.of("0/50 nodes are available: 50 Insufficient cpu.", 10, "0/50 nodes are available: 40 node(s) didn't match "
                    + "Pod's node affinity/selector, 10 Insufficient nvidia.com/gpu.", 12));
    private static final String KUBECONFIG = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: test
              cluster: {server: "https://kubenexus.test:6443"}
            users:
            - name: test
              user: {token: abc}
            contexts:
            - name: test
              context: {cluster: test, user: test, namespace: scheduling}
            current-context: test
            """;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final FakeService service = new FakeService();
    private final List<SchedulerConfig> configsSeen = new ArrayList<>();
    private final List<String> serversSeen = new ArrayList<>();
    private final List<DemoOptions> demoOptionsSeen = new ArrayList<>();
    private DemoSummary demoResult = SUMMARY;
    private RuntimeException demoFailure;
    private int shutdownsStopped;

    private final ServiceFactory serviceFactory = (config, client) -> {
        configsSeen.add(config);
        serversSeen.add(client.getConfiguration().getMasterUrl());
        return service;
    };

    private final DemoRunner demoRunner = (options, progress) -> {
        demoOptionsSeen.add(options);
        progress.println("creating " + options.nodes() + " nodes");
        if (demoFailure != null) {
            throw demoFailure;
        }
        return demoResult;
    };

    private int execute(String... args) {
        ShutdownSignal immediately = new ShutdownSignal() {
            @Override
            public void await() {
            }

            @Override
            public void stopped() {
                shutdownsStopped++;
            }
        };
        return new KubenexusScheduler(serviceFactory, demoRunner, new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8), immediately, Map.of("HOSTNAME", "test-host"))
                .execute(args);
    }

    private String out() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    static Stream<Arguments> usageErrors() {
        return Stream.of(
                usage("unknown top-level option", new String[] {"--frobnicate"}, "error: Unknown option: '--frobnicate'"),
                usage("unknown command", new String[] {"deploy"}, "error: Unmatched argument at index 0: 'deploy'"),
                usage("misspelled demo option", new String[] {"demo", "--node", "5"}, "error: Unknown options: '--node', '5'"),
                usage("unknown run option", new String[] {"run", "--config-file", "x.yaml"}, "error: Unknown options: '--config-file'"),
                usage("demo count not a number", new String[] {"demo", "--nodes", "many"},
                        "error: Invalid value for option '--nodes': 'many' is not an int"),
                usage("demo timeout not a duration", new String[] {"demo", "--timeout", "2 minutes"},
                        "error: Invalid value for option '--timeout': not a duration '2 minutes' (use e.g. 500ms, 1s, 2m)"),
                usage("demo with zero nodes", new String[] {"demo", "--nodes", "0"}, "error: --nodes: must be at least 1, was 0"),
                usage("demo with negative pods", new String[] {"demo", "--pods", "-1"}, "error: --pods: must not be negative, was -1"),
                usage("demo with zero timeout", new String[] {"demo", "--timeout", "0s"},
                        "error: --timeout: must be a positive duration, was 0s"),
                usage("run option without its value", new String[] {"run", "--config"},
                        "error: Missing required parameter for option '--config' (FILE)"),
                usage("sandbox with negative nodes", new String[] {"sandbox", "--nodes", "-1"},
                        "error: --nodes: must not be negative, was -1"),
                usage("sandbox without nodes", new String[] {"sandbox", "--nodes", "0", "--gpu-nodes", "0"},
                        "error: --nodes, --gpu-nodes: the cluster needs at least one node"),
                usage("sandbox with zero app duration", new String[] {"sandbox", "--app-duration", "0s"},
                        "error: --app-duration: must be a positive duration, was 0s"),
                usage("sandbox with a missing cluster file", new String[] {"sandbox", "--cluster", "no-such-file.csv"},
                        "error: --cluster: cannot read no-such-file.csv"),
                usage("no command at all", new String[] {}, "error: missing command: run, demo, sandbox, explain, check-config or simulate"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageErrors")
    void badUsageExitsTwoWithAClearMessageAndRunsNothing(String[] args, String message) {
        int code = execute(args);

        assertThat(code).isEqualTo(KubenexusScheduler.EXIT_USAGE);
        assertThat(err()).startsWith(message);
        assertThat(out()).isEmpty();
        assertThat(configsSeen).isEmpty();
        assertThat(demoOptionsSeen).isEmpty();
    }

    @Test
    void misspelledOptionGetsASuggestion() {
        execute("demo", "--seeed", "3");

        assertThat(err()).contains("--seed").contains("Run 'kubenexus-scheduler demo --help' for usage.");
    }

    @Test
    void helpListsTheCommands() {
        int code = execute("--help");

        assertThat(code).isZero();
        assertThat(out()).contains("kubenexus-scheduler").contains("run").contains("demo");
    }

    @Test
    void demoHelpDocumentsDefaults() {
        int code = execute("demo", "--help");

        assertThat(code).isZero();
        assertThat(out()).contains("--nodes=N").contains("default: 50").contains("default: 500").contains("default: 120s");
    }

    @Test
    void versionNamesTheProgram() {
        int code = execute("--version");

        assertThat(code).isZero();
        assertThat(out()).startsWith("kubenexus-scheduler ");
    }

    @Nested
    class Explain {
        private SchedulerHttpServer server;

        private String serve(List<HttpRoutes> routes) throws Exception {
            server = new SchedulerHttpServer(HttpServerSettings.loopback(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                    () -> new HealthReport(true, true, "LEADING", java.time.Instant.EPOCH, "r"), routes);
            server.start().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
            return server.baseUrl();
        }

        @org.junit.jupiter.api.AfterEach
        void stop() {
            if (server != null) {
                server.close();
            }
        }

        @Test
        void printsWhyThePodWaitsForAPerson() throws Exception {
            String url = serve(List.of(new DebugRoutes(new FakeQueries(0))));

            int code = execute("explain", "jobs/etl-driver", "--url", url);

            assertThat(code).isZero();
            assertThat(out()).contains("Pod:       jobs/etl-driver")
                    .contains("State:     pending, unschedulable")
                    .contains("Reported:  " + FakeQueries.MESSAGE)
                    .contains("Now:       0 of 50 node(s) would take it on its own")
                    .containsPattern("NodeResourcesFit\\R\\s+40  Insufficient cpu")
                    .contains("Gang:      jobs/etl, min-available 3: 0 bound, 1 pending, 2 not created yet");
        }

        @Test
        void printsTheJsonAsItIsWhenAsked() throws Exception {
            String url = serve(List.of(new DebugRoutes(new FakeQueries(0))));

            int code = execute("explain", "jobs/etl-driver", "--url", url, "--json");

            assertThat(code).isZero();
            assertThat(out()).contains("\"lastUnschedulableMessage\" : \"" + FakeQueries.MESSAGE + "\"");
        }

        @Test
        void anUnknownPodExitsOneSayingSo() throws Exception {
            String url = serve(List.of(new DebugRoutes(new FakeQueries(0))));

            int code = execute("explain", "jobs/nobody", "--url", url);

            assertThat(code).isEqualTo(KubenexusScheduler.EXIT_FAILURE);
            assertThat(err()).startsWith("error: the scheduler knows no pod jobs/nobody");
        }

        @Test
        void aServerWithoutTheDebugPagesIsNotTakenForAnUnknownPod() throws Exception {
            String url = serve(List.of());

            int code = execute("explain", "jobs/etl-driver", "--url", url);

            assertThat(code).isEqualTo(KubenexusScheduler.EXIT_FAILURE);
            assertThat(err()).startsWith("error: " + url + " serves no /debug/explain");
        }

        @Test
        void anUnreachableSchedulerExitsOneNamingTheUrl() {
            int code = execute("explain", "jobs/etl-driver", "--url", "http://127.0.0.1:1");

            assertThat(code).isEqualTo(KubenexusScheduler.EXIT_FAILURE);
            assertThat(err()).startsWith("error: cannot reach the scheduler at http://127.0.0.1:1");
        }

        @ParameterizedTest
        @org.junit.jupiter.params.provider.ValueSource(strings = {"etl-driver", "jobs/", "/etl", "a/b/c"})
        void aPodNotWrittenNamespaceSlashNameIsAUsageError(String pod) {
            int code = execute("explain", pod);

            assertThat(code).isEqualTo(KubenexusScheduler.EXIT_USAGE);
            assertThat(err()).contains("NAMESPACE/POD: expected a namespace and a pod name separated by '/'");
        }
    }

    @Nested
    class CheckConfig {
        @TempDir
        Path dir;

        @Test
        void aGoodFileExitsZeroWithoutContactingACluster() throws IOException {
            Path config = Files.writeString(dir.resolve("config.yaml"), "scoring: {strategy: MostAllocated}\nhttp: {port: 9090}\n");

            int code = execute("check-config", config.toString(), "--print");

            assertThat(code).isZero();
            assertThat(out()).startsWith(config + ": valid" + System.lineSeparator())
                    .contains("  scoring.strategy: MostAllocated").contains("  http.port: 9090");
            assertThat(configsSeen).as("no scheduler was started").isEmpty();
            assertThat(serversSeen).isEmpty();
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
            "unknown key | leaderElection: {leaseDurationSeconds: 15} | unknown key 'leaderElection.leaseDurationSeconds' (known: ",
            "bad value   | scoring: {strategy: Fastest}               | scoring.strategy: unknown value 'Fastest' (expected LeastAllocated or MostAllocated)",
            "bad port    | http: {port: 70000}                        | http.port: must be 0..65535 (0 = no HTTP server), was 70000",
            "bad level   | logging: {level: {root: LOUD}}             | logging.level.root: unknown level 'LOUD' (expected ERROR, WARN, INFO, DEBUG or TRACE, in any case)",
        })
        void aBadFileExitsTwoWithTheMessageRunWouldGive(String name, String yaml, String message) throws IOException {
            Path config = Files.writeString(dir.resolve("config.yaml"), yaml + "\n");

            int code = execute("check-config", config.toString());
            String checkError = err();
            stderr.reset();
            int runCode = execute("run", "--config", config.toString());

            assertThat(code).isEqualTo(KubenexusScheduler.EXIT_USAGE).isEqualTo(runCode);
            assertThat(checkError).startsWith("error: " + config + ": " + message).isEqualTo(err());
            assertThat(out()).isEmpty();
        }

        @Test
        void aMissingFileExitsTwo() {
            int code = execute("check-config", dir.resolve("absent.yaml").toString());

            assertThat(code).isEqualTo(KubenexusScheduler.EXIT_USAGE);
            assertThat(err()).contains("absent.yaml: cannot read the file: it does not exist");
        }
    }

    @Nested
    class Run {
        @TempDir
        Path dir;

        @Test
        void badConfigFileExitsTwoNamingTheKeyWithoutStartingAnything() throws IOException {
            Path config = Files.writeString(dir.resolve("config.yaml"), "scoring:\n  strategy: Fastest\n");

            int code = execute("run", "--config", config.toString(), "--kubeconfig", kubeconfig().toString());

            assertThat(code).isEqualTo(KubenexusScheduler.EXIT_USAGE);
            assertThat(err()).isEqualTo("error: " + config
                    + ": scoring.strategy: unknown value 'Fastest' (expected LeastAllocated or MostAllocated)" + System.lineSeparator());
            assertThat(configsSeen).isEmpty();
        }

        @Test
        void unknownKeyInConfigExitsTwoNamingThePath() throws IOException {
            Path config = Files.writeString(dir.resolve("config.yaml"), "leaderElection:\n  leaseDurationSeconds: 15\n");

            int code = execute("run", "--config", config.toString());

            assertThat(code).isEqualTo(KubenexusScheduler.EXIT_USAGE);
            assertThat(err()).startsWith("error: " + config + ": unknown key 'leaderElection.leaseDurationSeconds' (known: ")
                    .doesNotContain("\tat ");
        }

        @Test
        void missingConfigFileExitsTwo() {
            int code = execute("run", "--config", dir.resolve("nope.yaml").toString());

            assertThat(code).isEqualTo(KubenexusScheduler.EXIT_USAGE);
            assertThat(err()).contains("nope.yaml: cannot read the file: it does not exist");
        }

        @Test
        void missingKubeconfigExitsTwo() {
            int code = execute("run", "--kubeconfig", dir.resolve("kubeconfig").toString());

            assertThat(code).isEqualTo(KubenexusScheduler.EXIT_USAGE);
            assertThat(err()).startsWith("error: --kubeconfig: cannot read " + dir.resolve("kubeconfig") + ": it does not exist");
        }

        @Test
        void startsTheServiceWithTheConfigAndTheKubeconfigClusterThenClosesItOnShutdown() throws IOException {
            Path config = Files.writeString(dir.resolve("config.yaml"), "scoring: {strategy: MostAllocated}\nbinding: {parallelism: 4}\n");

            int code = execute("run", "--config", config.toString(), "--kubeconfig", kubeconfig().toString(),
                    "--scheduler-name", "team-scheduler");

            assertThat(code).isZero();
            assertThat(configsSeen).singleElement().satisfies(seen -> {
                assertThat(seen.schedulerName()).isEqualTo("team-scheduler");
                assertThat(seen.binding().parallelism()).isEqualTo(4);
                assertThat(seen.leaderElection().identity()).startsWith("test-host_");
            });
            assertThat(serversSeen).containsExactly("https://kubenexus.test:6443/");
            assertThat(service.events).containsExactly("start", "close");
            assertThat(shutdownsStopped).isOne();
        }

        @Test
        void withoutConfigFileTheDefaultsAreUsed() throws IOException {
            int code = execute("run", "--kubeconfig", kubeconfig().toString());

            assertThat(code).isZero();
            assertThat(configsSeen).singleElement().satisfies(seen -> {
                assertThat(seen.settings()).isEqualTo(io.kubenexus.scheduler.core.config.SchedulerSettings.defaults());
                assertThat(seen.leaderElection().namespace()).isEqualTo("kube-system");
            });
        }

        @Test
        void emptySchedulerNameIsRejectedAsUsage() throws IOException {
            int code = execute("run", "--kubeconfig", kubeconfig().toString(), "--scheduler-name", "");

            assertThat(code).isEqualTo(KubenexusScheduler.EXIT_USAGE);
            assertThat(err()).isEqualTo("error: --scheduler-name: schedulerName: must not be empty" + System.lineSeparator());
        }

        @Test
        void failingStartExitsOneAndStillClosesTheService() throws IOException {
            service.startFailure = new IllegalStateException("cannot list pods",
                    new RuntimeException("pods is forbidden: User cannot list resource pods"));

            int code = execute("run", "--kubeconfig", kubeconfig().toString());

            assertThat(code).isEqualTo(KubenexusScheduler.EXIT_FAILURE);
            assertThat(err()).isEqualTo("error: cannot list pods: pods is forbidden: User cannot list resource pods"
                    + System.lineSeparator());
            assertThat(service.events).containsExactly("start", "close");
        }

        @Test
        void aFailingCloseDoesNotHideAFailingStart() throws IOException {
            service.startFailure = new IllegalStateException("API server unreachable");
            service.closeFailure = new IllegalStateException("informers already stopped");

            int code = execute("run", "--kubeconfig", kubeconfig().toString());

            assertThat(code).isEqualTo(KubenexusScheduler.EXIT_FAILURE);
            assertThat(err()).isEqualTo("error: API server unreachable" + System.lineSeparator());
            assertThat(shutdownsStopped).isOne();
        }

        @Test
        void aServiceThatGivesUpOnItsOwnIsClosedAndTheProcessExitsOneSaySoWhy() throws IOException {
            service.exitRequested.complete("replica-0 lost lease kube-system/kubenexus-scheduler; exiting "
                    + "(leaderElection.onLostLease: exit) so that the process is restarted");

            int code = execute("run", "--kubeconfig", kubeconfig().toString());

            assertThat(code).isEqualTo(KubenexusScheduler.EXIT_FAILURE);
            assertThat(err()).isEqualTo("error: replica-0 lost lease kube-system/kubenexus-scheduler; exiting "
                    + "(leaderElection.onLostLease: exit) so that the process is restarted" + System.lineSeparator());
            assertThat(service.events).containsExactly("start", "close");
            assertThat(shutdownsStopped).isOne();
        }

        @Test
        void theJvmSignalWakesWhenTheServiceGivesUp() throws Exception {
            ShutdownSignal signal = ShutdownSignal.jvm(1);
            CompletableFuture<String> gaveUp = new CompletableFuture<>();
            CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
                try {
                    signal.await(gaveUp);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });

            gaveUp.complete("lost lease");

            waiting.get(5, TimeUnit.SECONDS);
            signal.stopped();
        }

        private Path kubeconfig() throws IOException {
            return Files.writeString(dir.resolve("kubeconfig"), KUBECONFIG);
        }
    }

    @Nested
    class Demo {
        @Test
        void jsonPrintsExactlyOneJsonObjectOnStdoutAndProgressOnStderr() throws IOException {
            int code = execute("demo", "--json");

            assertThat(code).isZero();
            JsonNode json = new ObjectMapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(out());
            assertThat(json.isObject()).isTrue();
            List<String> keys = new ArrayList<>();
            json.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).containsExactly("nodes", "pods_created", "pods_bound", "pods_pending",
                    "pods_expected_unschedulable", "capacity_violations", "pods_pending_that_fit", "cache_mismatches", "spark_apps", "gangs_completed",
                    "gangs_waiting", "partial_gangs", "reserved_capacity_left", "executors_left_reserved_node", "pods_bound_more_than_once", "elapsed_millis",
                    "bind_rate_per_second",
                    "pending_reasons");
            assertThat(json.get("pods_bound").asInt()).isEqualTo(478);
            assertThat(json.get("pending_reasons").get("0/50 nodes are available: 50 Insufficient cpu.").asInt()).isEqualTo(10);
            assertThat(out().strip().lines()).hasSize(1);
            assertThat(err()).contains("creating 50 nodes");
        }

        @Test
        void optionsReachTheRunnerWithTheirDefaults() {
            execute("demo");

            assertThat(demoOptionsSeen).containsExactly(new DemoOptions(50, 500, 20, 1, Duration.ofSeconds(120), false));
        }

        @Test
        void optionsReachTheRunnerAsGiven() {
            execute("demo", "--nodes", "200", "--pods", "5000", "--spark-apps", "7", "--seed", "42", "--timeout", "5m",
                    "--json");

            assertThat(demoOptionsSeen).containsExactly(new DemoOptions(200, 5000, 7, 42, Duration.ofMinutes(5), true));
        }

        @Test
        void extenderModeReachesTheRunnerAndDoesNotCombineWithFailover() {
            execute("demo", "--extender");

            assertThat(demoOptionsSeen).containsExactly(DemoOptions.defaults().withExtender(true));

            int code = execute("demo", "--extender", "--failover");
            assertThat(code).isEqualTo(KubenexusScheduler.EXIT_USAGE);
            assertThat(err()).contains("error: --extender: not with --failover");
        }

        @Test
        void anExtenderCallNotAnswered200FailsTheDemo() {
            demoResult = new DemoSummary(50, 500, 500, 0, 0, 0, 0, 0, null, 1000, 500, Map.of(), null, 0, null, null,
                    null, new DemoSummary.Extender(true, 500, 500, 500, 0, 3));

            int code = execute("demo", "--extender");

            assertThat(code).isEqualTo(KubenexusScheduler.EXIT_FAILURE);
            assertThat(err()).contains("3 extender call(s) not answered 200");
        }

        @Test
        void chaosTurnsOnTheDefaultRatesSeededWithTheDemoSeedAndRatesOverrideThem() {
            execute("demo", "--chaos", "--seed", "5", "--chaos-rates", "bind-conflict=0.2,watch-gone=0");

            FaultPlan faults = demoOptionsSeen.get(0).faults();
            assertThat(faults.seed()).isEqualTo(5);
            assertThat(faults.rate(FaultKind.BIND_CONFLICT)).isEqualTo(0.2);
            assertThat(faults.rate(FaultKind.WATCH_GONE)).isZero();
            assertThat(faults.rate(FaultKind.BIND_ERROR)).isEqualTo(FaultPlan.DEFAULT_CHAOS_RATES.get(FaultKind.BIND_ERROR));
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "--chaos-rates bind-error=0.1        | error: --chaos-rates: needs --chaos",
                "--chaos --chaos-rates bind-eror=0.1 | error: --chaos-rates: unknown fault kind \"bind-eror\"; known: bind-error,",
                "--chaos --chaos-rates bind-error=2  | error: --chaos-rates: \"bind-error=2\": a rate must be in [0, 1]"})
        void badChaosRatesAreUsageErrorsNamingTheOption(String args, String message) {
            int code = execute(("demo " + args.trim()).split(" "));

            assertThat(code).isEqualTo(KubenexusScheduler.EXIT_USAGE);
            assertThat(err()).contains(message.trim());
            assertThat(demoOptionsSeen).isEmpty();
        }

        @Test
        void humanReadableSummaryAndProgressGoToStdout() {
            int code = execute("demo");

            assertThat(code).isZero();
            assertThat(out()).contains("creating 50 nodes").contains("pods bound").contains("478");
            assertThat(err()).isEmpty();
        }

        @Test
        void capacityViolationsFailTheDemo() {
            demoResult = new DemoSummary(50, 500, 500, 0, 0, 2, 0, 0, null, 1000, 500, Map.of());

            int code = execute("demo", "--json");

            assertThat(code).isEqualTo(KubenexusScheduler.EXIT_FAILURE);
            assertThat(out()).contains("\"capacity_violations\":2");
            assertThat(err()).contains("error: the demo found defects: 2 over-committed node(s)");
        }

        @Test
        void aMissedPodFailsTheDemo() {
            demoResult = new DemoSummary(50, 500, 499, 1, 0, 0, 1, 0, null, 1000, 500, Map.of());

            int code = execute("demo", "--json");

            assertThat(code).isEqualTo(KubenexusScheduler.EXIT_FAILURE);
            assertThat(err()).contains("1 missed pod(s)");
        }

        @Test
        void aDriverBoundWithoutRoomForItsExecutorsFailsTheDemo() {
            demoResult = new DemoSummary(50, 520, 510, 10, 0, 0, 0, 0, new DemoSummary.SparkGangs(20, 15, 4, 1, 0), 1000,
                    510, Map.of());

            int code = execute("demo", "--json");

            assertThat(code).isEqualTo(KubenexusScheduler.EXIT_FAILURE);
            assertThat(out()).contains("\"partial_gangs\":1");
            assertThat(err()).contains("1 partial gang(s)");
        }

        @Test
        void aFailingRunnerExitsOneWithItsMessage() {
            demoFailure = new IllegalStateException("wired in scheduler-kube integration");

            int code = execute("demo", "--json");

            assertThat(code).isEqualTo(KubenexusScheduler.EXIT_FAILURE);
            assertThat(out()).isEmpty();
            assertThat(err()).endsWith("error: demo failed: wired in scheduler-kube integration" + System.lineSeparator());
        }

        @Test
        void jsonModeKeepsStrayStdoutWritesOffStdout() {
            PrintStream before = System.out;
            DemoRunner chatty = (options, progress) -> {
                System.out.println("a library printing to stdout");
                return SUMMARY;
            };
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            int code = new KubenexusScheduler(serviceFactory, chatty, new PrintStream(stdout, true, StandardCharsets.UTF_8),
                    new PrintStream(captured, true, StandardCharsets.UTF_8), new NoShutdown(), Map.of())
                    .execute("demo", "--json");

            assertThat(code).isZero();
            assertThat(out()).doesNotContain("a library printing");
            assertThat(captured.toString(StandardCharsets.UTF_8)).contains("a library printing to stdout");
            assertThat(System.out).isSameAs(before);
        }
    }

    private static Arguments usage(String name, String[] args, String message) {
        return Arguments.of(Named.of(name, args), message);
    }

    private static final class NoShutdown implements ShutdownSignal {
        @Override
        public void await() {
        }

        @Override
        public void stopped() {
        }
    }

    private static final class FakeService implements SchedulerService {
        final List<String> events = new ArrayList<>();
        RuntimeException startFailure;
        RuntimeException closeFailure;
        final CompletableFuture<String> exitRequested = new CompletableFuture<>();

        @Override
        public CompletionStage<String> exitRequested() {
            return exitRequested;
        }

        @Override
        public void start() {
            events.add("start");
            if (startFailure != null) {
                throw startFailure;
            }
        }

        @Override
        public void close() {
            events.add("close");
            if (closeFailure != null) {
                throw closeFailure;
            }
        }
    }
}
