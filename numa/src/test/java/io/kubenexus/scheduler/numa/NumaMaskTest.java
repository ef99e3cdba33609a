package io.kubenexus.scheduler.numa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

// Semantics follow kubelet pkg/kubelet/cm/topologymanager/bitmask/bitmask.go.
class NumaMaskTest {

    @Test
    void ofCollectsZonesAscending() {
        NumaMask mask = NumaMask.of(3, 0, 3);
        assertThat(mask.zones()).containsExactly(0, 3);
        assertThat(mask.count()).isEqualTo(2);
        assertThat(mask.contains(3)).isTrue();
        assertThat(mask.contains(1)).isFalse();
        assertThat(mask.contains(-1)).isFalse();
        assertThat(mask).hasToString("{0,3}");
        assertThat(NumaMask.EMPTY.isEmpty()).isTrue();
        assertThat(NumaMask.EMPTY).hasToString("{}");
    }

    @Test
    void zoneIdsOutside0To63AreRejected() {
        assertThatThrownBy(() -> NumaMask.of(64)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64");
        assertThatThrownBy(() -> NumaMask.of(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(NumaMask.of(63).zones()).containsExactly(63);
    }

    @Test
    void andOrAndSubset() {
        assertThat(NumaMask.of(0, 1).and(NumaMask.of(1, 2))).isEqualTo(NumaMask.of(1));
        assertThat(NumaMask.of(0).or(NumaMask.of(2))).isEqualTo(NumaMask.of(0, 2));
        assertThat(NumaMask.of(1).isSubsetOf(NumaMask.of(0, 1))).isTrue();
        assertThat(NumaMask.of(0, 1).isSubsetOf(NumaMask.of(1))).isFalse();
        assertThat(NumaMask.firstZones(3)).isEqualTo(NumaMask.of(0, 1, 2));
        assertThat(NumaMask.firstZones(64).count()).isEqualTo(64);
    }

    static Stream<Arguments> narrower() {
        return Stream.of(
                Arguments.of("fewer zones is narrower", NumaMask.of(3), NumaMask.of(0, 1), true),
                Arguments.of("more zones is not narrower", NumaMask.of(0, 1), NumaMask.of(3), false),
                Arguments.of("equal count: lower zones are narrower", NumaMask.of(0, 3), NumaMask.of(1, 2), false),
                Arguments.of("equal count: lower value wins", NumaMask.of(1, 2), NumaMask.of(0, 3), true),
                Arguments.of("a mask is not narrower than itself", NumaMask.of(1), NumaMask.of(1), false),
                Arguments.of("zone 63 compares unsigned", NumaMask.of(0), NumaMask.of(63), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("narrower")
    void isNarrowerThan(String name, NumaMask a, NumaMask b, boolean expected) {
        assertThat(a.isNarrowerThan(b)).isEqualTo(expected);
    }

    @Test
    void nonEmptySubsetsAreNarrowestFirst() {
        assertThat(NumaMask.of(0, 1, 2).nonEmptySubsets()).containsExactly(
                NumaMask.of(0), NumaMask.of(1), NumaMask.of(2),
                NumaMask.of(0, 1), NumaMask.of(0, 2), NumaMask.of(1, 2),
                NumaMask.of(0, 1, 2));
        assertThat(NumaMask.of(1, 3).nonEmptySubsets())
                .containsExactly(NumaMask.of(1), NumaMask.of(3), NumaMask.of(1, 3));
        assertThat(NumaMask.EMPTY.nonEmptySubsets()).isEmpty();
        assertThat(NumaMask.firstZones(8).nonEmptySubsets()).hasSize(255);
    }

    @Test
    void enumeratingTooManyZonesIsRefused() {
        assertThatThrownBy(() -> NumaMask.firstZones(17).nonEmptySubsets())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("17");
    }
}
