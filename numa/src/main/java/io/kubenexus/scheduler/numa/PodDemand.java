package io.kubenexus.scheduler.numa;

import io.kubenexus.scheduler.core.model.ContainerResources;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.QosClass;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.model.ResourceNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a pod asks of NUMA zones, worked out once per pod (not per node): the resources its policy
 * annotation lists, and the ones the kubelet's hint providers would align, as amounts in scheduler
 * units over {@link ResourceSlots}.
 *
 * <p>The kubelet aligns (see {@link KubeletAdmission}): exclusive CPUs (Guaranteed pods, whole cores
 * per container), memory and hugepages (Guaranteed pods), and devices of any QoS. Devices are the
 * requested resources other than cpu, memory, hugepages, ephemeral-storage and pods; whether a node
 * aligns one depends on whether its zones report it, so that is decided per node.
 */
final class PodDemand {
    /** How a kubelet hint provider treats a slot. */
    static final byte NOT_ALIGNED = 0;
    static final byte CPU = 1;
    static final byte MEMORY = 2;
    static final byte DEVICE = 3;

    /** A pod NUMA placement does not concern (no policy, nothing the kubelet aligns). */
    static final PodDemand NONE = new PodDemand(null, null, false, new int[0], new long[0], new boolean[0],
            new boolean[0], new byte[0], new long[0], List.of(), false, List.of());

    final PodInfo pod;
    /** The policy annotation, or null. */
    final NumaRequest request;
    final boolean guaranteed;
    /** Slots charged to zones (listed by the policy or aligned by the kubelet), with amounts. */
    final int[] slots;
    final long[] amounts;
    /** Whether each charged slot is listed by the pod's policy. */
    final boolean[] listed;
    /** Whether each charged slot is memory or hugepages (sized by allocatable, not capacity). */
    final boolean[] memoryType;
    /** How the kubelet aligns each charged slot ({@link #NOT_ALIGNED} for listed-only amounts). */
    final byte[] kubeletKind;
    /** The kubelet-aligned amount per charged slot (cpu only in whole cores of Guaranteed containers). */
    final long[] kubeletAmounts;
    /** Indices (into the arrays above) of the kubelet-aligned slots, and of the listed ones. */
    final int[] alignedIndices;
    final int[] listedIndices;
    /**
     * The common Guaranteed case: a single-numa pod whose listed resources are exactly what the kubelet
     * aligns, in the same amounts (whole cores), one aligning container. Then the kubelet's pinned zone
     * and the policy's zone are the same lowest zone holding {@link #uniformNeed}, and one loop over
     * zones decides. Null otherwise.
     */
    final int[] uniformSlots;
    final long[] uniformNeed;
    /** Bits of {@link #uniformSlots} (all below 32), for the node's reported-slots check. */
    final long uniformSlotBits;
    /** Charged amount by slot, for O(1) lookups on the hot path. */
    private final long[] amountBySlot;
    /** How many aligned slots are memory or hugepages (the memory manager sizes them jointly). */
    final int alignedMemoryTypes;
    /** Listed resources this pod requests that no node's zones report (cannot be aligned anywhere). */
    final List<String> unknownListed;
    /** More than one container has aligned resources: container scope needs the full model. */
    final boolean severalAlignedContainers;
    /** The app containers as the full kubelet model takes them. */
    final List<ContainerRequest> containers;

    private PodDemand(PodInfo pod, NumaRequest request, boolean guaranteed, int[] slots, long[] amounts,
                      boolean[] listed, boolean[] memoryType, byte[] kubeletKind, long[] kubeletAmounts, List<String> unknownListed,
                      boolean severalAlignedContainers, List<ContainerRequest> containers) {
        this.pod = pod;
        this.request = request;
        this.guaranteed = guaranteed;
        this.slots = slots;
        this.amounts = amounts;
        this.listed = listed;
        this.memoryType = memoryType;
        this.kubeletKind = kubeletKind;
        this.kubeletAmounts = kubeletAmounts;
        int aligned = 0;
        int listedCount = 0;
        int memoryTypes = 0;
        for (int i = 0; i < slots.length; i++) {
            aligned += kubeletKind[i] != NOT_ALIGNED ? 1 : 0;
            listedCount += listed[i] ? 1 : 0;
            memoryTypes += kubeletKind[i] == MEMORY ? 1 : 0;
        }
        this.alignedIndices = new int[aligned];
        this.listedIndices = new int[listedCount];
        for (int i = 0, a = 0, l = 0; i < slots.length; i++) {
            if (kubeletKind[i] != NOT_ALIGNED) {
                alignedIndices[a++] = i;
            }
            if (listed[i]) {
                listedIndices[l++] = i;
            }
        }
        this.alignedMemoryTypes = memoryTypes;
        int bound = 0;
        for (int slot : slots) {
            bound = Math.max(bound, slot + 1);
        }
        this.amountBySlot = new long[bound];
        for (int i = 0; i < slots.length; i++) {
            amountBySlot[slots[i]] = amounts[i];
        }
        boolean uniform = request != null && request.policy() == NumaPolicy.SINGLE_NUMA && !severalAlignedContainers
                && memoryTypes <= 1 && aligned == listedCount && aligned > 0;
        long bits = 0;
        for (int i = 0; i < slots.length && uniform; i++) {
            uniform = listed[i] == (kubeletKind[i] != NOT_ALIGNED) && (!listed[i] || kubeletAmounts[i] == amounts[i])
                    && slots[i] < 32;
            bits |= listed[i] ? 1L << slots[i] : 0;
        }
        this.uniformSlots = uniform ? new int[listedCount] : null;
        this.uniformNeed = uniform ? new long[listedCount] : null;
        if (uniform) {
            for (int k = 0; k < listedCount; k++) {
                uniformSlots[k] = slots[listedIndices[k]];
                uniformNeed[k] = amounts[listedIndices[k]];
            }
        }
        this.uniformSlotBits = uniform ? bits : 0;
        this.unknownListed = unknownListed;
        this.severalAlignedContainers = severalAlignedContainers;
        this.containers = containers;
    }

