package io.kubenexus.scheduler.bench.extender;

import io.kubenexus.scheduler.bench.memory.NodeJson;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.sim.synthetic.NodeShape;
import io.kubenexus.scheduler.sim.synthetic.SyntheticCluster;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Filter and prioritize bodies as kube-scheduler sends them to an extender
 * ({@code k8s.io/kube-scheduler/extender/v1.ExtenderArgs}): a pending pod as kube-scheduler's
 * informer holds it (schedulerName {@code default-scheduler}, status Pending, PodScheduled False),
 * and the candidates either as names ({@code nodeCacheCapable: true}) or as whole Node objects
 * ({@link NodeJson}: labels, taints, allocatable, conditions, images, managed fields).
 */
final class ExtenderRequests {
    /** The pods a benchmark row sends. */
    enum BenchPod {
        /** A Spark executor (4 cpu, 16.5Gi, Guaranteed) of an application run by the spark-operator. */
        SPARK_EXECUTOR("spark-executor", SPARK_EXECUTOR_JSON),
        /**
         * A training pod asking for 4 GPUs on an A100 node (required node affinity on the product
         * label, a preferred zone), tolerating the GPU taint.
         */
        GPU("gpu", GPU_JSON);

        final String label;
        final String json;

        BenchPod(String label, String json) {
            this.label = label;
            this.json = json;
        }
    }

    private ExtenderRequests() {
    }

    /** {@code {"Pod":..,"Nodes":null,"NodeNames":[..]}}. */
    static byte[] namesBody(BenchPod pod, List<NodeInfo> nodes) {
        StringBuilder body = new StringBuilder(pod.json.length() + nodes.size() * 24)
                .append("{\"Pod\":").append(pod.json).append(",\"Nodes\":null,\"NodeNames\":[");
        for (int i = 0; i < nodes.size(); i++) {
            body.append(i == 0 ? "\"" : ",\"").append(nodes.get(i).name()).append('"');
        }
        return body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code {"Pod":..,"Nodes":{"metadata":{},"items":[<Node>..]},"NodeNames":null}}. */
    static byte[] nodeObjectsBody(BenchPod pod, List<NodeInfo> nodes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(nodes.size() * 6000);
        write(out, "{\"Pod\":" + pod.json + ",\"Nodes\":{\"metadata\":{},\"items\":[");
        for (int i = 0; i < nodes.size(); i++) {
            // Go's encoding/json writes compact JSON; NodeJson's text block is indented for reading.
            write(out, (i == 0 ? "" : ",") + compact(NodeJson.node(nodes.get(i), i)));
        }
        write(out, "]},\"NodeNames\":null}");
        return out.toByteArray();
    }

