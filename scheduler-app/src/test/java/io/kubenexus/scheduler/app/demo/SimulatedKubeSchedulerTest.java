package io.kubenexus.scheduler.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The PodScheduled message the simulated kube-scheduler writes, counted as kube-scheduler's FitError counts. */
class SimulatedKubeSchedulerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "reasons counted per node, sorted as strings, unresolvable ones too "
                    + "| {\"NodeNames\":[],\"FailedNodes\":{\"a\":\"Insufficient cpu\",\"b\":\"Insufficient cpu\","
                    + "\"c\":\"Insufficient cpu, Insufficient memory\"},\"FailedAndUnresolvableNodes\":{\"d\":\"node(s) had "
                    + "untolerated taint {gpu: true}\"},\"Error\":\"\"} "
                    + "| 0/4 nodes are available: 1 Insufficient cpu, Insufficient memory, 1 node(s) had untolerated "
                    + "taint {gpu: true}, 2 Insufficient cpu.",
            "no reasons at all | {\"NodeNames\":[],\"FailedNodes\":{},\"FailedAndUnresolvableNodes\":null} "
                    + "| 0/3 nodes are available."})
    void messageIsKubeSchedulersFitError(String name, String answer, String message) throws Exception {
        int nodes = Integer.parseInt(message.trim().substring(2, message.trim().indexOf(' ')));

        assertThat(SimulatedKubeScheduler.unschedulableMessage(JSON.readTree(answer.trim()), nodes))
                .isEqualTo(message.trim());
    }
}
