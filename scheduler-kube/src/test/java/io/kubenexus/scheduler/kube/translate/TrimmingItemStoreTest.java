package io.kubenexus.scheduler.kube.translate;

import static io.kubenexus.scheduler.kube.testing.NodeObjects.node;
import static io.kubenexus.scheduler.kube.testing.PodObjects.expr;
import static io.kubenexus.scheduler.kube.testing.PodObjects.pod;
import static io.kubenexus.scheduler.kube.testing.PodObjects.term;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubenexus.scheduler.kube.testing.PodObjects;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TrimmingItemStoreTest {
    private final KubernetesSerialization json = new KubernetesSerialization();
    private final PodTranslator pods = new PodTranslator();
    private final NodeTranslator nodes = new NodeTranslator();

    /** An executor pod as spark-submit creates it, after the kubelet has started it. */
    private static Pod sparkExecutor() {
        PodObjects executor = pod("spark-pi-3f9a-exec-7").namespace("spark-jobs")
                .label("spark-app-selector", "spark-5c1d8f0a2b7e4c3d9e6f1a2b3c4d5e6f")
                .label("spark-role", "executor")
                .label("spark-exec-id", "7")
                .label("spark-app-name", "spark-pi")
                .label("pod-group.scheduling.kubenexus.io/name", "spark-pi")
                .label("pod-group.scheduling.kubenexus.io/min-available", "5")
                .annotation("numa.scheduling.kubenexus.io/policy", "single-numa")
                .annotation("kubectl.kubernetes.io/last-applied-configuration", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
                        + "\"metadata\":{\"name\":\"spark-pi-3f9a-exec-7\"},\"spec\":{\"containers\":[{\"image\":"
                        + "\"apache/spark:3.5.1\",\"name\":\"spark-kubernetes-executor\"}]}}")
                .ownedBy("Pod", "spark-pi-3f9a-driver")
                .priority(100)
                .schedulerName("kubenexus-scheduler")
                .toleration("dedicated", "Equal", "spark", "NoSchedule")
                .requiredTerm(term(expr("pool", "In", "spark")))
                .container("spark-kubernetes-executor")
                .image("apache/spark:3.5.1")
                .args("executor")
                .cpu("4").memory("28Gi").limit("memory", "28Gi").gpu("1")
                .containerPort("blockmanager", 7079)
                .volumeMount("spark-local-dir-1", "/var/data/spark-local")
                .volumeMount("spark-conf-volume-exec", "/opt/spark/conf")
                .volumeMount("kube-api-access-x8k2q", "/var/run/secrets/kubernetes.io/serviceaccount")
                .emptyDir("spark-local-dir-1")
                .configMapVolume("spark-conf-volume-exec", "spark-exec-conf-map")
                .configMapVolume("kube-api-access-x8k2q", "kube-root-ca.crt")
                .phase("Running")
                .condition("PodScheduled", "True", null, null)
                .condition("Initialized", "True", null, null)
                .condition("Ready", "True", null, null)
                .nodeName("worker-12");
        String[][] env = {
            {"SPARK_USER", "spark"}, {"SPARK_DRIVER_URL", "spark://CoarseGrainedScheduler@spark-pi-3f9a-driver-svc.spark-jobs.svc:7078"},
            {"SPARK_EXECUTOR_CORES", "4"}, {"SPARK_EXECUTOR_MEMORY", "24g"}, {"SPARK_APPLICATION_ID", "spark-5c1d8f0a2b7e4c3d9e6f1a2b3c4d5e6f"},
            {"SPARK_CONF_DIR", "/opt/spark/conf"}, {"SPARK_EXECUTOR_ID", "7"}, {"SPARK_RESOURCE_PROFILE_ID", "0"},
            {"SPARK_EXECUTOR_POD_IP", "10.244.3.17"}, {"SPARK_JAVA_OPT_0", "-Dspark.driver.port=7078"},
            {"SPARK_JAVA_OPT_1", "-Dspark.driver.blockManager.port=7079"}, {"SPARK_LOCAL_DIRS", "/var/data/spark-local"},
            {"SPARK_EXECUTOR_DIRS", "/opt/spark/work-dir"}, {"JAVA_HOME", "/opt/java/openjdk"},
            {"SPARK_HOME", "/opt/spark"}, {"SPARK_DIST_CLASSPATH", "/opt/spark/jars/*:/opt/hadoop/etc/hadoop:/opt/hadoop/share/hadoop/common/lib/*"},
        };
        for (String[] variable : env) {
            executor.env(variable[0], variable[1]);
        }
        // spark-submit passes the application's configuration as -D options, one variable each.
        for (int i = 2; i < 24; i++) {
            executor.env("SPARK_JAVA_OPT_" + i, "-Dspark.kubernetes.executor.option" + i + "=value-" + i);
        }
        String fields = "{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:spark-app-selector\":{},\"f:spark-exec-id\":{},"
                + "\"f:spark-role\":{}},\"f:ownerReferences\":{\".\":{},\"k:{\\\"uid\\\":\\\"u\\\"}\":{}}},\"f:spec\":{"
                + "\"f:containers\":{\"k:{\\\"name\\\":\\\"spark-kubernetes-executor\\\"}\":{\".\":{},\"f:args\":{},"
                + "\"f:env\":{\".\":{},\"k:{\\\"name\\\":\\\"SPARK_USER\\\"}\":{\".\":{},\"f:name\":{},\"f:value\":{}}},"
                + "\"f:image\":{},\"f:imagePullPolicy\":{},\"f:name\":{},\"f:ports\":{},\"f:resources\":{},"
                + "\"f:volumeMounts\":{}}},\"f:volumes\":{}}}";
        executor.managedField("spark-submit", fields).managedField("kubelet", fields.replace("spec", "status"));
        Pod pod = executor.build();
        withApiServerAndKubeletFields(pod);
        return pod;
    }

    /** Defaults the API server adds and the status the kubelet reports, none of it read by the scheduler. */
    private static void withApiServerAndKubeletFields(Pod pod) {
        var spec = pod.getSpec();
        spec.setDnsPolicy("ClusterFirst");
        spec.setRestartPolicy("Never");
        spec.setServiceAccountName("spark");
        spec.setServiceAccount("spark");
        spec.setTerminationGracePeriodSeconds(30L);
        spec.setEnableServiceLinks(true);
        spec.setPreemptionPolicy("PreemptLowerPriority");
        spec.setSecurityContext(new io.fabric8.kubernetes.api.model.PodSecurityContextBuilder()
                .withFsGroup(185L).withRunAsUser(185L).build());
        for (var container : spec.getContainers()) {
            container.setImagePullPolicy("IfNotPresent");
            container.setTerminationMessagePath("/dev/termination-log");
            container.setTerminationMessagePolicy("File");
        }
        var status = pod.getStatus();
        status.setHostIP("10.0.12.7");
        status.setPodIP("10.244.3.17");
        status.setQosClass("Burstable");
        status.setStartTime("2024-05-01T10:00:02Z");
        status.getContainerStatuses().add(new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
                .withName("spark-kubernetes-executor").withReady(true).withRestartCount(0).withStarted(true)
                .withImage("docker.io/apache/spark:3.5.1")
                .withImageID("docker.io/apache/spark@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
                .withContainerID("containerd://fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210")
                .withNewState().withNewRunning().withStartedAt("2024-05-01T10:00:05Z").endRunning().endState()
                .build());
    }

    private int jsonBytes(Object object) {
        return json.asJson(object).getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void trimmedPodTranslatesToTheSamePodInfo() {
        Pod original = sparkExecutor();
        Pod trimmed = TrimmingItemStore.trimPod(original);
        assertThat(pods.translate(trimmed)).isEqualTo(pods.translate(original));
        assertThat(pods.translate(trimmed).isValid()).isTrue();
    }

    @Test
    void trimmedPodWithEveryConstraintTranslatesToTheSamePodInfo() {
        Pod original = pod("p").requiredPodAffinity().requiredPodAntiAffinity().topologySpread("DoNotSchedule")
                .pvc("data", "claim").ephemeralVolume("scratch").emptyDir("tmp").resourceClaim("gpus")
                .schedulingGate("quota").overhead("cpu", "100m").podRequest("memory", "1Gi")
                .preferredTerm(10, term(expr("zone", "In", "a")))
                .sidecar("proxy").cpu("100m").hostPort(9000)
                .initContainer("setup").cpu("2")
                .container("main").cpu("1").limit("memory", "1Gi").hostPort("10.0.0.1", "UDP", 53)
                .deleting()
                .build();
        assertThat(pods.translate(TrimmingItemStore.trimPod(original))).isEqualTo(pods.translate(original));
    }

    @Test
    void trimmedPodIsMuchSmaller() {
        Pod original = sparkExecutor();
        int full = jsonBytes(original);
        int trimmed = jsonBytes(TrimmingItemStore.trimPod(original));
        assertThat(full).as("fixture size").isGreaterThan(7000);
        assertThat((double) trimmed / full).as("trimmed %d of %d bytes", trimmed, full).isLessThan(0.25);
    }

    @Test
    void trimmingKeepsWhatOthersReadAndDropsTheRest() {
        Pod trimmed = TrimmingItemStore.trimPod(sparkExecutor());
        assertThat(trimmed.getMetadata().getOwnerReferences()).extracting("name").containsExactly("spark-pi-3f9a-driver");
        assertThat(trimmed.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(trimmed.getMetadata().getAnnotations()).containsOnlyKeys("numa.scheduling.kubenexus.io/policy");
        var container = trimmed.getSpec().getContainers().get(0);
        assertThat(container.getEnv()).isNullOrEmpty();
        assertThat(container.getVolumeMounts()).isNullOrEmpty();
        assertThat(container.getImage()).isNull();
        assertThat(container.getArgs()).isNullOrEmpty();
        assertThat(container.getPorts()).extracting("containerPort").containsExactly(7079);
        assertThat(trimmed.getSpec().getVolumes()).isEmpty();
        assertThat(trimmed.getStatus().getConditions()).hasSize(3);
        assertThat(trimmed.getStatus().getPhase()).isEqualTo("Running");
    }

    @Test
    void putDoesNotModifyTheObjectTheInformerHandsToHandlers() {
        Pod original = sparkExecutor();
        String before = json.asJson(original);
        TrimmingItemStore<Pod> store = TrimmingItemStore.forPods();
        store.put(store.getKey(original), original);
        assertThat(json.asJson(original)).isEqualTo(before);
        assertThat(store.get("spark-jobs/spark-pi-3f9a-exec-7")).isNotSameAs(original);

        // Nor does changing the stored copy's collections reach the original.
        store.get("spark-jobs/spark-pi-3f9a-exec-7").getMetadata().getLabels().put("x", "y");
        assertThat(original.getMetadata().getLabels()).doesNotContainKey("x");
    }

    @Test
    void storeBehavesLikeAMapKeyedLikeFabric8() {
        TrimmingItemStore<Pod> store = TrimmingItemStore.forPods();
        Pod a = pod("a").namespace("ns1").container("main").build();
        Pod b = pod("b").namespace("ns2").container("main").build();
        assertThat(store.getKey(a)).isEqualTo("ns1/a");
        assertThat(store.put("ns1/a", a)).isNull();
        store.put("ns2/b", b);
        Pod a2 = pod("a").namespace("ns1").container("main").cpu("1").build();
        assertThat(store.put("ns1/a", a2).getMetadata().getName()).isEqualTo("a");
        assertThat(store.size()).isEqualTo(2);
        assertThat(store.keySet()).containsExactlyInAnyOrder("ns1/a", "ns2/b");
        assertThat(store.values()).hasSize(2);
        assertThat(store.remove("ns2/b")).isNotNull();
        assertThat(store.get("ns2/b")).isNull();
        assertThat(store.size()).isEqualTo(1);

        TrimmingItemStore<Node> nodeStore = TrimmingItemStore.forNodes();
        assertThat(nodeStore.getKey(node("n1").build())).isEqualTo("n1");
    }

    @Test
    void trimmedNodeTranslatesToTheSameNodeInfoAndDropsKubeletNoise() {
        Node original = node("gpu-1").label("pool", "gpu").annotation("numa.kubenexus.io/topology", "{}")
                .allocatable("cpu", "63").allocatable("memory", "500Gi").allocatable("nvidia.com/gpu", "8")
                .capacity("cpu", "64").taint("nvidia.com/gpu", "present", "NoSchedule").ready().kubeletNoise()
                .build();
        String before = json.asJson(original);
        Node trimmed = TrimmingItemStore.trimNode(original);

        assertThat(nodes.translate(trimmed)).isEqualTo(nodes.translate(original));
        assertThat(json.asJson(original)).isEqualTo(before);
        assertThat(trimmed.getStatus().getImages()).isNullOrEmpty();
        assertThat(trimmed.getStatus().getAddresses()).isNullOrEmpty();
        assertThat(trimmed.getMetadata().getAnnotations()).containsOnlyKeys("numa.kubenexus.io/topology");
        assertThat((double) jsonBytes(trimmed) / jsonBytes(original)).isLessThan(0.5);
    }
}
