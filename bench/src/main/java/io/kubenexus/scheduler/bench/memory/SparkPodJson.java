package io.kubenexus.scheduler.bench.memory;

import java.util.Locale;
import java.util.UUID;

/**
 * Running Spark pods as the API server sends them to an informer: what spark-submit (through the
 * spark-operator) puts on drivers and executors (labels, owner reference to the driver, env,
 * volumes and mounts, the default tolerations), what the API server and kubelet add (managed
 * fields, status with conditions and container statuses), bound to a node. One driver per
 * {@value #EXECUTORS_PER_APP} executors. Every value that differs per pod in a real cluster (names,
 * uids, IPs, timestamps, container ids, resource versions) differs here too, so nothing is shared
 * between pods that would not be shared after deserialization.
 */
final class SparkPodJson {
    static final int EXECUTORS_PER_APP = 20;
    private static final int NAMESPACES = 20;

    private final long seed;
    private final boolean interPod;

    SparkPodJson(long seed) {
        this(seed, false);
    }

    /**
     * @param interPod whether executors carry a preferred anti-affinity on the hostname and a zone
     *                 spread among their application's executors ({@code matchLabelKeys:
     *                 [spark-app-selector]}), as a job that wants its executors apart would
     */
    SparkPodJson(long seed, boolean interPod) {
        this.seed = seed;
        this.interPod = interPod;
    }

    /** Pod number {@code index}, placed on {@code nodeName}. */
    String pod(int index, String nodeName) {
        int app = index / (EXECUTORS_PER_APP + 1);
        int member = index % (EXECUTORS_PER_APP + 1);
        boolean driver = member == 0;
        String appName = String.format(Locale.ROOT, "etl-daily-%05d", app);
        String appId = String.format(Locale.ROOT, "spark-%016x", new UUID(seed, app).getLeastSignificantBits() ^ app);
        String driverName = appName + "-driver";
        String name = driver ? driverName : String.format(Locale.ROOT, "%s-%016x-exec-%d", appName, app * 31L + seed,
                member);
        String driverUid = new UUID(seed ^ 0x5eedL, app * 64L).toString();
        String uid = driver ? driverUid : new UUID(seed, index).toString();
        String namespace = "spark-team-" + (app % NAMESPACES);
        int ip = index + 1;
        String podIp = String.format(Locale.ROOT, "10.%d.%d.%d", 64 + (ip >> 16 & 63), ip >> 8 & 255, ip & 255);
        String hostIp = "192.168." + (Math.abs(nodeName.hashCode()) % 250) + "." + (Math.abs(nodeName.hashCode() >> 8) % 250);
        String created = String.format(Locale.ROOT, "2025-06-%02dT%02d:%02d:%02dZ", 1 + app % 28, index / 3600 % 24,
                index / 60 % 60, index % 60);
        String started = String.format(Locale.ROOT, "2025-06-%02dT%02d:%02d:%02dZ", 1 + app % 28, index / 3600 % 24,
                index / 60 % 60, (index + 3) % 60);
        String containerId = String.format(Locale.ROOT, "containerd://%016x%016x%016x%016x", index * 0x9E3779B97F4A7C15L,
                seed + index, index * 31L + 7, ~(long) index);
        String template = driver ? DRIVER : interPod ? EXECUTOR_APART : EXECUTOR;
        return template
                .replace("${NAME}", name)
                .replace("${NAMESPACE}", namespace)
                .replace("${UID}", uid)
                .replace("${RV}", Long.toString(1_000_000L + index * 7L))
                .replace("${CREATED}", created)
                .replace("${STARTED}", started)
                .replace("${APP_NAME}", appName)
                .replace("${APP_ID}", appId)
                .replace("${DRIVER_NAME}", driverName)
                .replace("${DRIVER_UID}", driverUid)
                .replace("${EXEC_ID}", Integer.toString(member))
                .replace("${NODE}", nodeName)
                .replace("${POD_IP}", podIp)
                .replace("${HOST_IP}", hostIp)
                .replace("${CONTAINER_ID}", containerId)
                .replace("${SUBMISSION}", new UUID(seed + 1, app).toString());
    }

    /** Executors spread over hosts and zones, apart from their application's other executors. */
    private static final String INTER_POD = """
                "affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
                  {"weight": 50, "podAffinityTerm": {"labelSelector": {"matchLabels": {"spark-role": "executor"}},
                   "matchLabelKeys": ["spark-app-selector"], "topologyKey": "kubernetes.io/hostname"}}]}},
                "topologySpreadConstraints": [
                  {"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "ScheduleAnyway",
                   "labelSelector": {"matchLabels": {"spark-role": "executor"}}, "matchLabelKeys": ["spark-app-selector"]}],
            """;

