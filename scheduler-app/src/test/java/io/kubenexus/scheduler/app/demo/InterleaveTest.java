package io.kubenexus.scheduler.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.sim.synthetic.PodSpecTemplate;
import io.kubenexus.scheduler.sim.synthetic.WorkloadGenerator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spark applications are submitted spread through the pod stream, so they compete with it for room. */
class InterleaveTest {
    private final List<PodSpecTemplate> pods = WorkloadGenerator.builder().seed(1).build().generate(10);
    private final List<SparkApp> apps = SparkWorkload.builder().seed(1).build().generate(4);

    @Test
    void applicationsAreSpreadEvenlyAmongThePods() {
        assertThat(EmbeddedClusterDemo.interleave(pods, apps).stream().map(InterleaveTest::shortName).toList())
                .containsExactly("p0", "p1", "a0", "p2", "p3", "a1", "p4", "p5", "a2", "p6", "p7", "a3", "p8", "p9");
    }

    @Test
    void eitherStreamAloneComesThroughInOrder() {
        assertThat(EmbeddedClusterDemo.interleave(List.of(), apps).stream().map(InterleaveTest::shortName).toList())
                .containsExactly("a0", "a1", "a2", "a3");
        assertThat(EmbeddedClusterDemo.interleave(pods, List.of())).hasSize(10)
                .allMatch(s -> s instanceof EmbeddedClusterDemo.Submission.PlainPod);
    }

    private static String shortName(EmbeddedClusterDemo.Submission submission) {
        return submission instanceof EmbeddedClusterDemo.Submission.PlainPod plain
                ? "p" + Integer.parseInt(plain.template().name().replaceAll("\\D", ""))
                : "a" + Integer.parseInt(((EmbeddedClusterDemo.Submission.Application) submission).app().name()
                        .replaceAll("\\D", ""));
    }
}
