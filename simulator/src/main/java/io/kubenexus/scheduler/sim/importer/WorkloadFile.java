package io.kubenexus.scheduler.sim.importer;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.core.model.Taint;
import io.kubenexus.scheduler.core.model.TaintEffect;
import io.kubenexus.scheduler.gang.GangLabels;
import io.kubenexus.scheduler.numa.NodeTopology;
import io.kubenexus.scheduler.numa.NumaRequest;
import io.kubenexus.scheduler.numa.NumaZone;
import io.kubenexus.scheduler.numa.TopologyManagerPolicy;
import io.kubenexus.scheduler.numa.TopologyManagerScope;
import io.kubenexus.scheduler.sim.model.SimCluster;
import io.kubenexus.scheduler.sim.model.SimTask;
import io.kubenexus.scheduler.sim.model.SimWorkload;
import java.io.IOException;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The simulator's own format, YAML or JSON (JSON is YAML): {@code nodes} (with optional NUMA
 * topology), {@code pods}, {@code gangs} (members placed all-or-nothing with a min-available) and
 * {@code sparkApps} (a driver whose executors are created once it is bound, as spark-operator does).
 * Every key is documented in docs/simulation.md; an unknown key, a value of the wrong type and a
 * bad amount are errors naming the field ({@code pods[2].cpu}) and, for syntax and type errors, the
 * line.
 */
public final class WorkloadFile {
    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private WorkloadFile() {
    }

    // ------------------------------------------------------------------ the document

    record Document(List<NodeDoc> nodes, List<PodDoc> pods, List<GangDoc> gangs, List<SparkDoc> sparkApps) {
    }

    record NodeDoc(String name, Integer count, String cpu, String memory, Integer gpus, Integer pods,
                   Map<String, String> labels, List<TaintDoc> taints, NumaDoc numa) {
    }

    record TaintDoc(String key, String value, String effect) {
    }

    record NumaDoc(String policy, String scope, List<ZoneDoc> zones) {
    }

    record ZoneDoc(String cpu, String memory, Integer gpus) {
    }

    record PodDoc(String name, String namespace, Integer count, String cpu, String memory, Integer gpus,
                  Integer priority, Map<String, String> labels, Map<String, String> nodeSelector,
                  List<String> gpuModels, Long arrival, Long duration, String numaPolicy) {
    }

    record GangDoc(String name, String namespace, Integer minAvailable, Long arrival, Long duration,
                   List<PodDoc> members) {
    }

    record SparkDoc(String name, String namespace, Long arrival, Long duration, PodDoc driver, PodDoc executor,
                    Integer executors) {
    }

    // ------------------------------------------------------------------ reading

    public static SimCluster cluster(Path file) {
        return cluster(AlibabaTrace.read(file), file.toString());
    }

    public static SimCluster cluster(String text, String source) {
        Document doc = parse(text, source);
        if (doc.nodes() == null || doc.nodes().isEmpty()) {
            throw new ImportException(source + ": nodes: the cluster needs at least one node");
        }
        List<NodeInfo> nodes = new ArrayList<>();
        Map<String, NodeTopology> topologies = new LinkedHashMap<>();
        for (int i = 0; i < doc.nodes().size(); i++) {
            String field = "nodes[" + i + "]";
            NodeDoc node = doc.nodes().get(i);
            try {
                addNodes(node, field, nodes, topologies);
            } catch (IllegalArgumentException e) {
                throw new ImportException(source + ": " + e.getMessage(), e);
            }
        }
        try {
            return new SimCluster(source, nodes, topologies);
        } catch (IllegalArgumentException e) {
            throw new ImportException(e.getMessage(), e);
        }
    }

    public static SimWorkload workload(Path file, SimCluster cluster, String schedulerName) {
        return workload(AlibabaTrace.read(file), file.toString(), cluster, schedulerName);
    }

    public static SimWorkload workload(String text, String source, SimCluster cluster, String schedulerName) {
        Document doc = parse(text, source);
        Set<String> models = cluster.labelValues(TaskPods.GPU_MODEL_LABEL);
        Reader reader = new Reader(schedulerName, models);
        try {
            for (int i = 0; doc.pods() != null && i < doc.pods().size(); i++) {
                reader.pods(doc.pods().get(i), "pods[" + i + "]", Map.of(), null, null);
            }
            for (int i = 0; doc.gangs() != null && i < doc.gangs().size(); i++) {
                reader.gang(doc.gangs().get(i), "gangs[" + i + "]");
            }
            for (int i = 0; doc.sparkApps() != null && i < doc.sparkApps().size(); i++) {
                reader.spark(doc.sparkApps().get(i), "sparkApps[" + i + "]");
            }
        } catch (IllegalArgumentException e) {
            throw new ImportException(source + ": " + e.getMessage(), e);
        }
        if (reader.tasks.isEmpty()) {
            throw new ImportException(source + ": the workload has no pods (pods, gangs or sparkApps)");
        }
        try {
            return new SimWorkload(source, reader.tasks, reader.templates, true);
        } catch (IllegalArgumentException e) {
            throw new ImportException(e.getMessage(), e);
        }
    }

