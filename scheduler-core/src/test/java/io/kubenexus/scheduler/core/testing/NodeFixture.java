package io.kubenexus.scheduler.core.testing;

import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.model.Taint;
import io.kubenexus.scheduler.core.model.TaintEffect;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fluent node fixtures: {@code node("n1").cpu(8).memoryGi(32).gpus(4).taint("gpu", "true",
 * NO_SCHEDULE).build()}. Defaults: 4 cores, 16Gi, 110 pods, ready, schedulable, hostname label.
 */
public final class NodeFixture {
    private final String name;
    private final Map<String, String> labels = new HashMap<>();
    private final Map<String, String> annotations = new HashMap<>();
    private final Map<String, Long> allocatable = new HashMap<>();
    private final Map<String, Long> capacity = new HashMap<>();
    private final List<Taint> taints = new ArrayList<>();
    private boolean unschedulable;
    private boolean ready = true;

    private NodeFixture(String name) {
        this.name = name;
        labels.put("kubernetes.io/hostname", name);
        allocatable.put(ResourceNames.CPU, 4000L);
        allocatable.put(ResourceNames.MEMORY, 16L * 1024 * 1024 * 1024);
        allocatable.put(ResourceNames.PODS, 110L);
    }

    public static NodeFixture node(String name) {
        return new NodeFixture(name);
    }

    public NodeFixture cpu(double cores) {
        allocatable.put(ResourceNames.CPU, Math.round(cores * 1000));
        return this;
    }

    public NodeFixture memoryGi(double gib) {
        allocatable.put(ResourceNames.MEMORY, Math.round(gib * 1024 * 1024 * 1024));
        return this;
    }

    public NodeFixture pods(long count) {
        allocatable.put(ResourceNames.PODS, count);
        return this;
    }

    public NodeFixture gpus(long count) {
        allocatable.put(ResourceNames.NVIDIA_GPU, count);
        return this;
    }

    public NodeFixture allocatable(String resource, long amount) {
        allocatable.put(resource, amount);
        return this;
    }

    /** {@code status.capacity} of {@code resource}; resources not given read as their allocatable. */
    public NodeFixture capacity(String resource, long amount) {
        capacity.put(resource, amount);
        return this;
    }

    public NodeFixture label(String key, String value) {
        labels.put(key, value);
        return this;
    }

    /** Drops a label, e.g. the {@code kubernetes.io/hostname} every fixture node gets. */
    public NodeFixture withoutLabel(String key) {
        labels.remove(key);
        return this;
    }

    public NodeFixture annotation(String key, String value) {
        annotations.put(key, value);
        return this;
    }

    public NodeFixture taint(String key, String value, TaintEffect effect) {
        taints.add(new Taint(key, value, effect));
        return this;
    }

    public NodeFixture unschedulable() {
        this.unschedulable = true;
        return this;
    }

    public NodeFixture notReady() {
        this.ready = false;
        return this;
    }

    public NodeInfo build() {
        Map<String, Long> total = new HashMap<>(allocatable);
        total.putAll(capacity);
        return new NodeInfo(name, labels, annotations, ResourceList.of(allocatable), taints, unschedulable, ready,
                ResourceList.of(total));
    }
}