    private static final String COMMON_LABELS = """
                  "spark-app-selector": "${APP_ID}",
                  "spark-app-name": "${APP_NAME}",
                  "spark-version": "3.5.3",
                  "sparkoperator.k8s.io/app-name": "${APP_NAME}",
                  "sparkoperator.k8s.io/launched-by-spark-operator": "true",
                  "sparkoperator.k8s.io/submission-id": "${SUBMISSION}",
                  "pod-group.scheduling.kubenexus.io/name": "${APP_NAME}",
                  "pod-group.scheduling.kubenexus.io/min-available": "21",
                  "team": "data-platform",
                  "cost-center": "cc-4711\"""";

    private static final String STATUS = """
              "status": {
                "phase": "Running",
                "conditions": [
                  {"type": "PodReadyToStartContainers", "status": "True", "lastProbeTime": null, "lastTransitionTime": "${STARTED}"},
                  {"type": "Initialized", "status": "True", "lastProbeTime": null, "lastTransitionTime": "${CREATED}"},
                  {"type": "Ready", "status": "True", "lastProbeTime": null, "lastTransitionTime": "${STARTED}"},
                  {"type": "ContainersReady", "status": "True", "lastProbeTime": null, "lastTransitionTime": "${STARTED}"},
                  {"type": "PodScheduled", "status": "True", "lastProbeTime": null, "lastTransitionTime": "${CREATED}"}
                ],
                "hostIP": "${HOST_IP}",
                "hostIPs": [{"ip": "${HOST_IP}"}],
                "podIP": "${POD_IP}",
                "podIPs": [{"ip": "${POD_IP}"}],
                "startTime": "${CREATED}",
                "containerStatuses": [
                  {
                    "name": "CONTAINER_NAME",
                    "state": {"running": {"startedAt": "${STARTED}"}},
                    "lastState": {},
                    "ready": true,
                    "restartCount": 0,
                    "image": "registry.example.com/data/spark-py:3.5.3-scala2.12-java17-ubuntu",
                    "imageID": "registry.example.com/data/spark-py@sha256:4f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff",
                    "containerID": "${CONTAINER_ID}",
                    "started": true
                  }
                ],
                "qosClass": "Guaranteed"
              }""";

    private static final String MANAGED_FIELDS = """
                "managedFields": [
                  {
                    "manager": "spark-operator",
                    "operation": "Update",
                    "apiVersion": "v1",
                    "time": "${CREATED}",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                      "f:metadata": {"f:labels": {".": {}, "f:spark-app-name": {}, "f:spark-app-selector": {},
                        "f:spark-role": {}, "f:spark-version": {}, "f:sparkoperator.k8s.io/app-name": {},
                        "f:sparkoperator.k8s.io/launched-by-spark-operator": {}, "f:sparkoperator.k8s.io/submission-id": {},
                        "f:team": {}, "f:cost-center": {}}, "f:ownerReferences": {".": {}, "k:{\\"uid\\":\\"${DRIVER_UID}\\"}": {}}},
                      "f:spec": {"f:containers": {"k:{\\"name\\":\\"CONTAINER_NAME\\"}": {".": {}, "f:args": {}, "f:env": {".": {},
                        "k:{\\"name\\":\\"SPARK_APPLICATION_ID\\"}": {".": {}, "f:name": {}, "f:value": {}},
                        "k:{\\"name\\":\\"SPARK_CONF_DIR\\"}": {".": {}, "f:name": {}, "f:value": {}},
                        "k:{\\"name\\":\\"SPARK_LOCAL_DIRS\\"}": {".": {}, "f:name": {}, "f:value": {}},
                        "k:{\\"name\\":\\"SPARK_USER\\"}": {".": {}, "f:name": {}, "f:value": {}}},
                        "f:image": {}, "f:imagePullPolicy": {}, "f:name": {}, "f:ports": {".": {}},
                        "f:resources": {".": {}, "f:limits": {".": {}, "f:cpu": {}, "f:memory": {}},
                        "f:requests": {".": {}, "f:cpu": {}, "f:memory": {}}},
                        "f:terminationMessagePath": {}, "f:terminationMessagePolicy": {}, "f:volumeMounts": {".": {}}}},
                        "f:dnsPolicy": {}, "f:enableServiceLinks": {}, "f:restartPolicy": {}, "f:schedulerName": {},
                        "f:securityContext": {}, "f:serviceAccount": {}, "f:serviceAccountName": {},
                        "f:terminationGracePeriodSeconds": {}, "f:volumes": {".": {}}}
                    }
                  },
                  {
                    "manager": "kubelet",
                    "operation": "Update",
                    "apiVersion": "v1",
                    "time": "${STARTED}",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                      "f:status": {"f:conditions": {"k:{\\"type\\":\\"ContainersReady\\"}": {".": {}, "f:lastProbeTime": {},
                        "f:lastTransitionTime": {}, "f:status": {}, "f:type": {}}, "k:{\\"type\\":\\"Initialized\\"}": {".": {},
                        "f:lastProbeTime": {}, "f:lastTransitionTime": {}, "f:status": {}, "f:type": {}},
                        "k:{\\"type\\":\\"Ready\\"}": {".": {}, "f:lastProbeTime": {}, "f:lastTransitionTime": {}, "f:status": {},
                        "f:type": {}}}, "f:containerStatuses": {}, "f:hostIP": {}, "f:hostIPs": {}, "f:phase": {},
                        "f:podIP": {}, "f:podIPs": {".": {}, "k:{\\"ip\\":\\"${POD_IP}\\"}": {".": {}, "f:ip": {}}},
                        "f:startTime": {}}
                    },
                    "subresource": "status"
                  }
                ]""";

