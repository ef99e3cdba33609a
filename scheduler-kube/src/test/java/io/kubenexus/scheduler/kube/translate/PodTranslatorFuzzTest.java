package io.kubenexus.scheduler.kube.translate;

import static io.kubenexus.scheduler.core.testing.Fuzz.BLOW_UP_NANOS;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.kubenexus.scheduler.core.model.HostPort;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.testing.Fuzz;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Whole pods with fuzzed fields (quantities in spec and status, node-affinity operators and values,
 * tolerations, ports, resize conditions, pod anti-affinity terms and spread constraints): the translator ends in a pod or in an error naming the
 * field, never in the catch-all "pod cannot be read" of an escaped exception; the accounting view
 * never throws and agrees with a valid translation.
 */
class PodTranslatorFuzzTest {
    private static final List<String> QUANTITIES = List.of("1", "500m", "2Gi", "1.5", "100Mi", "1e3", "0", "4");
    private static final List<String> RESOURCES = List.of("cpu", "memory", "nvidia.com/gpu", "ephemeral-storage",
            "example.com/fpga");
    private static final List<String> OPERATORS = List.of("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt");
    private static final List<String> VALUES = List.of("a", "zone-1", "4", "-1", "abc", "2.5");
    private static final List<String> KEYS = List.of("zone", "gpu-count", "kubernetes.io/hostname", "metadata.name");
    private static final List<String> TOLERATION_OPERATORS = List.of("Equal", "Exists", "");
    private static final List<String> EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute", "");
    private static final List<Integer> PORTS = List.of(0, -1, 80, 8080, 65535, 65536, Integer.MAX_VALUE,
            Integer.MIN_VALUE);
    private static final List<Integer> WEIGHTS = List.of(-1, 0, 1, 50, 100, 101);

    private final PodTranslator translator = new PodTranslator("kubenexus-scheduler");

    @Test
    void aPodWithFuzzedFieldsEndsInAPodOrAnErrorNamingTheField() {
        java.util.Set<String> errorKinds = new java.util.TreeSet<>();
        int[] validCount = {0};
        Fuzz.named("pods").cases(2_000).generated(PodTranslatorFuzzTest::pod, pod -> {
            long start = System.nanoTime();
            Translation<PodInfo> translated = translator.translate(pod);
            PodInfo accounting = translator.accounting(pod);
            assertThat(System.nanoTime() - start).as("time").isLessThan(BLOW_UP_NANOS);

            assertThat(accounting.key().name()).isEqualTo("p");
            assertThat(accounting.nodeName()).isEqualTo(pod.getSpec().getNodeName());
            if (translated instanceof Translation.Valid<PodInfo> valid) {
                PodInfo info = valid.value();
                assertThat(info.requests().amounts()).allSatisfy((r, amount) -> assertThat(amount).isPositive());
                assertThat(info.hostPorts()).extracting(HostPort::port)
                        .allSatisfy(port -> assertThat(port).isBetween(1, 65535));
                assertThat(accounting.requests()).as("accounting agrees").isEqualTo(info.requests());
                assertThat(accounting.hostPorts()).isEqualTo(info.hostPorts());
                validCount[0]++;
            } else {
                errorKinds.add(translated.errorOrNull().replaceAll("\"[^\"]*\"", "\"\"").replaceAll("\\[.*", ""));
                assertThat(translated.errorOrNull()).as("a named error, not an escaped exception")
                        .doesNotStartWith("pod cannot be read");
            }
        });
        System.out.println("valid " + validCount[0] + "; error kinds: " + errorKinds.size());
        // The generator reaches both outcomes and the fields it fuzzes.
        assertThat(validCount[0]).isBetween(200, 1_800);
        assertThat(errorKinds).anyMatch(e -> e.startsWith("node affinity")).anyMatch(e -> e.startsWith("toleration"))
                .anyMatch(e -> e.contains("request")).anyMatch(e -> e.startsWith("status of container"))
                .anyMatch(e -> e.startsWith("spec.affinity.podAntiAffinity"))
                .anyMatch(e -> e.startsWith("spec.topologySpreadConstraints"));
    }