    private static Document parse(String text, String source) {
        try {
            Document doc = MAPPER.readValue(text, Document.class);
            if (doc == null) {
                throw new ImportException(source + ": empty file");
            }
            return doc;
        } catch (UnrecognizedPropertyException e) {
            throw new ImportException(source + ": " + keyLine(text, e.getPropertyName(), e.getLocation())
                    + "unknown key '" + path(e) + "' (known: "
                    + String.join(", ", e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList()) + ")", e);
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof JsonProcessingException syntax) {
                throw new ImportException(source + ": " + syntaxError(syntax), e);
            }
            throw new ImportException(source + ": " + at(e.getLocation()) + (path(e).isEmpty() ? "" : path(e) + ": ")
                    + firstLine(e.getOriginalMessage()), e);
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof MarkedYAMLException) {
                throw new ImportException(source + ": " + syntaxError(e), e);
            }
            throw new ImportException(source + ": " + at(e.getLocation()) + "not valid YAML or JSON: "
                    + firstLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new ImportException(source + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * The line of the first occurrence of {@code key} as a key: the YAML parser has read past the key's
     * value by the time it is rejected, so its own location is a line or more late.
     */
    private static String keyLine(String text, String key, JsonLocation fallback) {
        java.util.regex.Pattern asKey = java.util.regex.Pattern.compile("(^|[\\s{,\"'-])" + java.util.regex.Pattern.quote(key)
                + "[\"']?\\s*:");
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (asKey.matcher(lines[i]).find()) {
                return "line " + (i + 1) + ": ";
            }
        }
        return at(fallback);
    }

    /** SnakeYAML knows where the problem is; Jackson's location is where it gave up. */
    private static String syntaxError(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            return "line " + (yaml.getProblemMark().getLine() + 1) + ": not valid YAML or JSON: " + yaml.getProblem();
        }
        return at(e.getLocation()) + "not valid YAML or JSON: " + firstLine(e.getOriginalMessage());
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : "line " + location.getLineNr() + ": ";
    }

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

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }

    // ------------------------------------------------------------------ nodes

    private static void addNodes(NodeDoc doc, String field, List<NodeInfo> nodes, Map<String, NodeTopology> topologies) {
        String name = required(doc.name(), field + ".name");
        int count = doc.count() == null ? 1 : doc.count();
        if (count < 1) {
            throw new IllegalArgumentException(field + ".count: must be at least 1, was " + count);
        }
        Map<String, Long> allocatable = new LinkedHashMap<>();
        allocatable.put(ResourceNames.CPU, Quantity.cpuMilli(doc.cpu(), field + ".cpu"));
        allocatable.put(ResourceNames.MEMORY, Quantity.bytes(doc.memory(), field + ".memory"));
        allocatable.put(ResourceNames.PODS, (long) nonNegative(doc.pods() == null ? 110 : doc.pods(), field + ".pods"));
        int gpus = nonNegative(doc.gpus() == null ? 0 : doc.gpus(), field + ".gpus");
        if (gpus > 0) {
            allocatable.put(ResourceNames.NVIDIA_GPU, (long) gpus);
        }
        List<Taint> taints = new ArrayList<>();
        for (int t = 0; doc.taints() != null && t < doc.taints().size(); t++) {
            TaintDoc taint = doc.taints().get(t);
            String taintField = field + ".taints[" + t + "]";
            TaintEffect effect;
            try {
                effect = TaintEffect.fromApiName(required(taint.effect(), taintField + ".effect"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(taintField + ".effect: " + e.getMessage(), e);
            }
            taints.add(new Taint(required(taint.key(), taintField + ".key"), taint.value() == null ? "" : taint.value(),
                    effect));
        }
        NodeTopology topology = doc.numa() == null ? null : topology(doc.numa(), field + ".numa", allocatable);
        for (int i = 0; i < count; i++) {
            String nodeName = count == 1 ? name : name + "-" + i;
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put(TaskPods.HOSTNAME_LABEL, nodeName);
            if (doc.labels() != null) {
                labels.putAll(doc.labels());
            }
            nodes.add(new NodeInfo(nodeName, labels, Map.of(), ResourceList.of(allocatable), taints, false, true));
            if (topology != null) {
                topologies.put(nodeName, topology);
            }
        }
    }

    private static NodeTopology topology(NumaDoc doc, String field, Map<String, Long> node) {
        if (doc.zones() == null || doc.zones().isEmpty()) {
            throw new IllegalArgumentException(field + ".zones: at least one zone is needed");
        }
        TopologyManagerPolicy policy;
        TopologyManagerScope scope;
        try {
            policy = TopologyManagerPolicy.fromApiName(doc.policy() == null ? "single-numa-node" : doc.policy());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ".policy: " + e.getMessage(), e);
        }
        try {
            scope = TopologyManagerScope.fromApiName(doc.scope() == null ? "container" : doc.scope());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ".scope: " + e.getMessage(), e);
        }
        List<NumaZone> zones = new ArrayList<>();
        long cpu = 0;
        long gpus = 0;
        for (int z = 0; z < doc.zones().size(); z++) {
            ZoneDoc zone = doc.zones().get(z);
            String zoneField = field + ".zones[" + z + "]";
            Map<String, Long> resources = new LinkedHashMap<>();
            resources.put(ResourceNames.CPU, Quantity.cpuMilli(zone.cpu(), zoneField + ".cpu"));
            resources.put(ResourceNames.MEMORY, Quantity.bytes(zone.memory(), zoneField + ".memory"));
            if (zone.gpus() != null && zone.gpus() > 0) {
                resources.put(ResourceNames.NVIDIA_GPU, (long) zone.gpus());
            }
            cpu += resources.get(ResourceNames.CPU);
            gpus += resources.getOrDefault(ResourceNames.NVIDIA_GPU, 0L);
            zones.add(NumaZone.idle(z, resources));
        }
        if (cpu > node.get(ResourceNames.CPU) || gpus > node.getOrDefault(ResourceNames.NVIDIA_GPU, 0L)) {
            throw new IllegalArgumentException(field + ".zones: the zones hold more cpu or GPUs than the node");
        }
        return new NodeTopology(zones, policy, scope);
    }

    // ------------------------------------------------------------------ pods

    private static final class Reader {
        final String schedulerName;
        final Set<String> models;
        final List<SimTask> tasks = new ArrayList<>();
        final Map<String, ExecutorTemplate> templates = new LinkedHashMap<>();

        Reader(String schedulerName, Set<String> models) {
            this.schedulerName = schedulerName;
            this.models = models;
        }

        /** Adds the pods {@code doc} describes ({@code count} of them); returns them. */
        List<PodInfo> pods(PodDoc doc, String field, Map<String, String> extraLabels, Long arrival, Long duration) {
            List<PodInfo> out = new ArrayList<>();
            for (PodInfo pod : build(doc, field, extraLabels, arrival)) {
                long at = arrival != null ? arrival : doc.arrival() == null ? 0 : doc.arrival();
                Long lifetime = duration != null ? duration : doc.duration();
                tasks.add(new SimTask(pod, at, lifetime == null ? SimTask.NEVER : at + lifetime, false));
                out.add(pod);
            }
            return out;
        }

        List<PodInfo> build(PodDoc doc, String field, Map<String, String> extraLabels, Long arrivalOverride) {
            String name = required(doc.name(), field + ".name");
            String namespace = doc.namespace() == null ? "default" : doc.namespace();
            int count = doc.count() == null ? 1 : doc.count();
            if (count < 1) {
                throw new IllegalArgumentException(field + ".count: must be at least 1, was " + count);
            }
            long arrival = arrivalOverride != null ? arrivalOverride : doc.arrival() == null ? 0 : doc.arrival();
            if (arrival < 0) {
                throw new IllegalArgumentException(field + ".arrival: must not be negative, was " + arrival);
            }
            if (doc.duration() != null && doc.duration() < 0) {
                throw new IllegalArgumentException(field + ".duration: must not be negative, was " + doc.duration());
            }
            long cpu = Quantity.cpuMilli(doc.cpu() == null ? "0" : doc.cpu(), field + ".cpu");
            long memory = Quantity.bytes(doc.memory() == null ? "0" : doc.memory(), field + ".memory");
            int gpus = nonNegative(doc.gpus() == null ? 0 : doc.gpus(), field + ".gpus");
            List<String> wanted = doc.gpuModels() == null ? List.of() : doc.gpuModels();
            for (String model : wanted) {
                if (!models.contains(model)) {
                    throw new IllegalArgumentException(field + ".gpuModels: unknown GPU model '" + model
                            + "' (the cluster's models: " + String.join(", ", models) + ")");
                }
            }
            Map<String, String> annotations = new LinkedHashMap<>();
            if (doc.numaPolicy() != null) {
                annotations.put(NumaRequest.POLICY_ANNOTATION, doc.numaPolicy());
            }
            List<PodInfo> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Map<String, String> labels = new LinkedHashMap<>();
                if (doc.labels() != null) {
                    labels.putAll(doc.labels());
                }
                labels.putAll(extraLabels);
                if ("executor".equals(labels.get(GangLabels.SPARK_ROLE))) {
                    labels.put(GangLabels.SPARK_EXEC_ID, Integer.toString(i + 1));
                }
                String podName = count == 1 ? name : name + "-" + i;
                out.add(TaskPods.pending(new PodKey(namespace, podName), schedulerName,
                        doc.priority() == null ? 0 : doc.priority(), Instant.EPOCH.plusSeconds(arrival), labels,
                        annotations, TaskPods.requests(cpu, memory, gpus),
                        doc.nodeSelector() == null ? Map.of() : doc.nodeSelector(), TaskPods.gpuModelAffinity(wanted),
                        List.of(), doc.numaPolicy() != null));
            }
            return out;
        }

        void gang(GangDoc doc, String field) {
            String name = required(doc.name(), field + ".name");
            String namespace = doc.namespace() == null ? "default" : doc.namespace();
            if (doc.members() == null || doc.members().isEmpty()) {
                throw new IllegalArgumentException(field + ".members: a gang needs members");
            }
            int size = 0;
            for (PodDoc member : doc.members()) {
                size += member.count() == null ? 1 : member.count();
            }
            int min = doc.minAvailable() == null ? size : doc.minAvailable();
            if (min < 1 || min > size) {
                throw new IllegalArgumentException(field + ".minAvailable: must be 1.." + size + " (the members), was " + min);
            }
            Map<String, String> labels = Map.of(GangLabels.NAME, name, GangLabels.MIN_AVAILABLE, Integer.toString(min));
            for (int m = 0; m < doc.members().size(); m++) {
                PodDoc member = doc.members().get(m);
                if (member.namespace() != null && !member.namespace().equals(namespace)) {
                    throw new IllegalArgumentException(field + ".members[" + m + "].namespace: a gang's members share "
                            + "its namespace (" + namespace + ")");
                }
                PodDoc inNamespace = new PodDoc(member.name(), namespace, member.count(), member.cpu(), member.memory(),
                        member.gpus(), member.priority(), member.labels(), member.nodeSelector(), member.gpuModels(),
                        null, null, member.numaPolicy());
                pods(inNamespace, field + ".members[" + m + "]", labels, doc.arrival() == null ? 0 : doc.arrival(),
                        doc.duration());
            }
        }

        void spark(SparkDoc doc, String field) {
            String app = required(doc.name(), field + ".name");
            String namespace = doc.namespace() == null ? "default" : doc.namespace();
            if (doc.driver() == null) {
                throw new IllegalArgumentException(field + ".driver: missing");
            }
            if (doc.executor() == null) {
                throw new IllegalArgumentException(field + ".executor: missing");
            }
            int executors = doc.executors() == null ? 1 : doc.executors();
            if (executors < 1) {
                throw new IllegalArgumentException(field + ".executors: must be at least 1, was " + executors);
            }
            long arrival = doc.arrival() == null ? 0 : doc.arrival();
            Map<String, String> common = new LinkedHashMap<>();
            common.put(GangLabels.NAME, app);
            common.put(GangLabels.MIN_AVAILABLE, Integer.toString(1 + executors));
            common.put(GangLabels.OPERATOR_APP_NAME, app);
            common.put(GangLabels.SPARK_APP_SELECTOR, "spark-" + app);
            Map<String, String> driverLabels = new LinkedHashMap<>(common);
            driverLabels.put(GangLabels.SPARK_ROLE, "driver");
            Map<String, String> executorLabels = new LinkedHashMap<>(common);
            executorLabels.put(GangLabels.SPARK_ROLE, "executor");
            PodDoc driverDoc = renamed(doc.driver(), app + "-driver", namespace, 1);
            PodDoc executorDoc = renamed(doc.executor(), app + "-exec", namespace, executors);
            PodInfo driver = build(driverDoc, field + ".driver", driverLabels, arrival).get(0);
            List<PodInfo> followers = build(executorDoc, field + ".executor", executorLabels, arrival);
            long departure = doc.duration() == null ? SimTask.NEVER : arrival + doc.duration();
            tasks.add(new SimTask(driver, arrival, departure, false, followers));
            PodInfo one = followers.get(0);
            templates.put(namespace + "/" + app, new ExecutorTemplate(one.requests(), executors, one.nodeSelector(),
                    one.tolerations(), "SparkApplication " + namespace + "/" + app));
        }

        private static PodDoc renamed(PodDoc doc, String name, String namespace, int count) {
            return new PodDoc(name, namespace, count, doc.cpu(), doc.memory(), doc.gpus(), doc.priority(), doc.labels(),
                    doc.nodeSelector(), doc.gpuModels(), null, null, doc.numaPolicy());
        }
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + ": missing");
        }
        return value;
    }

    private static int nonNegative(int value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + ": must not be negative, was " + value);
        }
        return value;
    }
}
