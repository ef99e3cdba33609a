package io.kubenexus.scheduler.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kubenexus.scheduler.app.config.ConfigException;
import io.kubenexus.scheduler.app.config.GoDuration;
import io.kubenexus.scheduler.app.config.SchedulerConfig;
import io.kubenexus.scheduler.app.logging.LogbackSetup;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code kubenexus-scheduler} command line: {@code run} schedules pods of a real cluster,
 * {@code demo} runs everything against an embedded API server with a synthetic cluster.
 *
 * <p>Exit codes: 0 success, 1 runtime failure (including a demo that found a capacity violation, and
 * a {@code run} that lost its Lease with {@code leaderElection.onLostLease: exit}),
 * 2 bad usage or configuration. Errors are one line on stderr, {@code error: <message>}, without a
 * stack trace.
 */
@Command(name = "kubenexus-scheduler",
        mixinStandardHelpOptions = true,
        versionProvider = KubenexusScheduler.Version.class,
        description = "A Kubernetes secondary scheduler with gang scheduling and NUMA/GPU locality.",
        subcommands = CommandLine.HelpCommand.class)
public final class KubenexusScheduler implements Callable<Integer> {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;
    /** How long the shutdown hook lets {@link SchedulerService#close} run before the JVM exits anyway. */
    private static final long SHUTDOWN_GRACE_SECONDS = 30;
    private static final System.Logger LOG = System.getLogger(KubenexusScheduler.class.getName());

    private final ServiceFactory serviceFactory;
    private final DemoRunner demoRunner;
    private final PrintStream out;
    private final PrintStream err;
    private final ShutdownSignal shutdown;
    private final Map<String, String> env;
    @Spec
    private CommandSpec spec;

    /** The real command line on the process's streams and environment. */
    public KubenexusScheduler(ServiceFactory serviceFactory, DemoRunner demoRunner) {
        this(serviceFactory, demoRunner, System.out, System.err, ShutdownSignal.jvm(SHUTDOWN_GRACE_SECONDS), System.getenv());
    }

    KubenexusScheduler(ServiceFactory serviceFactory, DemoRunner demoRunner, PrintStream out, PrintStream err,
                       ShutdownSignal shutdown, Map<String, String> env) {
        this.serviceFactory = Objects.requireNonNull(serviceFactory, "serviceFactory");
        this.demoRunner = Objects.requireNonNull(demoRunner, "demoRunner");
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
        this.shutdown = Objects.requireNonNull(shutdown, "shutdown");
        this.env = Map.copyOf(env);
    }

    public static void main(String[] args) {
        // Resolved when a command runs, not here: --help and --version must work whatever the
        // wiring needs, and the demo's wiring must not be built for `run`.
        ServiceFactory services = (config, client) -> Wiring.serviceFactory().create(config, client);
        DemoRunner demo = new DemoRunner() {
            @Override
            public DemoSummary run(DemoOptions options, PrintStream progress) {
                return Wiring.demoRunner().run(options, progress);
            }

            @Override
            public DemoSummary run(DemoOptions options, PrintStream progress, Settled settled) throws InterruptedException {
                return Wiring.demoRunner().run(options, progress, settled);
            }
        };
        System.exit(new KubenexusScheduler(services, demo).execute(args));
    }

