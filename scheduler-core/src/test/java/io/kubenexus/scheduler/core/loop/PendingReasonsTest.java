package io.kubenexus.scheduler.core.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Messages of PodScheduled conditions as the loop writes them, and the reasons the cluster page groups by. */
class PendingReasonsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            kube-scheduler's counts dropped | 0/50 nodes are available: 20 node(s) had untolerated taint {gpu: true}, 30 Insufficient cpu. | node(s) had untolerated taint {gpu: true};Insufficient cpu
            a taint text with a comma       | 0/9 nodes are available: 4 node(s) had untolerated taint {a: b, c: d}, 5 Insufficient memory. | node(s) had untolerated taint {a: b, c: d};Insufficient memory
            a pre-filter's reason           | 0/9 nodes are available: pod uses required inter-pod affinity, which kubenexus-scheduler does not evaluate yet. | pod uses required inter-pod affinity, which kubenexus-scheduler does not evaluate yet
            a cluster without nodes         | 0/0 nodes are available.                                            | no nodes in the cluster
            members missing                 | gang team/spark-pi: 1/4 members present, waiting for the rest before placing any | gang waiting for its members
            the cluster is too small        | gang team/g: 3 members need cpu=30; the whole cluster has cpu=12 free | gang needs more than the whole cluster has free
            no whole plan                   | gang team/g: 3 members need cpu=3; the best plan fits 2 of 3; g-2: 0/5 nodes are available: 5 Insufficient cpu. | gang does not fit as a whole
            a Spark driver's plan           | driver and 4 executor(s) sized by SparkApplication: gang team/app: 5 members need cpu=5; the best plan fits 3 of 5 | gang does not fit as a whole
            waiting for the application     | gang team/app: waiting for SparkApplication team/app to size the executors | driver waiting for its SparkApplication to size the executors
            waiting for the PodGroup        | gang team/pg: waiting for PodGroup team/pg to say how many members belong together | gang waiting for its PodGroup object
            a timeout                       | gang team/pg: timed out after 1m (scheduleTimeoutSeconds of PodGroup team/pg) with 2/4 members placeable | gang timed out (scheduleTimeoutSeconds)
            another gang message            | gang team/pg: something new about 3 pods | gang: something new about N pods
            an unreadable spec              | spec.containers[0].resources.requests.cpu: not a quantity 'lots' | spec.containers[0].resources.requests.cpu: not a quantity 'lots'
            """)
    void reasons(String name, String message, String expected) {
        assertThat(PendingReasons.of(message, false)).isEqualTo(Arrays.asList(expected.split(";")));
    }

    @ParameterizedTest(name = "backing off: {0}")
    @CsvSource({"true, backing off after a failed attempt", "false, waiting for its first attempt"})
    void aPodWithoutAMessageWaitsForItsAttempt(boolean backingOff, String expected) {
        assertThat(PendingReasons.of(null, backingOff)).isEqualTo(List.of(expected));
    }
}
