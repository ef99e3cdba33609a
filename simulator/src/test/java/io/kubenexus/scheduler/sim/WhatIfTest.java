package io.kubenexus.scheduler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubenexus.scheduler.gang.group.GangSettings;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.config.ScoringStrategy;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.numa.NumaSettings;
import io.kubenexus.scheduler.sim.importer.WorkloadFile;
import io.kubenexus.scheduler.sim.model.SimCluster;
import io.kubenexus.scheduler.sim.policy.Policy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WhatIfTest {
    private static final SimCluster CLUSTER = WorkloadFile.cluster("""
            nodes:
              - {name: t4, count: 3, cpu: 16, memory: 64Gi, gpus: 2, labels: {nvidia.com/gpu.product: T4, pool: a}}
              - {name: a100, count: 2, cpu: 64, memory: 256Gi, gpus: 8, labels: {nvidia.com/gpu.product: A100, pool: b}}
            """, "cluster.yaml");

    private static WhatIf change(String add, String remove) {
        return new WhatIf(add, remove, null, Map.of(), Map.of());
    }

    @Test
    void removesTheNodesASelectorMatchesOrOnlyTheFirstN() {
        assertThat(names(change(null, "nvidia.com/gpu.product=T4").apply(CLUSTER))).containsExactly("a100-0", "a100-1");
        assertThat(names(change(null, "2:pool=a").apply(CLUSTER))).containsExactly("t4-2", "a100-0", "a100-1");
        assertThat(names(change(null, "pool,nvidia.com/gpu.product!=T4").apply(CLUSTER))).containsExactly("t4-0", "t4-1",
                "t4-2");
        assertThat(names(change(null, "name=a100-1").apply(CLUSTER))).doesNotContain("a100-1").hasSize(4);
    }

    @Test
    void addsCopiesOfANodeOrNodesOfAShape() {
        SimCluster copies = change("2:a100-0", null).apply(CLUSTER);
        assertThat(names(copies)).endsWith("a100-0-whatif-0", "a100-0-whatif-1");
        assertThat(copies.totalGpus()).isEqualTo(CLUSTER.totalGpus() + 16);
        NodeInfo shaped = change("1:cpu=96,memory=512Gi,gpus=8,model=H100", null).apply(CLUSTER).nodes().get(5);
        assertThat(shaped.allocatable().get(ResourceNames.NVIDIA_GPU)).isEqualTo(8);
        assertThat(shaped.labels()).containsEntry("nvidia.com/gpu.product", "H100");
    }

    @Test
    void badSpecsAreErrorsNamingTheOption() {
        assertThatThrownBy(() -> change(null, "pool=c").apply(CLUSTER)).hasMessage("--remove-nodes: no node matches 'pool=c'");
        assertThatThrownBy(() -> change("2:nowhere", null).apply(CLUSTER))
                .hasMessage("--add-nodes: no node named 'nowhere' to copy");
        assertThatThrownBy(() -> change("two:a100-0", null).apply(CLUSTER))
                .hasMessageStartingWith("--add-nodes: 'two' is not a count");
        assertThatThrownBy(() -> change("1:cpu=4,disks=2", null).apply(CLUSTER))
                .hasMessageStartingWith("--add-nodes: unknown key 'disks'");
    }

    @Test
    void weightOverridesChangeOnlyTheScoring() {
        Policy base = Policy.of(Policy.DEFAULT, SchedulerSettings.defaults(), GangSettings.defaults(), NumaSettings.defaults());
        Policy changed = new WhatIf(null, null, ScoringStrategy.MOST_ALLOCATED, Map.of("nvidia.com/gpu", 5),
                Map.of("NodeAffinity", 0)).apply(base);

        assertThat(changed.name()).isEqualTo(Policy.DEFAULT);
        assertThat(changed.settings().scoringStrategy()).isEqualTo(ScoringStrategy.MOST_ALLOCATED);
        assertThat(changed.settings().resourceWeights()).containsEntry("nvidia.com/gpu", 5).containsEntry("cpu", 1);
        assertThat(changed.settings().pluginWeights()).containsEntry("NodeAffinity", 0);
        assertThat(changed.settings().podMaxBackoff()).isEqualTo(base.settings().podMaxBackoff());
        assertThat(change(null, null).isEmpty()).isTrue();
    }

    private static java.util.List<String> names(SimCluster cluster) {
        return cluster.nodes().stream().map(NodeInfo::name).toList();
    }
}
