package io.kubenexus.scheduler.app.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.kubenexus.scheduler.app.config.LoggingConfig;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Configures Logback in code from the {@code logging} keys: one appender on stderr (as Kubernetes components log)
 * with the chosen line format, and the level of each configured logger. Both SLF4J and {@code System.Logger}
 * (through slf4j-jdk-platform-logging) end here.
 *
 * <p>Setting the system property {@value #LOGBACK_FILE_PROPERTY} hands logging over to that Logback file: then
 * neither the defaults nor the configuration's {@code logging} keys are applied.
 */
public final class LogbackSetup {
    /** Logback's own way to name a configuration file; when set, it wins. */
    public static final String LOGBACK_FILE_PROPERTY = "logback.configurationFile";
    /** The field on every line that names this replica: its leader-election identity. */
    public static final String IDENTITY_FIELD = "identity";
    private static final String APPENDER = "stderr";

    private LogbackSetup() {
    }

    /**
     * Applies {@code config} to the process's Logback, writing to stderr; does nothing when SLF4J is bound to
     * another backend or {@value #LOGBACK_FILE_PROPERTY} is set.
     *
     * @param identity the replica's leader-election identity, written on every line; null for none
     * @return whether the configuration was applied
     */
    public static boolean apply(LoggingConfig config, String identity) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context) || System.getProperty(LOGBACK_FILE_PROPERTY) != null) {
            return false;
        }
        configure(context, config, identity, null);
        return true;
    }

    /**
     * Replaces whatever {@code context} was configured with.
     *
     * @param out where lines go; null for the process's stderr (as it is at each write, so a later
     *            {@code System.setErr} is followed)
     */
    public static void configure(LoggerContext context, LoggingConfig config, String identity, OutputStream out) {
        context.reset();
        Map<String, String> processFields = new LinkedHashMap<>();
        if (identity != null && !identity.isBlank()) {
            processFields.put(IDENTITY_FIELD, identity);
        }
        Encoder<ILoggingEvent> encoder = config.format() == LoggingConfig.Format.JSON
                ? new JsonLineEncoder(processFields) : new TextLineEncoder(processFields);
        encoder.setContext(context);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender;
        if (out == null) {
            ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
            console.setTarget("System.err");
            appender = console;
        } else {
            appender = new OutputStreamAppender<>();
            appender.setOutputStream(out);
        }
        appender.setName(APPENDER);
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        config.levels().forEach((name, level) -> context
                .getLogger(name.equals(LoggingConfig.ROOT) ? Logger.ROOT_LOGGER_NAME : name)
                .setLevel(Level.toLevel(level.name())));
    }
}
