package io.kubenexus.scheduler.core.model;

/**
 * A pod toleration with the API's matching rules: an empty key with {@code Exists} tolerates
 * every taint, a null effect matches every effect, {@code Equal} compares values.
 */
public record Toleration(String key, Operator operator, String value, TaintEffect effect) {

    public enum Operator { EXISTS, EQUAL }

    public Toleration {
        key = key == null ? "" : key;
        operator = operator == null ? Operator.EQUAL : operator;
        value = value == null ? "" : value;
    }

    public static Toleration exists(String key, TaintEffect effect) {
        return new Toleration(key, Operator.EXISTS, "", effect);
    }

    public static Toleration equal(String key, String value, TaintEffect effect) {
        return new Toleration(key, Operator.EQUAL, value, effect);
    }

    public boolean tolerates(Taint taint) {
        if (effect != null && effect != taint.effect()) {
            return false;
        }
        if (!key.isEmpty() && !key.equals(taint.key())) {
            return false;
        }
        if (operator == Operator.EXISTS) {
            return true;
        }
        // An empty key is only valid with Exists; with Equal it tolerates nothing.
        return !key.isEmpty() && value.equals(taint.value());
    }
}
