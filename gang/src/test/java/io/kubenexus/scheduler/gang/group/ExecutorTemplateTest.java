package io.kubenexus.scheduler.gang.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.model.NodeAffinity;
import io.kubenexus.scheduler.core.model.QosClass;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.model.TaintEffect;
import io.kubenexus.scheduler.core.model.Toleration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecutorTemplateTest {
    private static final ResourceList TWO_CORES = ResourceList.of(Map.of("cpu", 2000L));

    @Test
    void aSizeOnlyTemplateLeavesTheShapeToTheDriver() {
        ExecutorTemplate sizeOnly = new ExecutorTemplate(TWO_CORES, 3, Map.of(), List.of(), "PodGroup ml/a");

        assertThat(sizeOnly.shapeKnown()).isFalse();
        assertThat(sizeOnly.qosClass()).isNull();
        assertThat(sizeOnly.nodeAffinity()).isEqualTo(NodeAffinity.NONE);
        assertThat(sizeOnly.annotations()).isEmpty();
    }

    @Test
    void aSelectorOrTolerationsGivenAloneAreTheExecutorsOwnAsBefore() {
        assertThat(new ExecutorTemplate(TWO_CORES, 1, Map.of("pool", "spark"), List.of(), "s").shapeKnown()).isTrue();
        assertThat(new ExecutorTemplate(TWO_CORES, 1, null,
                List.of(Toleration.exists("gpu", TaintEffect.NO_SCHEDULE)), "s").shapeKnown()).isTrue();
    }

    @Test
    void withCountKeepsTheShapeAndWithShapeMarksItKnown() {
        ExecutorTemplate shaped = new ExecutorTemplate(TWO_CORES, 4, Map.of(), List.of(), "s")
                .withShape(Map.of(), List.of(), NodeAffinity.NONE, Map.of("numa.scheduling.kubenexus.io/policy", "single-numa"),
                        QosClass.GUARANTEED);

        ExecutorTemplate two = shaped.withCount(2);

        assertThat(shaped.shapeKnown()).as("an empty selector is still the executors' own").isTrue();
        assertThat(two.count()).isEqualTo(2);
        assertThat(two).isEqualTo(new ExecutorTemplate(TWO_CORES, 2, Map.of(), List.of(), "s", NodeAffinity.NONE,
                Map.of("numa.scheduling.kubenexus.io/policy", "single-numa"), QosClass.GUARANTEED, true));
    }
}
