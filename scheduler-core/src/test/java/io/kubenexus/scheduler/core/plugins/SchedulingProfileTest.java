package io.kubenexus.scheduler.core.plugins;

import static io.kubenexus.scheduler.core.model.TaintEffect.NO_SCHEDULE;
import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.config.ScoringStrategy;
import io.kubenexus.scheduler.core.framework.SchedulingPlugin;
import io.kubenexus.scheduler.core.plugins.ClusterUnderTest.FilterOutcome;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SchedulingProfileTest {

    private static SchedulerSettings withPluginWeights(Map<String, Integer> pluginWeights) {
        SchedulerSettings d = SchedulerSettings.defaults();
        return new SchedulerSettings(d.schedulerName(), d.scoringStrategy(), d.resourceWeights(), pluginWeights,
                d.percentageOfNodesToScore(), d.podInitialBackoff(), d.podMaxBackoff(), d.podMaxInUnschedulablePods(), d.gpuFragmentation());
    }

    @Test
    void defaultsFollowKubeSchedulersOrder() {
        SchedulingProfile profile = SchedulingProfile.defaults(SchedulerSettings.defaults());

        assertThat(profile.preFilters()).extracting(SchedulingPlugin::name)
                .containsExactly("UnsupportedConstraints", "GpuFragmentation");
        assertThat(profile.filters()).extracting(SchedulingPlugin::name).containsExactly(
                "NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity", "NodePorts", "NodeResourcesFit",
                "PodTopologySpread", "InterPodAffinity");
        assertThat(profile.scores()).extracting(w -> w.plugin().name(), WeightedScorePlugin::weight).containsExactly(
                tuple("TaintToleration", 3),
                tuple("NodeAffinity", 2),
                tuple("NodeResourcesFit", 1),
                tuple("PodTopologySpread", 2),
                tuple("InterPodAffinity", 2),
                tuple("GpuFragmentation", 30));
        assertThat(profile.scores()).extracting(w -> w.plugin().name())
                .containsExactlyElementsOf(SchedulingProfile.DEFAULT_SCORE_PLUGINS);
    }

    static Stream<Arguments> weightCases() {
        return Stream.of(
                Arguments.of("no overrides", Map.of(),
                        List.of("TaintToleration=3", "NodeAffinity=2", "NodeResourcesFit=1", "PodTopologySpread=2",
                                "InterPodAffinity=2", "GpuFragmentation=30")),
                Arguments.of("override one weight", Map.of("NodeResourcesFit", 5),
                        List.of("TaintToleration=3", "NodeAffinity=2", "NodeResourcesFit=5", "PodTopologySpread=2",
                                "InterPodAffinity=2", "GpuFragmentation=30")),
                Arguments.of("weight 0 disables a score plugin", Map.of("TaintToleration", 0, "NodeAffinity", 10),
                        List.of("NodeAffinity=10", "NodeResourcesFit=1", "PodTopologySpread=2", "InterPodAffinity=2",
                                "GpuFragmentation=30")),
                Arguments.of("all disabled", Map.of("TaintToleration", 0, "NodeAffinity", 0, "NodeResourcesFit", 0,
                        "GpuFragmentation", 0, "PodTopologySpread", 0, "InterPodAffinity", 0), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("weightCases")
    void scoreWeights(String name, Map<String, Integer> pluginWeights, List<String> expected) {
        SchedulingProfile profile = SchedulingProfile.defaults(withPluginWeights(pluginWeights));

        assertThat(profile.scores()).extracting(w -> w.plugin().name() + "=" + w.weight())
                .containsExactlyElementsOf(expected);
        assertThat(profile.filters()).hasSize(8);
    }

    @Test
    void disablingScoringKeepsTheFilter() {
        SchedulingProfile profile = SchedulingProfile.defaults(withPluginWeights(Map.of("TaintToleration", 0)));

        assertThat(profile.filters()).extracting(SchedulingPlugin::name).contains("TaintToleration");
    }

    @Test
    void scorePluginsAreTheFilterOrPreFilterInstances() {
        SchedulingProfile profile = SchedulingProfile.defaults(SchedulerSettings.defaults());

        for (WeightedScorePlugin weighted : profile.scores()) {
            assertThat(java.util.stream.Stream.concat(profile.filters().stream(), profile.preFilters().stream()))
                    .anySatisfy(plugin -> assertThat(plugin).isSameAs(weighted.plugin()));
        }
    }

    @Test
    void gpuFragmentationWeightZeroLeavesOutItsPreFilterToo() {
        SchedulingProfile profile = SchedulingProfile.defaults(withPluginWeights(Map.of("GpuFragmentation", 0)));

        assertThat(profile.preFilters()).extracting(SchedulingPlugin::name).containsExactly("UnsupportedConstraints");
        assertThat(profile.scores()).extracting(w -> w.plugin().name()).doesNotContain("GpuFragmentation");
    }

    @Test
    void scoringStrategyComesFromSettings() {
        SchedulerSettings settings = SchedulerSettings.defaults()
                .withScoring(ScoringStrategy.MOST_ALLOCATED, Map.of("cpu", 1, "nvidia.com/gpu", 5));

        SchedulingProfile profile = SchedulingProfile.defaults(settings);

        assertThat(profile.filters()).filteredOn(f -> f instanceof NodeResourcesFit).singleElement()
                .extracting(f -> ((NodeResourcesFit) f).strategy()).isEqualTo(ScoringStrategy.MOST_ALLOCATED);
    }

    @Test
    void weightedScorePluginRejectsWeightsBelowOne() {
        assertThatThrownBy(() -> new WeightedScorePlugin(new NodeAffinity(), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NodeAffinity");
    }

    @Test
    void eachNodeIsReportedUnderTheFirstFilterThatRejectsIt() {
        ClusterUnderTest cluster = ClusterUnderTest.of(List.of(
                node("n1").taint("gpu", "true", NO_SCHEDULE).build(),
                node("n2").taint("gpu", "true", NO_SCHEDULE).cpu(1).build(),
                node("n3").cpu(1).build()));
        SchedulingProfile profile = SchedulingProfile.defaults(SchedulerSettings.defaults());

        FilterOutcome outcome = cluster.filter(profile.filters(), pod("p").cpu(2).build());

        assertThat(outcome.message()).isEqualTo(
                "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {gpu: true}.");
    }

    @Test
    void aCordonedTaintedNodeCountsAsUnschedulableOnly() {
        ClusterUnderTest cluster = ClusterUnderTest.of(List.of(
                node("n1").unschedulable().taint("node.kubernetes.io/unschedulable", "", NO_SCHEDULE).build(),
                node("n2").label("zone", "b").build()));
        SchedulingProfile profile = SchedulingProfile.defaults(SchedulerSettings.defaults());

        FilterOutcome outcome = cluster.filter(profile.filters(), pod("p").nodeSelector("zone", "a").build());

        assertThat(outcome.message()).isEqualTo("0/2 nodes are available: "
                + "1 node(s) didn't match Pod's node affinity/selector, 1 node(s) were unschedulable.");
    }
}
