package io.kubenexus.scheduler.kube.topology;

import static io.kubenexus.scheduler.kube.testing.NodeObjects.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.kubenexus.scheduler.numa.TopologyManagerPolicy;
import io.kubenexus.scheduler.numa.TopologySource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Precedence, change detection and once-per-problem reporting, without an API server. */
class NodeTopologySourcesTest {
    private static final String ANNOTATED = """
            {"topologyManagerPolicy": "restricted",
             "zones": [{"id": 0, "resources": {"cpu": "32", "nvidia.com/gpu": "4"}},
                       {"id": 1, "resources": {"cpu": "32", "nvidia.com/gpu": "4"}}]}""";
    private static final String ISLANDS = """
            {"islands": [{"name": "nvl0", "zone": 0, "gpus": 4}, {"name": "nvl1", "zone": 1, "gpus": 4}]}""";

    private final List<String> published = new ArrayList<>();
    private final List<String> reported = new ArrayList<>();
    private final NodeTopologySources sources = new NodeTopologySources(new TopologyPublisher() {
        @Override
        public void publish(String nodeName, PublishedTopology topology) {
            published.add(nodeName + " " + topology.source() + " " + topology.topology().policy()
                    + (topology.interconnect() == null ? "" : " islands"));
        }

        @Override
        public void clear(String nodeName) {
            published.add(nodeName + " cleared");
        }
    }, (nodeName, uid, message) -> reported.add(nodeName + "/" + uid + ": " + message));

    private static GenericKubernetesResource nrt(String node, String gpusAvailableInZone0) {
        GenericKubernetesResource object = NodeResourceTopologyTranslatorTest.nrt("""
                attributes: [{name: topologyManagerPolicy, value: single-numa-node}]
                zones:
                - {name: node-0, type: Node, resources: [{name: nvidia.com/gpu, capacity: '4', available: '%s'}]}
                - {name: node-1, type: Node, resources: [{name: nvidia.com/gpu, capacity: '4'}]}
                """.formatted(gpusAvailableInZone0));
        object.getMetadata().setName(node);
        return object;
    }

    private static Node annotatedNode(String name, String topology, String islands) {
        var builder = node(name).allocatable("cpu", "64");
        builder.build().getMetadata().setUid("uid-" + name);
        if (topology != null) {
            builder.annotation(TopologyAnnotation.KEY, topology);
        }
        if (islands != null) {
            builder.annotation(GpuIslandsAnnotation.KEY, islands);
        }
        return builder.build();
    }

    @Test
    void nrtWinsOverTheAnnotationAndItsDeletionFallsBackToIt() {
        sources.nodeUpserted(annotatedNode("gpu-a", ANNOTATED, null));
        sources.nrtUpserted(nrt("gpu-a", "4"));
        sources.nrtRemoved("gpu-a");

        assertThat(published).containsExactly(
                "gpu-a NODE_ANNOTATION restricted",
                "gpu-a NODE_RESOURCE_TOPOLOGY single-numa-node",
                "gpu-a NODE_ANNOTATION restricted");
        assertThat(reported).isEmpty();
    }

    @Test
    void nothingIsPostedWhenNothingChanged() {
        sources.nrtUpserted(nrt("gpu-a", "4"));
        sources.nrtUpserted(nrt("gpu-a", "4")); // resync, or an exporter rewriting the same numbers
        sources.nodeUpserted(node("gpu-a").allocatable("cpu", "64").build());
        sources.nodeUpserted(node("gpu-a").allocatable("cpu", "63").build()); // a status update
        sources.nrtUpserted(nrt("gpu-a", "2"));

        assertThat(published).containsExactly(
                "gpu-a NODE_RESOURCE_TOPOLOGY single-numa-node",
                "gpu-a NODE_RESOURCE_TOPOLOGY single-numa-node");
        assertThat(sources.published("gpu-a").topology().zones().get(0).availableOf("nvidia.com/gpu")).isEqualTo(2);
    }

    @Test
    void nodesWithoutTopologyPostNothingAndKeepNothing() {
        sources.nodeUpserted(node("plain").allocatable("cpu", "8").build());
        sources.nodeRemoved("plain");

        assertThat(published).isEmpty();
        assertThat(sources.publishedCount()).isZero();
    }

    @Test
    void aMalformedNrtIsReportedOnceUntilAValidVersionAndAgainAfterwards() {
        sources.nodeUpserted(annotatedNode("gpu-a", null, null));
        sources.nrtUpserted(nrt("gpu-a", "4"));
        sources.nrtUpserted(nrt("gpu-a", "lots"));
        sources.nrtUpserted(nrt("gpu-a", "lots"));
        sources.nrtUpserted(nrt("gpu-a", "lots"));

        String problem = "gpu-a/uid-gpu-a: NodeResourceTopology gpu-a: zones[0].resources[0].available \"lots\" is not a valid quantity";
        assertThat(reported).containsExactly(problem);
        assertThat(published).containsExactly("gpu-a NODE_RESOURCE_TOPOLOGY single-numa-node", "gpu-a cleared");

        sources.nrtUpserted(nrt("gpu-a", "3"));
        sources.nrtUpserted(nrt("gpu-a", "lots"));

        assertThat(reported).containsExactly(problem, problem);
    }