    private static Pod pod(Random random) {
        PodBuilder builder = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").endMetadata()
                .withNewSpec().withSchedulerName(random.nextBoolean() ? "kubenexus-scheduler" : "default-scheduler")
                .withNodeName(random.nextBoolean() ? "n1" : null).endSpec()
                .withNewStatus().withPhase(random.nextBoolean() ? "Running" : "Pending").endStatus();
        Pod pod = builder.build();
        List<Container> containers = new ArrayList<>();
        List<ContainerStatus> statuses = new ArrayList<>();
        for (int i = 0; i < random.nextInt(4); i++) {
            containers.add(container(random, "c" + i));
            if (random.nextInt(3) == 0) {
                statuses.add(status(random, "c" + i));
            }
        }
        pod.getSpec().setContainers(containers);
        List<Container> initContainers = new ArrayList<>();
        for (int i = 0; i < random.nextInt(3); i++) {
            Container init = container(random, "i" + i);
            init.setRestartPolicy(random.nextBoolean() ? "Always" : null);
            initContainers.add(init);
        }
        pod.getSpec().setInitContainers(initContainers);
        pod.getStatus().setContainerStatuses(statuses);
        if (random.nextInt(4) == 0) {
            PodCondition resize = new PodCondition();
            resize.setType(random.nextBoolean() ? "PodResizePending" : "PodResizeInProgress");
            resize.setStatus("True");
            resize.setReason(field(random, List.of("Infeasible", "Deferred"), 3));
            pod.getStatus().setConditions(new ArrayList<>(List.of(resize)));
        }
        if (random.nextBoolean()) {
            affinity(random, pod);
        }
        if (random.nextInt(3) == 0) {
            interPod(random, pod);
        }
        List<Toleration> tolerations = new ArrayList<>();
        for (int i = 0; i < random.nextInt(3); i++) {
            Toleration toleration = new Toleration();
            toleration.setKey(field(random, KEYS, 4));
            toleration.setOperator(field(random, TOLERATION_OPERATORS, 4));
            toleration.setValue(field(random, VALUES, 2));
            toleration.setEffect(field(random, EFFECTS, 4));
            tolerations.add(toleration);
        }
        pod.getSpec().setTolerations(tolerations);
        return pod;
    }

    private static Container container(Random random, String name) {
        Container container = new Container();
        container.setName(name);
        ResourceRequirements resources = new ResourceRequirements();
        resources.setRequests(quantities(random));
        resources.setLimits(random.nextBoolean() ? quantities(random) : new LinkedHashMap<>());
        container.setResources(resources);
        List<ContainerPort> ports = new ArrayList<>();
        for (int i = 0; i < random.nextInt(3); i++) {
            ContainerPort port = new ContainerPort();
            port.setContainerPort(8080);
            port.setHostPort(random.nextBoolean() ? null : PORTS.get(random.nextInt(PORTS.size())));
            port.setProtocol(field(random, List.of("TCP", "UDP", "SCTP"), 3));
            ports.add(port);
        }
        container.setPorts(ports);
        return container;
    }

    private static ContainerStatus status(Random random, String name) {
        ContainerStatus status = new ContainerStatus();
        status.setName(name);
        ResourceRequirements actual = new ResourceRequirements();
        actual.setRequests(quantities(random));
        status.setResources(random.nextInt(4) == 0 ? null : actual);
        status.setAllocatedResources(quantities(random));
        return status;
    }

    /** One of {@code examples}, mutated once in {@code odds}: a pod with every field broken tests only the first. */
    private static String field(Random random, List<String> examples, int odds) {
        return random.nextInt(odds) == 0 ? Fuzz.mutation(random, examples) : examples.get(random.nextInt(examples.size()));
    }

    /** Mostly valid quantities, some mutated. */
    private static Map<String, Quantity> quantities(Random random) {
        Map<String, Quantity> quantities = new LinkedHashMap<>();
        for (int i = 0; i < random.nextInt(3); i++) {
            Quantity quantity = new Quantity();
            quantity.setAmount(field(random, QUANTITIES, 15));
            quantities.put(RESOURCES.get(random.nextInt(RESOURCES.size())), quantity);
        }
        return quantities;
    }

