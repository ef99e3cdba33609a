package io.kubenexus.scheduler.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubenexus.scheduler.app.DemoSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a person with curl sees of the scheduler at the end of the demo, checked against the API:
 * {@code /readyz} answers 200 and says this replica leads, {@code /metrics} serves both metric
 * families, and {@code /debug/explain} of every pending pod gives the very message of the pod's
 * PodScheduled condition (the one {@code kubectl describe pod} shows).
 *
 * <p>In extender mode ({@link #ofExtender}) the pending pods are kube-scheduler's: the loop never
 * tries them, so {@code /debug/explain} has no message of theirs. Their condition, written by
 * kube-scheduler from the extender's filter answer, is compared instead with what the extender's
 * {@code filter} answers for them now, counted into kube-scheduler's message the same way.
 */
final class HttpAudit {
    /** Enough to cover the demo's pending pods; a bigger run is sampled, oldest first. */
    static final int MAX_EXPLAINED = 400;
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpAudit() {
    }

    static DemoSummary.Http of(String baseUrl, KubernetesClient client, String namespace, PrintStream progress) {
        return check(baseUrl, null, client, namespace, progress);
    }

    /**
     * The same for {@code demo --extender}: readiness and metrics alike, and every pending pod whose
     * condition says {@code Unschedulable} is filtered again through {@code extenderUrl}; pods whose
     * last attempt ended in a refused bind ({@code SchedulerError}) are not compared.
     */
    static DemoSummary.Http ofExtender(String baseUrl, String extenderUrl, KubernetesClient client, String namespace,
                                       PrintStream progress) {
        return check(baseUrl, extenderUrl, client, namespace, progress);
    }

    private static DemoSummary.Http explainedByFilter(HttpClient http, String baseUrl, String extenderUrl, int readyStatus,
                                                      boolean leads, boolean metricsServed, KubernetesClient client,
                                                      String namespace, PrintStream progress)
            throws IOException, InterruptedException {
        List<String> nodeNames = client.nodes().list().getItems().stream().map(n -> n.getMetadata().getName()).toList();
        List<Pod> pending = client.pods().inNamespace(namespace).list().getItems().stream()
                .filter(p -> p.getSpec().getNodeName() == null && condition(p) != null
                        && "Unschedulable".equals(conditionReason(p)))
                .limit(MAX_EXPLAINED).toList();
        int explained = 0;
        int mismatches = 0;
        for (Pod pod : pending) {
            ObjectNode args = JSON.createObjectNode();
            args.set("Pod", JSON.readTree(Serialization.asJson(pod)));
            ArrayNode names = args.putArray("NodeNames");
            nodeNames.forEach(names::add);
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(extenderUrl + "/filter"))
                            .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(args))).build(),
                    HttpResponse.BodyHandlers.ofString());
            explained++;
            String explanation = null;
            if (answer.statusCode() == 200) {
                JsonNode filtered = JSON.readTree(answer.body());
                explanation = filtered.path("NodeNames").size() > 0
                        ? "feasible now on " + filtered.path("NodeNames").size() + " node(s)"
                        : SimulatedKubeScheduler.unschedulableMessage(filtered, nodeNames.size());
            }
            String condition = condition(pod);
            if (!Objects.equals(condition, explanation)) {
                mismatches++;
                if (mismatches <= 5) {
                    progress.println("demo: EXPLAIN MISMATCH " + pod.getMetadata().getName() + ": PodScheduled says '"
                            + condition + "', the extender's filter (" + answer.statusCode() + ") says '" + explanation
                            + "'");
                }
            }
        }
        return new DemoSummary.Http(true, baseUrl, readyStatus, leads, metricsServed, explained, mismatches);
    }

    private static DemoSummary.Http check(String baseUrl, String extenderUrl, KubernetesClient client, String namespace,
                                          PrintStream progress) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> ready = get(http, baseUrl + "/readyz");
            boolean leads = ready.statusCode() == 200 && JSON.readTree(ready.body()).path("leader").asBoolean();
            String metrics = get(http, baseUrl + "/metrics").body();
            boolean metricsServed = metrics.contains("\nscheduler_schedule_attempts_total{")
                    && metrics.contains("\nkubenexus_cluster_allocatable{");
            int explained = 0;
            int mismatches = 0;
            if (extenderUrl != null) {
                return explainedByFilter(http, baseUrl, extenderUrl, ready.statusCode(), leads, metricsServed, client,
                        namespace, progress);
            }
            List<Pod> pending = client.pods().inNamespace(namespace).list().getItems().stream()
                    .filter(p -> p.getSpec().getNodeName() == null && condition(p) != null)
                    .limit(MAX_EXPLAINED).toList();
            for (Pod pod : pending) {
                HttpResponse<String> answer = get(http, baseUrl + "/debug/explain?namespace="
                        + encode(pod.getMetadata().getNamespace()) + "&name=" + encode(pod.getMetadata().getName()));
                explained++;
                String condition = condition(pod);
                String explanation = answer.statusCode() == 200
                        ? JSON.readTree(answer.body()).path("lastUnschedulableMessage").asText(null) : null;
                if (!Objects.equals(condition, explanation)) {
                    mismatches++;
                    if (mismatches <= 5) {
                        progress.println("demo: EXPLAIN MISMATCH " + pod.getMetadata().getName() + ": PodScheduled says '"
                                + condition + "', /debug/explain (" + answer.statusCode() + ") says '" + explanation + "'");
                    }
                }
            }
            return new DemoSummary.Http(true, baseUrl, ready.statusCode(), leads, metricsServed, explained, mismatches);
        } catch (IOException e) {
            progress.println("demo: HTTP CHECK FAILED " + baseUrl + ": " + e);
            return new DemoSummary.Http(true, baseUrl, 0, false, false, 0, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the HTTP endpoints", e);
        }
    }

    /** The reason of the pod's PodScheduled=False condition, or null. */
    private static String conditionReason(Pod pod) {
        return pod.getStatus().getConditions().stream()
                .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
                .map(PodCondition::getReason).findFirst().orElse(null);
    }

    /** The message of the pod's PodScheduled=False condition, or null. */
    private static String condition(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        for (PodCondition condition : pod.getStatus().getConditions()) {
            if ("PodScheduled".equals(condition.getType()) && "False".equals(condition.getStatus())) {
                return condition.getMessage();
            }
        }
        return null;
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
