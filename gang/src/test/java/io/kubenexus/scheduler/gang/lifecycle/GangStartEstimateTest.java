package io.kubenexus.scheduler.gang.lifecycle;

import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * When a starving member could have its room: the earliest-ending pods on a node must end until it
 * fits; a pod without a declared run time (or a stand-in) there makes it unknown.
 */
class GangStartEstimateTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    /** A running pod of {@code cpu} cores on n0 that started {@code agoMinutes} ago and declares {@code runMinutes} (null: none). */
    private static PodInfo running(String name, double cpu, int agoMinutes, Integer runMinutes) {
        return pod(name).cpu(cpu).boundTo("n0").startedAt(NOW.minus(Duration.ofMinutes(agoMinutes)))
                .declaredRunTime(runMinutes == null ? null : Duration.ofMinutes(runMinutes)).build();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("fits in free room now", List.of(running("a", 2, 0, null)), 6.0, null, NOW),
                Arguments.of("the earliest-ending pod frees enough",
                        List.of(running("a", 4, 0, 30), running("b", 4, 0, 10)), 4.0, null, NOW.plus(Duration.ofMinutes(10))),
                Arguments.of("both must end: the later one counts",
                        List.of(running("a", 4, 0, 30), running("b", 4, 0, 10)), 8.0, null, NOW.plus(Duration.ofMinutes(30))),
                Arguments.of("started earlier ends earlier",
                        List.of(running("a", 8, 20, 30)), 8.0, null, NOW.plus(Duration.ofMinutes(10))),
                Arguments.of("one that must end declares no run time: unknown",
                        List.of(running("a", 4, 0, 10), running("b", 4, 0, null)), 8.0, null, null),
                Arguments.of("more than the node could ever give: never", List.of(), 9.0, null, null),
                Arguments.of("room already held counts",
                        List.of(running("a", 2, 0, 30), running("b", 4, 0, 10)), 6.0, 2000L, NOW.plus(Duration.ofMinutes(10))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void whenTheMemberFits(String name, List<PodInfo> occupying, double memberCpu, Long heldMilli, Instant expected) {
        ClusterState state = new ClusterState();
        state.upsertNode(node("n0").cpu(8).memoryGi(64).build());
        occupying.forEach(state::upsertPod);
        PodInfo member = pod("member").cpu(memberCpu).build();
        ResourceList held = null;
        if (heldMilli != null) {
            held = ResourceList.of(Map.of("cpu", heldMilli));
            state.assume(HeldRoom.standIn(member, "n0", held));
        }

        assertThat(GangStartEstimate.whenFits(member, held, state.nodeIndex("n0"), state, NOW)).isEqualTo(expected);
    }
}
