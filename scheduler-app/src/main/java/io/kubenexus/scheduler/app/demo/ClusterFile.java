package io.kubenexus.scheduler.app.demo;

import io.kubenexus.scheduler.sim.importer.AlibabaTrace;
import io.kubenexus.scheduler.sim.importer.ImportException;
import io.kubenexus.scheduler.sim.importer.WorkloadFile;
import io.kubenexus.scheduler.sim.model.SimCluster;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.sim.synthetic.NodeShape;
import io.kubenexus.scheduler.sim.synthetic.SyntheticCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the nodes of {@code sandbox --cluster FILE}: the node list of Alibaba's GPU cluster trace
 * (cluster-trace-gpu-v2023, {@code openb_node_list_*.csv}), header
 * {@code sn,cpu_milli,memory_mib,gpu,model}. Each row is a Ready node named {@code sn} with that
 * allocatable cpu, memory and {@code nvidia.com/gpu}, in pool {@code gpu} (labelled
 * {@code nvidia.com/gpu.product: <model>}) or {@code cpu}, without taints or NUMA topology.
 *
 * <p>Any other file is the simulator's YAML/JSON cluster format ({@code docs/simulation.md}: nodes
 * with labels, taints and NUMA zones), read by the simulator's own importer, so its nodes come with
 * their topologies. A bad file fails with the line and field named, and nothing is started.
 */
final class ClusterFile {
    static final List<String> ALIBABA_HEADER = List.of("sn", "cpu_milli", "memory_mib", "gpu", "model");
    private static final long MIB = 1024L * 1024;

    private ClusterFile() {
    }

    /**
     * @throws IllegalArgumentException naming the file and line, for anything that is not a node list
     *                                  of the expected columns
     */
    /** The nodes of {@code file} and the NUMA topology of those that declare one (none from a CSV). */
    static SimCluster cluster(Path file) {
        if (AlibabaTrace.isCsv(file)) {
            return new SimCluster(file.toString(), read(file), Map.of());
        }
        try {
            return WorkloadFile.cluster(file);
        } catch (ImportException e) {
            throw new IllegalArgumentException("--cluster: " + e.getMessage(), e);
        }
    }

    static List<NodeInfo> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("--cluster: cannot read " + file + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty() || !List.of(lines.get(0).trim().split(",", -1)).equals(ALIBABA_HEADER)) {
            throw new IllegalArgumentException("--cluster: " + file + ": expected the header "
                    + String.join(",", ALIBABA_HEADER) + " (Alibaba cluster-trace-gpu-v2023 node list), was '"
                    + (lines.isEmpty() ? "" : lines.get(0)) + "'");
        }
        List<NodeInfo> nodes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String where = "--cluster: " + file + " line " + (i + 1);
            String[] cells = line.split(",", -1);
            if (cells.length != ALIBABA_HEADER.size()) {
                throw new IllegalArgumentException(where + ": expected " + ALIBABA_HEADER.size() + " columns, was "
                        + cells.length);
            }
            String name = cells[0].trim();
            if (!name.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
                throw new IllegalArgumentException(where + ": sn '" + name + "' is not a valid node name");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException(where + ": node " + name + " appears twice");
            }
            long cpuMilli = positive(cells[1], "cpu_milli", where);
            long memoryMib = positive(cells[2], "memory_mib", where);
            long gpus = number(cells[3], "gpu", where);
            String model = cells[4].trim();
            nodes.add(node(name, cpuMilli, memoryMib * MIB, gpus, model));
        }
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("--cluster: " + file + " lists no nodes");
        }
        return nodes;
    }

    private static NodeInfo node(String name, long cpuMilli, long memoryBytes, long gpus, String model) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(SyntheticCluster.HOSTNAME_LABEL, name);
        labels.put(SyntheticCluster.OS_LABEL, "linux");
        labels.put(SyntheticCluster.ARCH_LABEL, "amd64");
        labels.put(SyntheticCluster.POOL_LABEL, gpus > 0 ? "gpu" : "cpu");
        Map<String, Long> allocatable = new LinkedHashMap<>();
        allocatable.put(ResourceNames.CPU, cpuMilli);
        allocatable.put(ResourceNames.MEMORY, memoryBytes);
        allocatable.put(ResourceNames.PODS, NodeShape.DEFAULT_MAX_PODS);
        if (gpus > 0) {
            allocatable.put(ResourceNames.NVIDIA_GPU, gpus);
            labels.put(SyntheticCluster.GPU_COUNT_LABEL, Long.toString(gpus));
            labels.put(SyntheticCluster.GPU_PRESENT_LABEL, "true");
            if (!model.isEmpty()) {
                labels.put(SyntheticCluster.GPU_PRODUCT_LABEL, model);
            }
        }
        return new NodeInfo(name, labels, Map.of(), ResourceList.of(allocatable), List.of(), false, true);
    }

    private static long positive(String cell, String column, String where) {
        long value = number(cell, column, where);
        if (value <= 0) {
            throw new IllegalArgumentException(where + ": " + column + " must be positive, was " + value);
        }
        return value;
    }

    private static long number(String cell, String column, String where) {
        try {
            long value = Long.parseLong(cell.trim());
            if (value < 0) {
                throw new IllegalArgumentException(where + ": " + column + " must not be negative, was " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": " + column + " '" + cell + "' is not a whole number", e);
        }
    }
}
