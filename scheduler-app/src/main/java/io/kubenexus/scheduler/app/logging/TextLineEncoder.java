package io.kubenexus.scheduler.app.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * {@code logging.format: text}: one line per event,
 * {@code 2026-01-05T10:15:30.123Z WARN  SchedulingLoop - binding a/b to n1 failed: conflict pod=a/b node=n1 identity=replica-0_...},
 * that is UTC time, level, the logger's simple name, the message, then the structured fields ({@link LogFields}) as
 * {@code key=value}, a value quoted when it holds a space, quote or {@code =}. A stack trace follows on its own lines.
 */
public final class TextLineEncoder extends EncoderBase<ILoggingEvent> {
    private final Map<String, String> processFields;

    /** @param processFields fields written on every line (the replica's identity) */
    public TextLineEncoder(Map<String, String> processFields) {
        this.processFields = Map.copyOf(processFields);
    }

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        LogFields parts = LogFields.of(event, processFields);
        StringBuilder line = new StringBuilder(160)
                .append(DateTimeFormatter.ISO_INSTANT.format(timestamp(event).truncatedTo(ChronoUnit.MILLIS)))
                .append(' ');
        String level = event.getLevel().toString();
        line.append(level).append(" ".repeat(Math.max(1, 6 - level.length())))
                .append(simpleName(event.getLoggerName())).append(" - ").append(parts.message());
        parts.fields().forEach((key, value) -> line.append(' ').append(key).append('=').append(quoted(String.valueOf(value))));
        line.append(System.lineSeparator());
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append(ThrowableProxyUtil.asString(thrown)).append(System.lineSeparator());
        }
        return line.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    static Instant timestamp(ILoggingEvent event) {
        Instant instant = event.getInstant();
        return instant != null ? instant : Instant.ofEpochMilli(event.getTimeStamp());
    }

    private static String simpleName(String loggerName) {
        return loggerName == null ? "" : loggerName.substring(loggerName.lastIndexOf('.') + 1);
    }

    /** As klog's text format: bare when it cannot be misread, else in double quotes with escapes. */
    static String quoted(String value) {
        boolean plain = !value.isEmpty();
        for (int i = 0; i < value.length() && plain; i++) {
            char c = value.charAt(i);
            plain = c > ' ' && c != '"' && c != '=' && c != '\\' && c != 0x7f;
        }
        if (plain) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
