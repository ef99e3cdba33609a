package io.kubenexus.scheduler.app.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kubenexus.scheduler.gang.group.GangSettings;
import io.kubenexus.scheduler.gang.group.StarvationSettings;
import io.kubenexus.scheduler.numa.NumaSettings;
import io.kubenexus.scheduler.core.config.PreemptionSettings;
import io.kubenexus.scheduler.core.config.GpuFragmentationSettings;
import io.kubenexus.scheduler.core.config.InterPodSettings;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.model.NodeInclusionPolicy;
import io.kubenexus.scheduler.core.model.TopologySpreadConstraint;
import io.kubenexus.scheduler.core.config.ScoringStrategy;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.kube.leader.LostLeasePolicy;
import java.io.IOException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The configuration of {@code kubenexus-scheduler run --config FILE}: a YAML file whose keys are
 * documented in docs/configuration.md. Every key is optional; a missing key takes its default.
 *
 * <p>Parsing is strict so that a mistake fails start-up with the key's name rather than being
 * silently ignored: an unknown key, a value of the wrong type, an unknown strategy or plugin, a
 * malformed duration and an out-of-range number all throw {@link ConfigException}, e.g.
 * {@code config.yaml: unknown key 'scoring.strategi' (known: strategy, resourceWeights, pluginWeights, gpuFragmentation)}.
 *
 * @param settings       what the scheduling core runs with
 * @param leaderElection Lease-based leader election between replicas
 * @param binding        how placed pods are bound
 * @param events         how Kubernetes Events are emitted
 * @param gang           gang scheduling (executor reservations)
 * @param numa           NUMA/GPU topology placement
 * @param preemption     whether and how pods that fit nowhere evict lower-priority pods
 * @param http           the HTTP server (metrics, health, debug, extender verbs)
 * @param extender       serving as kube-scheduler's extender
 * @param metrics        how capacity metrics are broken down
 * @param logging        the log line format and the level of each logger
 */
