package io.kubenexus.scheduler.app.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.event.KeyValuePair;

/**
 * One event's message and structured fields, as both line formats write them.
 *
 * <p>Fields come from, in this order (the first source to name a key wins): a trailing {@code key=value} suffix of
 * the message for the keys in {@link #LIFTED_KEYS}, which is how scheduler-core (which logs through
 * {@code System.Logger} and has no structured fields) names the pod, gang and node ({@code "binding a/b to n1 failed:
 * ... pod=a/b node=n1"}); SLF4J key-value pairs ({@code LOG.atWarn().addKeyValue("pod", ...)}); the MDC; and the
 * process-wide fields (the replica's leader-election {@code identity}).
 *
 * @param message the message without the lifted suffix
 * @param fields  field name to value, in the order above
 */
record LogFields(String message, Map<String, Object> fields) {
    /** The keys lifted out of a message suffix: only these, so that "cpu=24" inside a sentence stays text. */
    static final List<String> LIFTED_KEYS = List.of("pod", "gang", "node");
    private static final Pattern SUFFIX = Pattern.compile("((?:\\s+(?:pod|gang|node)=\\S+)+)\\s*$");

    static LogFields of(ILoggingEvent event, Map<String, String> processFields) {
        String message = event.getFormattedMessage();
        if (message == null) {
            message = "";
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        Matcher suffix = SUFFIX.matcher(message);
        if (suffix.find()) {
            for (String pair : suffix.group(1).trim().split("\\s+")) {
                int eq = pair.indexOf('=');
                fields.putIfAbsent(pair.substring(0, eq), pair.substring(eq + 1));
            }
            message = message.substring(0, suffix.start());
        }
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair pair : pairs) {
                if (pair.key != null) {
                    fields.putIfAbsent(pair.key, pair.value);
                }
            }
        }
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null) {
            mdc.forEach(fields::putIfAbsent);
        }
        processFields.forEach(fields::putIfAbsent);
        return new LogFields(message, Collections.unmodifiableMap(fields));
    }
}
