package io.kubenexus.scheduler.sim.importer;

import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.sim.model.SimCluster;
import io.kubenexus.scheduler.sim.model.SimTask;
import io.kubenexus.scheduler.sim.model.SimWorkload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the Alibaba GPU cluster trace of 2023 ("openb", published with Weng et al., "Beware of
 * Fragmentation: Scheduling GPU-Sharing Workloads with Fragmentation Gradient Descent", USENIX ATC
 * '23; alibaba/clusterdata, cluster-trace-gpu-v2023/csv).
 *
 * <p>Nodes: {@code sn,cpu_milli,memory_mib,gpu,model}; the model becomes the node label
 * {@value TaskPods#GPU_MODEL_LABEL}. Pods: {@code name,cpu_milli,memory_mib,num_gpu,gpu_milli}
 * and optionally {@code gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time}, in any
 * order (some published pod lists carry only the first five: then no model constraint and no times).
 * {@code gpu_spec} ({@code V100M16|V100M32}) becomes required node affinity {@code In} those models.
 * A task with {@code gpu_milli} below 1000 shares a GPU; the scheduler allocates whole
 * {@code nvidia.com/gpu}, so it is rounded up to one and counted ({@link SimTask#sharedGpuRounded}).
 *
 * <p>Errors name the file, line and column; an unknown column is ignored, a missing required one,
 * a value that is not a whole number, a negative value and a model no node has are errors.
 */
public final class AlibabaTrace {
    /** The trace does not limit pods per node; this is high enough never to be the constraint. */
    public static final long PODS_PER_NODE = 1000;
    public static final String NAMESPACE = "openb";
    static final List<String> NODE_COLUMNS = List.of("sn", "cpu_milli", "memory_mib", "gpu");
    static final List<String> POD_COLUMNS = List.of("name", "cpu_milli", "memory_mib", "num_gpu", "gpu_milli");
    private static final long MIB = 1024L * 1024L;

    private AlibabaTrace() {
    }

    /** Whether the file looks like one of this trace's CSV files (by its name). */
    public static boolean isCsv(Path file) {
        return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv");
    }

    public static SimCluster nodes(Path file) {
        return nodes(read(file), file.toString());
    }

    public static SimCluster nodes(String csv, String source) {
        Table table = Table.parse(csv, source, NODE_COLUMNS);
        List<NodeInfo> nodes = new ArrayList<>();
        for (Table.Row row : table.rows()) {
            String name = row.text("sn");
            if (name.isEmpty()) {
                throw ImportException.at(source, row.line(), "sn", "must not be empty");
            }
            long cpu = row.count("cpu_milli");
            long memory = row.count("memory_mib");
            long gpus = row.count("gpu");
            String model = row.optionalText("model");
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put(TaskPods.HOSTNAME_LABEL, name);
            if (!model.isEmpty()) {
                labels.put(TaskPods.GPU_MODEL_LABEL, model);
            }
            Map<String, Long> allocatable = new LinkedHashMap<>();
            allocatable.put(ResourceNames.CPU, cpu);
            allocatable.put(ResourceNames.MEMORY, Math.multiplyExact(memory, MIB));
            allocatable.put(ResourceNames.PODS, PODS_PER_NODE);
            if (gpus > 0) {
                allocatable.put(ResourceNames.NVIDIA_GPU, gpus);
            }
            nodes.add(new NodeInfo(name, labels, Map.of(), ResourceList.of(allocatable), List.of(), false, true));
        }
        try {
            return new SimCluster(source, nodes, Map.of());
        } catch (IllegalArgumentException e) {
            throw new ImportException(e.getMessage(), e);
        }
    }

    /**
     * The pods of {@code file}; {@code cluster} tells which GPU models exist (a {@code gpu_spec}
     * naming none of them is an error, not a pod that silently never fits).
     */
    public static SimWorkload pods(Path file, SimCluster cluster, String schedulerName) {
        return pods(read(file), file.toString(), cluster, schedulerName);
    }

    public static SimWorkload pods(String csv, String source, SimCluster cluster, String schedulerName) {
        Table table = Table.parse(csv, source, POD_COLUMNS);
        Set<String> models = cluster.labelValues(TaskPods.GPU_MODEL_LABEL);
        boolean hasTimes = table.has("creation_time");
        List<SimTask> tasks = new ArrayList<>();
        for (Table.Row row : table.rows()) {
            String name = row.text("name");
            if (name.isEmpty()) {
                throw ImportException.at(source, row.line(), "name", "must not be empty");
            }
            long cpu = row.count("cpu_milli");
            long memory = row.count("memory_mib");
            long numGpu = row.count("num_gpu");
            long gpuMilli = row.count("gpu_milli");
            if (gpuMilli > 1000) {
                throw ImportException.at(source, row.line(), "gpu_milli", "must be 0..1000 (per GPU), was " + gpuMilli);
            }
            boolean shared = gpuMilli > 0 && gpuMilli < 1000;
            long gpus = shared ? Math.max(1, numGpu) : numGpu;
            List<String> spec = gpuSpec(row, source, models);
            long arrival = hasTimes ? row.optionalCount("creation_time", 0) : 0;
            long departure = row.optionalCount("deletion_time", SimTask.NEVER);
            if (departure < arrival) {
                throw ImportException.at(source, row.line(), "deletion_time",
                        "must not be before creation_time (" + arrival + "), was " + departure);
            }
            PodInfo pod = TaskPods.pending(new PodKey(NAMESPACE, name), schedulerName, 0,
                    Instant.EPOCH.plusSeconds(arrival), Map.of(), Map.of(),
                    TaskPods.requests(cpu, Math.multiplyExact(memory, MIB), gpus), Map.of(),
                    TaskPods.gpuModelAffinity(spec), List.of(), false);
            tasks.add(new SimTask(pod, arrival, departure, shared));
        }
        try {
            return new SimWorkload(source, tasks, Map.of(), hasTimes);
        } catch (IllegalArgumentException e) {
            throw new ImportException(e.getMessage(), e);
        }
    }

    private static List<String> gpuSpec(Table.Row row, String source, Set<String> models) {
        String spec = row.optionalText("gpu_spec");
        if (spec.isEmpty()) {
            return List.of();
        }
        List<String> wanted = new ArrayList<>();
        for (String model : spec.split("\\|")) {
            String trimmed = model.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (!models.contains(trimmed)) {
                throw ImportException.at(source, row.line(), "gpu_spec", "unknown GPU model '" + trimmed
                        + "' (the cluster's models: " + String.join(", ", models) + ")");
            }
            wanted.add(trimmed);
        }
        return wanted;
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ImportException(file + ": cannot read the file: it does not exist", e);
        } catch (IOException e) {
            throw new ImportException(file + ": cannot read the file: " + e.getMessage(), e);
        }
    }

    /** A CSV file with a header line; fields hold no commas (the trace's never do). */
    record Table(String source, Map<String, Integer> columns, List<Row> rows) {
        static Table parse(String csv, String source, List<String> required) {
            String[] lines = csv.split("\r?\n", -1);
            int first = 0;
            while (first < lines.length && lines[first].isBlank()) {
                first++;
            }
            if (first == lines.length) {
                throw new ImportException(source + ": empty file (expected a header line: " + String.join(",", required) + ")");
            }
            Map<String, Integer> columns = new HashMap<>();
            String[] header = split(lines[first]);
            for (int i = 0; i < header.length; i++) {
                if (columns.putIfAbsent(header[i], i) != null) {
                    throw ImportException.at(source, first + 1, null, "column '" + header[i] + "' appears twice");
                }
            }
            List<String> missing = required.stream().filter(c -> !columns.containsKey(c)).toList();
            if (!missing.isEmpty()) {
                throw ImportException.at(source, first + 1, null, "missing column" + (missing.size() > 1 ? "s " : " ")
                        + String.join(", ", missing) + " (header: " + String.join(",", header) + ")");
            }
            List<Row> rows = new ArrayList<>();
            Table table = new Table(source, columns, rows);
            for (int i = first + 1; i < lines.length; i++) {
                if (lines[i].isBlank()) {
                    continue;
                }
                String[] fields = split(lines[i]);
                if (fields.length > header.length) {
                    throw ImportException.at(source, i + 1, null, fields.length + " fields, but the header has "
                            + header.length);
                }
                rows.add(new Row(table, i + 1, fields));
            }
            return table;
        }

        boolean has(String column) {
            return columns.containsKey(column);
        }

        private static String[] split(String line) {
            String[] fields = line.split(",", -1);
            for (int i = 0; i < fields.length; i++) {
                String field = fields[i].trim();
                if (field.length() >= 2 && field.startsWith("\"") && field.endsWith("\"")) {
                    field = field.substring(1, field.length() - 1);
                }
                fields[i] = field;
            }
            return fields;
        }

        record Row(Table table, int line, String[] fields) {
            String text(String column) {
                Integer index = table.columns.get(column);
                return index == null || index >= fields.length ? "" : fields[index];
            }

            String optionalText(String column) {
                return text(column);
            }

            /** A required whole number, 0 or more. */
            long count(String column) {
                String value = text(column);
                if (value.isEmpty()) {
                    throw ImportException.at(table.source, line, column, "missing value");
                }
                return parse(column, value);
            }

            long optionalCount(String column, long absent) {
                String value = text(column);
                return value.isEmpty() ? absent : parse(column, value);
            }

            private long parse(String column, String value) {
                long number;
                try {
                    number = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw ImportException.at(table.source, line, column, "not a whole number: '" + value + "'");
                }
                if (number < 0) {
                    throw ImportException.at(table.source, line, column, "must not be negative, was " + number);
                }
                return number;
            }

            @Override
            public boolean equals(Object other) {
                return this == other;
            }

            @Override
            public int hashCode() {
                return System.identityHashCode(this);
            }

            @Override
            public String toString() {
                return table.source + ":" + line + " " + Arrays.toString(fields);
            }
        }
    }
}