public record SchedulerConfig(
        SchedulerSettings settings,
        LeaderElectionConfig leaderElection,
        BindingConfig binding,
        EventsConfig events,
        GangSettings gang,
        NumaSettings numa,
        PreemptionSettings preemption,
        HttpConfig http,
        ExtenderConfig extender,
        MetricsConfig metrics,
        LoggingConfig logging) {

    /** Score plugins whose weight the file may set: those of the core's default profile. */
    public static final List<String> SCORE_PLUGINS = SchedulingProfile.DEFAULT_SCORE_PLUGINS;
    /** Set from the downward API in the pod; the default namespace of the Lease. */
    public static final String POD_NAMESPACE_ENV = "POD_NAMESPACE";
    /** The pod name inside Kubernetes; the first part of the default leader identity. */
    public static final String HOSTNAME_ENV = "HOSTNAME";

    private static final String LEAST_ALLOCATED = "LeastAllocated";
    private static final String MOST_ALLOCATED = "MostAllocated";
    private static final ConfigDocument EMPTY = new ConfigDocument(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    public SchedulerConfig {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(leaderElection, "leaderElection");
        Objects.requireNonNull(binding, "binding");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(gang, "gang");
        Objects.requireNonNull(numa, "numa");
        Objects.requireNonNull(preemption, "preemption");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(extender, "extender");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(logging, "logging");
    }

    /** Every key at its default, with the Lease namespace and identity taken from the process environment. */
    public static SchedulerConfig defaults() {
        return defaults(System.getenv());
    }

    /** Every key at its default; {@code env} supplies {@value #POD_NAMESPACE_ENV} and {@value #HOSTNAME_ENV}. */
    public static SchedulerConfig defaults(Map<String, String> env) {
        return fromDocument(EMPTY, "defaults", env);
    }

    /** Reads and validates {@code file}; messages start with the path as given. */
    public static SchedulerConfig load(Path file) {
        return load(file, System.getenv());
    }

    public static SchedulerConfig load(Path file, Map<String, String> env) {
        String source = file.toString();
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(source, "cannot read the file: it does not exist", e);
        } catch (IOException e) {
            throw new ConfigException(source, "cannot read the file: " + e, e);
        }
        return parse(yaml, source, env);
    }

    /**
     * Parses and validates {@code yaml}. An empty document (or only comments) gives the defaults.
     *
     * @param sourceName how messages name the input, usually the file name
     */
    public static SchedulerConfig parse(String yaml, String sourceName) {
        return parse(yaml, sourceName, System.getenv());
    }

    public static SchedulerConfig parse(String yaml, String sourceName, Map<String, String> env) {
        Objects.requireNonNull(yaml, "yaml");
        Objects.requireNonNull(sourceName, "sourceName");
        return fromDocument(read(yaml, sourceName), sourceName, env);
    }

    public String schedulerName() {
        return settings.schedulerName();
    }

    /** The same configuration for another scheduler name (the {@code --scheduler-name} option). */
    public SchedulerConfig withSchedulerName(String name, String source) {
        try {
            return new SchedulerConfig(settings.withSchedulerName(name), leaderElection, binding, events, gang, numa,
                    preemption, http, extender, metrics, logging);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source, e.getMessage(), e);
        }
    }

    /** Every key with its effective value, in file order, for the start-up log. */
    public Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("schedulerName", settings.schedulerName());
        out.put("scoring.strategy", settings.scoringStrategy() == ScoringStrategy.MOST_ALLOCATED ? MOST_ALLOCATED : LEAST_ALLOCATED);
        out.put("scoring.resourceWeights", sorted(settings.resourceWeights()));
        out.put("scoring.pluginWeights", sorted(settings.pluginWeights()));
        out.put("scoring.gpuFragmentation.modelLabel", settings.gpuFragmentation().modelLabel());
        out.put("scoring.gpuFragmentation.window", Integer.toString(settings.gpuFragmentation().window()));
        out.put("scoring.gpuFragmentation.maxShapes", Integer.toString(settings.gpuFragmentation().maxShapes()));
        out.put("percentageOfNodesToScore", Integer.toString(settings.percentageOfNodesToScore()));
        out.put("interPodAffinity.hardPodAffinityWeight", Integer.toString(settings.interPod().hardPodAffinityWeight()));
        out.put("topologySpread.defaultingType", spreadDefaultingName(settings.interPod().spreadDefaulting()));
        out.put("topologySpread.defaultConstraints", settings.interPod().defaultConstraints().stream()
                .map(SchedulerConfig::describeConstraint).toList().toString());
        out.put("backoff.initial", GoDuration.format(settings.podInitialBackoff()));
        out.put("backoff.max", GoDuration.format(settings.podMaxBackoff()));
        out.put("backoff.maxInUnschedulable", GoDuration.format(settings.podMaxInUnschedulablePods()));
        out.put("leaderElection.enabled", Boolean.toString(leaderElection.enabled()));
        out.put("leaderElection.namespace", leaderElection.namespace());
        out.put("leaderElection.leaseName", leaderElection.leaseName());
        out.put("leaderElection.identity", leaderElection.identity());
        out.put("leaderElection.leaseDuration", GoDuration.format(leaderElection.leaseDuration()));
        out.put("leaderElection.renewDeadline", GoDuration.format(leaderElection.renewDeadline()));
        out.put("leaderElection.retryPeriod", GoDuration.format(leaderElection.retryPeriod()));
        out.put("leaderElection.onLostLease", leaderElection.onLostLease().apiName());
        out.put("binding.parallelism", Integer.toString(binding.parallelism()));
        out.put("events.aggregationInterval", GoDuration.format(events.aggregationInterval()));
        out.put("gang.reservationTtl", GoDuration.format(gang.reservationTtl()));
        out.put("gang.starvation.after", GoDuration.format(gang.starvation().after()));
        out.put("gang.starvation.afterByPriority", gang.starvation().afterByPriority().entrySet().stream()
                .map(e -> e.getKey() + ": " + GoDuration.format(e.getValue())).collect(Collectors.joining(", ", "{", "}")));
        out.put("numa.enabled", Boolean.toString(numa.enabled()));
        out.put("numa.zoneScoring", numa.zoneScoring().apiName());
        out.put("numa.weight", Integer.toString(numa.weight()));
        out.put("preemption.enabled", Boolean.toString(preemption.enabled()));
        out.put("preemption.nominationTimeout", GoDuration.format(preemption.nominationTimeout()));
        out.put("http.port", Integer.toString(http.port()));
        out.put("http.bindAddress", http.bindAddress());
        out.put("http.extenderPrefix", http.extenderPrefix());
        out.put("http.tls.certFile", http.tls() == null ? "" : http.tls().certFile().toString());
        out.put("http.tls.keyFile", http.tls() == null ? "" : http.tls().keyFile().toString());
        out.put("http.maxBodyBytes", Long.toString(http.maxBodyBytes()));
        out.put("http.clusterPage", Boolean.toString(http.clusterPage()));
        out.put("extender.bindHoldLimit", GoDuration.format(extender.bindHoldLimit()));
        out.put("metrics.nodePoolLabel", metrics.nodePoolLabel() == null ? "" : metrics.nodePoolLabel());
        out.put("metrics.maxNodePools", Integer.toString(metrics.maxNodePools()));
        out.put("logging.format", logging.format().apiName());
        out.put("logging.level", logging.describeLevels());
        return out;
    }

    /** Configured once, then only read from (a mapper is thread-safe after configuration). */
    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // 16.5 silently truncated to 16 would hide a mistake.
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            // A key written twice: YAML says it is an error, SnakeYAML would keep the last one.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static ConfigDocument read(String yaml, String source) {
        YAMLMapper mapper = MAPPER;
        try (JsonParser parser = mapper.createParser(yaml)) {
            JsonToken first = parser.nextToken();
            if (first == null || first == JsonToken.VALUE_NULL) {
                return EMPTY;
            }
            ConfigDocument document = mapper.readValue(parser, ConfigDocument.class);
            return document == null ? EMPTY : document;
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(source, "unknown key '" + path(e) + "' (known: " + String.join(", ", knownKeys(e)) + ")", e);
        } catch (MismatchedInputException e) {
            throw new ConfigException(source, mismatch(e), e);
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof JsonProcessingException syntax) {
                // Databind wraps syntax errors met inside a value; the syntax is what is wrong.
                throw new ConfigException(source, syntaxError(syntax), e);
            }
            throw new ConfigException(source, (path(e).isEmpty() ? "" : path(e) + ": ") + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source, syntaxError(e), e);
        } catch (IOException e) {
            throw new ConfigException(source, "cannot read: " + e.getMessage(), e);
        }
    }

    private static SchedulerConfig fromDocument(ConfigDocument doc, String source, Map<String, String> env) {
        try {
            ConfigDocument.Scoring scoring = orEmpty(doc.scoring(), () -> new ConfigDocument.Scoring(null, null, null, null));
            ConfigDocument.Backoff backoff = orEmpty(doc.backoff(), () -> new ConfigDocument.Backoff(null, null, null));
            ConfigDocument.LeaderElection election = orEmpty(doc.leaderElection(),
                    () -> new ConfigDocument.LeaderElection(null, null, null, null, null, null, null, null));
            SchedulerSettings defaults = SchedulerSettings.defaults();

            Map<String, Integer> resourceWeights = scoring.resourceWeights() == null
                    ? defaults.resourceWeights() : checkResourceNames(scoring.resourceWeights());
            Map<String, Integer> pluginWeights = scoring.pluginWeights() == null
                    ? defaults.pluginWeights() : checkPluginNames(scoring.pluginWeights());
            SchedulerSettings settings = new SchedulerSettings(
                    doc.schedulerName() == null ? defaults.schedulerName() : doc.schedulerName(),
                    strategy(scoring.strategy(), defaults.scoringStrategy()),
                    resourceWeights,
                    pluginWeights,
                    doc.percentageOfNodesToScore() == null ? defaults.percentageOfNodesToScore() : doc.percentageOfNodesToScore(),
                    duration("backoff.initial", backoff.initial(), defaults.podInitialBackoff()),
                    duration("backoff.max", backoff.max(), defaults.podMaxBackoff()),
                    duration("backoff.maxInUnschedulable", backoff.maxInUnschedulable(), defaults.podMaxInUnschedulablePods()),
                    gpuFragmentation(scoring.gpuFragmentation()),
                    interPod(doc.interPodAffinity(), doc.topologySpread()));

            LeaderElectionConfig leaderElection = new LeaderElectionConfig(
                    election.enabled() == null || election.enabled(),
                    orDefault(election.namespace(), () -> defaultNamespace(env)),
                    orDefault(election.leaseName(), () -> LeaderElectionConfig.DEFAULT_LEASE_NAME),
                    orDefault(election.identity(), () -> defaultIdentity(env)),
                    duration("leaderElection.leaseDuration", election.leaseDuration(), LeaderElectionConfig.DEFAULT_LEASE_DURATION),
                    duration("leaderElection.renewDeadline", election.renewDeadline(), LeaderElectionConfig.DEFAULT_RENEW_DEADLINE),
                    duration("leaderElection.retryPeriod", election.retryPeriod(), LeaderElectionConfig.DEFAULT_RETRY_PERIOD),
                    onLostLease(election.onLostLease()));
            BindingConfig binding = doc.binding() == null || doc.binding().parallelism() == null
                    ? BindingConfig.defaults() : new BindingConfig(doc.binding().parallelism());
            EventsConfig events = new EventsConfig(duration("events.aggregationInterval",
                    doc.events() == null ? null : doc.events().aggregationInterval(), EventsConfig.DEFAULT_AGGREGATION_INTERVAL));
            GangSettings gang = new GangSettings(duration("gang.reservationTtl",
                    doc.gang() == null ? null : doc.gang().reservationTtl(), GangSettings.defaults().reservationTtl()))
                    .withStarvation(starvation(doc.gang() == null ? null : doc.gang().starvation()));
            ExtenderConfig extender = new ExtenderConfig(duration("extender.bindHoldLimit",
                    doc.extender() == null ? null : doc.extender().bindHoldLimit(), ExtenderConfig.DEFAULT_BIND_HOLD_LIMIT));
            LoggingConfig logging = doc.logging() == null ? LoggingConfig.defaults()
                    : LoggingConfig.of(doc.logging().format(), doc.logging().level());
            PreemptionSettings preemption = new PreemptionSettings(
                    doc.preemption() == null || doc.preemption().enabled() == null
                            ? PreemptionSettings.defaults().enabled() : doc.preemption().enabled(),
                    duration("preemption.nominationTimeout", doc.preemption() == null ? null
                            : doc.preemption().nominationTimeout(), PreemptionSettings.DEFAULT_NOMINATION_TIMEOUT));
            return new SchedulerConfig(settings, leaderElection, binding, events, gang, numa(doc.numa()), preemption,
                    http(doc.http()), extender, metrics(doc.metrics()), logging);
        } catch (IllegalArgumentException e) {
            // SchedulerSettings and the records here name the key in their messages; keep them as they are.
            throw new ConfigException(source, e.getMessage(), e);
        }
    }

    private static StarvationSettings starvation(ConfigDocument.Starvation starvation) {
        if (starvation == null) {
            return StarvationSettings.off();
        }
        TreeMap<Integer, Duration> byPriority = new TreeMap<>();
        if (starvation.afterByPriority() != null) {
            for (Map.Entry<String, String> entry : starvation.afterByPriority().entrySet()) {
                int priority;
                try {
                    priority = Integer.parseInt(entry.getKey().trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("gang.starvation.afterByPriority: '" + entry.getKey()
                            + "' is not a priority (a whole number, as in a PriorityClass's value)", e);
                }
                byPriority.put(priority, duration("gang.starvation.afterByPriority." + entry.getKey(), entry.getValue(),
                        null));
            }
        }
        return new StarvationSettings(duration("gang.starvation.after", starvation.after(), Duration.ZERO), byPriority);
    }

    private static NumaSettings numa(ConfigDocument.Numa numa) {
        NumaSettings defaults = NumaSettings.defaults();
        if (numa == null) {
            return defaults;
        }
        NumaSettings.ZoneScoring scoring = defaults.zoneScoring();
        if (numa.zoneScoring() != null) {
            try {
                scoring = NumaSettings.ZoneScoring.fromApiName(numa.zoneScoring());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("numa.zoneScoring: " + e.getMessage(), e);
            }
        }
        int weight = numa.weight() == null ? defaults.weight() : numa.weight();
        if (weight < 0 || weight > 100) {
            throw new IllegalArgumentException("numa.weight: must be 0..100, was " + weight);
        }
        return new NumaSettings(numa.enabled() == null ? defaults.enabled() : numa.enabled(), scoring, weight);
    }

    private static HttpConfig http(ConfigDocument.Http http) {
        HttpConfig defaults = HttpConfig.defaults();
        if (http == null) {
            return defaults;
        }
        return new HttpConfig(
                http.port() == null ? defaults.port() : http.port(),
                http.bindAddress() == null ? defaults.bindAddress() : http.bindAddress(),
                http.extenderPrefix() == null ? defaults.extenderPrefix() : http.extenderPrefix(),
                tls(http.tls()),
                http.maxBodyBytes() == null ? defaults.maxBodyBytes() : http.maxBodyBytes(),
                http.clusterPage() == null ? defaults.clusterPage() : http.clusterPage());
    }

    /** Both files or neither; each must be readable now, not at the first TLS handshake. */
    private static HttpConfig.Tls tls(ConfigDocument.Tls tls) {
        if (tls == null || (isBlank(tls.certFile()) && isBlank(tls.keyFile()))) {
            return null;
        }
        if (isBlank(tls.certFile()) || isBlank(tls.keyFile())) {
            throw new IllegalArgumentException("http.tls: set both certFile and keyFile (PEM), or neither for plain HTTP");
        }
        Path cert = Path.of(tls.certFile());
        Path key = Path.of(tls.keyFile());
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("http.tls.certFile", cert);
        files.put("http.tls.keyFile", key);
        for (Map.Entry<String, Path> file : files.entrySet()) {
            if (!Files.isReadable(file.getValue())) {
                throw new IllegalArgumentException(file.getKey() + ": cannot read " + file.getValue()
                        + (Files.exists(file.getValue()) ? "" : ": it does not exist"));
            }
        }
        return new HttpConfig.Tls(cert, key);
    }

    private static MetricsConfig metrics(ConfigDocument.Metrics metrics) {
        if (metrics == null) {
            return MetricsConfig.defaults();
        }
        return new MetricsConfig(isBlank(metrics.nodePoolLabel()) ? null : metrics.nodePoolLabel(),
                metrics.maxNodePools() == null ? MetricsConfig.DEFAULT_MAX_NODE_POOLS : metrics.maxNodePools());
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static LostLeasePolicy onLostLease(String value) {
        if (value == null) {
            return LeaderElectionConfig.DEFAULT_ON_LOST_LEASE;
        }
        try {
            return LostLeasePolicy.fromApiName(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("leaderElection.onLostLease: " + e.getMessage(), e);
        }
    }

    private static ScoringStrategy strategy(String value, ScoringStrategy defaultStrategy) {
        if (value == null) {
            return defaultStrategy;
        }
        return switch (value) {
            case LEAST_ALLOCATED -> ScoringStrategy.LEAST_ALLOCATED;
            case MOST_ALLOCATED -> ScoringStrategy.MOST_ALLOCATED;
            default -> throw new IllegalArgumentException("scoring.strategy: unknown value '" + value
                    + "' (expected " + LEAST_ALLOCATED + " or " + MOST_ALLOCATED + ")");
        };
    }

    private static Duration duration(String key, String value, Duration defaultValue) {
        if (value == null) {
            return defaultValue;
        }
        try {
            return GoDuration.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    /**
     * kube-scheduler accepts the standard resources and extended (domain-prefixed) ones; anything
     * else, like {@code mem}, is a typo that would silently weigh nothing.
     */
    private static Map<String, Integer> checkResourceNames(Map<String, Integer> weights) {
        for (String name : weights.keySet()) {
            boolean standard = name.equals("cpu") || name.equals("memory") || name.equals("ephemeral-storage")
                    || name.matches("hugepages-[0-9]+[KMG]i");
            boolean extended = name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
                    + "/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
            if (!standard && !extended) {
                throw new IllegalArgumentException("scoring.resourceWeights: unknown resource '" + name
                        + "' (use cpu, memory, ephemeral-storage, hugepages-<size>, or an extended resource such as nvidia.com/gpu)");
            }
        }
        return weights;
    }

    private static GpuFragmentationSettings gpuFragmentation(ConfigDocument.GpuFragmentation doc) {
        GpuFragmentationSettings defaults = GpuFragmentationSettings.defaults();
        if (doc == null) {
            return defaults;
        }
        return new GpuFragmentationSettings(
                doc.modelLabel() == null ? defaults.modelLabel() : doc.modelLabel(),
                doc.window() == null ? defaults.window() : doc.window(),
                doc.maxShapes() == null ? defaults.maxShapes() : doc.maxShapes());
    }

    private static InterPodSettings interPod(ConfigDocument.InterPodAffinity affinity,
                                             ConfigDocument.TopologySpread spread) {
        InterPodSettings defaults = InterPodSettings.defaults();
        int weight = affinity == null || affinity.hardPodAffinityWeight() == null
                ? defaults.hardPodAffinityWeight() : affinity.hardPodAffinityWeight();
        if (spread == null) {
            return new InterPodSettings(weight, defaults.spreadDefaulting(), List.of());
        }
        InterPodSettings.SpreadDefaulting defaulting = spread.defaultingType() == null ? defaults.spreadDefaulting()
                : switch (spread.defaultingType()) {
                    case "None" -> InterPodSettings.SpreadDefaulting.NONE;
                    case "System" -> InterPodSettings.SpreadDefaulting.SYSTEM;
                    case "List" -> InterPodSettings.SpreadDefaulting.LIST;
                    default -> throw new IllegalArgumentException("topologySpread.defaultingType: unknown value '"
                            + spread.defaultingType() + "' (None, System or List)");
                };
        List<TopologySpreadConstraint> constraints = new ArrayList<>();
        List<ConfigDocument.SpreadConstraint> written = spread.defaultConstraints() == null ? List.of()
                : spread.defaultConstraints();
        for (int i = 0; i < written.size(); i++) {
            constraints.add(spreadConstraint("topologySpread.defaultConstraints[" + i + "]", written.get(i)));
        }
        return new InterPodSettings(weight, defaulting, constraints);
    }

    private static TopologySpreadConstraint spreadConstraint(String key, ConfigDocument.SpreadConstraint doc) {
        if (doc == null) {
            throw new IllegalArgumentException(key + ": must be a constraint");
        }
        if (doc.maxSkew() == null) {
            throw new IllegalArgumentException(key + ".maxSkew: required");
        }
        if (doc.topologyKey() == null) {
            throw new IllegalArgumentException(key + ".topologyKey: required");
        }
        boolean doNotSchedule = switch (doc.whenUnsatisfiable() == null ? "" : doc.whenUnsatisfiable()) {
            case "DoNotSchedule" -> true;
            case "ScheduleAnyway" -> false;
            default -> throw new IllegalArgumentException(key + ".whenUnsatisfiable: must be DoNotSchedule or"
                    + " ScheduleAnyway, was " + doc.whenUnsatisfiable());
        };
        return new TopologySpreadConstraint(doc.maxSkew(), doc.topologyKey(), doNotSchedule, null, doc.minDomains(),
                inclusionPolicy(key + ".nodeAffinityPolicy", doc.nodeAffinityPolicy()),
                inclusionPolicy(key + ".nodeTaintsPolicy", doc.nodeTaintsPolicy()));
    }

    private static NodeInclusionPolicy inclusionPolicy(String key, String value) {
        try {
            return value == null ? null : NodeInclusionPolicy.fromApiName(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    private static String spreadDefaultingName(InterPodSettings.SpreadDefaulting defaulting) {
        return switch (defaulting) {
            case NONE -> "None";
            case SYSTEM -> "System";
            case LIST -> "List";
        };
    }

    private static String describeConstraint(TopologySpreadConstraint c) {
        return "{maxSkew: " + c.maxSkew() + ", topologyKey: " + c.topologyKey() + ", whenUnsatisfiable: "
                + (c.doNotSchedule() ? "DoNotSchedule" : "ScheduleAnyway")
                + (c.minDomains() == null ? "" : ", minDomains: " + c.minDomains())
                + ", nodeAffinityPolicy: " + c.nodeAffinityPolicy().apiName()
                + ", nodeTaintsPolicy: " + c.nodeTaintsPolicy().apiName() + "}";
    }

    private static Map<String, Integer> checkPluginNames(Map<String, Integer> weights) {
        for (String name : weights.keySet()) {
            if (!SCORE_PLUGINS.contains(name)) {
                throw new IllegalArgumentException("scoring.pluginWeights: unknown plugin '" + name
                        + "' (known: " + String.join(", ", SCORE_PLUGINS) + ")");
            }
        }
        return weights;
    }

    private static String defaultNamespace(Map<String, String> env) {
        String namespace = env.get(POD_NAMESPACE_ENV);
        return namespace == null || namespace.isBlank() ? LeaderElectionConfig.DEFAULT_NAMESPACE : namespace.trim();
    }

    /** As kube-scheduler: host name plus a UUID, so two replicas on one host never share an identity. */
    private static String defaultIdentity(Map<String, String> env) {
        String host = env.get(HOSTNAME_ENV);
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = SchedulerSettings.DEFAULT_SCHEDULER_NAME;
            }
        }
        return host.trim() + "_" + UUID.randomUUID();
    }

    private static String orDefault(String value, Supplier<String> fallback) {
        return value == null || value.isEmpty() ? fallback.get() : value;
    }

    private static <T> T orEmpty(T value, Supplier<T> empty) {
        return value == null ? empty.get() : value;
    }

    private static String mismatch(MismatchedInputException e) {
        String key = path(e);
        Class<?> target = e.getTargetType();
        if (key.isEmpty()) {
            return "the file must be a mapping of keys to values (see docs/configuration.md)";
        }
        String expected = expected(target);
        String was = e instanceof InvalidFormatException invalid && invalid.getValue() != null
                ? ", was '" + invalid.getValue() + "'" : "";
        return key + ": expected " + expected + was;
    }

    private static String expected(Class<?> target) {
        if (target == null) {
            return "a different kind of value";
        }
        if (target == Integer.class || target == int.class || target == Long.class || target == long.class) {
            return "a whole number";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "true or false";
        }
        if (target == String.class) {
            return "a single value";
        }
        if (Map.class.isAssignableFrom(target) || target.isRecord()) {
            return "a mapping of keys to values";
        }
        return target.getSimpleName();
    }

    /** Dotted path of the offending key, e.g. {@code scoring.resourceWeights.cpu}. */
    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    /** The keys allowed where the unknown one was, in the order the file format declares them. */
    private static List<String> knownKeys(UnrecognizedPropertyException e) {
        Class<?> owner = e.getReferringClass();
        if (owner != null && owner.isRecord()) {
            return Arrays.stream(owner.getRecordComponents()).map(c -> c.getName()).toList();
        }
        Collection<Object> known = e.getKnownPropertyIds();
        return known == null ? List.of() : known.stream().map(String::valueOf).sorted().toList();
    }

    /**
     * SnakeYAML's own message spans several lines with a source excerpt; keep the problem, its
     * position and what was being parsed.
     */
    private static String syntaxError(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            StringBuilder out = new StringBuilder()
                    .append(position(yaml.getProblemMark()))
                    .append(": not valid YAML: ")
                    .append(yaml.getProblem());
            if (yaml.getContext() != null) {
                out.append(" (").append(yaml.getContext());
                if (yaml.getContextMark() != null) {
                    out.append(" at ").append(position(yaml.getContextMark()));
                }
                out.append(')');
            }
            return out.toString();
        }
        return at(e.getLocation()) + "not valid YAML: " + firstLine(e.getOriginalMessage());
    }

    private static String position(Mark mark) {
        // SnakeYAML counts from 0, editors and Jackson from 1.
        return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return "line " + location.getLineNr() + ", column " + location.getColumnNr() + ": ";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }

    private static String sorted(Map<String, Integer> weights) {
        return weights.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