    private static void affinity(Random random, Pod pod) {
        List<NodeSelectorTerm> required = new ArrayList<>();
        for (int t = 0; t < random.nextInt(3); t++) {
            required.add(term(random));
        }
        List<PreferredSchedulingTerm> preferred = new ArrayList<>();
        for (int t = 0; t < random.nextInt(2); t++) {
            preferred.add(new PreferredSchedulingTerm(term(random), WEIGHTS.get(random.nextInt(WEIGHTS.size()))));
        }
        pod.getSpec().setAffinity(new io.fabric8.kubernetes.api.model.AffinityBuilder().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution().withNodeSelectorTerms(required)
                .endRequiredDuringSchedulingIgnoredDuringExecution()
                .withPreferredDuringSchedulingIgnoredDuringExecution(preferred).endNodeAffinity().build());
    }

    private static final List<String> SELECTOR_OPERATORS = List.of("In", "NotIn", "Exists", "DoesNotExist");
    private static final List<String> TOPOLOGY_KEYS = List.of("kubernetes.io/hostname", "topology.kubernetes.io/zone");
    private static final List<String> WHEN_UNSATISFIABLE = List.of("DoNotSchedule", "ScheduleAnyway");
    private static final List<String> INCLUSION_POLICIES = List.of("Honor", "Ignore");

    /** Pod (anti-)affinity terms and spread constraints, now and then with a field no API server accepts. */
    private static void interPod(Random random, Pod pod) {
        io.fabric8.kubernetes.api.model.Affinity affinity = pod.getSpec().getAffinity() == null
                ? new io.fabric8.kubernetes.api.model.Affinity() : pod.getSpec().getAffinity();
        affinity.setPodAntiAffinity(new io.fabric8.kubernetes.api.model.PodAntiAffinityBuilder()
                .withRequiredDuringSchedulingIgnoredDuringExecution(podTerm(random))
                .addNewPreferredDuringSchedulingIgnoredDuringExecution()
                .withWeight(random.nextInt(6) == 0 ? WEIGHTS.get(random.nextInt(WEIGHTS.size())) : 10)
                .withPodAffinityTerm(podTerm(random)).endPreferredDuringSchedulingIgnoredDuringExecution().build());
        pod.getSpec().setAffinity(affinity);
        pod.getSpec().setTopologySpreadConstraints(new ArrayList<>(List.of(
                new io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder()
                        .withMaxSkew(random.nextInt(8) == 0 ? random.nextInt(3) - 1 : 1)
                        .withTopologyKey(field(random, TOPOLOGY_KEYS, 8))
                        .withWhenUnsatisfiable(field(random, WHEN_UNSATISFIABLE, 8))
                        .withNodeTaintsPolicy(random.nextBoolean() ? null : field(random, INCLUSION_POLICIES, 8))
                        .withLabelSelector(selector(random)).build())));
    }

    private static io.fabric8.kubernetes.api.model.PodAffinityTerm podTerm(Random random) {
        return new io.fabric8.kubernetes.api.model.PodAffinityTermBuilder()
                .withTopologyKey(field(random, TOPOLOGY_KEYS, 8)).withLabelSelector(selector(random))
                .withMatchLabelKeys(random.nextInt(4) == 0 ? List.of("pod-template-hash") : List.of()).build();
    }

    private static io.fabric8.kubernetes.api.model.LabelSelector selector(Random random) {
        String operator = field(random, SELECTOR_OPERATORS, 8);
        boolean needsValues = operator.equals("In") || operator.equals("NotIn");
        List<String> values = needsValues == (random.nextInt(8) != 0) ? List.of("web") : List.of();
        return new io.fabric8.kubernetes.api.model.LabelSelectorBuilder().addToMatchLabels("app", "web")
                .addNewMatchExpression().withKey("tier").withOperator(operator).withValues(values).endMatchExpression()
                .build();
    }

    private static NodeSelectorTerm term(Random random) {
        List<NodeSelectorRequirement> expressions = new ArrayList<>();
        for (int i = 0; i < random.nextInt(3); i++) {
            List<String> values = new ArrayList<>();
            for (int v = 0; v < random.nextInt(3); v++) {
                values.add(field(random, VALUES, 3));
            }
            expressions.add(new NodeSelectorRequirement(field(random, KEYS, 4), field(random, OPERATORS, 4),
                    values));
        }
        List<NodeSelectorRequirement> fields = new ArrayList<>();
        if (random.nextInt(4) == 0) {
            fields.add(new NodeSelectorRequirement(Fuzz.mutation(random, KEYS), Fuzz.mutation(random, OPERATORS),
                    List.of(Fuzz.mutation(random, VALUES))));
        }
        return new NodeSelectorTerm(expressions, fields);
    }
}
