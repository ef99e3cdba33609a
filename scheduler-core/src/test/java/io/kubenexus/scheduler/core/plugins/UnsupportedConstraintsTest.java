package io.kubenexus.scheduler.core.plugins;

import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.framework.Status;
import io.kubenexus.scheduler.core.framework.StatusCode;
import io.kubenexus.scheduler.core.testing.PodFixture;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UnsupportedConstraintsTest {
    private final UnsupportedConstraints plugin = new UnsupportedConstraints();

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("a pod with only supported constraints", pod("p").cpu(1).nodeSelector("zone", "a"),
                        Status.SUCCESS),
                Arguments.of("one unsupported constraint", pod("p").unsupported("inter-pod affinity"),
                        Status.unresolvable("UnsupportedConstraints",
                                "pod uses inter-pod affinity which kubenexus-scheduler does not evaluate yet")),
                Arguments.of("several, listed in the pod's order",
                        pod("p").unsupported("topology spread constraints").unsupported("inter-pod anti-affinity"),
                        Status.unresolvable("UnsupportedConstraints", "pod uses topology spread constraints, "
                                + "inter-pod anti-affinity which kubenexus-scheduler does not evaluate yet")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void preFilter(String name, PodFixture pod, Status expected) {
        ClusterUnderTest cluster = ClusterUnderTest.of(List.of(node("n1").build()));

        Status status = plugin.preFilter(cluster.state().podContext(pod.build()), cluster.state());

        assertThat(status).isEqualTo(expected);
        assertThat(status.code() == StatusCode.UNSCHEDULABLE_AND_UNRESOLVABLE).isEqualTo(!expected.isSuccess());
    }
}
