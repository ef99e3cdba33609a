package io.kubenexus.scheduler.numa;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.testing.PodFixture;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The filter's array-based kubelet admission ({@link ZoneChecks#kubeletAdmits}) must agree with the
 * full model ({@link KubeletAdmission}) on every case the fast path takes: random 1-4 zone nodes,
 * random free amounts, Guaranteed and Burstable pods with one or several containers, both scopes.
 */
class NumaTopologyFastPathTest {
    private static final long GI = 1024L * 1024 * 1024;

    @Test
    void fastPathAgreesWithTheFullKubeletModel() {
        SplittableRandom random = new SplittableRandom(20261122);
        KubeletAdmission model = new KubeletAdmission();
        int admitted = 0;
        int rejected = 0;
        for (int round = 0; round < 20_000; round++) {
            NodeTopology topology = randomTopology(random);
            PodInfo pod = randomPod(random);
            ResourceSlots slots = new ResourceSlots();
            NodeZones node = new NodeZones("n", topology, null, TopologySource.NODE_RESOURCE_TOPOLOGY, slots);
            PodDemand demand = PodDemand.of(pod, null, slots);
            boolean fast = ZoneChecks.kubeletAdmits(node, demand, model, slots);
            boolean full = model.admit(topology, demand.containers, demand.guaranteed).admitted();
            assertThat(fast).as("round %d: %s on %s", round, demand.containers, topology).isEqualTo(full);
            if (full) {
                admitted++;
            } else {
                rejected++;
            }
        }
        // Both outcomes are well represented, so the agreement means something.
        assertThat(admitted).isGreaterThan(2_000);
        assertThat(rejected).isGreaterThan(2_000);
    }

    /**
     * The filter's column path ({@link ZoneChecks#fastCheck}) must give exactly what the full per-node
     * check gives wherever it decides: every policy, every kubelet policy, zones held by isolated or
     * other aligned pods.
     */
    @Test
    void columnPathAgreesWithTheFullCheck() {
        SplittableRandom random = new SplittableRandom(7);
        KubeletAdmission model = new KubeletAdmission();
        String[] policies = {null, "single-numa", "restricted", "best-effort", "isolated"};
        int decided = 0;
        int uniformDecided = 0;
        for (int round = 0; round < 20_000; round++) {
            NodeTopology topology = randomTopology(random, TopologyManagerPolicy.values()[random.nextInt(4)]);
            ResourceSlots slots = new ResourceSlots();
            NodeZones node = new NodeZones("n", topology, null, TopologySource.NODE_RESOURCE_TOPOLOGY, slots);
            for (int z = 0; z < node.zoneCount; z++) {
                node.alignedPods[z] = random.nextInt(3) == 0 ? 1 : 0;
                node.isolatedPods[z] = node.alignedPods[z] > 0 && random.nextInt(3) == 0 ? 1 : 0;
            }
            ZoneColumns columns = new ZoneColumns();
            node.attach(columns, random.nextInt(100));
            node.refreshFree();
            String policy = policies[random.nextInt(policies.length)];
            PodInfo pod = randomPod(random, policy);
            PodDemand demand = PodDemand.of(pod, NumaRequest.parse(pod.annotations()), slots);
            int index = indexOf(columns);
            int fast = ZoneChecks.fastCheck(columns, index, demand);
            if (demand.uniformSlots != null && demand.uniformSlots.length > 0
                    && java.util.Arrays.stream(demand.uniformSlots).allMatch(slot -> slot < columns.free.length)) {
                long[][] freeRows = new long[demand.uniformSlots.length][];
                long[][] maxRows = new long[demand.uniformSlots.length][];
                for (int k = 0; k < freeRows.length; k++) {
                    freeRows[k] = columns.free[demand.uniformSlots[k]];
                    maxRows[k] = columns.maxZone[demand.uniformSlots[k]];
                }
                int uniform = ZoneChecks.uniformCheck(columns, freeRows, maxRows, index, demand);
                if (uniform != ZoneChecks.SLOW) {
                    uniformDecided++;
                    assertThat(uniform).as("uniform, round %d: %s on %s", round, demand.containers, topology)
                            .isEqualTo(ZoneChecks.check(node, demand, model, slots));
                }
            }
            if (fast == ZoneChecks.SLOW) {
                continue;
            }
            decided++;
            int full = ZoneChecks.check(node, demand, model, slots);
            if (demand.request == null && fast >= 0 && full >= 0) {
                // Without a policy the mask only feeds the score, which such pods do not get: passing is what counts.
                continue;
            }
            assertThat(fast).as("round %d: %s policy %s on %s, aligned %s isolated %s", round, demand.containers, policy,
                    topology, java.util.Arrays.toString(node.alignedPods), java.util.Arrays.toString(node.isolatedPods))
                    .isEqualTo(full);
        }
        assertThat(decided).as("the column path decides most cases").isGreaterThan(6_000);
        assertThat(uniformDecided).as("the uniform path decides the Guaranteed single-numa cases").isGreaterThan(500);
    }