    /** Whether NUMA placement concerns this pod at all (a policy, or something the kubelet aligns). */
    boolean isRelevant() {
        return request != null || slots.length > 0;
    }

    boolean requiresAlignment() {
        return request != null && request.policy().isRequired();
    }

    NumaPolicy policy() {
        return request == null ? null : request.policy();
    }

    /** The pod's amount of a slot, 0 when it does not charge it. */
    long amountOf(int slot) {
        return slot >= 0 && slot < amountBySlot.length ? amountBySlot[slot] : 0;
    }

    /**
     * @param request the pod's parsed policy annotation, or null (a malformed one is rejected when the
     *                pod is translated, so the scheduler sees only valid ones)
     */
    static PodDemand of(PodInfo pod, NumaRequest request, ResourceSlots resourceSlots) {
        boolean guaranteed = pod.qosClass() == QosClass.GUARANTEED;
        List<ContainerResources> containers = pod.containers().isEmpty()
                ? List.of(ContainerResources.of("main", pod.requests())) : pod.containers();
        Map<String, Long> kubelet = new LinkedHashMap<>();
        int alignedContainers = 0;
        List<ContainerRequest> requests = new ArrayList<>(containers.size());
        for (ContainerResources container : containers) {
            boolean aligned = false;
            for (Map.Entry<String, Long> e : container.requests().amounts().entrySet()) {
                String name = e.getKey();
                long amount = e.getValue();
                if (amount > 0 && kindOf(name, guaranteed, amount) != NOT_ALIGNED) {
                    kubelet.merge(name, amount, Long::sum);
                    aligned = true;
                }
            }
            if (aligned) {
                alignedContainers++;
            }
            requests.add(new ContainerRequest(container.name(), container.requests().amounts()));
        }
        Map<String, Long> charged = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        ResourceList podRequests = pod.requests();
        if (request != null) {
            for (String name : request.resources()) {
                long amount = podRequests.get(name);
                if (amount > 0) {
                    charged.put(name, amount);
                    if (resourceSlots.slotOf(name) < 0) {
                        unknown.add(name);
                    }
                }
            }
        }
        kubelet.forEach((name, amount) -> charged.putIfAbsent(name, Math.max(amount, podRequests.get(name))));
        List<Integer> slotList = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String name : charged.keySet()) {
            int slot = resourceSlots.slotOf(name);
            if (slot >= 0) {
                slotList.add(slot);
                names.add(name);
            }
        }
        int n = slotList.size();
        int[] slots = new int[n];
        long[] amounts = new long[n];
        boolean[] listed = new boolean[n];
        boolean[] memoryType = new boolean[n];
        byte[] kinds = new byte[n];
        long[] kubeletAmounts = new long[n];
        for (int i = 0; i < n; i++) {
            String name = names.get(i);
            slots[i] = slotList.get(i);
            amounts[i] = charged.get(name);
            listed[i] = request != null && request.resources().contains(name);
            memoryType[i] = ResourceNames.MEMORY.equals(name) || name.startsWith("hugepages-");
            Long aligned = kubelet.get(name);
            kinds[i] = aligned == null ? NOT_ALIGNED : kindOf(name, guaranteed, aligned);
            kubeletAmounts[i] = aligned == null ? 0 : aligned;
        }
        return new PodDemand(pod, request, guaranteed, slots, amounts, listed, memoryType, kinds, kubeletAmounts,
                List.copyOf(unknown), alignedContainers > 1, List.copyOf(requests));
    }

    private static byte kindOf(String resource, boolean guaranteed, long amount) {
        if (ResourceNames.CPU.equals(resource)) {
            // Only whole cores of Guaranteed containers get exclusive CPUs; the rest runs in the shared pool.
            return guaranteed && amount % 1000 == 0 ? CPU : NOT_ALIGNED;
        }
        if (ResourceNames.MEMORY.equals(resource) || resource.startsWith("hugepages-")) {
            return guaranteed ? MEMORY : NOT_ALIGNED;
        }
        if (ResourceNames.PODS.equals(resource) || ResourceNames.EPHEMERAL_STORAGE.equals(resource)) {
            return NOT_ALIGNED;
        }
        return DEVICE;
    }
}