    private static final String COMMON_SPEC_TAIL = """
                "restartPolicy": "Never",
                "terminationGracePeriodSeconds": 30,
                "dnsPolicy": "ClusterFirst",
                "serviceAccountName": "spark-operator-spark",
                "serviceAccount": "spark-operator-spark",
                "nodeName": "${NODE}",
                "securityContext": {"fsGroup": 185},
                "schedulerName": "kubenexus-scheduler",
                "tolerations": [
                  {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
                  {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}
                ],
                "priority": 0,
                "enableServiceLinks": true,
                "preemptionPolicy": "PreemptLowerPriority\"""";

    private static final String KUBE_API_ACCESS_VOLUME = """
                  {"name": "kube-api-access-${EXEC_ID}x", "projected": {"defaultMode": 420, "sources": [
                    {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                    {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                    {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}}
                  ]}}""";

    private static final String EXECUTOR = ("""
            {
              "apiVersion": "v1",
              "kind": "Pod",
              "metadata": {
                "name": "${NAME}",
                "namespace": "${NAMESPACE}",
                "uid": "${UID}",
                "resourceVersion": "${RV}",
                "creationTimestamp": "${CREATED}",
                "labels": {
                  "spark-role": "executor",
                  "spark-exec-id": "${EXEC_ID}",
                  "spark-exec-resourceprofile-id": "0",
            """ + COMMON_LABELS + """
                },
                "annotations": {
                  "numa.scheduling.kubenexus.io/policy": "best-effort",
                  "cluster-autoscaler.kubernetes.io/safe-to-evict": "false",
                  "prometheus.io/scrape": "true",
                  "prometheus.io/port": "4040"
                },
                "ownerReferences": [
                  {"apiVersion": "v1", "kind": "Pod", "name": "${DRIVER_NAME}", "uid": "${DRIVER_UID}",
                   "controller": true, "blockOwnerDeletion": true}
                ],
            """ + MANAGED_FIELDS + """
              },
              "spec": {
                "hostname": "${NAME}",
                "containers": [
                  {
                    "name": "spark-kubernetes-executor",
                    "image": "registry.example.com/data/spark-py:3.5.3-scala2.12-java17-ubuntu",
                    "imagePullPolicy": "IfNotPresent",
                    "args": ["executor"],
                    "ports": [{"name": "blockmanager", "containerPort": 7079, "protocol": "TCP"}],
                    "env": [
                      {"name": "SPARK_USER", "value": "etl"},
                      {"name": "SPARK_DRIVER_URL", "value": "spark://CoarseGrainedScheduler@${DRIVER_NAME}-svc.${NAMESPACE}.svc:7078"},
                      {"name": "SPARK_EXECUTOR_CORES", "value": "1"},
                      {"name": "SPARK_EXECUTOR_MEMORY", "value": "3g"},
                      {"name": "SPARK_APPLICATION_ID", "value": "${APP_ID}"},
                      {"name": "SPARK_CONF_DIR", "value": "/opt/spark/conf"},
                      {"name": "SPARK_EXECUTOR_ID", "value": "${EXEC_ID}"},
                      {"name": "SPARK_RESOURCE_PROFILE_ID", "value": "0"},
                      {"name": "SPARK_EXECUTOR_POD_IP", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "status.podIP"}}},
                      {"name": "SPARK_EXECUTOR_POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
                      {"name": "SPARK_JAVA_OPT_0", "value": "-Dspark.driver.port=7078"},
                      {"name": "SPARK_JAVA_OPT_1", "value": "-Dspark.driver.blockManager.port=7079"},
                      {"name": "SPARK_JAVA_OPT_2", "value": "-Dspark.ui.port=4040"},
                      {"name": "SPARK_JAVA_OPT_3", "value": "-Djava.net.preferIPv6Addresses=false"},
                      {"name": "SPARK_LOCAL_DIRS", "value": "/var/data/spark-${UID}"}
                    ],
                    "resources": {
                      "limits": {"cpu": "1", "memory": "3456Mi"},
                      "requests": {"cpu": "1", "memory": "3456Mi"}
                    },
                    "volumeMounts": [
                      {"name": "spark-local-dir-1", "mountPath": "/var/data/spark-${UID}"},
                      {"name": "spark-conf-volume-exec", "mountPath": "/opt/spark/conf"},
                      {"name": "kube-api-access-${EXEC_ID}x", "readOnly": true, "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}
                    ],
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File"
                  }
                ],
                "volumes": [
                  {"name": "spark-local-dir-1", "emptyDir": {}},
                  {"name": "spark-conf-volume-exec", "configMap": {"name": "spark-exec-conf-map-${APP_ID}", "defaultMode": 420}},
            """ + KUBE_API_ACCESS_VOLUME + """
                ],
            """ + COMMON_SPEC_TAIL + """
              },
            """ + STATUS + """
            }
            """).replace("CONTAINER_NAME", "spark-kubernetes-executor");