    private static int indexOf(ZoneColumns columns) {
        for (int i = 0; i < columns.meta.length; i++) {
            if (columns.meta[i] != 0) {
                return i;
            }
        }
        throw new AssertionError("node not written to the columns");
    }

    private static NodeTopology randomTopology(SplittableRandom random) {
        return randomTopology(random, random.nextBoolean() ? TopologyManagerPolicy.SINGLE_NUMA_NODE
                : TopologyManagerPolicy.RESTRICTED);
    }

    private static NodeTopology randomTopology(SplittableRandom random, TopologyManagerPolicy policy) {
        int zones = 1 + random.nextInt(4);
        TopologyManagerScope scope = random.nextBoolean() ? TopologyManagerScope.CONTAINER : TopologyManagerScope.POD;
        boolean gpus = random.nextBoolean();
        List<NumaZone> list = new ArrayList<>();
        for (int z = 0; z < zones; z++) {
            Map<String, Long> capacity = new HashMap<>();
            capacity.put("cpu", 1000L * (4 + random.nextInt(13)));
            capacity.put("memory", GI * (8 + random.nextInt(57)));
            if (gpus) {
                capacity.put("nvidia.com/gpu", (long) random.nextInt(5));
            }
            Map<String, Long> available = new HashMap<>();
            capacity.forEach((name, amount) -> available.put(name,
                    name.equals("cpu") ? 1000L * random.nextLong(amount / 1000 + 1) : random.nextLong(amount + 1)));
            list.add(new NumaZone(z, capacity, capacity, available));
        }
        return new NodeTopology(list, policy, scope);
    }

    private static PodInfo randomPod(SplittableRandom random) {
        return randomPod(random, null);
    }

    private static PodInfo randomPod(SplittableRandom random, String policy) {
        PodFixture pod = PodFixture.pod("p" + random.nextInt(1000));
        if (policy != null) {
            pod.annotation(NumaRequest.POLICY_ANNOTATION, policy);
        }
        if (random.nextInt(4) > 0) {
            pod.guaranteed();
        }
        int containers = 1 + (random.nextInt(3) == 0 ? 1 : 0);
        for (int c = 0; c < containers; c++) {
            Map<String, Long> requests = new HashMap<>();
            // Mostly whole cores (exclusive CPUs), sometimes fractional (shared pool).
            long cpu = random.nextInt(5) == 0 ? 500L + 1000L * random.nextInt(8) : 1000L * (1 + random.nextInt(24));
            requests.put("cpu", cpu);
            requests.put("memory", GI * (1 + random.nextInt(64)));
            if (random.nextBoolean()) {
                requests.put("nvidia.com/gpu", (long) (1 + random.nextInt(4)));
            }
            pod.container("c" + c, requests);
        }
        return pod.build();
    }
}
