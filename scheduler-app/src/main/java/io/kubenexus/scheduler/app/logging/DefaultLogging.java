package io.kubenexus.scheduler.app.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.spi.ContextAwareBase;
import io.kubenexus.scheduler.app.config.LoggingConfig;

/**
 * Logback's configuration until {@code run} applies the file's {@code logging} keys, and for good in {@code demo},
 * {@code check-config} and the tests: the defaults of those keys (text on stderr, INFO, fabric8 at WARN). Found by
 * Logback through {@code META-INF/services}, so the jar needs no logback.xml; a file named with
 * {@code -Dlogback.configurationFile} still wins.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class DefaultLogging extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty(LogbackSetup.LOGBACK_FILE_PROPERTY) != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        LogbackSetup.configure(context, LoggingConfig.defaults(), null, null);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
