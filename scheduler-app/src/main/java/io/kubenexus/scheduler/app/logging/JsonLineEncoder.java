package io.kubenexus.scheduler.app.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * {@code logging.format: json}: one JSON object per line, with the keys of Kubernetes components'
 * {@code --logging-format=json} (k8s.io/component-base/logs/json) where they have one:
 * <ul>
 *   <li>{@code ts}: milliseconds since the Unix epoch as a number with a fraction (kube's {@code ts});</li>
 *   <li>{@code level}: {@code ERROR}, {@code WARN}, {@code INFO}, {@code DEBUG} or {@code TRACE} (ours: kube has
 *       verbosity {@code v} instead, which JVM levels do not map onto);</li>
 *   <li>{@code logger}: the full logger name (kube's {@code logger});</li>
 *   <li>{@code msg}: the message (kube's {@code msg});</li>
 *   <li>{@code err}: the exception, {@code class: message}, when there is one (kube's {@code err}), and
 *       {@code stacktrace}, its Java stack trace;</li>
 *   <li>then the structured fields ({@link LogFields}: {@code pod}, {@code gang}, {@code node}, {@code identity}, ...).</li>
 * </ul>
 * kube's {@code caller} (file:line) is left out: computing it costs a stack walk per line.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
    /** Keys this encoder writes itself; a structured field of the same name is written as {@code field.<key>}. */
    static final Set<String> RESERVED = Set.of("ts", "level", "logger", "msg", "err", "stacktrace");
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] NEWLINE = {'\n'};

    private final Map<String, String> processFields;

    /** @param processFields fields written on every line (the replica's identity) */
    public JsonLineEncoder(Map<String, String> processFields) {
        this.processFields = Map.copyOf(processFields);
    }

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        LogFields parts = LogFields.of(event, processFields);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeFieldName("ts");
            json.writeNumber(epochMillis(TextLineEncoder.timestamp(event)));
            json.writeStringField("level", event.getLevel().toString());
            json.writeStringField("logger", event.getLoggerName());
            json.writeStringField("msg", parts.message());
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                json.writeStringField("err", thrown.getClassName()
                        + (thrown.getMessage() == null ? "" : ": " + thrown.getMessage()));
                json.writeStringField("stacktrace", ThrowableProxyUtil.asString(thrown));
            }
            for (Map.Entry<String, Object> field : parts.fields().entrySet()) {
                String key = RESERVED.contains(field.getKey()) ? "field." + field.getKey() : field.getKey();
                Object value = field.getValue();
                if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
                    json.writeNumberField(key, ((Number) value).longValue());
                } else if (value instanceof Boolean flag) {
                    json.writeBooleanField(key, flag);
                } else {
                    json.writeStringField(key, String.valueOf(value));
                }
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        out.writeBytes(NEWLINE);
        return out.toByteArray();
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    /** 1767607530123.456: milliseconds with microseconds as the fraction, never in exponent notation. */
    static BigDecimal epochMillis(Instant instant) {
        long micros = Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
        return BigDecimal.valueOf(micros, 3);
    }
}
