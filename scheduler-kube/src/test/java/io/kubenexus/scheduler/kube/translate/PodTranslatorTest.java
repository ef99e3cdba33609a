package io.kubenexus.scheduler.kube.translate;

import static io.kubenexus.scheduler.kube.testing.PodObjects.expr;
import static io.kubenexus.scheduler.kube.testing.PodObjects.fieldTerm;
import static io.kubenexus.scheduler.kube.testing.PodObjects.pod;
import static io.kubenexus.scheduler.kube.testing.PodObjects.term;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubenexus.scheduler.core.model.HostPort;
import io.kubenexus.scheduler.core.model.NodeAffinity;
import io.kubenexus.scheduler.core.model.NodeSelectorOperator;
import io.kubenexus.scheduler.core.model.NodeSelectorRequirement;
import io.kubenexus.scheduler.core.model.NodeSelectorTerm;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.PodPhase;
import io.kubenexus.scheduler.core.model.PreferredSchedulingTerm;
import io.kubenexus.scheduler.core.model.QosClass;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.model.TaintEffect;
import io.kubenexus.scheduler.core.model.Toleration;
import io.kubenexus.scheduler.kube.testing.PodObjects;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodTranslatorTest {
    private static final long GI = 1L << 30;
    private static final long MI = 1L << 20;

    private final PodTranslator translator = new PodTranslator();

    private PodInfo valid(Pod pod) {
        Translation<PodInfo> translation = translator.translate(pod);
        assertThat(translation.errorOrNull()).as("translation error").isNull();
        return translation.orElseThrow();
    }

    private static ResourceList resources(Object... nameAmountPairs) {
        java.util.Map<String, Long> amounts = new java.util.HashMap<>();
        for (int i = 0; i < nameAmountPairs.length; i += 2) {
            amounts.put((String) nameAmountPairs[i], ((Number) nameAmountPairs[i + 1]).longValue());
        }
        return ResourceList.of(amounts);
    }

    // ------------------------------------------------------------------ sharing

    /** Executors of one application: what they have in common is held once, their own labels apart. */
    @Test
    void copiesOfOneTemplateShareWhatTheyHaveInCommon() {
        java.util.function.IntFunction<Pod> executor = id -> pod("exec-" + id).namespace("spark-jobs")
                .label("spark-role", "executor").label("spark-exec-id", Integer.toString(id))
                .annotation("numa.scheduling.kubenexus.io/policy", "best-effort")
                .toleration("dedicated", "Equal", "spark", "NoSchedule").nodeSelector("pool", "spark")
                .container("executor").cpu("4").memory("16Gi").build();

        PodInfo first = valid(executor.apply(1));
        PodInfo second = valid(executor.apply(2));

        assertThat(second.requests()).isEqualTo(first.requests()).isSameAs(first.requests());
        assertThat(second.nonZeroRequests()).isSameAs(first.nonZeroRequests());
        assertThat(second.containers()).isSameAs(first.containers());
        assertThat(second.tolerations()).isSameAs(first.tolerations());
        assertThat(second.nodeSelector()).isSameAs(first.nodeSelector());
        assertThat(second.annotations()).isSameAs(first.annotations());
        assertThat(second.labels()).isNotSameAs(first.labels()).containsEntry("spark-exec-id", "2");
        assertThat(second.labels().keySet()).allSatisfy(key -> assertThat(key).isSameAs(key.intern()));
        assertThat(second.key().namespace()).isSameAs("spark-jobs".intern());
        assertThat(second.schedulesLike(first)).isTrue();
    }

    // ------------------------------------------------------------------ requests

    static Stream<Arguments> requestCases() {
        return Stream.of(
                arguments("no resources at all", pod("p").container("main"), resources()),
                arguments("sum of app containers",
                        pod("p").container("a").cpu("500m").memory("1Gi").container("b").cpu("1").memory("512Mi"),
                        resources("cpu", 1500, "memory", GI + 512 * MI)),
                arguments("init container larger than the apps sets the request",
                        pod("p").initContainer("setup").cpu("2").container("main").cpu("1").memory("1Gi"),
                        resources("cpu", 2000, "memory", GI)),
                arguments("init container smaller than the apps is hidden",
                        pod("p").initContainer("setup").cpu("500m").container("main").cpu("1"),
                        resources("cpu", 1000)),
                arguments("largest of several init containers counts, not their sum",
                        pod("p").initContainer("i1").cpu("3").initContainer("i2").cpu("2").container("main").cpu("1"),
                        resources("cpu", 3000)),
                // sidecar 1 + app 2 = 3 while running; the init phase after the sidecar is 4 + 1 = 5.
                arguments("sidecar runs beside a later init container and the apps",
                        pod("p").sidecar("proxy").cpu("1").initContainer("setup").cpu("4").container("app").cpu("2"),
                        resources("cpu", 5000)),
                // init 4 runs before the sidecar starts: phases 4, then 1, then apps 2 + sidecar 1.
                arguments("init container before the sidecar does not see it",
                        pod("p").initContainer("setup").cpu("4").sidecar("proxy").cpu("1").container("app").cpu("2"),
                        resources("cpu", 4000)),
                arguments("sidecar adds to the apps",
                        pod("p").sidecar("proxy").cpu("1").memory("128Mi").container("app").cpu("2").memory("1Gi"),
                        resources("cpu", 3000, "memory", GI + 128 * MI)),
                arguments("overhead is added on top",
                        pod("p").container("main").cpu("1").memory("1Gi").overhead("cpu", "250m").overhead("memory", "120Mi"),
                        resources("cpu", 1250, "memory", GI + 120 * MI)),
                arguments("missing request defaults to the limit",
                        pod("p").container("main").limit("cpu", "2").limit("memory", "4Gi").memory("1Gi"),
                        resources("cpu", 2000, "memory", GI)),
                arguments("extended resource limit defaults the request",
                        pod("p").container("main").limit("nvidia.com/gpu", "1"),
                        resources("nvidia.com/gpu", 1)),
                arguments("gpu request", pod("p").container("main").gpu("2"), resources("nvidia.com/gpu", 2)),
                arguments("ephemeral storage and hugepages in bytes",
                        pod("p").container("main").request("ephemeral-storage", "10Gi").request("hugepages-2Mi", "1Gi"),
                        resources("ephemeral-storage", 10 * GI, "hugepages-2Mi", GI)),
                arguments("pod-level cpu request replaces the container sum",
                        pod("p").container("a").cpu("1").memory("1Gi").container("b").cpu("1").podRequest("cpu", "4"),
                        resources("cpu", 4000, "memory", GI)),
                arguments("pod-level request and overhead",
                        pod("p").container("a").cpu("1").podRequest("memory", "2Gi").overhead("memory", "100Mi"),
                        resources("cpu", 1000, "memory", 2 * GI + 100 * MI)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestCases")
    void effectiveRequests(String name, PodObjects pod, ResourceList expected) {
        assertThat(valid(pod.build()).requests()).isEqualTo(expected);
    }

    @Test
    void nonZeroRequestsUseKubeSchedulerDefaultsForMissingCpuAndMemory() {
        PodInfo info = valid(pod("p").container("a").gpu("1").container("b").cpu("2").build());
        assertThat(info.requests()).isEqualTo(resources("cpu", 2000, "nvidia.com/gpu", 1));
        assertThat(info.nonZeroRequests()).isEqualTo(resources("cpu", 2100, "memory", 400 * MI, "nvidia.com/gpu", 1));
    }

    static Stream<Arguments> cpuQuantities() {
        return Stream.of(
                arguments("millicores", "500m", 500),
                arguments("half a core as decimal", "0.5", 500),
                arguments("one core", "1", 1000),
                arguments("fraction of cores", "2.5", 2500),
                arguments("below a millicore rounds up", "0.0001", 1),
                arguments("microcores round up", "1500u", 2),
                arguments("exponent", "1e3", 1_000_000),
                arguments("explicit plus sign", "+2", 2000));
    }

    @ParameterizedTest(name = "{0}: cpu {1}")
    @MethodSource("cpuQuantities")
    void cpuIsMillicoresRoundedUp(String name, String quantity, long millis) {
        assertThat(valid(pod("p").container("main").cpu(quantity).build()).requests().get("cpu")).isEqualTo(millis);
    }

    static Stream<Arguments> memoryQuantities() {
        return Stream.of(
                arguments("binary suffix", "1Gi", GI),
                arguments("decimal suffix", "512M", 512_000_000L),
                arguments("exponent", "1e3", 1000),
                arguments("fractional binary", "1.5Gi", GI + 512 * MI),
                arguments("kibibytes", "100Ki", 102_400),
                arguments("plain bytes", "1048576", MI),
                arguments("fractional bytes round up", "0.5", 1),
                arguments("millibytes round up", "1500m", 2));
    }

    @ParameterizedTest(name = "{0}: memory {1}")
    @MethodSource("memoryQuantities")
    void memoryIsBytesRoundedUp(String name, String quantity, long bytes) {
        assertThat(valid(pod("p").container("main").memory(quantity).build()).requests().get("memory")).isEqualTo(bytes);
    }

    static Stream<Arguments> malformedQuantities() {
        return Stream.of(
                arguments("unknown suffix", pod("p").container("main").memory("12x"),
                        "container \"main\": memory request \"12x\" is not a valid quantity"),
                arguments("letters", pod("p").container("main").limit("cpu", "abc"),
                        "container \"main\": cpu limit \"abc\" is not a valid quantity"),
                arguments("two decimal points", pod("p").container("main").cpu("1.5.3"),
                        "container \"main\": cpu request \"1.5.3\" is not a valid quantity"),
                arguments("lower-case binary suffix", pod("p").container("main").memory("1gi"),
                        "container \"main\": memory request \"1gi\" is not a valid quantity"),
                arguments("suffix without number", pod("p").container("main").memory("Gi"),
                        "container \"main\": memory request \"Gi\" is not a valid quantity"),
                arguments("negative", pod("p").container("main").cpu("-1"),
                        "container \"main\": cpu request \"-1\" must not be negative"),
                arguments("fractional gpu", pod("p").container("main").gpu("1.5"),
                        "container \"main\": nvidia.com/gpu request \"1.5\" must be a whole number for an extended resource"),
                arguments("milli gpu", pod("p").container("main").gpu("500m"),
                        "container \"main\": nvidia.com/gpu request \"500m\" must be a whole number for an extended resource"),
                arguments("too large", pod("p").container("main").memory("1e30"),
                        "container \"main\": memory request \"1e30\" is too large"),
                arguments("an exponent far beyond any amount is refused before arithmetic",
                        pod("p").container("main").memory("1e9999999"),
                        "container \"main\": memory request \"1e9999999\" is too large"),
                arguments("an exponent far below any amount", pod("p").container("main").cpu("1e-9999999"),
                        "container \"main\": cpu request \"1e-9999999\" is too small"),
                arguments("containers whose sum overflows",
                        pod("p").container("a").memory("5Ei").container("b").memory("5Ei"),
                        "pod requests are too large: their sum overflows"),
                arguments("a host port beyond the range", pod("p").container("main").hostPort(70000),
                        "container \"main\": host port 70000 is outside 1..65535"),
                arguments("init container", pod("p").initContainer("setup").memory("1Gx").container("main"),
                        "init container \"setup\": memory request \"1Gx\" is not a valid quantity"),
                arguments("overhead", pod("p").container("main").overhead("cpu", "x1"),
                        "overhead: cpu \"x1\" is not a valid quantity"),
                arguments("pod-level", pod("p").container("main").podRequest("memory", "lots"),
                        "pod resources: memory request \"lots\" is not a valid quantity"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedQuantities")
    void malformedQuantityIsAnErrorNamingContainerResourceAndValue(String name, PodObjects pod, String message) {
        assertThat(translator.translate(pod.build())).isEqualTo(Translation.invalid(message));
    }

    @Test
    void wholeGpuWithDecimalPointIsAccepted() {
        assertThat(valid(pod("p").container("main").gpu("2.0").build()).requests().get("nvidia.com/gpu")).isEqualTo(2);
    }

    // ------------------------------------------------------------------ QoS

    static Stream<Arguments> qosCases() {
        return Stream.of(
                arguments("no requests or limits", pod("p").container("main"), QosClass.BEST_EFFORT),
                arguments("only a gpu", pod("p").container("main").gpu("1"), QosClass.BEST_EFFORT),
                arguments("requests without limits", pod("p").container("main").cpu("1").memory("1Gi"),
                        QosClass.BURSTABLE),
                arguments("limits only (requests default to them)",
                        pod("p").container("main").limit("cpu", "1").limit("memory", "1Gi"), QosClass.GUARANTEED),
                arguments("requests equal limits",
                        pod("p").container("main").cpu("1").memory("1Gi").limit("cpu", "1").limit("memory", "1Gi"),
                        QosClass.GUARANTEED),
                arguments("request below limit",
                        pod("p").container("main").cpu("500m").memory("1Gi").limit("cpu", "1").limit("memory", "1Gi"),
                        QosClass.BURSTABLE),
                arguments("one container without limits",
                        pod("p").container("a").limit("cpu", "1").limit("memory", "1Gi").container("b").cpu("1"),
                        QosClass.BURSTABLE),
                arguments("init container without limits",
                        pod("p").initContainer("setup").cpu("100m")
                                .container("main").limit("cpu", "1").limit("memory", "1Gi"),
                        QosClass.BURSTABLE),
                arguments("cpu limit only is not guaranteed", pod("p").container("main").limit("cpu", "1"),
                        QosClass.BURSTABLE),
                arguments("pod-level limits decide",
                        pod("p").container("main").cpu("100m").podLimit("cpu", "2").podLimit("memory", "2Gi"),
                        QosClass.GUARANTEED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("qosCases")
    void qosClass(String name, PodObjects pod, QosClass expected) {
        assertThat(valid(pod.build()).qosClass()).isEqualTo(expected);
    }

    // ------------------------------------------------------------------ tolerations

    static Stream<Arguments> tolerationCases() {
        return Stream.of(
                arguments("Exists with no effect tolerates every effect",
                        pod("p").toleration("gpu", "Exists", null, null),
                        List.of(Toleration.exists("gpu", null))),
                arguments("Equal with effect",
                        pod("p").toleration("dedicated", "Equal", "spark", "NoSchedule"),
                        List.of(Toleration.equal("dedicated", "spark", TaintEffect.NO_SCHEDULE))),
                arguments("empty operator means Equal",
                        pod("p").toleration("dedicated", null, "spark", "NoExecute"),
                        List.of(Toleration.equal("dedicated", "spark", TaintEffect.NO_EXECUTE))),
                arguments("empty key with Exists tolerates everything",
                        pod("p").toleration(null, "Exists", null, ""),
                        List.of(Toleration.exists("", null))),
                arguments("several, in order",
                        pod("p").toleration("a", "Exists", null, "PreferNoSchedule")
                                .toleration("b", "Equal", "x", "NoSchedule"),
                        List.of(Toleration.exists("a", TaintEffect.PREFER_NO_SCHEDULE),
                                Toleration.equal("b", "x", TaintEffect.NO_SCHEDULE))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tolerationCases")
    void tolerations(String name, PodObjects pod, List<Toleration> expected) {
        assertThat(valid(pod.container("main").build()).tolerations()).isEqualTo(expected);
    }

    static Stream<Arguments> invalidTolerations() {
        return Stream.of(
                arguments("unknown effect", pod("p").toleration("gpu", "Exists", null, "NoScheduleX"),
                        "toleration \"gpu\": unknown effect \"NoScheduleX\""),
                arguments("unknown operator", pod("p").toleration("gpu", "Matches", "x", "NoSchedule"),
                        "toleration \"gpu\": unknown operator \"Matches\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidTolerations")
    void invalidTolerationIsAnError(String name, PodObjects pod, String message) {
        assertThat(translator.translate(pod.container("main").build())).isEqualTo(Translation.invalid(message));
    }

    // ------------------------------------------------------------------ node affinity

    private static NodeSelectorRequirement req(String key, NodeSelectorOperator op, String... values) {
        return new NodeSelectorRequirement(key, op, List.of(values));
    }

    static Stream<Arguments> affinityCases() {
        return Stream.of(
                arguments("none", pod("p"), NodeAffinity.NONE),
                arguments("required In",
                        pod("p").requiredTerm(term(expr("pool", "In", "gpu", "cpu"))),
                        new NodeAffinity(List.of(new NodeSelectorTerm(
                                List.of(req("pool", NodeSelectorOperator.IN, "gpu", "cpu")), List.of())), List.of())),
                arguments("required terms are ORed, expressions ANDed",
                        pod("p").requiredTerm(term(expr("a", "Exists"), expr("b", "NotIn", "x")))
                                .requiredTerm(term(expr("cores", "Gt", "16"), expr("age", "Lt", "-3"))),
                        new NodeAffinity(List.of(
                                new NodeSelectorTerm(List.of(req("a", NodeSelectorOperator.EXISTS),
                                        req("b", NodeSelectorOperator.NOT_IN, "x")), List.of()),
                                new NodeSelectorTerm(List.of(req("cores", NodeSelectorOperator.GT, "16"),
                                        req("age", NodeSelectorOperator.LT, "-3")), List.of())), List.of())),
                arguments("Gt with a value that is no integer is kept: the API server accepts it, the term matches nothing",
                        pod("p").requiredTerm(term(expr("cores", "Gt", "abc"))).requiredTerm(term(expr("a", "Exists"))),
                        new NodeAffinity(List.of(
                                new NodeSelectorTerm(List.of(req("cores", NodeSelectorOperator.GT, "abc")), List.of()),
                                new NodeSelectorTerm(List.of(req("a", NodeSelectorOperator.EXISTS)), List.of())),
                                List.of())),
                arguments("Lt with a decimal value in a preferred term is kept too",
                        pod("p").preferredTerm(10, term(expr("cores", "Lt", "2.5"))),
                        new NodeAffinity(null, List.of(new PreferredSchedulingTerm(10, new NodeSelectorTerm(
                                List.of(req("cores", NodeSelectorOperator.LT, "2.5")), List.of()))))),
                arguments("match field on node name",
                        pod("p").requiredTerm(fieldTerm(expr("metadata.name", "In", "node-7"))),
                        new NodeAffinity(List.of(new NodeSelectorTerm(List.of(),
                                List.of(req("metadata.name", NodeSelectorOperator.IN, "node-7")))), List.of())),
                arguments("preferred only",
                        pod("p").preferredTerm(50, term(expr("zone", "DoesNotExist"))),
                        new NodeAffinity(null, List.of(new PreferredSchedulingTerm(50, new NodeSelectorTerm(
                                List.of(req("zone", NodeSelectorOperator.DOES_NOT_EXIST)), List.of()))))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("affinityCases")
    void nodeAffinity(String name, PodObjects pod, NodeAffinity expected) {
        assertThat(valid(pod.container("main").build()).nodeAffinity()).isEqualTo(expected);
    }

    static Stream<Arguments> invalidAffinities() {
        return Stream.of(
                arguments("Lt needs exactly one value", pod("p").requiredTerm(term(expr("cores", "Lt", "1", "2"))),
                        "node affinity: key \"cores\": operator Lt needs exactly one value, got [1, 2]"),
                arguments("In needs a value", pod("p").requiredTerm(term(expr("pool", "In"))),
                        "node affinity: key \"pool\": operator In needs at least one value"),
                arguments("NotIn needs a value", pod("p").preferredTerm(1, term(expr("pool", "NotIn"))),
                        "node affinity: key \"pool\": operator NotIn needs at least one value"),
                arguments("Exists takes no values", pod("p").requiredTerm(term(expr("gpu", "Exists", "yes"))),
                        "node affinity: key \"gpu\": operator Exists takes no values, got [yes]"),
                arguments("unknown operator", pod("p").requiredTerm(term(expr("gpu", "Near", "x"))),
                        "node affinity: key \"gpu\": unknown operator \"Near\""),
                arguments("match field other than the node name",
                        pod("p").requiredTerm(fieldTerm(expr("metadata.uid", "In", "x"))),
                        "node affinity: match field \"metadata.uid\" is not supported (only metadata.name)"),
                arguments("match field with two values",
                        pod("p").requiredTerm(fieldTerm(expr("metadata.name", "In", "a", "b"))),
                        "node affinity: match field \"metadata.name\" needs exactly one value, got [a, b]"),
                arguments("match field with Exists",
                        pod("p").requiredTerm(fieldTerm(expr("metadata.name", "Exists"))),
                        "node affinity: match field \"metadata.name\": operator Exists is not supported (only In and NotIn)"),
                arguments("preferred weight zero", pod("p").preferredTerm(0, term(expr("a", "Exists"))),
                        "node affinity: preferred term weight 0 is outside 1..100"),
                arguments("preferred weight above 100", pod("p").preferredTerm(101, term(expr("a", "Exists"))),
                        "node affinity: preferred term weight 101 is outside 1..100"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidAffinities")
    void invalidNodeAffinityIsAnError(String name, PodObjects pod, String message) {
        assertThat(translator.translate(pod.container("main").build())).isEqualTo(Translation.invalid(message));
    }

    // ------------------------------------------------------------------ unsupported constraints

    static Stream<Arguments> constraintCases() {
        return Stream.of(
                arguments("plain pod", pod("p"), List.of()),
                arguments("inter-pod affinity, anti-affinity and spread are evaluated, not refused",
                        pod("p").requiredPodAffinity().requiredPodAntiAffinity().topologySpread("DoNotSchedule")
                                .topologySpread("ScheduleAnyway"), List.of()),
                arguments("persistent volume claim", pod("p").pvc("data", "claim-1"),
                        List.of("persistent volume claims")),
                arguments("generic ephemeral volume", pod("p").ephemeralVolume("scratch"),
                        List.of("persistent volume claims")),
                arguments("emptyDir and configMap volumes are fine",
                        pod("p").emptyDir("tmp").configMapVolume("conf", "spark-conf"), List.of()),
                arguments("dynamic resource claim", pod("p").resourceClaim("gpu-claim"),
                        List.of("dynamic resource claims")),
                arguments("all of them, once each",
                        pod("p").requiredPodAffinity().requiredPodAntiAffinity().topologySpread("DoNotSchedule")
                                .pvc("a", "c1").pvc("b", "c2").resourceClaim("r"),
                        List.of("persistent volume claims", "dynamic resource claims")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("constraintCases")
    void unsupportedConstraints(String name, PodObjects pod, List<String> expected) {
        assertThat(valid(pod.container("main").build()).unsupportedConstraints()).isEqualTo(expected);
    }

    // ------------------------------------------------------------------ metadata and status

    @Test
    void gatedPodIsMarked() {
        assertThat(valid(pod("p").container("main").schedulingGate("example.com/quota").build()).schedulingGated())
                .isTrue();
        assertThat(valid(pod("p").container("main").build()).schedulingGated()).isFalse();
    }

    @Test
    void identityAndSchedulingFieldsAreCopied() {
        PodInfo info = valid(pod("driver").namespace("spark-jobs").uid("u-1")
                .label("spark-role", "driver")
                .label("pod-group.scheduling.kubenexus.io/name", "pi")
                .annotation("numa.scheduling.kubenexus.io/policy", "single-numa")
                .annotation("scheduling.x-k8s.io/pod-group", "pi")
                .annotation("pod-group.scheduling.sigs.k8s.io/min-available", "3")
                .annotation("kubectl.kubernetes.io/last-applied-configuration", "{\"huge\":true}")
                .annotation("sparkoperator.k8s.io/submission-id", "abc")
                .createdAt("2024-05-01T10:15:30.5Z")
                .priority(1000)
                .nodeSelector("pool", "spark")
                .phase("Running")
                .nodeName("node-3")
                .container("main")
                .build());

        assertThat(info.key()).isEqualTo(new PodKey("spark-jobs", "driver"));
        assertThat(info.uid()).isEqualTo("u-1");
        assertThat(info.schedulerName()).isEqualTo("kubenexus-scheduler");
        assertThat(info.priority()).isEqualTo(1000);
        assertThat(info.createdAt()).isEqualTo(Instant.parse("2024-05-01T10:15:30.5Z"));
        assertThat(info.labels()).containsEntry("spark-role", "driver").hasSize(2);
        assertThat(info.annotations()).containsOnlyKeys("numa.scheduling.kubenexus.io/policy",
                "scheduling.x-k8s.io/pod-group", "pod-group.scheduling.sigs.k8s.io/min-available");
        assertThat(info.nodeSelector()).isEqualTo(Map.of("pool", "spark"));
        assertThat(info.phase()).isEqualTo(PodPhase.RUNNING);
        assertThat(info.nodeName()).isEqualTo("node-3");
        assertThat(info.terminating()).isFalse();
    }

    @Test
    void apiServerDefaultsApplyWhenFieldsAreMissing() {
        PodInfo info = valid(pod("p").schedulerName(null).priority(null).createdAt(null).container("main").build());
        assertThat(info.schedulerName()).isEqualTo(PodTranslator.DEFAULT_SCHEDULER_NAME);
        assertThat(info.priority()).isZero();
        assertThat(info.createdAt()).isEqualTo(Instant.EPOCH);
        assertThat(info.phase()).isEqualTo(PodPhase.PENDING);
        assertThat(info.nodeName()).isNull();
    }

    @Test
    void deletionTimestampMeansTerminating() {
        assertThat(valid(pod("p").deleting().container("main").build()).terminating()).isTrue();
    }

    @Test
    void hostPortsOfAppsAndSidecarsButNotOfOrdinaryInitContainers() {
        PodInfo info = valid(pod("p")
                .initContainer("setup").hostPort(9000)
                .sidecar("proxy").hostPort("10.0.0.1", "UDP", 9001)
                .container("main").hostPort(8080).containerPort("http", 8081)
                .build());
        assertThat(info.hostPorts()).containsExactly(new HostPort(null, null, 8080),
                new HostPort("10.0.0.1", "UDP", 9001));
    }

    @Test
    void neverThrowsOnObjectsTheApiWouldNotSend() {
        Pod noMetadata = new Pod();
        assertThat(translator.translate(noMetadata)).isEqualTo(Translation.invalid("pod has no metadata.name"));
        assertThat(translator.translate(null)).isEqualTo(Translation.invalid("pod has no metadata.name"));

        Pod noSpec = pod("p").build();
        noSpec.setSpec(null);
        assertThat(translator.translate(noSpec).isValid()).isTrue();

        Pod nullContainer = pod("p").container("main").build();
        nullContainer.getSpec().getContainers().add(null);
        assertThat(translator.translate(nullContainer).errorOrNull()).isEqualTo("spec.containers[1] is null");
    }

    @Test
    void identityOfAnInvalidPodKeepsWhatIsNeededToReportIt() {
        Pod invalid = pod("bad").namespace("ns").uid("u-9").label("app", "x")
                .container("main").memory("12x").build();
        assertThat(translator.translate(invalid).isValid()).isFalse();

        PodInfo identity = translator.accounting(invalid);
        assertThat(identity.key()).isEqualTo(new PodKey("ns", "bad"));
        assertThat(identity.uid()).isEqualTo("u-9");
        assertThat(identity.schedulerName()).isEqualTo("kubenexus-scheduler");
        assertThat(identity.labels()).containsEntry("app", "x");
        assertThat(identity.requests()).isEqualTo(ResourceList.EMPTY);
        assertThat(translator.accounting(null).key()).isEqualTo(new PodKey("", ""));
    }

    // ------------------------------------------------------------------ NUMA annotations

    static Stream<Arguments> numaAnnotations() {
        String policy = "numa.scheduling.kubenexus.io/policy";
        String resources = "numa.scheduling.kubenexus.io/resources";
        return Stream.of(
                arguments("unknown policy", pod("p").annotation(policy, "single-numa-node"),
                        "annotation " + policy + ": unknown NUMA policy 'single-numa-node'"),
                arguments("resources without policy", pod("p").annotation(resources, "cpu"),
                        "annotation " + resources + " is set but " + policy + " is not; set the policy too"),
                arguments("empty resource entry", pod("p").annotation(policy, "single-numa").annotation(resources, "cpu,,memory"),
                        "annotation " + resources + ": 'cpu,,memory' is not a comma-separated list of resource names (bad entry '')"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("numaAnnotations")
    void malformedNumaAnnotationIsAnErrorNamingTheAnnotationAndValue(String name, PodObjects pod, String message) {
        assertThat(translator.translate(pod.container("main").cpu("1").build()).errorOrNull()).startsWith(message);
    }

    @Test
    void validNumaAnnotationsAreKept() {
        PodInfo info = valid(pod("p").annotation("numa.scheduling.kubenexus.io/policy", "isolated")
                .annotation("numa.scheduling.kubenexus.io/resources", "cpu,nvidia.com/gpu")
                .container("main").cpu("4").gpu("1").build());

        assertThat(info.annotations()).containsOnlyKeys("numa.scheduling.kubenexus.io/policy",
                "numa.scheduling.kubenexus.io/resources");
        assertThat(RetainedAnnotations.isPodKey("numa.scheduling.kubenexus.io/anything-new")).isTrue();
    }

    // ------------------------------------------------------------------ in-place resize

    private static final String INFEASIBLE = "Infeasible";

    /** kube-scheduler 1.33+ (component-helpers resource.PodRequests, determineContainerReqs). */
    static Stream<Arguments> resizeCases() {
        return Stream.of(
                arguments("no status: the spec", pod("p").container("main").cpu("2"), resources("cpu", 2000)),
                arguments("status equal to the spec: the spec",
                        pod("p").container("main").cpu("2").actualRequest("main", "cpu", "2").allocated("main", "cpu", "2"),
                        resources("cpu", 2000)),
                arguments("growing, not actuated yet: the larger spec",
                        pod("p").container("main").cpu("4").actualRequest("main", "cpu", "2").allocated("main", "cpu", "4")
                                .condition("PodResizeInProgress", "True", null, null),
                        resources("cpu", 4000)),
                arguments("shrinking, the kubelet still holds the old amount",
                        pod("p").container("main").cpu("1").actualRequest("main", "cpu", "3").allocated("main", "cpu", "3")
                                .condition("PodResizePending", "True", "Deferred", null),
                        resources("cpu", 3000)),
                arguments("allocated above both",
                        pod("p").container("main").cpu("1").actualRequest("main", "cpu", "1").allocated("main", "cpu", "5"),
                        resources("cpu", 5000)),
                arguments("per resource: the larger of each",
                        pod("p").container("main").cpu("4").memory("1Gi")
                                .actualRequest("main", "cpu", "2").actualRequest("main", "memory", "2Gi"),
                        resources("cpu", 4000, "memory", 2 * GI)),
                arguments("infeasible: the status, not the spec the kubelet will never grant",
                        pod("p").container("main").cpu("64").actualRequest("main", "cpu", "2").allocated("main", "cpu", "2")
                                .condition("PodResizePending", "True", INFEASIBLE, "Node didn't have enough capacity"),
                        resources("cpu", 2000)),
                arguments("a resize reported without resources counts nothing but the spec (as kube 1.33)",
                        pod("p").container("main").cpu("1").allocated("main", "cpu", "3"),
                        resources("cpu", 1000)),
                arguments("per container: each charged its own larger amount",
                        pod("p").container("a").cpu("1").container("b").cpu("1")
                                .actualRequest("a", "cpu", "3"),
                        resources("cpu", 4000)),
                arguments("a sidecar's resize counts",
                        pod("p").sidecar("proxy").cpu("1").container("main").cpu("1")
                                .actualRequest("proxy", "cpu", "2"),
                        resources("cpu", 3000)),
                arguments("an ordinary init container has finished: its status is not read",
                        pod("p").initContainer("setup").cpu("1").container("main").cpu("1")
                                .actualRequest("setup", "cpu", "9"),
                        resources("cpu", 1000)),
                arguments("overhead is added to the resized sum",
                        pod("p").container("main").cpu("1").actualRequest("main", "cpu", "2").overhead("cpu", "250m"),
                        resources("cpu", 2250)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resizeCases")
    void inPlaceResizeIsChargedAsKubeSchedulerChargesIt(String name, PodObjects pod, ResourceList expected) {
        PodInfo info = valid(pod.nodeName("n1").phase("Running").build());
        assertThat(info.requests()).isEqualTo(expected);
    }

    @Test
    void aResizeKeepsTheSpecsQosClassAndChargesTheContainersItResizes() {
        PodInfo info = valid(pod("p").container("main").cpu("2").limit("cpu", "2").memory("1Gi").limit("memory", "1Gi")
                .actualRequest("main", "cpu", "4").nodeName("n1").build());

        assertThat(info.qosClass()).isEqualTo(QosClass.GUARANTEED);
        assertThat(info.requests().get("cpu")).isEqualTo(4000);
        assertThat(info.nonZeroRequests().get("cpu")).isEqualTo(4000);
        assertThat(info.containers()).singleElement().satisfies(c -> assertThat(c.requests().get("cpu")).isEqualTo(4000));
    }

    @Test
    void aStatusQuantityThatCannotBeReadIsAnErrorNamingTheContainer() {
        Pod pod = pod("p").container("main").cpu("1").actualRequest("main", "cpu", "1").nodeName("n1").build();
        pod.getStatus().getContainerStatuses().get(0).getResources().getRequests()
                .put("cpu", new io.fabric8.kubernetes.api.model.Quantity("lots"));

        assertThat(translator.translate(pod).errorOrNull())
                .isEqualTo("status of container \"main\": cpu request \"lots\" is not a valid quantity");
        assertThat(translator.accounting(pod).requests()).as("the spec still counts").isEqualTo(resources("cpu", 1000));
    }

    // ------------------------------------------------------------------ accounting of unreadable pods

    @Test
    void aPodWhoseConstraintsCannotBeReadKeepsWhatAccountingNeeds() {
        Pod pod = pod("bound").namespace("ns").uid("u-1").schedulerName("default-scheduler")
                .toleration("gpu", "Sometimes", null, "NoSchedule")
                .container("main").cpu("3").memory("1Gi").hostPort(8080).nodeName("n1").phase("Running").deleting()
                .build();
        assertThat(translator.translate(pod).errorOrNull()).isEqualTo("toleration \"gpu\": unknown operator \"Sometimes\"");

        PodInfo accounting = translator.accounting(pod);

        assertThat(accounting.key()).isEqualTo(new PodKey("ns", "bound"));
        assertThat(accounting.uid()).isEqualTo("u-1");
        assertThat(accounting.schedulerName()).isEqualTo("default-scheduler");
        assertThat(accounting.nodeName()).isEqualTo("n1");
        assertThat(accounting.phase()).isEqualTo(PodPhase.RUNNING);
        assertThat(accounting.terminating()).isTrue();
        assertThat(accounting.requests()).isEqualTo(resources("cpu", 3000, "memory", GI));
        assertThat(accounting.nonZeroRequests()).isEqualTo(resources("cpu", 3000, "memory", GI));
        assertThat(accounting.hostPorts()).containsExactly(new HostPort(null, null, 8080));
        assertThat(accounting.tolerations()).isEmpty();
    }

    @Test
    void aPodWhoseRequestsCannotBeReadIsStillAPodOnItsNode() {
        Pod pod = pod("bound").container("main").memory("12x").nodeName("n1").phase("Running").build();

        PodInfo accounting = translator.accounting(pod);

        assertThat(accounting.nodeName()).isEqualTo("n1");
        assertThat(accounting.holdsResources()).isTrue();
        assertThat(accounting.requests()).isEqualTo(ResourceList.EMPTY);
        assertThat(translator.accounting(null).key()).isEqualTo(new PodKey("", ""));
    }

    @Test
    void numaAnnotationsOfAnotherSchedulersPodMeanNothing() {
        PodTranslator ours = new PodTranslator("kubenexus-scheduler");
        PodObjects mistyped = pod("p").annotation("numa.scheduling.kubenexus.io/policy", "single-numa-node")
                .container("main").cpu("1").nodeName("n1");

        assertThat(ours.translate(mistyped.schedulerName("default-scheduler").build()).isValid()).isTrue();
        assertThat(ours.translate(mistyped.schedulerName("kubenexus-scheduler").build()).errorOrNull())
                .startsWith("annotation numa.scheduling.kubenexus.io/policy: unknown NUMA policy 'single-numa-node'");
        assertThat(ours.readsOwnAnnotations(valid(pod("x").schedulerName("other").container("main").build()))).isFalse();
    }
}
