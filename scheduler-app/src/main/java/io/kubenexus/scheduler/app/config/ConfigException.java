package io.kubenexus.scheduler.app.config;

import java.util.Objects;

/**
 * A configuration that cannot be used. The message is {@code <source>: <detail>}, where the
 * source is the file (or command-line option) and the detail names the key:
 * {@code config.yaml: scoring.strategy: unknown value 'Fastest' (expected LeastAllocated or MostAllocated)}.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String detail;

    public ConfigException(String source, String detail) {
        this(source, detail, null);
    }

    public ConfigException(String source, String detail, Throwable cause) {
        super(Objects.requireNonNull(source, "source") + ": " + Objects.requireNonNull(detail, "detail"), cause);
        this.source = source;
        this.detail = detail;
    }

    /** Where the bad configuration came from: a file path, or a command-line option. */
    public String source() {
        return source;
    }

    /** The problem, starting with the key it concerns. */
    public String detail() {
        return detail;
    }
}