    @Test
    void aMalformedNrtFallsBackToAValidAnnotation() {
        sources.nodeUpserted(annotatedNode("gpu-a", ANNOTATED, ISLANDS));
        sources.nrtUpserted(nrt("gpu-a", "-1"));

        assertThat(published).containsExactly("gpu-a NODE_ANNOTATION restricted islands");
        assertThat(reported).hasSize(1);
        assertThat(sources.published("gpu-a").source()).isEqualTo(TopologySource.NODE_ANNOTATION);
    }

    @Test
    void aMalformedAnnotationShadowedByAValidNrtIsStillReported() {
        sources.nrtUpserted(nrt("gpu-a", "4"));
        sources.nodeUpserted(annotatedNode("gpu-a", "{\"zones\": []}", null));

        assertThat(published).containsExactly("gpu-a NODE_RESOURCE_TOPOLOGY single-numa-node");
        assertThat(reported).containsExactly(
                "gpu-a/uid-gpu-a: node gpu-a: annotation numa.scheduling.kubenexus.io/topology: zones is empty");
    }

    @Test
    void islandsThatDoNotFitTheTopologyAreLeftOutAndReported() {
        String sixInZoneOne = "{\"islands\": [{\"name\": \"nvl1\", \"zone\": 1, \"gpus\": 6}]}";
        sources.nodeUpserted(annotatedNode("gpu-a", ANNOTATED, sixInZoneOne));

        assertThat(published).containsExactly("gpu-a NODE_ANNOTATION restricted");
        assertThat(reported).containsExactly("gpu-a/uid-gpu-a: node gpu-a: annotation numa.scheduling.kubenexus.io/gpu-islands: "
                + "islands[0] nvl1 put 6 nvidia.com/gpu in zone 1, whose capacity is 4");

        sources.nodeUpserted(annotatedNode("gpu-a", ANNOTATED, ISLANDS));

        assertThat(published).containsExactly("gpu-a NODE_ANNOTATION restricted", "gpu-a NODE_ANNOTATION restricted islands");
    }

    @Test
    void islandsApplyToTheNrtTopologyToo() {
        sources.nodeUpserted(annotatedNode("gpu-a", null, ISLANDS));
        sources.nrtUpserted(nrt("gpu-a", "4"));

        assertThat(published).containsExactly("gpu-a NODE_RESOURCE_TOPOLOGY single-numa-node islands");
        assertThat(sources.published("gpu-a").topology().policy()).isEqualTo(TopologyManagerPolicy.SINGLE_NUMA_NODE);
    }

    @Test
    void removingTheAnnotationOrTheNodeClearsTheTopologyButAnNrtOutlivesTheNode() {
        sources.nodeUpserted(annotatedNode("cpu-a", ANNOTATED, null));
        sources.nodeUpserted(annotatedNode("cpu-a", null, null));
        sources.nrtUpserted(nrt("gpu-a", "4"));
        sources.nodeUpserted(annotatedNode("gpu-a", ANNOTATED, null));
        sources.nodeRemoved("gpu-a");

        assertThat(published).containsExactly(
                "cpu-a NODE_ANNOTATION restricted", "cpu-a cleared",
                "gpu-a NODE_RESOURCE_TOPOLOGY single-numa-node");
        assertThat(sources.publishedCount()).isEqualTo(1);
    }

    @Test
    void theEventForAnNrtArrivingBeforeItsNodeWaitsForTheNodeAndItsUid() {
        sources.nrtUpserted(nrt("later", "x"));

        assertThat(reported).isEmpty();

        sources.nodeUpserted(annotatedNode("later", null, null));
        sources.nodeUpserted(annotatedNode("later", null, null));

        assertThat(reported).singleElement().asString().startsWith("later/uid-later: NodeResourceTopology later: ");
    }

    @Test
    void anNrtForANodeSeenWithoutAnnotationsIsReportedAtOnce() {
        sources.nodeUpserted(annotatedNode("plain", null, null));
        sources.nrtUpserted(nrt("plain", "x"));

        assertThat(reported).singleElement().asString().startsWith("plain/uid-plain: NodeResourceTopology plain: ");
    }

    @Test
    void aProblemGoneBeforeTheNodeAppearsIsNeverReported() {
        sources.nrtUpserted(nrt("later", "x"));
        sources.nrtUpserted(nrt("later", "4"));
        sources.nodeUpserted(annotatedNode("later", null, null));

        assertThat(reported).isEmpty();
    }
}