    /** Parses {@code args}, runs the command and returns its exit code. */
    public int execute(String... args) {
        int code = commandLine().execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The picocli command tree, with this instance's streams and error handling. */
    public CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(this)
                .addSubcommand("run", new RunCommand())
                .addSubcommand("demo", new DemoCommand())
                .addSubcommand("explain", new ExplainCommand())
                .addSubcommand("check-config", new CheckConfigCommand())
                .addSubcommand("simulate", new SimulateCommand(out, err, env));
        commandLine.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        commandLine.setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        commandLine.setParameterExceptionHandler(KubenexusScheduler::usageError);
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            cmd.getErr().println("error: " + describe(e));
            return EXIT_FAILURE;
        });
        return commandLine;
    }

    /** Without a subcommand there is nothing to do: say what there is. */
    @Override
    public Integer call() {
        err.println("error: missing command: run, demo, explain, check-config or simulate");
        err.println();
        spec.commandLine().usage(err);
        return EXIT_USAGE;
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("error: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return EXIT_USAGE;
    }

    /** Messages of the exception and its causes, without repeats: enough to act on, no stack trace. */
    static String describe(Throwable failure) {
        Set<String> messages = new LinkedHashSet<>();
        for (Throwable t = failure; t != null && messages.size() < 4; t = t.getCause()) {
            String message = t.getMessage();
            if (t.getCause() != null && t.getCause().toString().equals(message)) {
                continue; // new SomeException(cause): the message is just the cause again
            }
            String text = message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
            if (messages.stream().noneMatch(seen -> seen.contains(text))) {
                messages.add(text);
            }
        }
        return String.join(": ", messages);
    }

    @Command(name = "run",
            mixinStandardHelpOptions = true,
            versionProvider = Version.class,
            description = {
                "Schedule the pods whose spec.schedulerName names this scheduler (kubenexus-scheduler unless "
                        + "configured otherwise), until SIGTERM.",
                "The cluster is found as kubectl finds it: --kubeconfig, else $KUBECONFIG, else ~/.kube/config, "
                        + "else the pod's service account."})
    final class RunCommand implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE",
                description = "YAML configuration (docs/configuration.md); every key is optional.")
        Path config;

        @Option(names = "--kubeconfig", paramLabel = "FILE", description = "kubeconfig file to use (its current context).")
        Path kubeconfig;

        @Option(names = "--scheduler-name", paramLabel = "NAME",
                description = "Schedule pods with this spec.schedulerName; overrides schedulerName in the config.")
        String schedulerName;

        @Override
        public Integer call() {
            SchedulerConfig settings;
            KubernetesClient client;
            try {
                settings = config == null ? SchedulerConfig.defaults(env) : SchedulerConfig.load(config, env);
                if (schedulerName != null) {
                    settings = settings.withSchedulerName(schedulerName, "--scheduler-name");
                }
                client = kubernetesClient();
            } catch (ConfigException e) {
                err.println("error: " + e.getMessage());
                return EXIT_USAGE;
            }
            // From here on every line has the configured format and levels and names this replica.
            LogbackSetup.apply(settings.logging(), settings.leaderElection().identity());
            try (client) {
                // A supplier, not a {0} argument: values such as an empty map ("{}") must not be read as placeholders.
                String effective = "starting with " + settings.describe();
                LOG.log(System.Logger.Level.INFO, () -> effective);
                SchedulerService service = serviceFactory.create(settings, client);
                CompletableFuture<String> exitRequested;
                try {
                    service.start();
                    exitRequested = service.exitRequested().toCompletableFuture();
                    shutdown.await(exitRequested);
                } finally {
                    close(service);
                }
                if (exitRequested.isDone()) {
                    // The service gave up on its own (a lost Lease with onLostLease: exit): exit 1
                    // so that the kubelet restarts the container.
                    err.println("error: " + exitRequested.join());
                    return EXIT_FAILURE;
                }
                return EXIT_OK;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                err.println("error: interrupted");
                return EXIT_FAILURE;
            } catch (RuntimeException e) {
                err.println("error: " + describe(e));
                return EXIT_FAILURE;
            } finally {
                // Only now, with the service and the client closed, may the shutdown hook let the JVM end.
                shutdown.stopped();
            }
        }

        /** A failure to close is logged, not thrown: it must not hide why the service stopped. */
        private void close(SchedulerService service) {
            try {
                service.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "closing the scheduler failed: " + describe(e), e);
            }
        }

        private KubernetesClient kubernetesClient() {
            if (kubeconfig == null) {
                // fabric8's discovery, as kubectl's: KUBECONFIG, ~/.kube/config, then in-cluster.
                return new KubernetesClientBuilder().build();
            }
            if (!Files.isReadable(kubeconfig)) {
                throw new ConfigException("--kubeconfig", "cannot read " + kubeconfig
                        + (Files.exists(kubeconfig) ? "" : ": it does not exist"));
            }
            Config clientConfig;
            try {
                clientConfig = Config.fromKubeconfig(kubeconfig.toFile());
            } catch (RuntimeException e) {
                throw new ConfigException("--kubeconfig", kubeconfig + " is not a usable kubeconfig: " + describe(e), e);
            }
            return new KubernetesClientBuilder().withConfig(clientConfig).build();
        }
    }

    @Command(name = "demo",
            mixinStandardHelpOptions = true,
            versionProvider = Version.class,
            description = {
                "Run the scheduler against an embedded API server with a synthetic cluster "
                        + "(CPU and 8-GPU nodes) and a mixed workload with Spark applications, then report.",
                "Needs no cluster. Exits 1 if any node was given more than its allocatable, a pod or gang that fits "
                        + "was left pending, a Spark driver was bound without room for its executors, a pod was bound "
                        + "more than once or a reservation was left behind."})
    final class DemoCommand implements Callable<Integer> {
        @Option(names = "--nodes", paramLabel = "N", defaultValue = "" + DemoOptions.DEFAULT_NODES,
                description = "Synthetic nodes, about 20%% of them GPU nodes (default: ${DEFAULT-VALUE}).")
        int nodes;

        @Option(names = "--pods", paramLabel = "N", defaultValue = "" + DemoOptions.DEFAULT_PODS,
                description = "Pods to create (default: ${DEFAULT-VALUE}).")
        int pods;

        @Option(names = "--spark-apps", paramLabel = "N", defaultValue = "" + DemoOptions.DEFAULT_SPARK_APPS,
                description = "Spark applications (SparkApplication, driver, then executors) submitted among the pods, "
                        + "each a gang of its driver and executors (default: ${DEFAULT-VALUE}).")
        int sparkApps;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "" + DemoOptions.DEFAULT_SEED,
                description = "Seed of the cluster and the workload; equal seeds give equal demos (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--json", description = "Print the summary as one JSON object on stdout; progress goes to stderr.")
        boolean json;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "120s", converter = DurationConverter.class,
                description = "How long to wait for the pods, e.g. 90s or 5m (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Option(names = "--chaos", description = "Inject faults into the scheduler's API requests (failed, conflicting, "
                + "throttled and timed-out binds, failed status and Event writes, watches cut or answered 410 Gone, "
                + "slow answers) at the default rates of docs/chaos.md, seeded with --seed; the summary counts them.")
        boolean chaos;

        @Option(names = "--chaos-rates", paramLabel = "KIND=RATE[,KIND=RATE...]",
                description = "With --chaos: override rates, e.g. bind-conflict=0.2,watch-gone=0. Kinds: "
                        + "bind-error, bind-conflict, bind-throttled, bind-timeout-applied, bind-timeout-lost, "
                        + "status-write-error, event-write-error, watch-closed, watch-gone, slow-response.")
        String chaosRates;

        @Option(names = "--failover", description = "Run two replicas with leader election and cut the leader off "
                + "the API (as a killed process) once a third of the pods are bound; the standby takes over when "
                + "the Lease expires. The checks are the same.")
        boolean failover;

        @Option(names = "--extender", description = "Extender mode: the workload keeps schedulerName "
                + "default-scheduler, and a simulated kube-scheduler places every pod by calling this scheduler's "
                + "/extender/filter, /prioritize and /bind over HTTP; the checks are the same (docs/extender.md).")
        boolean extender;

        @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "0",
                description = "Loopback port of the scheduler's HTTP endpoints (/metrics, /readyz, /debug/explain, "
                        + "/extender); 0 takes a free one and the URL is printed (default: ${DEFAULT-VALUE}).")
        int httpPort;

        @Option(names = "--serve", description = "After the summary, keep the embedded API and the scheduler running "
                + "(its HTTP endpoints for curl) until Ctrl-C.")
        boolean serve;

        @Override
        public Integer call() {
            DemoOptions options;
            try {
                options = new DemoOptions(nodes, pods, sparkApps, seed, timeout, json,
                        DemoOptions.faults(chaos, chaosRates, seed), failover, httpPort, extender);
            } catch (IllegalArgumentException e) {
                err.println("error: " + e.getMessage());
                return EXIT_USAGE;
            }
            DemoSummary summary;
            PrintStream processOut = System.out;
            try {
                if (json) {
                    // Anything a library prints to System.out would corrupt the JSON; send it to stderr.
                    System.setOut(err);
                }
                PrintStream progress = json ? err : out;
                DemoRunner.Settled settled = !serve ? DemoRunner.Settled.NONE : (result, url) -> {
                    print(result);
                    progress.println("demo: serving until Ctrl-C: the scheduler on " + url + " (try " + url
                            + "/readyz, " + url + "/metrics, " + url + "/debug/gangs)");
                    progress.flush();
                    shutdown.await();
                };
                summary = demoRunner.run(options, progress, settled);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                err.println("error: interrupted");
                return EXIT_FAILURE;
            } catch (RuntimeException e) {
                err.println("error: demo failed: " + describe(e));
                return EXIT_FAILURE;
            } finally {
                System.setOut(processOut);
                if (serve) {
                    shutdown.stopped();
                }
            }
            if (!serve) {
                print(summary);
            }
            return verdict(summary);
        }

        private void print(DemoSummary summary) {
            if (json) {
                out.println(summary.toJson());
            } else {
                out.print(summary.toHumanReadable());
            }
            out.flush();
        }

        private int verdict(DemoSummary summary) {
            if (summary.failed()) {
                err.println("error: the demo found defects: " + summary.capacityViolations()
                        + " over-committed node(s), " + summary.podsPendingThatFit() + " missed pod(s), "
                        + summary.cacheMismatches() + " cache/API mismatch(es), " + summary.spark().partial()
                        + " partial gang(s), " + summary.podsBoundMoreThanOnce() + " pod(s) bound more than once, "
                        + summary.spark().reservationsLeft() + " reservation(s) leaked, "
                        + summary.http().explainMismatches() + " /debug/explain answer(s) unlike the PodScheduled "
                        + "condition, " + summary.extender().failures() + " extender call(s) not answered 200"
                        + (summary.http().checked() && summary.http().readyStatus() != 200
                        ? ", /readyz answered " + summary.http().readyStatus() : ""));
                return EXIT_FAILURE;
            }
            return EXIT_OK;
        }
    }

    @Command(name = "check-config",
            mixinStandardHelpOptions = true,
            versionProvider = Version.class,
            description = {
                "Validate a configuration file exactly as 'run --config FILE' would, with the same messages naming "
                        + "the key, without contacting a cluster.",
                "Exits 0 when the file is good and 2 when it is not (like 'promtool check config')."})
    final class CheckConfigCommand implements Callable<Integer> {
        @CommandLine.Parameters(paramLabel = "FILE", description = "The YAML configuration (docs/configuration.md).")
        Path file;

        @Option(names = "--print", description = "Also print every key with its effective value (defaults filled in).")
        boolean print;

        @Override
        public Integer call() {
            SchedulerConfig settings;
            try {
                settings = SchedulerConfig.load(file, env);
            } catch (ConfigException e) {
                err.println("error: " + e.getMessage());
                return EXIT_USAGE;
            }
            out.println(file + ": valid");
            if (print) {
                settings.describe().forEach((key, value) -> out.println("  " + key + ": " + value));
            }
            return EXIT_OK;
        }
    }

    @Command(name = "explain",
            mixinStandardHelpOptions = true,
            versionProvider = Version.class,
            description = {
                "Say why a pod (or its gang) is pending, as the running scheduler sees it now: the reason it was "
                        + "given (its PodScheduled condition), how many nodes refuse it for each reason, and for a gang "
                        + "member its group's members, best plan and reserved places.",
                "Reads the scheduler's /debug/explain; reach a scheduler in a cluster with e.g. "
                        + "'kubectl -n kube-system port-forward deploy/kubenexus-scheduler 8080'."})
    final class ExplainCommand implements Callable<Integer> {
        @CommandLine.Parameters(paramLabel = "NAMESPACE/POD", description = "The pod, e.g. spark-jobs/spark-pi-driver.")
        String pod;

        @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
                description = "The scheduler's HTTP server (default: ${DEFAULT-VALUE}).")
        String url;

        @Option(names = "--json", description = "Print the scheduler's JSON answer as it is.")
        boolean json;

        @Override
        public Integer call() {
            int slash = pod.indexOf('/');
            if (slash <= 0 || slash == pod.length() - 1 || pod.indexOf('/', slash + 1) >= 0) {
                err.println("error: NAMESPACE/POD: expected a namespace and a pod name separated by '/', was '" + pod + "'");
                return EXIT_USAGE;
            }
            String namespace = pod.substring(0, slash);
            String name = pod.substring(slash + 1);
            URI uri;
            try {
                uri = URI.create(url.replaceAll("/+$", "") + "/debug/explain?namespace="
                        + URLEncoder.encode(namespace, StandardCharsets.UTF_8) + "&name="
                        + URLEncoder.encode(name, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                err.println("error: --url: not a URL '" + url + "'");
                return EXIT_USAGE;
            }
            HttpResponse<String> response;
            try {
                response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException | IllegalArgumentException e) {
                err.println("error: cannot reach the scheduler at " + url + ": " + describe(e));
                return EXIT_FAILURE;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                err.println("error: interrupted");
                return EXIT_FAILURE;
            }
            JsonNode body;
            try {
                body = new ObjectMapper().readTree(response.body());
            } catch (IOException e) {
                err.println("error: " + url + " answered " + response.statusCode() + " with something other than JSON"
                        + " (is it kubenexus-scheduler's HTTP port?)");
                return EXIT_FAILURE;
            }
            if (response.statusCode() == 404 && body.path("error").asText().startsWith("no such endpoint")) {
                err.println("error: " + url + " serves no /debug/explain (is it kubenexus-scheduler's HTTP port, "
                        + "http.port?)");
                return EXIT_FAILURE;
            }
            if (response.statusCode() == 404) {
                err.println("error: the scheduler knows no pod " + pod + " (not created yet, already gone, or neither "
                        + "pending for this scheduler nor bound)");
                return EXIT_FAILURE;
            }
            if (response.statusCode() != 200) {
                err.println("error: the scheduler answered " + response.statusCode() + ": " + body.path("error").asText());
                return EXIT_FAILURE;
            }
            out.print(json ? body.toPrettyString() + System.lineSeparator() : PodExplanationText.render(body));
            return EXIT_OK;
        }
    }

    /** Durations as Kubernetes writes them: 500ms, 90s, 5m, 1m30s. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return GoDuration.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** The version from the jar manifest (set when packaged), else "development build". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = KubenexusScheduler.class.getPackage().getImplementationVersion();
            return new String[] {
                "kubenexus-scheduler " + (version == null ? "(development build)" : version),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ")"
            };
        }
    }
}
