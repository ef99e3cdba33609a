package io.kubenexus.scheduler.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ResourceListTest {
    private static final long GI = 1L << 30;

    private static Map<String, Long> ordered(Object... nameAmountPairs) {
        Map<String, Long> amounts = new LinkedHashMap<>();
        for (int i = 0; i < nameAmountPairs.length; i += 2) {
            amounts.put((String) nameAmountPairs[i], ((Number) nameAmountPairs[i + 1]).longValue());
        }
        return amounts;
    }

    @Test
    void equalWhateverTheOrderOrPathItWasBuiltBy() {
        ResourceList direct = ResourceList.of(ordered("memory", 2 * GI, "cpu", 1500L, "nvidia.com/gpu", 1L));
        ResourceList reversed = ResourceList.of(ordered("nvidia.com/gpu", 1L, "cpu", 1500L, "memory", 2 * GI));
        ResourceList built = ResourceList.of(ordered("cpu", 500L)).plus(ResourceList.of(ordered("cpu", 1000L)))
                .with("memory", 2 * GI).max(ResourceList.of(ordered("nvidia.com/gpu", 1L, "memory", GI)));

        assertThat(reversed).isEqualTo(direct).hasSameHashCodeAs(direct);
        assertThat(built).isEqualTo(direct).hasSameHashCodeAs(direct);
        assertThat(direct).isNotEqualTo(direct.with("cpu", 1501)).isNotEqualTo(direct.with("pods", 1));
    }

    @Test
    void zeroAmountsAreNotKeptAndNegativeOnesAreRejectedNamingTheResource() {
        assertThat(ResourceList.of(ordered("cpu", 0L, "memory", GI))).isEqualTo(ResourceList.of(ordered("memory", GI)));
        assertThat(ResourceList.of(ordered("cpu", 0L)).isEmpty()).isTrue();
        assertThatThrownBy(() -> ResourceList.of(ordered("memory", -1L)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("resource memory has a negative amount: -1");
    }

    @Test
    void amountsReadAsASortedReadOnlyMap() {
        ResourceList list = ResourceList.of(ordered("memory", 2 * GI, "cpu", 1500L, "example.com/fpga", 2L));
        Map<String, Long> amounts = list.amounts();

        assertThat(amounts).isEqualTo(new TreeMap<>(ordered("cpu", 1500L, "memory", 2 * GI, "example.com/fpga", 2L)));
        assertThat(amounts.keySet()).containsExactly("cpu", "example.com/fpga", "memory");
        assertThat(amounts.hashCode()).isEqualTo(new HashMap<>(amounts).hashCode());
        assertThat(amounts.get("cpu")).isEqualTo(1500L);
        assertThat(amounts.get("pods")).isNull();
        assertThat(amounts.containsKey("memory")).isTrue();
        assertThatThrownBy(() -> amounts.put("cpu", 1L)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> amounts.entrySet().iterator().next().setValue(1L))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void indexAccessorsFollowNameOrderAndGetOfAbsentIsZero() {
        ResourceList list = ResourceList.of(ordered("memory", 2 * GI, "cpu", 1500L));

        assertThat(list.size()).isEqualTo(2);
        assertThat(list.name(0)).isEqualTo("cpu");
        assertThat(list.amount(0)).isEqualTo(1500L);
        assertThat(list.name(1)).isEqualTo("memory");
        assertThat(list.amount(1)).isEqualTo(2 * GI);
        assertThat(list.get("nvidia.com/gpu")).isZero();
        assertThat(ResourceList.EMPTY.size()).isZero();
    }

    @Test
    void printsInKubernetesUnits() {
        assertThat(ResourceList.of(ordered("memory", 2 * GI, "cpu", 1500L, "nvidia.com/gpu", 1L)))
                .hasToString("cpu=1500m, memory=2Gi, nvidia.com/gpu=1");
        assertThat(ResourceList.EMPTY).hasToString("");
    }
}
