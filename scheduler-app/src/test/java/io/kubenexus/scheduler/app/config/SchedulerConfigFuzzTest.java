package io.kubenexus.scheduler.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kubenexus.scheduler.core.testing.Fuzz;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fuzzed configuration files end in a valid configuration or in a {@link ConfigException} whose
 * detail names the key (or the line and column of a syntax error), never in another exception.
 */
class SchedulerConfigFuzzTest {
    private static final Map<String, String> ENV = Map.of("POD_NAMESPACE", "scheduling", "HOSTNAME", "replica-0");
    private static final String SOURCE = "config.yaml";
    /** What a detail may begin with: a syntax error's position, the whole file, or a key of the format. */
    private static final String NAMES_THE_KEY = "^(line \\d+, column \\d+|the file must be a mapping|unknown key '"
            + "|(schedulerName|scoring|percentageOfNodesToScore|backoff|leaderElection|binding|events|gang|numa)\\b)";

    private static final String EVERY_KEY = """
            schedulerName: kubenexus-scheduler
            scoring:
              strategy: LeastAllocated
              resourceWeights: {cpu: 1, memory: 1, nvidia.com/gpu: 3}
              pluginWeights: {NodeResourcesFit: 1, TaintToleration: 3, NodeAffinity: 2}
            percentageOfNodesToScore: 100
            backoff:
              initial: 1s
              max: 10s
              maxInUnschedulable: 5m
            leaderElection:
              enabled: true
              namespace: ""
              leaseName: kubenexus-scheduler
              identity: ""
              leaseDuration: 15s
              renewDeadline: 10s
              retryPeriod: 2s
            binding:
              parallelism: 16
            events:
              aggregationInterval: 30s
            gang:
              reservationTtl: 5m
            numa:
              enabled: true
              zoneScoring: pack
              weight: 3
            """;

    static void assertConfigOrNamedError(String yaml) {
        SchedulerConfig config;
        try {
            config = SchedulerConfig.parse(yaml, SOURCE, ENV);
        } catch (ConfigException e) {
            assertThat(e.source()).isEqualTo(SOURCE);
            assertThat(e.detail()).as("names the key").containsPattern(NAMES_THE_KEY);
            return;
        }
        assertThat(config.describe()).containsKey("schedulerName");
    }

    @Test
    void mutatedFiles() {
        Fuzz.named("config file").strings(List.of(EVERY_KEY, "scoring:\n  strategy: MostAllocated\n"
                        + "  resourceWeights: {cpu: 1, memory: 1, nvidia.com/gpu: 5}\n",
                "backoff: {initial: 500ms, max: 1m30s}\nnuma: {enabled: false}\n", "", "# only a comment\n"),
                SchedulerConfigFuzzTest::assertConfigOrNamedError);
    }

    /** Files made key by key, every value at times of another YAML type: deeper than text mutations reach. */
    @Test
    void filesWithFuzzedValues() {
        YAMLMapper yaml = new YAMLMapper();
        // Parsing a file costs milliseconds (YAML is slow to read), so fewer cases than the default.
        Fuzz.named("config values").cases(1_000).generated(random -> {
            try {
                return yaml.writeValueAsString(document(random));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }, SchedulerConfigFuzzTest::assertConfigOrNamedError);
    }

    private static Map<String, Object> document(Random random) {
        Map<String, Object> doc = new LinkedHashMap<>();
        maybe(random, doc, "schedulerName", "kubenexus-scheduler", "", "a b");
        doc.put("scoring", section(random, Map.of(
                "strategy", List.of("LeastAllocated", "MostAllocated", "Fastest"),
                "resourceWeights", List.of(Map.of("cpu", 1), Map.of("nvidia.com/gpu", 5), Map.of("mem", 1), Map.of("cpu", -1)),
                "pluginWeights", List.of(Map.of("NodeResourcesFit", 1), Map.of("TaintToleration", 0), Map.of("Nope", 1)))));
        maybe(random, doc, "percentageOfNodesToScore", 100, 0, 50, 101, -1);
        doc.put("backoff", section(random, Map.of("initial", durations(), "max", durations(),
                "maxInUnschedulable", durations())));
        doc.put("leaderElection", section(random, Map.of("enabled", List.of(true, false),
                "namespace", List.of("", "kube-system"), "leaseName", List.of("kubenexus-scheduler", ""),
                "identity", List.of("", "replica-0"), "leaseDuration", durations(), "renewDeadline", durations(),
                "retryPeriod", durations())));
        doc.put("binding", section(random, Map.of("parallelism", List.of(16, 1, 0, -3, 100000))));
        doc.put("events", section(random, Map.of("aggregationInterval", durations())));
        doc.put("gang", section(random, Map.of("reservationTtl", durations())));
        doc.put("numa", section(random, Map.of("enabled", List.of(true, false), "zoneScoring", List.of("pack", "spread", "x"),
                "weight", List.of(3, 0, 100, 101))));
        doc.values().removeIf(v -> v == null || random.nextInt(4) == 0);
        if (random.nextInt(10) == 0) {
            doc.put(Fuzz.mutation(random, List.of("scoring", "numa", "gang")), oddValue(random));
        }
        return doc;
    }

    private static List<Object> durations() {
        return List.of("1s", "10s", "5m", "500ms", "1m30s", "0", "-1s", "10", "PT30S", "1.5h", "9999999999h");
    }

    private static void maybe(Random random, Map<String, Object> doc, String key, Object... values) {
        if (random.nextBoolean()) {
            doc.put(key, random.nextInt(6) == 0 ? oddValue(random) : values[random.nextInt(values.length)]);
        }
    }

    private static Object section(Random random, Map<String, List<?>> keys) {
        if (random.nextInt(12) == 0) {
            return oddValue(random);
        }
        Map<String, Object> section = new LinkedHashMap<>();
        keys.forEach((key, values) -> {
            if (random.nextBoolean()) {
                section.put(key, random.nextInt(6) == 0 ? oddValue(random) : values.get(random.nextInt(values.size())));
            }
        });
        if (random.nextInt(12) == 0) {
            section.put(Fuzz.mutation(random, new ArrayList<>(keys.keySet())), oddValue(random));
        }
        return section;
    }

    /** A value of any YAML type, as a mistaken edit leaves it. */
    private static Object oddValue(Random random) {
        return switch (random.nextInt(12)) {
            case 0 -> null;
            case 1 -> "";
            case 2 -> random.nextBoolean();
            case 3 -> random.nextInt();
            case 4 -> Long.MAX_VALUE;
            case 5 -> 16.5;
            case 6 -> new java.math.BigInteger("99999999999999999999999");
            case 7 -> List.of("a", 1);
            case 8 -> new LinkedHashMap<>(Map.of("cpu", "one"));
            case 9 -> nullValued();
            case 10 -> Fuzz.mutation(random, List.of("1s", "LeastAllocated", "pack", "16"));
            default -> new LinkedHashMap<>();
        };
    }

    private static Map<String, Object> nullValued() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("cpu", null);
        map.put("NodeResourcesFit", null);
        return map;
    }
}
