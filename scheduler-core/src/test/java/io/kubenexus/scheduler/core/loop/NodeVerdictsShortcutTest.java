package io.kubenexus.scheduler.core.loop;

import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static io.kubenexus.scheduler.core.testing.PodFixture.req;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.model.NodeSelectorOperator;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.TaintEffect;
import io.kubenexus.scheduler.core.model.Toleration;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.testing.NodeFixture;
import io.kubenexus.scheduler.core.testing.PodFixture;
import java.util.BitSet;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link NodeVerdicts} sharing one verdict among the nodes a filter rejected for a single reason
 * must judge exactly as running the filter again on every rejected node: same feasible nodes, same
 * verdict (filter, reasons, resolvable) for every rejected node. Checked on random clusters (taints,
 * labels, cordons, sizes, GPUs, host ports, busy nodes) with random pods (tolerations, selectors,
 * required terms, requests that fit some, one or no resource, host ports, node names).
 */
class NodeVerdictsShortcutTest {
    private static final SchedulingProfile PROFILE = SchedulingProfile.defaults(SchedulerSettings.defaults());

    @Test
    void sharedVerdictsEqualEveryNodeJudgedAlone() {
        int sharedSomewhere = 0;
        for (long seed = 1; seed <= 60; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            ClusterState state = randomCluster(random);
            BitSet candidates = (BitSet) state.liveNodes().clone();
            for (int p = 0; p < 25; p++) {
                PodInfo pod = randomPod(random, p);
                NodeVerdicts.Outcome plain = new NodeVerdicts(PROFILE, false).judge(state.podContext(pod), state,
                        candidates);
                NodeVerdicts.Outcome shared = new NodeVerdicts(PROFILE, true).judge(state.podContext(pod), state,
                        candidates);

                assertThat(shared.feasible()).as("seed %d pod %d", seed, p).isEqualTo(plain.feasible());
                assertThat(shared.rejected()).as("seed %d pod %d", seed, p)
                        .containsExactlyEntriesOf(plain.rejected());
                Set<NodeVerdicts.Verdict> instances = Collections.newSetFromMap(new IdentityHashMap<>());
                instances.addAll(shared.rejected().values());
                if (instances.size() < shared.rejected().size()) {
                    sharedSomewhere++;
                }
            }
        }
        assertThat(sharedSomewhere).as("cases where nodes share a verdict").isGreaterThan(100);
    }

    /** 40-80 nodes: sizes, GPUs, two taint keys with two values, zones, a few cordoned, busy nodes. */
    private static ClusterState randomCluster(SplittableRandom random) {
        ClusterState state = new ClusterState();
        int nodes = random.nextInt(40, 81);
        for (int n = 0; n < nodes; n++) {
            NodeFixture node = node("n" + n).cpu(4 * random.nextInt(1, 17)).memoryGi(16 * random.nextInt(1, 9))
                    .label("zone", "z" + random.nextInt(3)).label("disk", random.nextBoolean() ? "ssd" : "hdd");
            if (random.nextInt(4) == 0) {
                node.gpus(random.nextBoolean() ? 4 : 8).taint("gpu", random.nextBoolean() ? "a100" : "h100",
                        TaintEffect.NO_SCHEDULE);
            }
            if (random.nextInt(8) == 0) {
                node.taint("dedicated", random.nextBoolean() ? "spark" : "ml", TaintEffect.NO_SCHEDULE);
            }
            if (random.nextInt(20) == 0) {
                node.unschedulable();
            }
            state.upsertNode(node.build());
        }
        for (int i = 0; i < nodes * 3; i++) {
            PodFixture bound = pod("bound-" + i).cpuMilli(random.nextLong(100, 16_000))
                    .memoryMi(random.nextLong(64, 64_000)).boundTo("n" + random.nextInt(nodes));
            if (random.nextInt(10) == 0) {
                bound.hostPort(8080);
            }
            state.upsertPod(bound.build());
        }
        return state;
    }

    private static PodInfo randomPod(SplittableRandom random, int p) {
        PodFixture pod = pod("p" + p).cpuMilli(random.nextLong(100, random.nextBoolean() ? 8_000 : 70_000))
                .memoryMi(random.nextLong(64, random.nextBoolean() ? 16_000 : 140_000));
        if (random.nextInt(3) == 0) {
            pod.gpu(random.nextInt(1, 9));
        }
        switch (random.nextInt(4)) {
            case 0 -> pod.toleration(Toleration.exists("gpu", TaintEffect.NO_SCHEDULE));
            case 1 -> pod.toleration(Toleration.exists("dedicated", TaintEffect.NO_SCHEDULE));
            case 2 -> pod.toleratesAll();
            default -> { }
        }
        switch (random.nextInt(5)) {
            case 0 -> pod.nodeSelector("zone", "z" + random.nextInt(3));
            case 1 -> pod.requiredTerm(req("disk", NodeSelectorOperator.IN, "ssd"));
            case 2 -> pod.requiredTerm(req("zone", NodeSelectorOperator.NOT_IN, "z0"));
            default -> { }
        }
        if (random.nextInt(6) == 0) {
            pod.hostPort(8080);
        }
        return pod.build();
    }
}
