package io.kubenexus.scheduler.core.model;

import java.util.Objects;

/** A node taint. {@code value} is empty, never null, when the taint has none. */
public record Taint(String key, String value, TaintEffect effect) {
    public Taint {
        Objects.requireNonNull(key, "key");
        value = value == null ? "" : value;
        Objects.requireNonNull(effect, "effect");
    }

    /** kube-scheduler's rendering in messages: {@code {key: value}}. */
    public String describe() {
        return "{" + key + ": " + value + "}";
    }
}
