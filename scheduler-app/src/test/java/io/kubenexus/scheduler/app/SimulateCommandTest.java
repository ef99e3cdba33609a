package io.kubenexus.scheduler.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code simulate} command line: the JSON contract scripts depend on, the HTML report, what-if, errors. */
class SimulateCommandTest {
    @TempDir
    Path dir;
    private Path nodes;
    private Path pods;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    @BeforeEach
    void files() throws IOException {
        nodes = Files.writeString(dir.resolve("openb_node_list_gpu_node.csv"), """
                sn,cpu_milli,memory_mib,gpu,model
                n0,32000,131072,8,G2
                n1,32000,131072,8,G2
                n2,16000,65536,2,T4
                n3,16000,65536,4,T4
                n4,64000,262144,0,
                """);
        pods = Files.writeString(dir.resolve("openb_pod_list_test.csv"), """
                name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
                p0,4000,8192,1,1000,,LS,Running,0,100,0
                p1,2000,4096,1,500,,LS,Running,10,,10
                p2,8000,16384,2,1000,T4,LS,Running,20,200,20
                p3,6000,12288,4,1000,,BE,Running,30,,30
                p4,1000,2048,0,0,,BE,Running,40,50,40
                p5,16000,32768,8,1000,G2,LS,Running,60,,60
                """);
    }

    private int execute(String... args) {
        return new KubenexusScheduler((config, client) -> {
            throw new AssertionError("simulate needs no cluster");
        }, (options, progress) -> {
            throw new AssertionError("not the demo");
        }, new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8),
                ShutdownSignal.jvm(1), Map.of()).execute(args);
    }

    @Test
    void theInflatingReplayWithBaselinesPrintsOneJsonObjectWithEveryPolicy() throws IOException {
        int code = execute("simulate", "--cluster", nodes.toString(), "--workload", pods.toString(), "--replay", "inflate",
                "--load", "1.0", "--seed", "3", "--baselines", "--json");

        assertThat(code).as(stderr.toString()).isZero();
        JsonNode report = new ObjectMapper().readTree(stdout.toString(StandardCharsets.UTF_8));
        assertThat(report.get("cluster_gpus").asLong()).isEqualTo(22);
        assertThat(report.get("shared_gpu_tasks_rounded_up").asInt()).isEqualTo(1);
        JsonNode policies = report.get("policies");
        assertThat(List.of(policies.fieldNames().next())).containsExactly("default");
        assertThat(policies.size()).isEqualTo(4);
        for (String policy : List.of("default", "LeastAllocated", "MostAllocated", "BestFitGpu")) {
            JsonNode figures = policies.get(policy);
            assertThat(figures).as(policy).isNotNull();
            long unallocated = figures.get("unallocated_gpus").asLong();
            assertThat(unallocated).isBetween(0L, 22L);
            assertThat(figures.get("unallocated_gpu_share").asDouble()).isEqualTo(unallocated / 22.0, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(figures.get("failed_tasks").isInt()).isTrue();
            assertThat(figures.has("first_failure_at_demand")).isTrue();
            assertThat(figures.get("arrived_gpu_demand").asLong()).isGreaterThanOrEqualTo(22);
        }
    }

    @Test
    void theSameSeedGivesTheSameReportAndAnotherSeedAnotherDraw() throws IOException {
        execute("simulate", "--cluster", nodes.toString(), "--workload", pods.toString(), "--replay", "inflate",
                "--seed", "1", "--json");
        JsonNode first = new ObjectMapper().readTree(stdout.toString(StandardCharsets.UTF_8)).get("policies");
        stdout.reset();
        execute("simulate", "--cluster", nodes.toString(), "--workload", pods.toString(), "--replay", "inflate",
                "--seed", "1", "--json");
        JsonNode again = new ObjectMapper().readTree(stdout.toString(StandardCharsets.UTF_8)).get("policies");
        assertThat(again.get("default").get("allocation")).isEqualTo(first.get("default").get("allocation"));
        assertThat(again.get("default").get("unallocated_gpus")).isEqualTo(first.get("default").get("unallocated_gpus"));
    }

    @Test
    void theTraceReplayWritesASelfContainedHtmlReportWithAWhatIfBesideTheBase() throws IOException {
        Path html = dir.resolve("report.html");
        int code = execute("simulate", "--cluster", nodes.toString(), "--workload", pods.toString(), "--baselines",
                "--report", html.toString(), "--remove-nodes", "nvidia.com/gpu.product=T4", "--add-nodes", "2:n0",
                "--resource-weight", "nvidia.com/gpu=5");

        assertThat(code).as(stderr.toString()).isZero();
        String page = Files.readString(html);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("<svg", "LeastAllocated", "MostAllocated", "BestFitGpu",
                "What-if: --add-nodes 2:n0 --remove-nodes nvidia.com/gpu.product=T4 --resource-weight nvidia.com/gpu=5");
        assertThat(page).doesNotContain("<script", "<link", "src=\"http", "href=\"http");
        assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("what-if:", "(5 nodes, 32 GPUs)");
    }

    @Test
    void badInputIsAUsageErrorNamingTheFileLineAndColumn() throws IOException {
        Path broken = Files.writeString(dir.resolve("broken.csv"), "name,cpu_milli,memory_mib,num_gpu,gpu_milli\np,1,1,-1,0\n");
        int code = execute("simulate", "--cluster", nodes.toString(), "--workload", broken.toString());

        assertThat(code).isEqualTo(KubenexusScheduler.EXIT_USAGE);
        assertThat(stderr.toString()).isEqualTo("error: " + broken + ": line 2: num_gpu: must not be negative, was -1"
                + System.lineSeparator());
    }

    @Test
    void unknownPoliciesAndPluginsAreUsageErrors() {
        assertThat(execute("simulate", "--cluster", nodes.toString(), "--workload", pods.toString(), "--policy", "Random"))
                .isEqualTo(KubenexusScheduler.EXIT_USAGE);
        assertThat(stderr.toString()).contains("unknown policy 'Random'");
        stderr.reset();
        assertThat(execute("simulate", "--cluster", nodes.toString(), "--workload", pods.toString(), "--plugin-weight",
                "Fastest=3")).isEqualTo(KubenexusScheduler.EXIT_USAGE);
        assertThat(stderr.toString()).contains("--plugin-weight: unknown plugin 'Fastest'");
    }

    @Test
    void aConfigurationFileIsTheDefaultPolicy() throws IOException {
        Path config = Files.writeString(dir.resolve("config.yaml"), """
                scoring:
                  strategy: MostAllocated
                  resourceWeights: {cpu: 1, memory: 1, nvidia.com/gpu: 4}
                """);
        int code = execute("simulate", "--cluster", nodes.toString(), "--workload", pods.toString(), "--config",
                config.toString(), "--json");

        assertThat(code).as(stderr.toString()).isZero();
        JsonNode settings = new ObjectMapper().readTree(stdout.toString(StandardCharsets.UTF_8))
                .get("policies").get("default").get("settings");
        assertThat(settings.get("scoring.strategy").asText()).isEqualTo("MostAllocated");
        assertThat(settings.get("scoring.resourceWeights").asText()).contains("nvidia.com/gpu=4");
    }
}
