package io.kubenexus.scheduler.app.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How the executable logs: the line format and the level of each logger.
 *
 * @param format the line format
 * @param levels logger name ({@value #ROOT}, a package or a class) to level, {@value #ROOT} first; a logger
 *               without an entry takes the level of its nearest configured parent package
 */
public record LoggingConfig(Format format, Map<String, Level> levels) {
    /** The logger every other one inherits from. */
    public static final String ROOT = "root";
    /**
     * Quiet by default: fabric8 logs every watch reconnect and HTTP retry at INFO, which says nothing a
     * scheduler operator acts on (the scheduler logs what those failures mean for it).
     */
    public static final Map<String, Level> DEFAULT_LEVELS = orderedLevels(Map.of(ROOT, Level.INFO, "io.fabric8", Level.WARN));
    private static final Pattern LOGGER_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");

    /** The format of each log line. */
    public enum Format {
        /** One line: time, level, logger, message, then the structured fields as {@code key=value}. */
        TEXT("text"),
        /** One JSON object per line, as Kubernetes components write with {@code --logging-format=json}. */
        JSON("json");

        private final String apiName;

        Format(String apiName) {
            this.apiName = apiName;
        }

        public String apiName() {
            return apiName;
        }

        static Format fromApiName(String value) {
            for (Format format : values()) {
                if (format.apiName.equals(value)) {
                    return format;
                }
            }
            throw new IllegalArgumentException("logging.format: unknown value '" + value + "' (expected text or json)");
        }
    }

    /** SLF4J's levels; {@code System.Logger}'s WARNING is WARN here. */
    public enum Level {
        ERROR, WARN, INFO, DEBUG, TRACE;

        static Level parse(String key, String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(key + ": no level (expected ERROR, WARN, INFO, DEBUG or TRACE)");
            }
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": unknown level '" + value
                        + "' (expected ERROR, WARN, INFO, DEBUG or TRACE, in any case)", e);
            }
        }
    }

    public LoggingConfig {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(levels, "levels");
        if (!levels.containsKey(ROOT)) {
            throw new IllegalArgumentException("logging.level: the root level is missing");
        }
        levels = orderedLevels(levels);
    }

    public static LoggingConfig defaults() {
        return new LoggingConfig(Format.TEXT, DEFAULT_LEVELS);
    }

    /**
     * Validates the file's {@code logging} section: a missing format is text, and the levels given are laid over
     * {@link #DEFAULT_LEVELS} (so {@code {io.kubenexus: DEBUG}} keeps fabric8 quiet; {@code io.fabric8: INFO}
     * makes it talk).
     */
    static LoggingConfig of(String format, Map<String, String> levels) {
        Format parsedFormat = format == null ? Format.TEXT : Format.fromApiName(format);
        Map<String, Level> merged = new LinkedHashMap<>(DEFAULT_LEVELS);
        if (levels != null) {
            levels.forEach((given, level) -> {
                // Logback reads any spelling of ROOT as the root logger; so does this file.
                String name = given != null && given.equalsIgnoreCase(ROOT) ? ROOT : given;
                if (name == null || !(name.equals(ROOT) || LOGGER_NAME.matcher(name).matches())) {
                    throw new IllegalArgumentException("logging.level: not a logger name '" + name
                            + "' (use root, or a package or class such as io.kubenexus.scheduler.core.loop)");
                }
                merged.put(name, Level.parse("logging.level." + name, level));
            });
        }
        return new LoggingConfig(parsedFormat, merged);
    }

    /** {@code {root: INFO, io.fabric8: WARN}}: root first, then the others by name. */
    public String describeLevels() {
        return levels.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static Map<String, Level> orderedLevels(Map<String, Level> levels) {
        Map<String, Level> ordered = new LinkedHashMap<>();
        if (levels.containsKey(ROOT)) {
            ordered.put(ROOT, levels.get(ROOT));
        }
        new TreeMap<>(levels).forEach((name, level) -> {
            if (!name.equals(ROOT)) {
                ordered.put(name, Objects.requireNonNull(level, name));
            }
        });
        return java.util.Collections.unmodifiableMap(ordered);
    }
}
