package io.kubenexus.scheduler.bench.memory;

import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.ResourceNames;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A synthetic node as the API server sends it to an informer: the scheduler-relevant parts from
 * {@link NodeInfo} (labels, allocatable, taints) plus what kubelets and controllers add (managed
 * fields, the usual annotations, addresses, five conditions, daemon endpoints, node info and the
 * list of cached images).
 */
public final class NodeJson {
    private NodeJson() {
    }

    public static String node(NodeInfo info, int ordinal) {
        String labels = info.labels().entrySet().stream()
                .map(e -> quote(e.getKey()) + ": " + quote(e.getValue()))
                .collect(Collectors.joining(", "));
        String resources = info.allocatable().amounts().entrySet().stream()
                .map(e -> quote(e.getKey()) + ": " + quote(quantity(e.getKey(), e.getValue())))
                .collect(Collectors.joining(", "));
        String taints = info.taints().stream()
                .map(t -> "{\"key\": " + quote(t.key()) + (t.value().isEmpty() ? "" : ", \"value\": " + quote(t.value()))
                        + ", \"effect\": " + quote(t.effect().apiName()) + "}")
                .collect(Collectors.joining(", "));
        String ip = String.format(Locale.ROOT, "10.0.%d.%d", ordinal >> 8 & 255, ordinal & 255);
        StringBuilder images = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            images.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT,
                    "{\"names\": [\"registry.example.com/platform/image-%d@sha256:%064x\", "
                            + "\"registry.example.com/platform/image-%d:v1.%d.%d\"], \"sizeBytes\": %d}",
                    i, (long) i * 7919 + ordinal, i, i, ordinal % 10, 50_000_000L + i * 1_000_003L));
        }
        String created = "2025-05-01T08:00:00Z";
        return """
                {
                  "apiVersion": "v1",
                  "kind": "Node",
                  "metadata": {
                    "name": "%1$s",
                    "uid": "%2$s",
                    "resourceVersion": "%3$d",
                    "creationTimestamp": "%4$s",
                    "labels": {%5$s},
                    "annotations": {
                      "node.alpha.kubernetes.io/ttl": "0",
                      "volumes.kubernetes.io/controller-managed-attach-detach": "true",
                      "csi.volume.kubernetes.io/nodeid": "{\\"ebs.csi.aws.com\\":\\"i-%6$017x\\"}",
                      "alpha.kubernetes.io/provided-node-ip": "%7$s"
                    },
                    "managedFields": [
                      {"manager": "kubelet", "operation": "Update", "apiVersion": "v1", "time": "%4$s",
                       "fieldsType": "FieldsV1", "fieldsV1": {"f:metadata": {"f:annotations": {".": {},
                         "f:alpha.kubernetes.io/provided-node-ip": {}, "f:volumes.kubernetes.io/controller-managed-attach-detach": {}},
                         "f:labels": {".": {}, "f:kubernetes.io/arch": {}, "f:kubernetes.io/hostname": {}, "f:kubernetes.io/os": {}}},
                         "f:spec": {"f:providerID": {}}}},
                      {"manager": "kubelet", "operation": "Update", "apiVersion": "v1", "time": "%4$s",
                       "fieldsType": "FieldsV1", "fieldsV1": {"f:status": {"f:allocatable": {}, "f:capacity": {},
                         "f:conditions": {}, "f:images": {}, "f:nodeInfo": {}}}, "subresource": "status"}
                    ]
                  },
                  "spec": {"providerID": "aws:///region-1a/i-%6$017x", "taints": [%8$s]},
                  "status": {
                    "capacity": {%9$s},
                    "allocatable": {%9$s},
                    "conditions": [
                      {"type": "MemoryPressure", "status": "False", "lastHeartbeatTime": "%4$s", "lastTransitionTime": "%4$s",
                       "reason": "KubeletHasSufficientMemory", "message": "kubelet has sufficient memory available"},
                      {"type": "DiskPressure", "status": "False", "lastHeartbeatTime": "%4$s", "lastTransitionTime": "%4$s",
                       "reason": "KubeletHasNoDiskPressure", "message": "kubelet has no disk pressure"},
                      {"type": "PIDPressure", "status": "False", "lastHeartbeatTime": "%4$s", "lastTransitionTime": "%4$s",
                       "reason": "KubeletHasSufficientPID", "message": "kubelet has sufficient PID available"},
                      {"type": "Ready", "status": "True", "lastHeartbeatTime": "%4$s", "lastTransitionTime": "%4$s",
                       "reason": "KubeletReady", "message": "kubelet is posting ready status"},
                      {"type": "NetworkUnavailable", "status": "False", "lastHeartbeatTime": "%4$s", "lastTransitionTime": "%4$s",
                       "reason": "RouteCreated", "message": "RouteController created a route"}
                    ],
                    "addresses": [{"type": "InternalIP", "address": "%7$s"}, {"type": "Hostname", "address": "%1$s"}],
                    "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
                    "nodeInfo": {"machineID": "%2$s", "systemUUID": "%2$s", "bootID": "%2$s",
                      "kernelVersion": "6.1.0-27-cloud-amd64", "osImage": "Debian GNU/Linux 12 (bookworm)",
                      "containerRuntimeVersion": "containerd://1.7.22", "kubeletVersion": "v1.33.1",
                      "kubeProxyVersion": "v1.33.1", "operatingSystem": "linux", "architecture": "amd64"},
                    "images": [%10$s]
                  }
                }
                """.formatted(info.name(), new java.util.UUID(0x40deL, ordinal), 500_000L + ordinal, created, labels,
                0xabc000L + ordinal, ip, taints, resources, images);
    }

    private static String quantity(String resource, long amount) {
        return ResourceNames.CPU.equals(resource) ? amount + "m" : Long.toString(amount);
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
