package io.kubenexus.scheduler.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.kubenexus.scheduler.app.config.HttpConfig;
import io.kubenexus.scheduler.app.config.SchedulerConfig;
import io.kubenexus.scheduler.kube.ApiAccess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Helm chart in deploy/helm/kubenexus-scheduler, rendered by real Helm (helm-java, offline, no
 * cluster): strict lint, the objects of the default render and of every optional part, probes on
 * served paths and the configured port, the rendered config accepted by the scheduler's own
 * loader, the checksum that rolls the pods, the security context, values that are all used and a
 * schema that refuses wrong ones, and a ClusterRole equal to {@link ApiAccess#REQUIRED}.
 */
class HelmChartTest {
    private static final Path ROOT = repositoryRoot();
    private static final Path CHART = ROOT.resolve("deploy/helm/kubenexus-scheduler");
    private static final String NS = "kube-system";
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final Map<String, String> NO_ENV = Map.of();

    /** Every optional part on, and every configuration key set (docs/configuration.md). */
    private static final String ALL_ON = """
            replicaCount: 3
            serviceMonitor: {enabled: true, labels: {release: prometheus}, interval: 15s, scrapeTimeout: 5s}
            prometheusRule: {enabled: true, labels: {release: prometheus}}
            grafanaDashboard: {enabled: true, labels: {grafana_dashboard: "1"}}
            crds:
              podGroups: {enabled: true}
              nodeResourceTopologies: {enabled: true}
            extender:
              enabled: true
              weight: 7
              managedResources: [{name: nvidia.com/gpu, ignoredByScheduler: false}]
            javaToolOptions: -XX:+UseZGC
            config:
              schedulerName: kubenexus-scheduler
              scoring:
                strategy: MostAllocated
                resourceWeights: {cpu: 1, memory: 1, nvidia.com/gpu: 3}
                pluginWeights: {NodeAffinity: 2, TaintToleration: 3, NodeResourcesFit: 1}
              percentageOfNodesToScore: 50
              backoff: {initial: 1s, max: 10s, maxInUnschedulable: 5m}
              leaderElection:
                enabled: true
                namespace: ""
                leaseName: kubenexus-scheduler
                identity: ""
                leaseDuration: 15s
                renewDeadline: 10s
                retryPeriod: 2s
                onLostLease: exit
              binding: {parallelism: 32}
              events: {aggregationInterval: 30s}
              gang: {reservationTtl: 5m}
              numa: {enabled: true, zoneScoring: spread, weight: 3}
              preemption: {enabled: true, nominationTimeout: 3m}
              http:
                port: 9090
                bindAddress: 0.0.0.0
                extenderPrefix: /kubenexus
                tls: {certFile: "", keyFile: ""}
                maxBodyBytes: 1048576
              extender: {bindHoldLimit: 20s}
              metrics: {nodePoolLabel: karpenter.sh/nodepool, maxNodePools: 20}
            """;

    @TempDir
    static Path tmp;
    private static List<JsonNode> defaults;
    private static List<JsonNode> allOn;

    @BeforeAll
    static void render() {
        defaults = render(UnaryOperator.identity());
        allOn = render(t -> t.withValuesFile(valuesFile("all-on.yaml", ALL_ON)));
    }

    @Test
    void strictLintPasses() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
    }

    @Test
    void theDefaultRenderHasEveryObject() {
        assertThat(kinds(defaults)).containsExactlyInAnyOrder(
                "ServiceAccount/kubenexus-scheduler", "ClusterRole/kubenexus-scheduler",
                "ClusterRoleBinding/kubenexus-scheduler", "ConfigMap/kubenexus-scheduler",
                "Service/kubenexus-scheduler", "Deployment/kubenexus-scheduler",
                "PodDisruptionBudget/kubenexus-scheduler");

        JsonNode deployment = one(defaults, "Deployment");
        assertThat(deployment.at("/metadata/namespace").asText()).isEqualTo(NS);
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
        JsonNode pod = deployment.at("/spec/template/spec");
        assertThat(pod.at("/serviceAccountName").asText()).isEqualTo("kubenexus-scheduler");
        assertThat(pod.at("/priorityClassName").asText()).isEqualTo("system-cluster-critical");
        JsonNode spread = pod.at("/topologySpreadConstraints/0");
        assertThat(spread.at("/topologyKey").asText()).isEqualTo("kubernetes.io/hostname");
        assertThat(spread.at("/whenUnsatisfiable").asText()).isEqualTo("ScheduleAnyway");
        assertThat(spread.at("/labelSelector/matchLabels"))
                .isEqualTo(deployment.at("/spec/selector/matchLabels"));

        JsonNode container = pod.at("/containers/0");
        assertThat(strings(container.at("/args"))).containsExactly("run", "--config", "/etc/kubenexus/config.yaml");
        assertThat(container.at("/env/0/name").asText()).isEqualTo("POD_NAMESPACE");
        assertThat(container.at("/env/0/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("metadata.namespace");
        assertThat(container.at("/env/1/name").asText()).isEqualTo("HOSTNAME");
        assertThat(container.at("/env/1/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("metadata.name");
        assertThat(container.at("/image").asText()).isEqualTo("kubenexus-scheduler:0.1.0");
        assertThat(container.at("/resources/requests/cpu").asText()).isEqualTo("500m");
        assertThat(container.at("/resources/limits/memory").asText()).isEqualTo("1Gi");
        assertThat(pod.at("/volumes/0/configMap/name").asText()).isEqualTo("kubenexus-scheduler");

        JsonNode service = one(defaults, "Service");
        assertThat(service.at("/spec/ports/0/name").asText()).isEqualTo("http");
        assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(8080);
        assertThat(service.at("/spec/ports/0/targetPort").asText()).isEqualTo("http");
        assertThat(service.at("/spec/selector")).isEqualTo(deployment.at("/spec/selector/matchLabels"));

        assertThat(one(defaults, "PodDisruptionBudget").at("/spec/minAvailable").asInt()).isEqualTo(1);
        JsonNode binding = one(defaults, "ClusterRoleBinding");
        assertThat(binding.at("/subjects/0/name").asText()).isEqualTo("kubenexus-scheduler");
        assertThat(binding.at("/subjects/0/namespace").asText()).isEqualTo(NS);
        assertThat(binding.at("/roleRef/name").asText()).isEqualTo("kubenexus-scheduler");
    }

    @Test
    void eachOptionalPartRendersWhenSwitchedOn() throws IOException {
        assertThat(kinds(allOn)).contains("ServiceMonitor/kubenexus-scheduler",
                "PrometheusRule/kubenexus-scheduler", "ConfigMap/kubenexus-scheduler-dashboard",
                "CustomResourceDefinition/podgroups.scheduling.x-k8s.io",
                "CustomResourceDefinition/noderesourcetopologies.topology.node.k8s.io",
                "ConfigMap/kubenexus-scheduler-kube-scheduler-extender");

        JsonNode monitor = one(allOn, "ServiceMonitor");
        assertThat(monitor.at("/apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("prometheus");
        assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo("http");
        assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/metrics");
        assertThat(monitor.at("/spec/endpoints/0/interval").asText()).isEqualTo("15s");
        assertThat(monitor.at("/spec/selector/matchLabels")).isEqualTo(one(allOn, "Service").at("/spec/selector"));

        JsonNode podGroups = named(allOn, "CustomResourceDefinition", "podgroups.scheduling.x-k8s.io");
        assertThat(podGroups.at("/metadata/annotations/helm.sh~1resource-policy").asText()).isEqualTo("keep");
        assertThat(podGroups.at("/spec/scope").asText()).isEqualTo("Namespaced");
        JsonNode v1alpha1 = podGroups.at("/spec/versions/0");
        assertThat(v1alpha1.at("/name").asText()).isEqualTo("v1alpha1");
        assertThat(v1alpha1.at("/subresources/status").isObject()).isTrue();
        JsonNode pgSchema = v1alpha1.at("/schema/openAPIV3Schema/properties");
        assertThat(fieldNames(pgSchema.at("/spec/properties")))
                .containsExactlyInAnyOrder("minMember", "minResources", "scheduleTimeoutSeconds");
        assertThat(fieldNames(pgSchema.at("/status/properties"))).containsExactlyInAnyOrder(
                "phase", "occupiedBy", "running", "succeeded", "failed", "scheduleStartTime");

        JsonNode nrt = named(allOn, "CustomResourceDefinition", "noderesourcetopologies.topology.node.k8s.io");
        assertThat(nrt.at("/metadata/annotations/helm.sh~1resource-policy").asText()).isEqualTo("keep");
        assertThat(nrt.at("/spec/scope").asText()).isEqualTo("Cluster");
        assertThat(strings(nrt.at("/spec/names/shortNames"))).contains("nrt");
        JsonNode v1alpha2 = nrt.at("/spec/versions/0");
        assertThat(v1alpha2.at("/name").asText()).isEqualTo("v1alpha2");
        JsonNode nrtSchema = v1alpha2.at("/schema/openAPIV3Schema/properties");
        assertThat(fieldNames(nrtSchema)).contains("topologyPolicies", "attributes", "zones");
        JsonNode zone = nrtSchema.at("/zones/items/properties");
        assertThat(fieldNames(zone)).containsExactlyInAnyOrder("name", "type", "parent", "costs", "attributes", "resources");
        assertThat(fieldNames(zone.at("/resources/items/properties")))
                .containsExactlyInAnyOrder("name", "capacity", "allocatable", "available");

        JsonNode kubeScheduler = YAML.readTree(
                named(allOn, "ConfigMap", "kubenexus-scheduler-kube-scheduler-extender").at("/data/config.yaml").asText());
        assertThat(kubeScheduler.at("/kind").asText()).isEqualTo("KubeSchedulerConfiguration");
        assertThat(kubeScheduler.at("/profiles/0/schedulerName").asText()).isEqualTo("kubenexus-extender");
        JsonNode extender = kubeScheduler.at("/extenders/0");
        assertThat(extender.at("/urlPrefix").asText())
                .as("the Service's DNS name and port, and config.http.extenderPrefix")
                .isEqualTo("http://kubenexus-scheduler.kube-system.svc:8080/kubenexus");
        assertThat(List.of(extender.at("/filterVerb").asText(), extender.at("/prioritizeVerb").asText(),
                extender.at("/bindVerb").asText(), extender.at("/preemptVerb").asText()))
                .containsExactly("filter", "prioritize", "bind", "preempt");
        assertThat(extender.at("/nodeCacheCapable").asBoolean()).isTrue();
        assertThat(extender.at("/ignorable").asBoolean(true)).isFalse();
        assertThat(extender.at("/weight").asInt()).isEqualTo(7);
        assertThat(extender.at("/httpTimeout").asText()).isEqualTo("30s");
        assertThat(extender.at("/managedResources/0/name").asText()).isEqualTo("nvidia.com/gpu");
    }

    @Test
    void aTlsSecretTurnsTheServerTheProbesAndTheExtendersUrlToHttps() throws IOException {
        List<JsonNode> tls = render(t -> t.withValuesFile(valuesFile("tls.yaml", """
                tls: {secretName: kubenexus-tls}
                serviceMonitor: {enabled: true}
                extender:
                  enabled: true
                  tlsConfig: {serverName: kubenexus-scheduler.kube-system.svc, caData: Y2E=}
                """)));

        JsonNode deployment = one(tls, "Deployment");
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        assertThat(container.findValuesAsText("scheme")).hasSize(3).containsOnly("HTTPS");
        assertThat(container.at("/volumeMounts").findValuesAsText("mountPath")).contains("/etc/kubenexus/tls");
        assertThat(deployment.at("/spec/template/spec/volumes").findValuesAsText("secretName")).containsExactly("kubenexus-tls");
        JsonNode config = YAML.readTree(named(tls, "ConfigMap", "kubenexus-scheduler").at("/data/config.yaml").asText());
        assertThat(config.at("/http/tls/certFile").asText()).isEqualTo("/etc/kubenexus/tls/tls.crt");
        assertThat(config.at("/http/tls/keyFile").asText()).isEqualTo("/etc/kubenexus/tls/tls.key");
        JsonNode extender = YAML.readTree(named(tls, "ConfigMap", "kubenexus-scheduler-kube-scheduler-extender")
                .at("/data/config.yaml").asText()).at("/extenders/0");
        assertThat(extender.at("/urlPrefix").asText()).startsWith("https://kubenexus-scheduler.kube-system.svc:8080/");
        assertThat(extender.at("/enableHTTPS").asBoolean()).isTrue();
        assertThat(extender.at("/tlsConfig/caData").asText()).isEqualTo("Y2E=");
        assertThat(one(tls, "ServiceMonitor").at("/spec/endpoints/0/scheme").asText()).isEqualTo("https");

        JsonNode plain = one(render(t -> t), "Deployment");
        assertThat(plain.findValuesAsText("scheme")).containsOnly("HTTP");
        assertThat(plain.at("/spec/template/spec/volumes").findValuesAsText("secretName")).isEmpty();
    }

    @Test
    void theAlertRulesRenderAsTheRuleFileSays() throws IOException {
        JsonNode rule = one(allOn, "PrometheusRule");
        assertThat(rule.at("/apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(rule.at("/metadata/name").asText()).isEqualTo("kubenexus-scheduler");
        assertThat(rule.at("/metadata/namespace").asText()).isEqualTo(NS);
        assertThat(rule.at("/metadata/labels/release").asText()).isEqualTo("prometheus");

        JsonNode file = YAML.readTree(ROOT.resolve("deploy/prometheus/kubenexus-alerts.yaml").toFile());
        assertThat(rule.at("/spec")).as("spec.groups equal to deploy/prometheus/kubenexus-alerts.yaml").isEqualTo(file);
        // Prometheus' own templates reach the rule untouched by Helm.
        assertThat(rule.at("/spec/groups/0/rules").findValuesAsText("description"))
                .anySatisfy(description -> assertThat(description).contains("{{ $value }}"))
                .anySatisfy(description -> assertThat(description).contains("{{ $labels.instance }}"));
    }

    @Test
    void theDashboardRendersForGrafanasSidecarAsTheJsonFileSays() throws IOException {
        JsonNode configMap = named(allOn, "ConfigMap", "kubenexus-scheduler-dashboard");
        assertThat(configMap.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
        String json = configMap.at("/data/kubenexus-scheduler.json").asText();

        String file = Files.readString(ROOT.resolve("deploy/grafana/kubenexus-scheduler.json"));
        assertThat(json).as("the dashboard as in deploy/grafana, byte for byte but the last newline")
                .isEqualTo(file.stripTrailing());
        assertThat(new ObjectMapper().readTree(json).at("/uid").asText()).isEqualTo("kubenexus-scheduler");

        List<JsonNode> relabelled = render(t -> t.set("grafanaDashboard.enabled", true)
                .set("grafanaDashboard.labels.grafana_dashboard", "kubenexus"));
        assertThat(named(relabelled, "ConfigMap", "kubenexus-scheduler-dashboard")
                .at("/metadata/labels/grafana_dashboard").asText()).as("the sidecar's label may be overridden")
                .isEqualTo("kubenexus");
    }

    @Test
    void theChartsCopiesOfTheRulesAndDashboardAreTheCanonicalOnes() throws IOException {
        assertThat(Files.mismatch(CHART.resolve("files/kubenexus-alerts.yaml"),
                ROOT.resolve("deploy/prometheus/kubenexus-alerts.yaml"))).as("alerts differ at byte").isEqualTo(-1L);
        assertThat(Files.mismatch(CHART.resolve("files/kubenexus-scheduler.json"),
                ROOT.resolve("deploy/grafana/kubenexus-scheduler.json"))).as("dashboard differs at byte").isEqualTo(-1L);
    }

    @Test
    void optionalPartsAreOffByDefaultAndThePdbOnlyWithSeveralReplicas() {
        assertThat(kinds(defaults)).noneMatch(kind -> kind.startsWith("ServiceMonitor/")
                || kind.startsWith("PrometheusRule/") || kind.startsWith("CustomResourceDefinition/")
                || kind.endsWith("-kube-scheduler-extender") || kind.endsWith("-dashboard"));
        List<JsonNode> single = render(t -> t.set("replicaCount", 1));
        assertThat(kinds(single)).noneMatch(kind -> kind.startsWith("PodDisruptionBudget/"));
    }

    @Test
    void severalReplicasWithoutLeaderElectionAreRefused() {
        assertThatThrownBy(() -> render(t -> t.set("config.leaderElection.enabled", false)))
                .hasMessageContaining("leaderElection");
    }

    @Test
    void probesPointAtServedPathsOnTheConfiguredHttpPort() throws IOException {
        String server = Files.readString(ROOT.resolve(
                "extender-http/src/main/java/io/kubenexus/scheduler/extender/server/SchedulerHttpServer.java"));
        for (var render : List.of(Map.entry(HttpConfig.DEFAULT_PORT, defaults), Map.entry(9090, allOn))) {
            JsonNode container = one(render.getValue(), "Deployment").at("/spec/template/spec/containers/0");
            JsonNode port = container.at("/ports/0");
            assertThat(port.at("/name").asText()).isEqualTo("http");
            assertThat(port.at("/containerPort").asInt()).as("containerPort = config.http.port").isEqualTo(render.getKey());
            assertThat(SchedulerConfig.parse(configYaml(render.getValue()), "config.yaml", NO_ENV).http().port())
                    .isEqualTo(render.getKey());
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                assertThat(container.at("/" + probe + "/httpGet/port").asText()).as(probe).isEqualTo("http");
            }
            assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/livez");
            assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
            assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/readyz");
            assertThat(container.at("/startupProbe/periodSeconds").asInt()
                    * container.at("/startupProbe/failureThreshold").asInt())
                    .as("seconds a first cache sync may take").isGreaterThanOrEqualTo(120);
        }
        assertThat(server).as("SchedulerHttpServer serves the probe paths")
                .contains("router.get(\"/livez\")", "router.get(\"/readyz\")");
    }

    @Test
    void theRenderedConfigParsesWithTheSchedulersOwnLoader() {
        SchedulerConfig byDefault = SchedulerConfig.parse(configYaml(defaults), "config.yaml", NO_ENV);
        assertThat(byDefault.settings().schedulerName()).isEqualTo("kubenexus-scheduler");
        assertThat(byDefault.leaderElection().enabled()).isTrue();
        assertThat(byDefault.leaderElection().namespace()).as("the release namespace").isEqualTo(NS);
        assertThat(byDefault.http().port()).isEqualTo(8080);

        SchedulerConfig everyKey = SchedulerConfig.parse(configYaml(allOn), "config.yaml", NO_ENV);
        assertThat(everyKey.http().extenderPrefix()).isEqualTo("/kubenexus");
        assertThat(everyKey.binding().parallelism()).isEqualTo(32);
        assertThat(everyKey.leaderElection().namespace()).isEqualTo(NS);
    }

    @Test
    void theSchemaAcceptsEveryDocumentedConfigurationKey() throws IOException {
        // The first example of docs/configuration.md sets every key; the schema must let it through.
        String doc = Files.readString(ROOT.resolve("docs/configuration.md"));
        Matcher block = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertThat(block.find()).isTrue();
        String config = "config:\n" + block.group(1).lines().map(line -> "  " + line).collect(Collectors.joining("\n"));
        List<JsonNode> rendered = render(t -> t.withValuesFile(valuesFile("documented.yaml", config)));
        assertThat(SchedulerConfig.parse(configYaml(rendered), "config.yaml", NO_ENV).leaderElection().namespace())
                .isEqualTo(NS);
    }

    @Test
    void theChecksumAnnotationChangesWithTheConfigOnly() {
        String before = checksum(defaults);
        assertThat(before).matches("[0-9a-f]{64}");
        assertThat(checksum(render(t -> t.set("config.binding.parallelism", 8)))).isNotEqualTo(before);
        assertThat(checksum(render(t -> t.set("replicaCount", 3)))).isEqualTo(before);
    }

    @Test
    void theSecurityContextIsLockedDown() {
        JsonNode pod = one(defaults, "Deployment").at("/spec/template/spec");
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/securityContext/runAsUser").asInt()).isGreaterThan(0);
        assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
        JsonNode container = pod.at("/containers/0/securityContext");
        assertThat(container.at("/runAsNonRoot").asBoolean()).isTrue();
        assertThat(container.at("/allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(container.at("/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(strings(container.at("/capabilities/drop"))).containsExactly("ALL");
        assertThat(container.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
        assertThat(pod.at("/containers/0/volumeMounts")).anySatisfy(mount ->
                assertThat(mount.at("/mountPath").asText()).isEqualTo("/tmp"));
        assertThat(pod.at("/volumes")).anySatisfy(volume -> {
            assertThat(volume.at("/name").asText()).isEqualTo("tmp");
            assertThat(volume.at("/emptyDir").isObject()).isTrue();
        });
    }

    @Test
    void theClusterRoleGrantsExactlyTheDeclaredApiAccess() {
        assertThat(granted(one(defaults, "ClusterRole"))).as("ClusterRole rules vs ApiAccess.REQUIRED")
                .isEqualTo(declared());
    }

    @Test
    void thePlainManifestGrantsTheSameAccess() throws IOException {
        // deploy/manifests/kubenexus-scheduler.yaml stays while README and docs point at it.
        List<JsonNode> manifest = parse(Files.readString(ROOT.resolve("deploy/manifests/kubenexus-scheduler.yaml")));
        assertThat(granted(one(manifest, "ClusterRole"))).isEqualTo(declared());
    }

    @Test
    void everyValueIsUsedBySomeTemplate() throws IOException {
        StringBuilder templates = new StringBuilder();
        try (Stream<Path> files = Files.list(CHART.resolve("templates"))) {
            for (Path file : files.toList()) {
                templates.append(Files.readString(file)).append('\n');
            }
        }
        List<String> unused = new ArrayList<>();
        for (String path : leafPaths(YAML.readTree(CHART.resolve("values.yaml").toFile()), "")) {
            boolean used = false;
            // The leaf itself or a parent handed over whole (toYaml, with, deepCopy).
            for (String prefix = path; !prefix.isEmpty() && !used;
                 prefix = prefix.contains(".") ? prefix.substring(0, prefix.lastIndexOf('.')) : "") {
                used = Pattern.compile("\\.Values\\." + Pattern.quote(prefix) + "(?![\\w.])").matcher(templates).find();
            }
            if (!used) {
                unused.add(path);
            }
        }
        assertThat(unused).as("values.yaml keys no template reads").isEmpty();
    }

    @Test
    void everyValueHasACommentAboveIt() throws IOException {
        List<String> lines = Files.readAllLines(CHART.resolve("values.yaml"));
        List<String> undocumented = new ArrayList<>();
        Pattern key = Pattern.compile("^\\s*[\\w.-]+:.*");
        for (int i = 0; i < lines.size(); i++) {
            if (key.matcher(lines.get(i)).matches() && (i == 0 || !lines.get(i - 1).trim().startsWith("#"))) {
                undocumented.add((i + 1) + ": " + lines.get(i).trim());
            }
        }
        assertThat(undocumented).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a wrong type            | replicaCount: two                          | replicaCount",
            "an unknown key          | replicas: 2                                | replicas",
            "an unknown nested key   | serviceMonitor: {enabled: true, intervall: 5s} | intervall",
            "an unknown config key   | 'config: {scoring: {strategi: MostAllocated}}' | strategi",
            "a value not in the enum | 'config: {scoring: {strategy: Fastest}}'   | strategy",
            "a GPU fragmentation window of 0 | 'config: {scoring: {gpuFragmentation: {window: 0}}}' | window",
            "an unknown GPU fragmentation key | 'config: {scoring: {gpuFragmentation: {windw: 10}}}' | windw",
            "a root user             | 'podSecurityContext: {runAsUser: 0}'       | runAsUser",
            "a bad duration          | 'extender: {httpTimeout: 30}'              | httpTimeout",
    })
    void theSchemaRefusesABadValue(String name, String values, String named) {
        assertThatThrownBy(() -> render(t -> t.withValuesFile(valuesFile(name.replace(' ', '-') + ".yaml", values))))
                .hasMessageContaining(named);
    }

    @Test
    void installsFromTheRepositoryAsTheDocsSay() {
        // helm install kubenexus deploy/helm/kubenexus-scheduler -n kube-system (--dry-run)
        String manifest = new Helm(CHART).template().withName("kubenexus").withNamespace("kube-system").call();
        List<JsonNode> objects = parse(manifest);
        assertThat(named(objects, "Service", "kubenexus-scheduler").at("/metadata/namespace").asText())
                .isEqualTo("kube-system");
        assertThat(one(objects, "Deployment").at("/spec/selector/matchLabels/app.kubernetes.io~1instance").asText())
                .isEqualTo("kubenexus");
        assertThat(SchedulerConfig.parse(configYaml(objects), "config.yaml", NO_ENV).leaderElection().namespace())
                .isEqualTo("kube-system");
    }

    // ------------------------------------------------------------------ helpers

    private static List<JsonNode> render(UnaryOperator<TemplateCommand> options) {
        return parse(options.apply(new Helm(CHART).template().withName("kubenexus").withNamespace(NS)).call());
    }

    private static List<JsonNode> parse(String manifest) {
        List<JsonNode> objects = new ArrayList<>();
        try (var documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(manifest)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document != null && document.isObject() && document.has("kind")) {
                    objects.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    private static Path valuesFile(String name, String content) {
        try {
            return Files.writeString(tmp.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> kinds(List<JsonNode> objects) {
        return objects.stream().map(o -> o.at("/kind").asText() + "/" + o.at("/metadata/name").asText()).toList();
    }

    private static JsonNode one(List<JsonNode> objects, String kind) {
        List<JsonNode> found = objects.stream().filter(o -> o.at("/kind").asText().equals(kind)).toList();
        assertThat(found).as("objects of kind %s", kind).hasSize(1);
        return found.get(0);
    }

    private static JsonNode named(List<JsonNode> objects, String kind, String name) {
        return objects.stream().filter(o -> o.at("/kind").asText().equals(kind) && o.at("/metadata/name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + "/" + name + " in " + kinds(objects)));
    }

    private static String configYaml(List<JsonNode> objects) {
        return named(objects, "ConfigMap", "kubenexus-scheduler").at("/data/config.yaml").asText();
    }

    private static String checksum(List<JsonNode> objects) {
        return one(objects, "Deployment").at("/spec/template/metadata/annotations/checksum~1config").asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Dotted paths of values.yaml's leaves; lists and empty maps are leaves. */
    private static List<String> leafPaths(JsonNode node, String prefix) {
        List<String> paths = new ArrayList<>();
        if (node.isObject() && node.size() > 0) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                paths.addAll(leafPaths(field.getValue(), prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey()));
            }
        } else {
            paths.add(prefix);
        }
        return paths;
    }

    /** {@code group|resource|verb} of every rule; a triple granted twice fails. */
    private static Set<String> granted(JsonNode clusterRole) {
        Set<String> granted = new TreeSet<>();
        for (JsonNode rule : clusterRole.at("/rules")) {
            for (String group : strings(rule.at("/apiGroups"))) {
                for (String resource : strings(rule.at("/resources"))) {
                    for (String verb : strings(rule.at("/verbs"))) {
                        assertThat(granted.add(group + "|" + resource + "|" + verb))
                                .as("granted twice: %s %s %s", group, resource, verb).isTrue();
                    }
                }
            }
        }
        return granted;
    }

    private static Set<String> declared() {
        Set<String> declared = new TreeSet<>();
        ApiAccess.REQUIRED.forEach(access -> access.verbs()
                .forEach(verb -> declared.add(access.apiGroup() + "|" + access.resource() + "|" + verb)));
        return declared;
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy/helm/kubenexus-scheduler"))) {
                return dir;
            }
        }
        throw new IllegalStateException("deploy/helm/kubenexus-scheduler not found above " + Path.of("").toAbsolutePath());
    }
}
