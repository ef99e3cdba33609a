package io.kubenexus.scheduler.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.config.GpuFragmentationSettings;
import io.kubenexus.scheduler.core.config.ScoringStrategy;
import io.kubenexus.scheduler.kube.leader.LostLeasePolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SchedulerConfigTest {
    private static final Map<String, String> ENV = Map.of("POD_NAMESPACE", "scheduling", "HOSTNAME", "kubenexus-7d9f-abcde");
    private static final String SOURCE = "config.yaml";

    /** The example of docs/configuration.md, every key set. */
    static final String FULL_EXAMPLE = """
            schedulerName: gpu-scheduler
            scoring:
              strategy: MostAllocated
              resourceWeights: {cpu: 1, memory: 1, nvidia.com/gpu: 3}
              pluginWeights: {NodeResourcesFit: 2, TaintToleration: 3, NodeAffinity: 0}
            percentageOfNodesToScore: 50
            backoff: {initial: 500ms, max: 20s, maxInUnschedulable: 2m}
            leaderElection:
              enabled: true
              namespace: scheduling-system
              leaseName: gpu-scheduler
              identity: replica-a
              leaseDuration: 30s
              renewDeadline: 20s
              retryPeriod: 4s
            binding: {parallelism: 64}
            events: {aggregationInterval: 1m}
            """;

    static Stream<Arguments> validConfigs() {
        return Stream.of(
                valid("empty file gives the defaults", "", config -> assertDefaults(config)),
                valid("only comments gives the defaults", "# nothing set yet\n\n", config -> assertDefaults(config)),
                valid("explicit null document gives the defaults", "~\n", config -> assertDefaults(config)),
                valid("empty sections give their defaults", "scoring:\nbackoff: {}\nleaderElection: {}\nbinding:\nevents: {}\n",
                        config -> assertDefaults(config)),
                valid("every key set", FULL_EXAMPLE, config -> {
                    SchedulerSettings s = config.settings();
                    assertThat(s.schedulerName()).isEqualTo("gpu-scheduler");
                    assertThat(s.scoringStrategy()).isEqualTo(ScoringStrategy.MOST_ALLOCATED);
                    assertThat(s.resourceWeights()).isEqualTo(Map.of("cpu", 1, "memory", 1, "nvidia.com/gpu", 3));
                    assertThat(s.pluginWeights()).isEqualTo(Map.of("NodeResourcesFit", 2, "TaintToleration", 3, "NodeAffinity", 0));
                    assertThat(s.percentageOfNodesToScore()).isEqualTo(50);
                    assertThat(s.podInitialBackoff()).isEqualTo(Duration.ofMillis(500));
                    assertThat(s.podMaxBackoff()).isEqualTo(Duration.ofSeconds(20));
                    assertThat(s.podMaxInUnschedulablePods()).isEqualTo(Duration.ofMinutes(2));
                    assertThat(config.leaderElection()).isEqualTo(new LeaderElectionConfig(true, "scheduling-system",
                            "gpu-scheduler", "replica-a", Duration.ofSeconds(30), Duration.ofSeconds(20), Duration.ofSeconds(4)));
                    assertThat(config.binding().parallelism()).isEqualTo(64);
                    assertThat(config.events().aggregationInterval()).isEqualTo(Duration.ofMinutes(1));
                }),
                valid("the HTTP server can be switched off", "http: {port: 0}\n",
                        config -> assertThat(config.http().enabled()).isFalse()),
                valid("HTTP keys", "http: {port: 9443, bindAddress: 127.0.0.1, extenderPrefix: /kubenexus/v1, maxBodyBytes: 1048576}\n"
                        + "extender: {bindHoldLimit: 5s}\nmetrics: {nodePoolLabel: cloud.google.com/gke-nodepool, maxNodePools: 8}\n",
                        config -> {
                            assertThat(config.http()).isEqualTo(new HttpConfig(9443, "127.0.0.1", "/kubenexus/v1", null, 1048576));
                            assertThat(config.extender().bindHoldLimit()).isEqualTo(Duration.ofSeconds(5));
                            assertThat(config.metrics()).isEqualTo(new MetricsConfig("cloud.google.com/gke-nodepool", 8));
                        }),
                valid("the cluster page is off unless asked for", "http: {clusterPage: true}\n", config -> {
                    assertThat(config.http().clusterPage()).isTrue();
                    assertThat(SchedulerConfig.defaults(Map.of()).http().clusterPage()).isFalse();
                }),
                valid("empty TLS file names mean plain HTTP", "http: {tls: {certFile: '', keyFile: ''}}\n",
                        config -> assertThat(config.http().tls()).isNull()),
                valid("GPU fragmentation keys", "scoring:\n  pluginWeights: {GpuFragmentation: 50}\n"
                        + "  gpuFragmentation: {modelLabel: example.com/gpu-model, window: 200, maxShapes: 16}\n", config -> {
                    assertThat(config.settings().pluginWeights()).isEqualTo(Map.of("GpuFragmentation", 50));
                    assertThat(config.settings().gpuFragmentation())
                            .isEqualTo(new GpuFragmentationSettings("example.com/gpu-model", 200, 16));
                }),
                valid("a partial GPU fragmentation section keeps the other defaults", "scoring: {gpuFragmentation: {window: 50}}\n",
                        config -> assertThat(config.settings().gpuFragmentation()).isEqualTo(new GpuFragmentationSettings(
                                GpuFragmentationSettings.DEFAULT_MODEL_LABEL, 50, GpuFragmentationSettings.DEFAULT_MAX_SHAPES))),
                valid("LeastAllocated spelled out", "scoring: {strategy: LeastAllocated}\n",
                        config -> assertThat(config.settings().scoringStrategy()).isEqualTo(ScoringStrategy.LEAST_ALLOCATED)),
                valid("resource weights replace the default set", "scoring:\n  resourceWeights:\n    nvidia.com/gpu: 5\n",
                        config -> assertThat(config.settings().resourceWeights()).isEqualTo(Map.of("nvidia.com/gpu", 5))),
                valid("hugepages and ephemeral-storage are resources", "scoring: {resourceWeights: {hugepages-2Mi: 1, ephemeral-storage: 2}}\n",
                        config -> assertThat(config.settings().resourceWeights()).containsOnlyKeys("hugepages-2Mi", "ephemeral-storage")),
                valid("a partial section keeps the other defaults", "backoff: {initial: 2s}\nleaderElection: {retryPeriod: 1s}\n", config -> {
                    assertThat(config.settings().podInitialBackoff()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(config.settings().podMaxBackoff()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(config.leaderElection().retryPeriod()).isEqualTo(Duration.ofSeconds(1));
                    assertThat(config.leaderElection().leaseDuration()).isEqualTo(Duration.ofSeconds(15));
                }),
                valid("compound durations", "backoff: {initial: 1.5s, max: 1m30s, maxInUnschedulable: 1h}\n", config -> {
                    assertThat(config.settings().podInitialBackoff()).isEqualTo(Duration.ofMillis(1500));
                    assertThat(config.settings().podMaxBackoff()).isEqualTo(Duration.ofSeconds(90));
                    assertThat(config.settings().podMaxInUnschedulablePods()).isEqualTo(Duration.ofHours(1));
                }),
                valid("a lost Lease can make the process exit", "leaderElection: {onLostLease: exit}\n",
                        config -> assertThat(config.leaderElection().onLostLease()).isEqualTo(LostLeasePolicy.EXIT)),
                valid("standing by after a lost Lease spelled out", "leaderElection: {onLostLease: standby}\n",
                        config -> assertThat(config.leaderElection().onLostLease()).isEqualTo(LostLeasePolicy.STANDBY)),
                valid("leader election can be switched off", "leaderElection: {enabled: false}\n",
                        config -> assertThat(config.leaderElection().enabled()).isFalse()),
                valid("quoted numbers are numbers", "percentageOfNodesToScore: \"40\"\n",
                        config -> assertThat(config.settings().percentageOfNodesToScore()).isEqualTo(40)),
                valid("renewDeadline just above 2.2 x retryPeriod", "leaderElection: {retryPeriod: 1s, renewDeadline: 2201ms, leaseDuration: 3s}\n",
                        config -> assertThat(config.leaderElection().renewDeadline()).isEqualTo(Duration.ofMillis(2201))),
                valid("empty namespace and identity take their defaults", "leaderElection: {namespace: '', identity: ''}\n", config -> {
                    assertThat(config.leaderElection().namespace()).isEqualTo("scheduling");
                    assertThat(config.leaderElection().identity()).startsWith("kubenexus-7d9f-abcde_");
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validConfigs")
    void acceptsValidConfigs(String yaml, Consumer<SchedulerConfig> expectations) {
        expectations.accept(SchedulerConfig.parse(yaml, SOURCE, ENV));
    }

    static Stream<Arguments> unknownKeys() {
        return Stream.of(
                invalid("top-level typo", "schedulerNam: x\n",
                        "unknown key 'schedulerNam' (known: schedulerName, scoring, percentageOfNodesToScore, backoff, "
                                + "leaderElection, binding, events, gang, numa, preemption, http, extender, metrics, logging, interPodAffinity, "
                                + "topologySpread)"),
                invalid("scoring typo", "scoring:\n  strategi: MostAllocated\n",
                        "unknown key 'scoring.strategi' (known: strategy, resourceWeights, pluginWeights, gpuFragmentation)"),
                invalid("backoff typo", "backoff: {intial: 1s}\n",
                        "unknown key 'backoff.intial' (known: initial, max, maxInUnschedulable)"),
                invalid("leader election typo", "leaderElection:\n  leaseDurationSeconds: 15\n",
                        "unknown key 'leaderElection.leaseDurationSeconds' (known: enabled, namespace, leaseName, identity, "
                                + "leaseDuration, renewDeadline, retryPeriod, onLostLease)"),
                invalid("binding typo", "binding: {paralelism: 4}\n", "unknown key 'binding.paralelism' (known: parallelism)"),
                invalid("events typo", "events: {interval: 30s}\n", "unknown key 'events.interval' (known: aggregationInterval)"),
                invalid("gang typo", "gang: {reservationTTL: 5m}\n", "unknown key 'gang.reservationTTL' (known: reservationTtl, starvation)"),
                invalid("numa typo", "numa: {zoneScore: pack}\n", "unknown key 'numa.zoneScore' (known: enabled, zoneScoring, weight)"),
                invalid("snake case is not accepted", "scheduler_name: x\n",
                        "unknown key 'scheduler_name' (known: schedulerName, scoring, percentageOfNodesToScore, backoff, "
                                + "leaderElection, binding, events, gang, numa, preemption, http, extender, metrics, logging, interPodAffinity, "
                                + "topologySpread)"),
                invalid("http typo", "http: {listenPort: 9090}\n",
                        "unknown key 'http.listenPort' (known: port, bindAddress, extenderPrefix, tls, maxBodyBytes, clusterPage)"),
                invalid("tls typo", "http: {tls: {cert: a.pem}}\n", "unknown key 'http.tls.cert' (known: certFile, keyFile)"),
                invalid("extender typo", "extender: {holdLimit: 10s}\n", "unknown key 'extender.holdLimit' (known: bindHoldLimit)"),
                invalid("metrics typo", "metrics: {poolLabel: pool}\n",
                        "unknown key 'metrics.poolLabel' (known: nodePoolLabel, maxNodePools)"),
                invalid("misspelled plugin", "scoring:\n  pluginWeights: {NodeAfinity: 2}\n",
                        "scoring.pluginWeights: unknown plugin 'NodeAfinity' (known: TaintToleration, NodeAffinity, NodeResourcesFit, PodTopologySpread, InterPodAffinity, GpuFragmentation)"),
                invalid("unknown spread defaulting", "topologySpread: {defaultingType: Sytem}\n",
                        "topologySpread.defaultingType: unknown value 'Sytem' (None, System or List)"),
                invalid("default constraint with maxSkew 0",
                        "topologySpread:\n  defaultingType: List\n  defaultConstraints:\n"
                                + "    - {maxSkew: 0, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}\n",
                        "topologySpread.defaultConstraints[0].maxSkew: must be at least 1, was 0"),
                invalid("default constraint with a bad policy",
                        "topologySpread:\n  defaultingType: List\n  defaultConstraints:\n"
                                + "    - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: ScheduleAnyway, nodeTaintsPolicy: honor}\n",
                        "topologySpread.defaultConstraints[0].nodeTaintsPolicy: unknown node inclusion policy \"honor\" (Honor or Ignore)"),
                invalid("default constraints without List", "topologySpread: {defaultConstraints: [{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}]}\n",
                        "topologySpread.defaultConstraints: only with defaultingType List, was NONE"),
                invalid("hard affinity weight out of range", "interPodAffinity: {hardPodAffinityWeight: 101}\n",
                        "interPodAffinity.hardPodAffinityWeight: must be 0..100, was 101"),
                invalid("GPU fragmentation typo", "scoring: {gpuFragmentation: {windw: 10}}\n",
                        "unknown key 'scoring.gpuFragmentation.windw' (known: modelLabel, window, maxShapes)"),
                invalid("misspelled resource", "scoring: {resourceWeights: {mem: 1}}\n",
                        "scoring.resourceWeights: unknown resource 'mem' (use cpu, memory, ephemeral-storage, hugepages-<size>, "
                                + "or an extended resource such as nvidia.com/gpu)"));
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                invalid("unknown strategy", "scoring: {strategy: Fastest}\n",
                        "scoring.strategy: unknown value 'Fastest' (expected LeastAllocated or MostAllocated)"),
                invalid("strategy in the wrong case", "scoring: {strategy: mostallocated}\n",
                        "scoring.strategy: unknown value 'mostallocated' (expected LeastAllocated or MostAllocated)"),
                invalid("malformed duration", "backoff: {initial: 1x}\n",
                        "backoff.initial: not a duration '1x' (use e.g. 500ms, 1s, 2m)"),
                invalid("duration without unit", "backoff: {max: 10}\n",
                        "backoff.max: not a duration '10' (use e.g. 500ms, 1s, 2m)"),
                invalid("ISO duration", "events: {aggregationInterval: PT30S}\n",
                        "events.aggregationInterval: not a duration 'PT30S' (use e.g. 500ms, 1s, 2m)"),
                invalid("bad leader election duration", "leaderElection: {retryPeriod: 2 seconds}\n",
                        "leaderElection.retryPeriod: not a duration '2 seconds' (use e.g. 500ms, 1s, 2m)"),
                invalid("percentage zero", "percentageOfNodesToScore: 0\n", "percentageOfNodesToScore: must be 1..100, was 0"),
                invalid("GPU fragmentation window zero", "scoring: {gpuFragmentation: {window: 0}}\n",
                        "scoring.gpuFragmentation.window: must be 1..1000000, was 0"),
                invalid("too many GPU shapes", "scoring: {gpuFragmentation: {maxShapes: 5000}}\n",
                        "scoring.gpuFragmentation.maxShapes: must be 1..1024, was 5000"),
                invalid("empty model label", "scoring: {gpuFragmentation: {modelLabel: ''}}\n",
                        "scoring.gpuFragmentation.modelLabel: must not be empty"),
                invalid("GPU fragmentation weight above 100", "scoring: {pluginWeights: {GpuFragmentation: 101}}\n",
                        "scoring.pluginWeights.GpuFragmentation: must be 0..100, was 101"),
                invalid("percentage above 100", "percentageOfNodesToScore: 101\n", "percentageOfNodesToScore: must be 1..100, was 101"),
                invalid("percentage not a number", "percentageOfNodesToScore: all\n",
                        "percentageOfNodesToScore: expected a whole number, was 'all'"),
                invalid("percentage fractional", "percentageOfNodesToScore: 50.5\n",
                        "percentageOfNodesToScore: expected a whole number, was '50.5'"),
                invalid("empty scheduler name", "schedulerName: ''\n", "schedulerName: must not be empty"),
                invalid("scheduler name as a list", "schedulerName: [a, b]\n", "schedulerName: expected a single value"),
                invalid("scoring not a mapping", "scoring: 5\n", "scoring: expected a mapping of keys to values"),
                invalid("no resource weights", "scoring: {resourceWeights: {}}\n", "scoring.resourceWeights: must name at least one resource"),
                invalid("resource weight zero", "scoring: {resourceWeights: {cpu: 0}}\n", "scoring.resourceWeights.cpu: must be 1..100, was 0"),
                invalid("resource weight not a number", "scoring: {resourceWeights: {cpu: heavy}}\n",
                        "scoring.resourceWeights.cpu: expected a whole number, was 'heavy'"),
                invalid("plugin weight too high", "scoring: {pluginWeights: {NodeAffinity: 101}}\n",
                        "scoring.pluginWeights.NodeAffinity: must be 0..100, was 101"),
                invalid("zero backoff", "backoff: {initial: 0s}\n", "backoff.initial: must be a positive duration, was PT0S"),
                invalid("max backoff below initial", "backoff: {initial: 5s, max: 2s}\n",
                        "backoff.max: must be at least backoff.initial (PT5S), was PT2S"),
                invalid("unknown lost-lease policy", "leaderElection: {onLostLease: restart}\n",
                        "leaderElection.onLostLease: unknown value 'restart' (expected standby or exit)"),
                invalid("lost-lease policy in the wrong case", "leaderElection: {onLostLease: Exit}\n",
                        "leaderElection.onLostLease: unknown value 'Exit' (expected standby or exit)"),
                invalid("enabled not a boolean", "leaderElection: {enabled: maybe}\n",
                        "leaderElection.enabled: expected true or false, was 'maybe'"),
                invalid("lease not longer than renew deadline", "leaderElection: {leaseDuration: 10s, renewDeadline: 10s}\n",
                        "leaderElection.leaseDuration: must be longer than leaderElection.renewDeadline (10s), was 10s"),
                invalid("renew deadline within retry jitter", "leaderElection: {renewDeadline: 4s, retryPeriod: 2s}\n",
                        "leaderElection.renewDeadline: must be longer than 2.2 x leaderElection.retryPeriod (4.4s for retryPeriod 2s, "
                                + "to leave room for retry jitter), was 4s"),
                invalid("renew deadline exactly at the jitter bound", "leaderElection: {renewDeadline: 2200ms, retryPeriod: 1s, leaseDuration: 3s}\n",
                        "leaderElection.renewDeadline: must be longer than 2.2 x leaderElection.retryPeriod (2.2s for retryPeriod 1s, "
                                + "to leave room for retry jitter), was 2.2s"),
                invalid("zero retry period", "leaderElection: {retryPeriod: 0s}\n", "leaderElection.retryPeriod: must be at least 1ms, was 0s"),
                invalid("negative lease", "leaderElection: {leaseDuration: -15s}\n", "leaderElection.leaseDuration: must be at least 1ms, was -15s"),
                invalid("namespace not a DNS label", "leaderElection: {namespace: Kube_System}\n",
                        "leaderElection.namespace: not a valid namespace name 'Kube_System' (lower-case letters, digits and '-', at most 63)"),
                invalid("lease name not a DNS subdomain", "leaderElection: {leaseName: 'my lease'}\n",
                        "leaderElection.leaseName: not a valid object name 'my lease' (lower-case letters, digits, '-' and '.', at most 253)"),
                invalid("unknown zone scoring", "numa: {zoneScoring: fill}\n",
                        "numa.zoneScoring: unknown zone scoring 'fill', expected one of pack, spread"),
                invalid("NUMA weight too high", "numa: {weight: 101}\n", "numa.weight: must be 0..100, was 101"),
                invalid("NUMA enabled not a boolean", "numa: {enabled: sometimes}\n",
                        "numa.enabled: expected true or false, was 'sometimes'"),
                invalid("nomination timeout not a duration", "preemption: {nominationTimeout: soon}\n",
                        "preemption.nominationTimeout: not a duration 'soon' (use e.g. 500ms, 1s, 2m)"),
                invalid("nomination timeout zero", "preemption: {nominationTimeout: 0}\n",
                        "preemption.nominationTimeout: must be a positive duration, was PT0S"),
                invalid("preemption enabled not a boolean", "preemption: {enabled: maybe}\n",
                        "preemption.enabled: expected true or false, was 'maybe'"),
                invalid("http port out of range", "http: {port: 70000}\n",
                        "http.port: must be 0..65535 (0 = no HTTP server), was 70000"),
                invalid("http port not a number", "http: {port: http}\n", "http.port: expected a whole number, was 'http'"),
                invalid("empty bind address", "http: {bindAddress: ''}\n",
                        "http.bindAddress: must not be empty (0.0.0.0 listens on every interface)"),
                invalid("extender prefix without a slash", "http: {extenderPrefix: extender}\n",
                        "http.extenderPrefix: must be a path such as /extender (segments of letters, digits, '.', '_', '~' or '-', "
                                + "no trailing /), was 'extender'"),
                invalid("extender prefix with a trailing slash", "http: {extenderPrefix: /extender/}\n",
                        "http.extenderPrefix: must be a path such as /extender (segments of letters, digits, '.', '_', '~' or '-', "
                                + "no trailing /), was '/extender/'"),
                invalid("extender prefix taken by metrics", "http: {extenderPrefix: /metrics}\n",
                        "http.extenderPrefix: '/metrics' is taken by another endpoint (/metrics, /healthz, /livez, /readyz, /debug, /api/cluster)"),
                invalid("extender prefix taken by the cluster page", "http: {extenderPrefix: /api/cluster}\n",
                        "http.extenderPrefix: '/api/cluster' is taken by another endpoint (/metrics, /healthz, /livez, /readyz, /debug, /api/cluster)"),
                invalid("cluster page not a boolean", "http: {clusterPage: 'on'}\n",
                        "http.clusterPage: expected true or false, was 'on'"),
                invalid("cluster page without a server", "http: {port: 0, clusterPage: true}\n",
                        "http.clusterPage: needs the HTTP server, but http.port is 0 (no server)"),
                invalid("tiny body limit", "http: {maxBodyBytes: 10}\n", "http.maxBodyBytes: must be at least 1024, was 10"),
                invalid("only a certificate", "http: {tls: {certFile: /etc/tls/tls.crt}}\n",
                        "http.tls: set both certFile and keyFile (PEM), or neither for plain HTTP"),
                invalid("a certificate that is not there", "http: {tls: {certFile: /nonexistent/tls.crt, keyFile: /nonexistent/tls.key}}\n",
                        "http.tls.certFile: cannot read /nonexistent/tls.crt: it does not exist"),
                invalid("zero hold limit", "extender: {bindHoldLimit: 0s}\n", "extender.bindHoldLimit: must be positive, was PT0S"),
                invalid("hold limit without a unit", "extender: {bindHoldLimit: 20}\n",
                        "extender.bindHoldLimit: not a duration '20' (use e.g. 500ms, 1s, 2m)"),
                invalid("pool label not a label key", "metrics: {nodePoolLabel: 'node pool'}\n",
                        "metrics.nodePoolLabel: not a label key 'node pool' (e.g. node.kubernetes.io/instance-type or "
                                + "cloud.google.com/gke-nodepool)"),
                invalid("no pools at all", "metrics: {maxNodePools: 0}\n", "metrics.maxNodePools: must be 1..1000, was 0"),
                invalid("parallelism zero", "binding: {parallelism: 0}\n", "binding.parallelism: must be 1..256, was 0"),
                invalid("parallelism too high", "binding: {parallelism: 257}\n", "binding.parallelism: must be 1..256, was 257"),
                invalid("zero aggregation interval", "events: {aggregationInterval: 0}\n",
                        "events.aggregationInterval: must be a positive duration, was 0s"),
                invalid("a list instead of a mapping", "- schedulerName: x\n",
                        "the file must be a mapping of keys to values (see docs/configuration.md)"),
                invalid("a key given twice", "schedulerName: a\nschedulerName: b\n",
                        "line 2, column 14: not valid YAML: Duplicate field 'schedulerName'"),
                invalid("broken YAML", "scoring: {strategy: MostAllocated\n",
                        "line 2, column 1: not valid YAML: expected ',' or '}', but got <stream end> "
                                + "(while parsing a flow mapping at line 1, column 10)"),
                invalid("tab indentation", "scoring:\n\tstrategy: MostAllocated\n",
                        "line 2, column 1: not valid YAML: found character '\\t(TAB)' that cannot start any token. "
                                + "(Do not use \\t(TAB) for indentation) (while scanning for the next token)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"unknownKeys", "badValues"})
    void rejectsMistakesNamingTheKey(String yaml, String detail) {
        assertThatThrownBy(() -> SchedulerConfig.parse(yaml, SOURCE, ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessage(SOURCE + ": " + detail)
                .satisfies(e -> {
                    assertThat(((ConfigException) e).source()).isEqualTo(SOURCE);
                    assertThat(((ConfigException) e).detail()).isEqualTo(detail);
                });
    }

    @Test
    void leaderElectionDefaultsComeFromThePodEnvironment() {
        SchedulerConfig config = SchedulerConfig.parse("", SOURCE, ENV);

        assertThat(config.leaderElection().namespace()).isEqualTo("scheduling");
        assertThat(config.leaderElection().identity())
                .matches("kubenexus-7d9f-abcde_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }

    @Test
    void withoutPodNamespaceTheLeaseLivesInKubeSystem() {
        SchedulerConfig config = SchedulerConfig.parse("", SOURCE, Map.of("HOSTNAME", "h"));

        assertThat(config.leaderElection().namespace()).isEqualTo("kube-system");
    }

    @Test
    void everyReplicaGetsItsOwnDefaultIdentity() {
        assertThat(SchedulerConfig.parse("", SOURCE, ENV).leaderElection().identity())
                .isNotEqualTo(SchedulerConfig.parse("", SOURCE, ENV).leaderElection().identity());
    }

    @Test
    void defaultsMatchTheCoreDefaultsAndTheDocumentedValues() {
        assertDefaults(SchedulerConfig.defaults(ENV));
    }

    @Test
    void schedulerNameCanBeOverriddenAndIsStillValidated() {
        SchedulerConfig config = SchedulerConfig.parse(FULL_EXAMPLE, SOURCE, ENV);

        SchedulerConfig renamed = config.withSchedulerName("other", "--scheduler-name");
        assertThat(renamed.schedulerName()).isEqualTo("other");
        assertThat(renamed.settings().scoringStrategy()).isEqualTo(ScoringStrategy.MOST_ALLOCATED);
        assertThatThrownBy(() -> config.withSchedulerName(" ", "--scheduler-name"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--scheduler-name: schedulerName: must not be empty");
    }

    @Test
    void loadReadsAFileAndNamesItInErrors(@TempDir Path dir) throws IOException {
        Path good = Files.writeString(dir.resolve("good.yaml"), FULL_EXAMPLE);
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "scoring: {strategi: x}\n");

        assertThat(SchedulerConfig.load(good, ENV).schedulerName()).isEqualTo("gpu-scheduler");
        assertThatThrownBy(() -> SchedulerConfig.load(bad, ENV))
                .hasMessage(bad + ": unknown key 'scoring.strategi' (known: strategy, resourceWeights, pluginWeights, gpuFragmentation)");
        assertThatThrownBy(() -> SchedulerConfig.load(dir.resolve("missing.yaml"), ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("missing.yaml") + ": cannot read the file: it does not exist");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"NodeResourcesFit", "TaintToleration", "NodeAffinity"})
    void everyKnownPluginAcceptsAWeight(String plugin) {
        SchedulerConfig config = SchedulerConfig.parse("scoring: {pluginWeights: {" + plugin + ": 7}}", SOURCE, ENV);

        assertThat(config.settings().pluginWeight(plugin, 1)).isEqualTo(7);
    }

    @Test
    void describeListsEveryKeyWithItsEffectiveValue() {
        Map<String, String> described = SchedulerConfig.parse(FULL_EXAMPLE, SOURCE, ENV).describe();

        assertThat(described).containsEntry("scoring.strategy", "MostAllocated")
                .containsEntry("scoring.resourceWeights", "{cpu: 1, memory: 1, nvidia.com/gpu: 3}")
                .containsEntry("backoff.initial", "500ms")
                .containsEntry("events.aggregationInterval", "1m")
                .containsEntry("gang.reservationTtl", "5m")
                .containsEntry("numa.zoneScoring", "pack")
                .containsEntry("leaderElection.onLostLease", "standby")
                .containsEntry("http.port", "8080")
                .containsEntry("http.clusterPage", "false")
                .containsEntry("extender.bindHoldLimit", "20s")
                .containsEntry("metrics.maxNodePools", "20")
                .containsEntry("logging.format", "text")
                .containsEntry("logging.level", "{root: INFO, io.fabric8: WARN}")
                .containsEntry("gang.starvation.after", "0s")
                .hasSize(44);
    }

    @Test
    void theReservationTtlIsConfigurableAndValidated() {
        assertThat(SchedulerConfig.parse("gang: {reservationTtl: 90s}\n", SOURCE, ENV).gang().reservationTtl())
                .isEqualTo(java.time.Duration.ofSeconds(90));
        assertThatThrownBy(() -> SchedulerConfig.parse("gang: {reservationTtl: 0s}\n", SOURCE, ENV))
                .hasMessageContaining("gang.reservationTtl");
        assertThatThrownBy(() -> SchedulerConfig.parse("gang: {reservationTtl: soon}\n", SOURCE, ENV))
                .hasMessageContaining("gang.reservationTtl");
    }

    @Test
    void starvationProtectionIsConfigurablePerPriorityAndValidatedNamingTheKey() {
        SchedulerConfig config = SchedulerConfig.parse(
                "gang: {starvation: {after: 30m, afterByPriority: {\"100000\": 2m, \"-5\": 0s}}}\n", SOURCE, ENV);
        assertThat(config.gang().starvation().starvesAfter(100000)).isEqualTo(java.time.Duration.ofMinutes(2));
        assertThat(config.gang().starvation().starvesAfter(0)).as("0s from -5 up: never").isNull();
        assertThat(config.gang().starvation().starvesAfter(-5)).isNull();
        assertThat(config.gang().starvation().starvesAfter(-10)).isEqualTo(java.time.Duration.ofMinutes(30));
        assertThat(config.describe()).containsEntry("gang.starvation.afterByPriority", "{-5: 0s, 100000: 2m}");
        assertThat(SchedulerConfig.defaults(ENV).gang().starvation().enabled()).as("off by default").isFalse();

        assertThatThrownBy(() -> SchedulerConfig.parse("gang: {starvation: {after: -1m}}\n", SOURCE, ENV))
                .hasMessageContaining("gang.starvation.after");
        assertThatThrownBy(() -> SchedulerConfig.parse("gang: {starvation: {afterByPriority: {high: 2m}}}\n", SOURCE, ENV))
                .hasMessage(SOURCE + ": gang.starvation.afterByPriority: 'high' is not a priority (a whole number, as in a "
                        + "PriorityClass's value)");
        assertThatThrownBy(() -> SchedulerConfig.parse("gang: {starvation: {afterByPriority: {\"1000\": soon}}}\n", SOURCE,
                ENV)).hasMessageContaining("gang.starvation.afterByPriority.1000");
    }

    @Test
    void numaPlacementIsConfigurable() {
        SchedulerConfig config = SchedulerConfig.parse("numa: {zoneScoring: spread, weight: 5}\n", SOURCE, ENV);
        assertThat(config.numa().zoneScoring()).isEqualTo(io.kubenexus.scheduler.numa.NumaSettings.ZoneScoring.SPREAD);
        assertThat(config.numa().weight()).isEqualTo(5);
        assertThat(config.numa().enabled()).isTrue();
        assertThat(SchedulerConfig.parse("numa: {enabled: false}\n", SOURCE, ENV).numa().enabled()).isFalse();
    }

    private static void assertDefaults(SchedulerConfig config) {
        assertThat(config.settings()).isEqualTo(SchedulerSettings.defaults());
        assertThat(config.settings().scoringStrategy()).isEqualTo(ScoringStrategy.MOST_ALLOCATED);
        assertThat(config.settings().resourceWeights()).isEqualTo(Map.of("cpu", 1, "memory", 1));
        assertThat(config.settings().percentageOfNodesToScore()).isEqualTo(100);
        assertThat(config.http()).isEqualTo(new HttpConfig(8080, "0.0.0.0", "/extender", null, 128L * 1024 * 1024));
        assertThat(config.extender().bindHoldLimit()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.metrics()).isEqualTo(new MetricsConfig(null, 20));
        LeaderElectionConfig election = config.leaderElection();
        assertThat(election.enabled()).isTrue();
        assertThat(election.namespace()).isEqualTo("scheduling");
        assertThat(election.leaseName()).isEqualTo("kubenexus-scheduler");
        assertThat(election.identity()).startsWith("kubenexus-7d9f-abcde_");
        assertThat(election.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(election.renewDeadline()).isEqualTo(Duration.ofSeconds(10));
        assertThat(election.retryPeriod()).isEqualTo(Duration.ofSeconds(2));
        assertThat(election.onLostLease()).isEqualTo(LostLeasePolicy.STANDBY);
        assertThat(config.binding()).isEqualTo(new BindingConfig(16));
        assertThat(config.events()).isEqualTo(new EventsConfig(Duration.ofSeconds(30)));
    }

    private static Arguments valid(String name, String yaml, Consumer<SchedulerConfig> expectations) {
        return Arguments.of(Named.of(name, yaml), expectations);
    }

    private static Arguments invalid(String name, String yaml, String detail) {
        return Arguments.of(Named.of(name, yaml), detail);
    }
}
