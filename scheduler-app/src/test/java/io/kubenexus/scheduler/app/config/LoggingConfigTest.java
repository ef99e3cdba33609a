package io.kubenexus.scheduler.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubenexus.scheduler.app.config.LoggingConfig.Format;
import io.kubenexus.scheduler.app.config.LoggingConfig.Level;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code logging} keys, in the style of {@link SchedulerConfigTest}: valid and invalid files as tables. */
class LoggingConfigTest {
    private static final Map<String, String> ENV = Map.of("POD_NAMESPACE", "scheduling", "HOSTNAME", "replica-0");
    private static final String SOURCE = "config.yaml";

    static Stream<Arguments> validConfigs() {
        return Stream.of(
                valid("no logging section: text, root INFO, fabric8 quiet", "", logging -> {
                    assertThat(logging).isEqualTo(LoggingConfig.defaults());
                    assertThat(logging.format()).isEqualTo(Format.TEXT);
                    assertThat(logging.levels()).containsExactly(Map.entry("root", Level.INFO), Map.entry("io.fabric8", Level.WARN));
                }),
                valid("an empty section gives the defaults", "logging: {}\n",
                        logging -> assertThat(logging).isEqualTo(LoggingConfig.defaults())),
                valid("json lines", "logging: {format: json}\n",
                        logging -> assertThat(logging.format()).isEqualTo(Format.JSON)),
                valid("a package level is laid over the defaults", "logging: {level: {io.kubenexus.scheduler.core.loop: DEBUG}}\n",
                        logging -> assertThat(logging.levels()).containsExactly(Map.entry("root", Level.INFO),
                                Map.entry("io.fabric8", Level.WARN), Map.entry("io.kubenexus.scheduler.core.loop", Level.DEBUG))),
                valid("levels in any case", "logging: {level: {root: warn, io.kubenexus: Trace}}\n",
                        logging -> assertThat(logging.levels()).containsEntry("root", Level.WARN)
                                .containsEntry("io.kubenexus", Level.TRACE)),
                valid("fabric8 can be made to talk", "logging: {level: {io.fabric8: info}}\n",
                        logging -> assertThat(logging.levels()).containsEntry("io.fabric8", Level.INFO)),
                valid("ROOT is root, as in Logback", "logging: {level: {ROOT: ERROR}}\n",
                        logging -> assertThat(logging.levels()).containsEntry("root", Level.ERROR).doesNotContainKey("ROOT")),
                valid("a class is a logger too", "logging: {level: {io.kubenexus.scheduler.kube.leader.LeaseLeadership: DEBUG}}\n",
                        logging -> assertThat(logging.levels()).containsKey("io.kubenexus.scheduler.kube.leader.LeaseLeadership")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validConfigs")
    void acceptsValidConfigs(String yaml, Consumer<LoggingConfig> expectations) {
        expectations.accept(SchedulerConfig.parse(yaml, SOURCE, ENV).logging());
    }

    static Stream<Arguments> invalidConfigs() {
        return Stream.of(
                invalid("unknown format", "logging: {format: xml}\n", "logging.format: unknown value 'xml' (expected text or json)"),
                invalid("format spelt in capitals", "logging: {format: JSON}\n",
                        "logging.format: unknown value 'JSON' (expected text or json)"),
                invalid("unknown level", "logging: {level: {io.kubenexus: LOUD}}\n",
                        "logging.level.io.kubenexus: unknown level 'LOUD' (expected ERROR, WARN, INFO, DEBUG or TRACE, in any case)"),
                invalid("java.util.logging's names are not levels here", "logging: {level: {root: FINE}}\n",
                        "logging.level.root: unknown level 'FINE' (expected ERROR, WARN, INFO, DEBUG or TRACE, in any case)"),
                invalid("a number is not a level", "logging: {level: {root: 3}}\n",
                        "logging.level.root: unknown level '3' (expected ERROR, WARN, INFO, DEBUG or TRACE, in any case)"),
                invalid("a missing level", "logging: {level: {root: }}\n",
                        "logging.level.root: no level (expected ERROR, WARN, INFO, DEBUG or TRACE)"),
                invalid("not a logger name", "logging: {level: {'io..kubenexus': INFO}}\n",
                        "logging.level: not a logger name 'io..kubenexus' (use root, or a package or class such as "
                                + "io.kubenexus.scheduler.core.loop)"),
                invalid("a level instead of a map", "logging: {level: DEBUG}\n",
                        "logging.level: expected a mapping of keys to values"),
                invalid("a typo in the section", "logging: {levels: {root: INFO}}\n",
                        "unknown key 'logging.levels' (known: format, level)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConfigs")
    void rejectsMistakesNamingTheKey(String yaml, String detail) {
        assertThatThrownBy(() -> SchedulerConfig.parse(yaml, SOURCE, ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessage(SOURCE + ": " + detail);
    }

    private static Arguments valid(String name, String yaml, Consumer<LoggingConfig> expectations) {
        return Arguments.of(Named.of(name, yaml), expectations);
    }

    private static Arguments invalid(String name, String yaml, String detail) {
        return Arguments.of(Named.of(name, yaml), detail);
    }
}