    /** Drops whitespace outside strings. */
    static String compact(String json) {
        StringBuilder out = new StringBuilder(json.length());
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\') {
                    out.append(json.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
                out.append(c);
            } else if (!Character.isWhitespace(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    private static final String SPARK_EXECUTOR_JSON = compact("""
            {"metadata":{"name":"etl-daily-00042-8f3c2a7d1e9b4c05-exec-7","namespace":"spark-team-2",
              "uid":"3f9b2c1e-7a4d-4e2b-9c61-5d8e0f1a2b3c","resourceVersion":"48211937",
              "creationTimestamp":"2026-12-01T08:14:02Z",
              "labels":{"spark-role":"executor","spark-exec-id":"7","spark-exec-resourceprofile-id":"0",
                "spark-app-selector":"spark-4c9e1f0a2b7d4e38a1c5f6e7d8c9b0a1","spark-app-name":"etl-daily-00042",
                "spark-version":"3.5.3","sparkoperator.k8s.io/app-name":"etl-daily-00042",
                "sparkoperator.k8s.io/launched-by-spark-operator":"true",
                "sparkoperator.k8s.io/submission-id":"9d2e4f6a-1b3c-4d5e-8f70-a1b2c3d4e5f6","team":"data-platform"},
              "annotations":{"prometheus.io/scrape":"true","prometheus.io/port":"4040"},
              "ownerReferences":[{"apiVersion":"v1","kind":"Pod","name":"etl-daily-00042-driver",
                "uid":"c0ffee00-1111-4222-8333-444455556666","controller":true}]},
             "spec":{
              "volumes":[{"name":"spark-local-dir-1","emptyDir":{}},
                {"name":"spark-conf-volume-exec","configMap":{"name":"spark-exec-conf-map","defaultMode":420}},
                {"name":"kube-api-access-7x","projected":{"defaultMode":420,"sources":[
                  {"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}},
                  {"configMap":{"name":"kube-root-ca.crt","items":[{"key":"ca.crt","path":"ca.crt"}]}}]}}],
              "containers":[{"name":"spark-kubernetes-executor",
                "image":"registry.example.com/data/spark-py:3.5.3-scala2.12-java17-ubuntu",
                "args":["executor"],
                "ports":[{"name":"blockmanager","containerPort":7079,"protocol":"TCP"}],
                "env":[{"name":"SPARK_USER","value":"spark"},
                  {"name":"SPARK_DRIVER_URL","value":"spark://CoarseGrainedScheduler@etl-daily-00042-driver-svc.spark-team-2.svc:7078"},
                  {"name":"SPARK_EXECUTOR_CORES","value":"4"},{"name":"SPARK_EXECUTOR_MEMORY","value":"14g"},
                  {"name":"SPARK_APPLICATION_ID","value":"spark-4c9e1f0a2b7d4e38a1c5f6e7d8c9b0a1"},
                  {"name":"SPARK_EXECUTOR_ID","value":"7"},{"name":"SPARK_RESOURCE_PROFILE_ID","value":"0"},
                  {"name":"SPARK_EXECUTOR_POD_IP","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"status.podIP"}}},
                  {"name":"SPARK_LOCAL_DIRS","value":"/var/data/spark-1"}],
                "resources":{"limits":{"cpu":"4","memory":"16896Mi"},"requests":{"cpu":"4","memory":"16896Mi"}},
                "volumeMounts":[{"name":"spark-local-dir-1","mountPath":"/var/data/spark-1"},
                  {"name":"spark-conf-volume-exec","mountPath":"/opt/spark/conf"},
                  {"name":"kube-api-access-7x","readOnly":true,"mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"}],
                "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File",
                "imagePullPolicy":"IfNotPresent"}],
              "restartPolicy":"Never","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst",
              "serviceAccountName":"spark","serviceAccount":"spark","securityContext":{"fsGroup":185},
              "schedulerName":"default-scheduler",
              "tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300},
                {"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}],
              "priority":0,"enableServiceLinks":true,"preemptionPolicy":"PreemptLowerPriority"},
             "status":{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","lastProbeTime":null,
               "lastTransitionTime":"2026-12-01T08:14:02Z","reason":"Unschedulable",
               "message":"0/5000 nodes are available: waiting for the extender."}],"qosClass":"Guaranteed"}}
            """);

    private static final String GPU_JSON = compact("""
            {"metadata":{"name":"llm-finetune-7b-worker-3","namespace":"ml-research",
              "uid":"8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d","resourceVersion":"48212004",
              "creationTimestamp":"2026-12-01T08:15:40Z",
              "labels":{"app.kubernetes.io/name":"llm-finetune","app.kubernetes.io/component":"worker",
                "training.kubeflow.org/job-name":"llm-finetune-7b","training.kubeflow.org/replica-type":"worker",
                "training.kubeflow.org/replica-index":"3"},
              "annotations":{"sidecar.istio.io/inject":"false"},
              "ownerReferences":[{"apiVersion":"kubeflow.org/v1","kind":"PyTorchJob","name":"llm-finetune-7b",
                "uid":"11112222-3333-4444-5555-666677778888","controller":true,"blockOwnerDeletion":true}]},
             "spec":{
              "volumes":[{"name":"dshm","emptyDir":{"medium":"Memory","sizeLimit":"64Gi"}},
                {"name":"checkpoints","nfs":{"server":"fs-01.storage.example.com","path":"/exports/ckpt/llm-finetune-7b"}}],
              "containers":[{"name":"pytorch","image":"registry.example.com/ml/pytorch:2.5.1-cuda12.4-cudnn9",
                "command":["torchrun"],"args":["--nnodes=4","--nproc_per_node=4","train.py","--config=/etc/train/7b.yaml"],
                "env":[{"name":"MASTER_ADDR","value":"llm-finetune-7b-master-0"},{"name":"MASTER_PORT","value":"23456"},
                  {"name":"WORLD_SIZE","value":"4"},{"name":"RANK","value":"3"},{"name":"NCCL_DEBUG","value":"WARN"}],
                "resources":{"limits":{"cpu":"32","memory":"256Gi","nvidia.com/gpu":"4"},
                  "requests":{"cpu":"32","memory":"256Gi","nvidia.com/gpu":"4"}},
                "volumeMounts":[{"name":"dshm","mountPath":"/dev/shm"},{"name":"checkpoints","mountPath":"/ckpt"}],
                "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File",
                "imagePullPolicy":"IfNotPresent"}],
              "restartPolicy":"OnFailure","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst",
              "serviceAccountName":"default","serviceAccount":"default","securityContext":{},
              "schedulerName":"default-scheduler",
              "affinity":{"nodeAffinity":{
                "requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[
                  {"key":"%1$s","operator":"In","values":["%2$s","NVIDIA-H100-80GB-HBM3"]}]}]},
                "preferredDuringSchedulingIgnoredDuringExecution":[{"weight":50,"preference":{"matchExpressions":[
                  {"key":"%3$s","operator":"In","values":["%4$s"]}]}}]}},
              "tolerations":[{"key":"%5$s","operator":"Exists","effect":"NoSchedule"},
                {"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300},
                {"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}],
              "priority":0,"enableServiceLinks":true,"preemptionPolicy":"PreemptLowerPriority"},
             "status":{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","lastProbeTime":null,
               "lastTransitionTime":"2026-12-01T08:15:40Z","reason":"Unschedulable",
               "message":"0/5000 nodes are available: waiting for the extender."}],"qosClass":"Guaranteed"}}
            """.formatted(SyntheticCluster.GPU_PRODUCT_LABEL, NodeShape.DEFAULT_GPU_PRODUCT,
            SyntheticCluster.ZONE_LABEL, SyntheticCluster.DEFAULT_ZONES.get(0), NodeShape.GPU_TAINT.key()));
}
