package io.kubenexus.scheduler.extender.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class PromQlExpressionsTest {

    static Stream<Arguments> expressions() {
        return Stream.of(
                Arguments.of("a bare name", "up_and_running", Map.of("up_and_running", Set.of())),
                Arguments.of("selector labels, any matcher",
                        "m_total{a=\"x\", b!=\"y\", c=~\"z.*\", d!~'w'}", Map.of("m_total", Set.of("a", "b", "c", "d"))),
                Arguments.of("by before the argument",
                        "sum by (pool, resource) (rate(m_total{result=\"ok\"}[5m]))",
                        Map.of("m_total", Set.of("pool", "resource", "result"))),
                Arguments.of("by after the argument", "sum(m) by (queue)", Map.of("m", Set.of("queue"))),
                Arguments.of("without", "max without (instance) (m)", Map.of("m", Set.of("instance"))),
                Arguments.of("histogram suffixes resolve to the family",
                        "histogram_quantile(0.99, sum by (le) (rate(h_seconds_bucket{profile=\"p\"}[5m])))"
                                + " / sum(rate(h_seconds_count[5m])) + h_seconds_sum",
                        Map.of("h_seconds", Set.of("le", "profile"))),
                Arguments.of("on applies to both operands",
                        "a_x / on (resource) group_left (pool) b_y",
                        Map.of("a_x", Set.of("resource"), "b_y", Set.of("resource"))),
                Arguments.of("on inside parentheses stays there",
                        "(a_x / ignoring (pool) b_y) * c_z",
                        Map.of("a_x", Set.of("pool"), "b_y", Set.of("pool"), "c_z", Set.of())),
                Arguments.of("numbers, durations, offset and keywords are not names",
                        "rate(m_total[1h30m] offset 5m) > 0.5 and on () vector(1) or m2 bool == 1e-3",
                        Map.of("m_total", Set.of(), "m2", Set.of())),
                Arguments.of("strings are not names",
                        "label_replace(m{a=\"b\"}, \"dst_label\", \"$1\", \"src\", \"(.*)\")",
                        Map.of("m", Set.of("a"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expressions")
    void readsMetricsAndTheirLabels(String name, String expression, Map<String, Set<String>> expected) {
        assertThat(PromQlExpressions.uses(expression)).isEqualTo(expected);
    }

    @Test
    void combinesAListOfExpressions() {
        assertThat(PromQlExpressions.uses(List.of("a_b{x=\"1\"}", "sum by (y) (a_b)", "c_d")))
                .isEqualTo(Map.of("a_b", Set.of("x", "y"), "c_d", Set.of()));
    }

    @Test
    void rejectsWhatItCannotRead() {
        assertThatThrownBy(() -> PromQlExpressions.uses("sum(m")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PromQlExpressions.uses("frobnicate(m)")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void picksPromQlOutOfMarkdownButNotProse() {
        String markdown = String.join("\n",
                "# Title",
                "The `result` label is `already_bound` or `cpu`; see `metrics.nodePoolLabel`, `nvidia.com/gpu`,",
                "`+Inf`, `ClusterCapacityMetrics(loop::view)` and `kubenexus-scheduler`.",
                "| `kubenexus_gangs_waiting` | gauge |",
                "Try `rate(x_total[5m])` or `up{job=\"a\"}`.",
                "```promql",
                "sum by (pool) (",
                "  kubenexus_cluster_requested)",
                "```",
                "```yaml",
                "metrics: `not_promql_here_at_all`",
                "```");

        assertThat(PromQlExpressions.fromMarkdown(markdown)).containsExactly(
                "sum by (pool) (\n  kubenexus_cluster_requested)",
                "kubenexus_gangs_waiting", "rate(x_total[5m])", "up{job=\"a\"}");
    }
}
