package io.kubenexus.scheduler.extender.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Request bodies shaped like kube-scheduler's: the fixture files in {@code src/test/resources/extender}
 * and a generated {@code Nodes} list of realistic GPU and CPU nodes (labels, taints, allocatable with
 * {@code nvidia.com/gpu}, conditions, image lists), serialized one node at a time so the test knows
 * every node's exact bytes.
 */
final class NodeListFixture {
    private static final String[] ZONES = {"us-east-1a", "us-east-1b", "us-east-1c"};
    private static final String[] GPU_TYPES = {"p4d.24xlarge", "p5.48xlarge", "g5.12xlarge"};
    private static final String[] GPU_PRODUCTS = {"NVIDIA-A100-SXM4-40GB", "NVIDIA-H100-80GB-HBM3", "NVIDIA-A10G"};
    private static final String[] CPU_TYPES = {"m6i.8xlarge", "c6i.16xlarge", "r6i.4xlarge"};

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private NodeListFixture() {
    }

    /** A test resource under {@code extender/} as bytes. */
    static byte[] resource(String name) {
        try (InputStream in = NodeListFixture.class.getResourceAsStream("/extender/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource extender/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String resourceText(String name) {
        return new String(resource(name), StandardCharsets.UTF_8).strip();
    }

    /** The pod of the fixture files, as raw JSON. */
    static String podJson() {
        String request = resourceText("filter-nodenames-request.json");
        return request.substring("{\"Pod\":".length(), request.indexOf(",\"Nodes\":null"));
    }

    /** {@code count} nodes named {@code node-0000}..., each serialized alone. */
    static List<String> nodeJsons(int count, long seed) {
        Random random = new Random(seed);
        List<String> nodes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            try {
                nodes.add(MAPPER.writeValueAsString(node(String.format("node-%04d", i), random)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return nodes;
    }

    /** A filter or prioritize body in full-object mode: {@code {"Pod":..,"Nodes":{"metadata":{},"items":[..]},"NodeNames":null}}. */
    static byte[] nodesRequest(List<String> nodeJsons) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(nodeJsons.size() * 3000);
        write(out, "{\"Pod\":" + podJson() + ",\"Nodes\":{\"metadata\":{},\"items\":[");
        for (int i = 0; i < nodeJsons.size(); i++) {
            write(out, (i == 0 ? "" : ",") + nodeJsons.get(i));
        }
        write(out, "]},\"NodeNames\":null}");
        return out.toByteArray();
    }

    /** A filter or prioritize body in names mode. */
    static String namesRequest(List<String> names) {
        StringBuilder body = new StringBuilder("{\"Pod\":").append(podJson()).append(",\"Nodes\":null,\"NodeNames\":[");
        for (int i = 0; i < names.size(); i++) {
            body.append(i == 0 ? "\"" : ",\"").append(names.get(i)).append('"');
        }
        return body.append("]}").toString();
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Node node(String name, Random random) {
        int zone = random.nextInt(ZONES.length);
        boolean gpu = random.nextInt(4) != 0;
        int type = random.nextInt(3);
        NodeBuilder node = new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .withUid("uid-" + name)
                .withResourceVersion(Integer.toString(100000 + random.nextInt(900000)))
                .withCreationTimestamp("2026-01-0" + (1 + random.nextInt(9)) + "T08:00:00Z")
                .addToLabels("kubernetes.io/hostname", name)
                .addToLabels("kubernetes.io/os", "linux")
                .addToLabels("kubernetes.io/arch", "amd64")
                .addToLabels("topology.kubernetes.io/region", "us-east-1")
                .addToLabels("topology.kubernetes.io/zone", ZONES[zone])
                .addToLabels("node.kubernetes.io/instance-type", gpu ? GPU_TYPES[type] : CPU_TYPES[type])
                .addToAnnotations("node.alpha.kubernetes.io/ttl", "0")
                .endMetadata()
                .withNewSpec()
                .withProviderID("aws:///" + ZONES[zone] + "/i-" + Long.toHexString(random.nextLong() & 0xffffffffffL))
                .endSpec();
        Map<String, Quantity> allocatable = new java.util.LinkedHashMap<>();
        allocatable.put("cpu", new Quantity((32 + 32 * type) * 1000 - 500 + "m"));
        allocatable.put("memory", new Quantity((128 << type) + "Gi"));
        allocatable.put("ephemeral-storage", new Quantity("950Gi"));
        allocatable.put("pods", new Quantity("110"));
        if (gpu) {
            node.editMetadata().addToLabels("nvidia.com/gpu.product", GPU_PRODUCTS[type])
                    .addToLabels("nvidia.com/gpu.count", "8").endMetadata();
            node.editSpec().addNewTaint().withKey("nvidia.com/gpu").withValue("present")
                    .withEffect("NoSchedule").endTaint().endSpec();
            allocatable.put("nvidia.com/gpu", new Quantity(type == 2 ? "4" : "8"));
        }
        List<ContainerImage> images = new ArrayList<>();
        for (int i = 0, n = 3 + random.nextInt(8); i < n; i++) {
            images.add(new ContainerImage(List.of(
                    "registry.example/team-" + random.nextInt(50) + "/app@sha256:" + Long.toHexString(random.nextLong()),
                    "registry.example/team-" + random.nextInt(50) + "/app:v" + random.nextInt(100)),
                    100_000_000L + random.nextInt(1_000_000_000)));
        }
        return node.withNewStatus()
                .withCapacity(allocatable)
                .withAllocatable(allocatable)
                .withConditions(condition("MemoryPressure", "False", "KubeletHasSufficientMemory"),
                        condition("DiskPressure", "False", "KubeletHasNoDiskPressure"),
                        condition("PIDPressure", "False", "KubeletHasSufficientPID"),
                        condition("Ready", "True", "KubeletReady"))
                .withImages(images)
                .addNewAddress().withType("InternalIP").withAddress("10.0." + random.nextInt(256) + "." + random.nextInt(256)).endAddress()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                .withNewNodeInfo().withKubeletVersion("v1.33.1").withContainerRuntimeVersion("containerd://1.7.22")
                .withOperatingSystem("linux").withArchitecture("amd64").withOsImage("Ubuntu 22.04.4 LTS")
                .withKernelVersion("6.8.0-1015-aws").endNodeInfo()
                .endStatus()
                .build();
    }

    private static NodeCondition condition(String type, String status, String reason) {
        return new NodeConditionBuilder().withType(type).withStatus(status).withReason(reason)
                .withMessage("kubelet reports " + reason).withLastHeartbeatTime("2026-01-10T08:00:00Z")
                .withLastTransitionTime("2026-01-01T08:00:00Z").build();
    }
}
