package io.kubenexus.scheduler.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubenexus.scheduler.app.config.LoggingConfig;
import io.kubenexus.scheduler.app.config.SchedulerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two line formats and the levels, on a Logback context of the test's own (the process's context is left
 * alone), configured from YAML exactly as {@code run} does.
 */
class LogbackSetupTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IDENTITY = "kubenexus-scheduler-7d9f-x2k_1b4e";
    private final LoggerContext context = new LoggerContext();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    LogbackSetupTest() {
        context.setMDCAdapter(new LogbackMDCAdapter()); // the process's context gets one from SLF4J's binding
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void aJsonLineCarriesKubesKeysTheLevelAndTheFields() throws IOException {
        configure("logging: {format: json}\n");
        long before = System.currentTimeMillis();

        logger("io.kubenexus.scheduler.kube.binding.KubernetesBinder").atWarn()
                .addKeyValue("pod", "spark/pi-driver").addKeyValue("node", "gpu-a").addKeyValue("attempt", 3)
                .log("binding {} to {} failed: {}", "spark/pi-driver", "gpu-a", "conflict \"409\"");

        JsonNode line = JSON.readTree(onlyLine());
        assertThat(line.get("ts").isNumber()).isTrue();
        assertThat(line.get("ts").asDouble()).isBetween(before - 1.0, System.currentTimeMillis() + 1.0);
        assertThat(line.get("level").asText()).isEqualTo("WARN");
        assertThat(line.get("logger").asText()).isEqualTo("io.kubenexus.scheduler.kube.binding.KubernetesBinder");
        assertThat(line.get("msg").asText()).isEqualTo("binding spark/pi-driver to gpu-a failed: conflict \"409\"");
        assertThat(line.get("pod").asText()).isEqualTo("spark/pi-driver");
        assertThat(line.get("node").asText()).isEqualTo("gpu-a");
        assertThat(line.get("attempt").isInt()).isTrue();
        assertThat(line.get("identity").asText()).isEqualTo(IDENTITY);
        assertThat(line.has("err")).isFalse();
    }

    @Test
    void theCoresKeyValueSuffixBecomesFieldsAndLeavesTheMessage() throws IOException {
        configure("logging: {format: json}\n");

        logger("io.kubenexus.scheduler.core.loop.SchedulingLoop").error(
                "reserving the executors' places of spark/pi-driver failed pod=spark/pi-driver gang=spark/pi",
                new IllegalStateException("no such node"));

        JsonNode line = JSON.readTree(onlyLine());
        assertThat(line.get("msg").asText()).isEqualTo("reserving the executors' places of spark/pi-driver failed");
        assertThat(line.get("pod").asText()).isEqualTo("spark/pi-driver");
        assertThat(line.get("gang").asText()).isEqualTo("spark/pi");
        assertThat(line.get("err").asText()).isEqualTo("java.lang.IllegalStateException: no such node");
        assertThat(line.get("stacktrace").asText()).contains("at io.kubenexus.scheduler.app.logging.LogbackSetupTest");
        List<String> keys = JSON.convertValue(line, Map.class).keySet().stream().map(String::valueOf).toList();
        assertThat(keys).startsWith("ts", "level", "logger", "msg", "err", "stacktrace");
    }

    @Test
    void onlyAnEndingSuffixOfKnownKeysIsLifted() throws IOException {
        configure("logging: {format: json}\n");

        logger("io.kubenexus.scheduler.core.loop.SchedulingLoop").info("gang a/b needs cpu=24 free node=n1 to fit");

        JsonNode line = JSON.readTree(onlyLine());
        assertThat(line.get("msg").asText()).isEqualTo("gang a/b needs cpu=24 free node=n1 to fit");
        assertThat(line.has("cpu")).isFalse();
        assertThat(line.has("node")).isFalse();
    }

    @Test
    void mdcEntriesAreFieldsAndAFieldCannotHideAKeyOfTheFormat() throws IOException {
        configure("logging: {format: json}\n");
        context.getMDCAdapter().put("gang", "ml/train");

        logger("io.kubenexus.scheduler.gang").atInfo().addKeyValue("msg", "sneaky").log("planned");

        JsonNode line = JSON.readTree(onlyLine());
        assertThat(line.get("msg").asText()).isEqualTo("planned");
        assertThat(line.get("field.msg").asText()).isEqualTo("sneaky");
        assertThat(line.get("gang").asText()).isEqualTo("ml/train");
    }

    @Test
    void aTextLineIsTimeLevelLoggerMessageThenFields() {
        configure("");

        logger("io.kubenexus.scheduler.core.loop.SchedulingLoop").warn(
                "binding a/b to n1 failed: bind refused; its place is kept pod=a/b node=n1");
        logger("io.kubenexus.scheduler.kube.leader.LeaseLeadership").atError()
                .addKeyValue("reason", "renew deadline passed").log("lost lease");

        List<String> lines = lines();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z WARN  SchedulingLoop - "
                + "binding a/b to n1 failed: bind refused; its place is kept pod=a/b node=n1 identity=" + IDENTITY);
        assertThat(lines.get(1)).endsWith(" ERROR LeaseLeadership - lost lease reason=\"renew deadline passed\" identity="
                + IDENTITY);
    }

    @Test
    void aTextLineIsFollowedByTheStackTrace() {
        configure("logging: {format: text}\n");

        logger("io.kubenexus.scheduler.app.Wiring").error("start-up failed", new IllegalArgumentException("bad"));

        List<String> lines = lines();
        assertThat(lines.get(0)).endsWith("ERROR Wiring - start-up failed identity=" + IDENTITY);
        assertThat(lines.get(1)).isEqualTo("java.lang.IllegalArgumentException: bad");
        assertThat(lines.get(2)).contains("at io.kubenexus.scheduler.app.logging.LogbackSetupTest");
    }

    @Test
    void eachPackageGetsItsConfiguredLevel() {
        configure("logging:\n  level: {root: WARN, io.kubenexus.scheduler.core.loop: debug, io.kubenexus.scheduler.kube: ERROR}\n");

        logger("io.kubenexus.scheduler.core.loop.SchedulingLoop").debug("loop debug");
        logger("io.kubenexus.scheduler.core.loop.SchedulingLoop").trace("loop trace");
        logger("io.kubenexus.scheduler.core.queue.SchedulingQueue").info("queue info");
        logger("io.kubenexus.scheduler.core.queue.SchedulingQueue").warn("queue warn");
        logger("io.kubenexus.scheduler.kube.binding.KubernetesBinder").warn("kube warn");
        logger("io.kubenexus.scheduler.kube.binding.KubernetesBinder").error("kube error");
        logger("io.fabric8.kubernetes.client.informers.impl.cache.Reflector").warn("fabric8 warn");
        logger("io.fabric8.kubernetes.client.informers.impl.cache.Reflector").info("fabric8 info");

        assertThat(lines()).extracting(line -> line.replaceAll(".* - ", "").replaceAll(" identity=.*", ""))
                .containsExactly("loop debug", "queue warn", "kube error", "fabric8 warn");
    }

    @Test
    void withoutAnIdentityThereIsNoIdentityField() {
        LogbackSetup.configure(context, LoggingConfig.defaults(), null, out);

        logger("io.kubenexus.scheduler.app.demo").info("demo: 50 nodes");

        assertThat(lines()).singleElement().satisfies(line -> assertThat(line).endsWith("INFO  demo - demo: 50 nodes"));
    }

    @Test
    void theProcessLogsThroughLogbackWithTheDefaultsUntilRunAppliesTheFile() {
        assertThat(LoggerFactory.getILoggerFactory()).as("SLF4J's backend").isInstanceOf(LoggerContext.class);
        LoggerContext process = (LoggerContext) LoggerFactory.getILoggerFactory();
        System.Logger core = System.getLogger("io.kubenexus.scheduler.core.loop.SchedulingLoop");
        try {
            // No logback.xml: DefaultLogging (META-INF/services) configured the defaults of the logging keys.
            assertThat(process.getLogger("ROOT").getLevel()).isEqualTo(ch.qos.logback.classic.Level.INFO);
            assertThat(process.getLogger("io.fabric8").getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
            assertThat(core.isLoggable(System.Logger.Level.DEBUG)).isFalse();

            SchedulerConfig config = SchedulerConfig.parse("logging: {level: {io.kubenexus.scheduler.core: DEBUG}}\n",
                    "config.yaml", Map.of("HOSTNAME", "h"));
            assertThat(LogbackSetup.apply(config.logging(), IDENTITY)).isTrue();

            // System.Logger, which scheduler-core uses, follows through slf4j-jdk-platform-logging.
            assertThat(core.isLoggable(System.Logger.Level.DEBUG)).isTrue();
            assertThat(core.isLoggable(System.Logger.Level.TRACE)).isFalse();
        } finally {
            LogbackSetup.apply(LoggingConfig.defaults(), null);
        }
    }

    private void configure(String yaml) {
        SchedulerConfig config = SchedulerConfig.parse(yaml, "config.yaml", Map.of("HOSTNAME", "h"));
        LogbackSetup.configure(context, config.logging(), IDENTITY, out);
    }

    private Logger logger(String name) {
        return context.getLogger(name);
    }

    private List<String> lines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private String onlyLine() {
        List<String> lines = lines();
        assertThat(lines).hasSize(1);
        return lines.get(0);
    }
}
