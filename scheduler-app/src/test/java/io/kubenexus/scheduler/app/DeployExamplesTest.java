package io.kubenexus.scheduler.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.scheduling.v1alpha2.PodGroup;
import io.fabric8.kubernetes.api.model.scheduling.v1alpha2.Workload;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.gang.group.GroupMembership;
import io.kubenexus.scheduler.gang.group.GroupPolicy;
import io.kubenexus.scheduler.gang.group.GroupRole;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.gang.GangLabels;
import io.kubenexus.scheduler.kube.groups.PodGroupTranslator;
import io.kubenexus.scheduler.kube.groups.WorkloadApiVersion;
import io.kubenexus.scheduler.kube.groups.SparkApplicationTranslator;
import io.kubenexus.scheduler.kube.topology.GpuIslandsAnnotation;
import io.kubenexus.scheduler.kube.topology.NodeResourceTopologyTranslator;
import io.kubenexus.scheduler.kube.topology.TopologyAnnotation;
import io.kubenexus.scheduler.kube.translate.PodTranslator;
import io.kubenexus.scheduler.kube.translate.Translation;
import io.kubenexus.scheduler.numa.GpuInterconnect;
import io.kubenexus.scheduler.numa.NodeTopology;
import io.kubenexus.scheduler.numa.NumaRequest;
import io.kubenexus.scheduler.numa.NumaPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps deploy/examples true: every file parses with fabric8 (typed where fabric8 has the type) and carries what
 * the scheduler reads, read by the scheduler's own translators. A new example without an entry in
 * {@link #EXPECTATIONS} fails, so none can rot unnoticed.
 */
class DeployExamplesTest {
    private static final Path EXAMPLES = Path.of("..", "deploy", "examples");
    private static final String SCHEDULER = "kubenexus-scheduler";
    private static final long MI = 1L << 20;
    private static final long GI = 1L << 30;
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    private final PodTranslator pods = new PodTranslator(SCHEDULER);
    private final GangLabels gangLabels = new GangLabels();

    /** What each file must show, by file name; the generic checks of {@link #read} run on every document. */
    private static final Map<String, Consumer<Example>> EXPECTATIONS = expectations();

    private static Map<String, Consumer<Example>> expectations() {
        Map<String, Consumer<Example>> files = new LinkedHashMap<>();
        files.put("spark-pi.yaml", example -> example.sparkApplication("spark-jobs/spark-pi", 5,
                executor(2000, 4096 + 409, 0), 4));
        files.put("spark-data-processing.yaml", example -> example.sparkApplication("spark-jobs/daily-etl", 21,
                executor(4000, 8192 + 819, 0), 20));
        files.put("spark-gpu-numa.yaml", example -> {
            example.sparkApplication("spark-jobs/gpu-feature-eng", 5, executor(8000, 36 * GI / MI, 1), 4);
            assertThat(example.sparkPods().get(1).annotations())
                    .containsEntry(NumaRequest.POLICY_ANNOTATION, "single-numa");
            assertThat(NumaRequest.parse(example.sparkPods().get(1).annotations()).policy()).isEqualTo(NumaPolicy.SINGLE_NUMA);
        });
        files.put("spark-streaming.yaml", example -> example.sparkApplication("spark-jobs/clickstream", 4,
                executor(2000, 4096 + 409, 0), 3));
        // Python: overhead factor 0.40; coreRequest 500m wins over cores; starts max(1, 2, 1) = 2 executors.
        files.put("spark-dynamic-allocation.yaml", example -> example.sparkApplication("spark-jobs/adhoc-report", 3,
                executor(500, 2048 + 819, 0), 2));
        files.put("pytorch-gang-job.yaml", example -> {
            Job job = example.one(Job.class);
            assertThat(job.getSpec().getParallelism()).isEqualTo(4).isEqualTo(job.getSpec().getCompletions());
            assertThat(example.pods()).hasSize(1).allSatisfy(pod -> {
                assertThat(example.membership(pod)).isEqualTo(GroupMembership.of("ml/resnet-ddp", 4));
                assertThat(pod.requests().get("nvidia.com/gpu")).isEqualTo(2);
            });
            example.one(Service.class);
        });
        files.put("scheduler-plugins-podgroup.yaml", example -> {
            GroupPolicy policy = example.podGroup(PodGroupTranslator.SCHEDULER_PLUGINS_API);
            assertThat(policy.groupId()).isEqualTo("training/mpi-job");
            assertThat(policy.minMembers()).isEqualTo(3);
            assertThat(policy.minResources().get("cpu")).isEqualTo(12_000);
            assertThat(policy.minResources().get("memory")).isEqualTo(24 * GI);
            assertThat(policy.scheduleTimeout()).isEqualTo(Duration.ofSeconds(120));
            assertThat(example.pods()).hasSize(3).allSatisfy(pod -> assertThat(example.membership(pod))
                    .isEqualTo(GroupMembership.ofPodGroup("training/mpi-job", GroupRole.MEMBER, null)));
        });
        files.put("kubernetes-podgroup.yaml", example -> {
            GroupPolicy policy = example.podGroup(PodGroupTranslator.KUBERNETES_API);
            assertThat(policy.groupId()).isEqualTo("ml/llm-finetune-workers");
            assertThat(policy.minMembers()).isEqualTo(2);
            // fabric8 7.8 has these types: fields it does not know would land in additionalProperties.
            PodGroup typed = example.one(PodGroup.class);
            assertThat(typed.getSpec().getAdditionalProperties()).isEmpty();
            assertThat(typed.getSpec().getSchedulingPolicy().getGang().getMinCount()).isEqualTo(2);
            assertThat(typed.getSpec().getPodGroupTemplateRef().getWorkload().getAdditionalProperties()).isEmpty();
            Workload workload = example.one(Workload.class);
            assertThat(workload.getSpec().getAdditionalProperties()).isEmpty();
            assertThat(workload.getSpec().getPodGroupTemplates()).singleElement()
                    .satisfies(template -> assertThat(template.getName()).isEqualTo(
                            typed.getSpec().getPodGroupTemplateRef().getWorkload().getPodGroupTemplateName()));
            assertThat(example.pods()).hasSize(2).allSatisfy(pod -> {
                assertThat(pod.schedulingGroup()).isEqualTo("llm-finetune-workers");
                assertThat(example.membership(pod))
                        .isEqualTo(GroupMembership.ofPodGroup("ml/llm-finetune-workers", GroupRole.MEMBER, null));
            });
        });
        files.put("kubernetes-workload-v1beta1.yaml", example -> {
            GroupPolicy policy = example.podGroup(WorkloadApiVersion.V1BETA1.apiVersion());
            assertThat(policy.groupId()).isEqualTo("ml/train-workers");
            assertThat(policy.minMembers()).isEqualTo(3);
            GenericKubernetesResource podGroup = example.generic("PodGroup").get(0);
            // k8s.io/api scheduling/v1beta1: spec.workloadRef{workloadName, templateName} names the template.
            @SuppressWarnings("unchecked")
            Map<String, Object> workloadRef = (Map<String, Object>) ((Map<String, Object>) podGroup
                    .getAdditionalProperties().get("spec")).get("workloadRef");
            GenericKubernetesResource workload = example.generic("Workload").get(0);
            assertThat(workloadRef).containsEntry("workloadName", workload.getMetadata().getName())
                    .containsEntry("templateName", "workers");
            assertThat(example.pods()).hasSize(3).allSatisfy(pod -> assertThat(example.membership(pod))
                    .isEqualTo(GroupMembership.ofPodGroup("ml/train-workers", GroupRole.MEMBER, null)));
        });
        files.put("node-resource-topology.yaml", example -> {
            GenericKubernetesResource nrt = example.generic("NodeResourceTopology").get(0);
            assertThat(nrt.getApiVersion()).isEqualTo("topology.node.k8s.io/v1alpha2");
            NodeTopology topology = new NodeResourceTopologyTranslator().translate(nrt).orElseThrow();
            assertThat(topology.zones()).hasSize(2).allSatisfy(zone -> {
                assertThat(zone.capacity()).containsEntry("cpu", 48_000L).containsEntry("memory", 256 * GI)
                        .containsEntry("nvidia.com/gpu", 4L);
            });
        });
        files.put("node-topology-annotation.yaml", example -> {
            Node node = example.one(Node.class);
            Map<String, String> annotations = node.getMetadata().getAnnotations();
            String name = node.getMetadata().getName();
            NodeTopology topology = new TopologyAnnotation().read(name, annotations.get(TopologyAnnotation.KEY)).orElseThrow();
            assertThat(topology.zones()).hasSize(2);
            assertThat(topology.zones().get(1).allocatable()).containsEntry("cpu", 30_000L);
            GpuInterconnect islands = new GpuIslandsAnnotation().read(name, annotations.get(GpuIslandsAnnotation.KEY))
                    .orElseThrow();
            assertThat(islands.islands()).hasSize(2);
            assertThat(new GpuIslandsAnnotation().checkAgainst(name, islands, topology)).as("islands fit the zones").isNull();
        });
        return files;
    }

    @Test
    void everyExampleFileHasExpectations() throws IOException {
        Set<String> files;
        try (Stream<Path> listing = Files.list(EXAMPLES)) {
            files = listing.map(path -> path.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(files).as("files in deploy/examples, each needing an entry in EXPECTATIONS")
                .isEqualTo(new TreeSet<>(EXPECTATIONS.keySet()));
    }

    static Stream<String> exampleFiles() {
        return EXPECTATIONS.keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exampleFiles")
    void eachExampleCarriesWhatTheSchedulerReads(String file) throws IOException {
        String text = Files.readString(EXAMPLES.resolve(file));
        assertThat(text).as("%s starts with a comment saying what it shows and how to apply it", file)
                .startsWith("# ").contains("kubectl apply -f deploy/examples/" + file);
        EXPECTATIONS.get(file).accept(read(file, text));
    }

    /** Every document, parsed, with the checks that hold for any example. */
    private Example read(String file, String text) {
        List<KubernetesResource> documents = new ArrayList<>();
        for (String document : DOCUMENT_SEPARATOR.split(text)) {
            if (document.lines().allMatch(line -> line.isBlank() || line.startsWith("#"))) {
                continue;
            }
            KubernetesResource resource = SERIALIZATION.unmarshal(document);
            assertThat(resource).as("%s: a document with apiVersion and kind", file).isInstanceOf(HasMetadata.class);
            documents.add(resource);
        }
        assertThat(documents).as(file).isNotEmpty();
        Example example = new Example(file, documents);
        example.pods().forEach(pod -> {
            assertThat(pod.schedulerName()).as("%s: %s schedulerName", file, pod.key()).isEqualTo(SCHEDULER);
            GroupMembership membership = example.membership(pod);
            if (membership != null) {
                assertThat(membership.invalidReason()).as("%s: %s gang labels", file, pod.key()).isNull();
            }
        });
        return example;
    }

    /** One executor's requests: cpu in millicores, memory (with overhead) in MiB, GPUs. */
    private static Map<String, Long> executor(long cpuMilli, long memoryMi, long gpus) {
        Map<String, Long> requests = new LinkedHashMap<>();
        requests.put("cpu", cpuMilli);
        requests.put("memory", memoryMi * MI);
        if (gpus > 0) {
            requests.put("nvidia.com/gpu", gpus);
        }
        return requests;
    }

    private final class Example {
        private final String file;
        private final List<KubernetesResource> documents;

        Example(String file, List<KubernetesResource> documents) {
            this.file = file;
            this.documents = documents;
        }

        <T> T one(Class<T> type) {
            List<T> found = documents.stream().filter(type::isInstance).map(type::cast).toList();
            assertThat(found).as("%s: one %s", file, type.getSimpleName()).hasSize(1);
            return found.get(0);
        }

        /** The objects of {@code kind} as the scheduler's informers hand them over: generic, typed ones converted. */
        List<GenericKubernetesResource> generic(String kind) {
            return documents.stream().map(HasMetadata.class::cast).filter(r -> kind.equals(r.getKind()))
                    .map(r -> r instanceof GenericKubernetesResource generic ? generic
                            : SERIALIZATION.convertValue(r, GenericKubernetesResource.class))
                    .toList();
        }

        /**
         * The pods the scheduler would see, through its translator: Pods, a Job's pod template, and for a
         * SparkApplication its driver and one executor as spark-operator creates them.
         */
        List<PodInfo> pods() {
            List<Pod> raw = new ArrayList<>();
            for (KubernetesResource resource : documents) {
                if (resource instanceof Pod pod) {
                    raw.add(pod);
                } else if (resource instanceof Job job) {
                    ObjectMeta meta = new ObjectMeta();
                    meta.setName(job.getMetadata().getName() + "-0");
                    meta.setNamespace(job.getMetadata().getNamespace());
                    meta.setLabels(job.getSpec().getTemplate().getMetadata().getLabels());
                    meta.setAnnotations(job.getSpec().getTemplate().getMetadata().getAnnotations());
                    raw.add(new PodBuilder().withMetadata(meta).withSpec(job.getSpec().getTemplate().getSpec()).build());
                }
            }
            List<PodInfo> translated = new ArrayList<>();
            for (Pod pod : raw) {
                translated.add(translate(pod));
            }
            translated.addAll(sparkPods());
            return translated;
        }

        private PodInfo translate(Pod pod) {
            Translation<PodInfo> translation = pods.translate(pod);
            assertThat(translation.errorOrNull()).as("%s: pod %s is readable (gang and NUMA annotations included)",
                    file, pod.getMetadata().getName()).isNull();
            return translation.orElseThrow();
        }

        /** Driver then one executor of the file's SparkApplication (none without one). */
        List<PodInfo> sparkPods() {
            List<GenericKubernetesResource> apps = generic(SparkApplicationTranslator.KIND);
            List<PodInfo> sparkPods = new ArrayList<>();
            for (GenericKubernetesResource app : apps) {
                assertThat(app.getApiVersion()).isEqualTo(SparkApplicationTranslator.API_VERSION);
                sparkPods.add(translate(sparkPod(app, "driver")));
                sparkPods.add(translate(sparkPod(app, "executor")));
            }
            return sparkPods;
        }

        GroupMembership membership(PodInfo pod) {
            return gangLabels.membership(pod);
        }

        GroupPolicy podGroup(String apiVersion) {
            List<GenericKubernetesResource> groups = generic("PodGroup");
            assertThat(groups).as("%s: one PodGroup", file).hasSize(1);
            GenericKubernetesResource group = groups.get(0);
            assertThat(group.getApiVersion()).isEqualTo(apiVersion);
            PodGroupTranslator translator = new PodGroupTranslator();
            Translation<GroupPolicy> policy = apiVersion.equals(PodGroupTranslator.SCHEDULER_PLUGINS_API)
                    ? translator.fromSchedulerPlugins(group) : translator.fromKubernetes(group);
            assertThat(policy.errorOrNull()).as("%s: the PodGroup is readable", file).isNull();
            return policy.orElseThrow();
        }

        /**
         * The SparkApplication sizes its executors as Spark would, and its driver and executors form the gang the
         * labels declare, with the driver first.
         */
        void sparkApplication(String name, int minAvailable, Map<String, Long> executorRequests, int executors) {
            GenericKubernetesResource app = generic(SparkApplicationTranslator.KIND).get(0);
            assertThat(app.getMetadata().getNamespace() + "/" + app.getMetadata().getName()).isEqualTo(name);
            Translation<ExecutorTemplate> sized = new SparkApplicationTranslator().translate(app);
            assertThat(sized.errorOrNull()).as("%s: the SparkApplication is sized", file).isNull();
            ExecutorTemplate template = sized.orElseThrow();
            assertThat(template.count()).as("%s: executors", file).isEqualTo(executors);
            assertThat(template.requests().amounts()).as("%s: one executor's requests", file)
                    .containsExactlyInAnyOrderEntriesOf(executorRequests);
            List<PodInfo> sparkPods = sparkPods();
            assertThat(membership(sparkPods.get(0)))
                    .isEqualTo(GroupMembership.of(name, minAvailable, GroupRole.DRIVER, app.getMetadata().getName()));
            assertThat(membership(sparkPods.get(1)))
                    .isEqualTo(GroupMembership.of(name, minAvailable, GroupRole.EXECUTOR, app.getMetadata().getName()));
            assertThat(minAvailable).as("%s: min-available counts the driver and the starting executors", file)
                    .isEqualTo(1 + executors);
        }
    }

    /**
     * A pod as spark-operator makes it from spec.driver or spec.executor: the part's labels, annotations and
     * schedulerName, Spark's role label and the operator's app-name label; requests are not the point here.
     */
    @SuppressWarnings("unchecked")
    private static Pod sparkPod(GenericKubernetesResource app, String role) {
        Map<String, Object> spec = (Map<String, Object>) app.getAdditionalProperties().get("spec");
        Map<String, Object> part = (Map<String, Object>) spec.get(role);
        assertThat(part).as("spec.%s", role).isNotNull();
        Map<String, String> labels = new LinkedHashMap<>((Map<String, String>) part.getOrDefault("labels", Map.of()));
        labels.put(GangLabels.SPARK_ROLE, role);
        labels.put(GangLabels.OPERATOR_APP_NAME, app.getMetadata().getName());
        return new PodBuilder()
                .withNewMetadata().withName(app.getMetadata().getName() + "-" + role).withNamespace(app.getMetadata().getNamespace())
                .withLabels(labels).withAnnotations((Map<String, String>) part.getOrDefault("annotations", Map.of())).endMetadata()
                .withNewSpec().withSchedulerName((String) part.get("schedulerName"))
                .addNewContainer().withName("spark-kubernetes-" + role).withImage("spark").endContainer().endSpec()
                .build();
    }
}
