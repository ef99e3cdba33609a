package io.kubenexus.scheduler.numa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopologyManagerSettingsTest {

    @Test
    void policiesParseFromKubeletNames() {
        assertThat(TopologyManagerPolicy.fromApiName("none")).isEqualTo(TopologyManagerPolicy.NONE);
        assertThat(TopologyManagerPolicy.fromApiName("best-effort")).isEqualTo(TopologyManagerPolicy.BEST_EFFORT);
        assertThat(TopologyManagerPolicy.fromApiName("restricted")).isEqualTo(TopologyManagerPolicy.RESTRICTED);
        assertThat(TopologyManagerPolicy.fromApiName("single-numa-node"))
                .isEqualTo(TopologyManagerPolicy.SINGLE_NUMA_NODE);
        assertThat(TopologyManagerPolicy.SINGLE_NUMA_NODE.apiName()).isEqualTo("single-numa-node");
    }

    @Test
    void unknownPolicyNamesTheValue() {
        assertThatThrownBy(() -> TopologyManagerPolicy.fromApiName("single-numa"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'single-numa'")
                .hasMessageContaining("single-numa-node");
        assertThatThrownBy(() -> TopologyManagerPolicy.fromApiName(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scopesParseFromKubeletNames() {
        assertThat(TopologyManagerScope.fromApiName("container")).isEqualTo(TopologyManagerScope.CONTAINER);
        assertThat(TopologyManagerScope.fromApiName("pod")).isEqualTo(TopologyManagerScope.POD);
        assertThatThrownBy(() -> TopologyManagerScope.fromApiName("Pod"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Pod'");
    }

    @Test
    void nodeTopologyValidatesZones() {
        NumaZone zone = NumaZone.idle(0, Map.of("cpu", 1000L));
        assertThatThrownBy(() -> new NodeTopology(List.of(zone, zone), TopologyManagerPolicy.RESTRICTED,
                TopologyManagerScope.POD)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> new NodeTopology(List.of(), TopologyManagerPolicy.RESTRICTED,
                TopologyManagerScope.POD)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NumaZone.idle(0, Map.of("cpu", -1L)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cpu");
        NodeTopology node = new NodeTopology(List.of(NumaZone.idle(2, Map.of()), zone),
                TopologyManagerPolicy.RESTRICTED, TopologyManagerScope.POD);
        assertThat(node.zones()).extracting(NumaZone::id).containsExactly(0, 2);
        assertThat(node.allZones()).isEqualTo(NumaMask.of(0, 2));
    }
}