    private static final String DRIVER = ("""
            {
              "apiVersion": "v1",
              "kind": "Pod",
              "metadata": {
                "name": "${NAME}",
                "namespace": "${NAMESPACE}",
                "uid": "${UID}",
                "resourceVersion": "${RV}",
                "creationTimestamp": "${CREATED}",
                "labels": {
                  "spark-role": "driver",
            """ + COMMON_LABELS + """
                },
                "annotations": {
                  "numa.scheduling.kubenexus.io/policy": "best-effort",
                  "cluster-autoscaler.kubernetes.io/safe-to-evict": "false"
                },
                "ownerReferences": [
                  {"apiVersion": "sparkoperator.k8s.io/v1beta2", "kind": "SparkApplication", "name": "${APP_NAME}",
                   "uid": "${SUBMISSION}", "controller": true}
                ],
            """ + MANAGED_FIELDS + """
              },
              "spec": {
                "containers": [
                  {
                    "name": "spark-kubernetes-driver",
                    "image": "registry.example.com/data/spark-py:3.5.3-scala2.12-java17-ubuntu",
                    "imagePullPolicy": "IfNotPresent",
                    "args": ["driver", "--properties-file", "/opt/spark/conf/spark.properties", "--class",
                             "org.apache.spark.deploy.PythonRunner", "local:///opt/jobs/etl_daily.py", "--date", "2025-06-01"],
                    "ports": [
                      {"name": "driver-rpc-port", "containerPort": 7078, "protocol": "TCP"},
                      {"name": "blockmanager", "containerPort": 7079, "protocol": "TCP"},
                      {"name": "spark-ui", "containerPort": 4040, "protocol": "TCP"}
                    ],
                    "env": [
                      {"name": "SPARK_USER", "value": "etl"},
                      {"name": "SPARK_APPLICATION_ID", "value": "${APP_ID}"},
                      {"name": "SPARK_DRIVER_BIND_ADDRESS", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "status.podIP"}}},
                      {"name": "PYSPARK_PYTHON", "value": "/usr/bin/python3"},
                      {"name": "PYSPARK_DRIVER_PYTHON", "value": "/usr/bin/python3"},
                      {"name": "SPARK_LOCAL_DIRS", "value": "/var/data/spark-${UID}"},
                      {"name": "SPARK_CONF_DIR", "value": "/opt/spark/conf"}
                    ],
                    "resources": {
                      "limits": {"cpu": "1", "memory": "4505Mi"},
                      "requests": {"cpu": "1", "memory": "4505Mi"}
                    },
                    "volumeMounts": [
                      {"name": "spark-local-dir-1", "mountPath": "/var/data/spark-${UID}"},
                      {"name": "spark-conf-volume-driver", "mountPath": "/opt/spark/conf"},
                      {"name": "kube-api-access-${EXEC_ID}x", "readOnly": true, "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}
                    ],
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File"
                  }
                ],
                "volumes": [
                  {"name": "spark-local-dir-1", "emptyDir": {}},
                  {"name": "spark-conf-volume-driver", "configMap": {"name": "spark-drv-conf-map-${APP_ID}", "defaultMode": 420,
                    "items": [{"key": "spark.properties", "path": "spark.properties", "mode": 420}]}},
            """ + KUBE_API_ACCESS_VOLUME + """
                ],
            """ + COMMON_SPEC_TAIL + """
              },
            """ + STATUS + """
            }
            """).replace("CONTAINER_NAME", "spark-kubernetes-driver");

    private static final String EXECUTOR_APART = EXECUTOR.replaceFirst("\"spec\": \\{", "\"spec\": {" + INTER_POD);
}
