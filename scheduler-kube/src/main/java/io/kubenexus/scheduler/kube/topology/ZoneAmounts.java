package io.kubenexus.scheduler.kube.topology;

import io.fabric8.kubernetes.api.model.Quantity;
import io.kubenexus.scheduler.kube.translate.KubeQuantities;

/** One published per-zone amount read into scheduler units, with the field path in the error. */
final class ZoneAmounts {
    private ZoneAmounts() {
    }

    /**
     * @param raw   the published value: a string quantity, or a JSON number (YAML writers leave
     *              {@code 64} unquoted)
     * @param where prefix of the error message, ending with the field path, e.g.
     *              {@code NodeResourceTopology gpu-a: zones[1].resources[0].available}
     */
    static long toUnits(String resource, Object raw, String where) throws MalformedTopologyException {
        String text;
        if (raw instanceof String s) {
            text = s;
        } else if (raw instanceof Number n) {
            text = n.toString();
        } else {
            throw new MalformedTopologyException(where + " is " + describe(raw) + ", expected a quantity");
        }
        try {
            return KubeQuantities.toUnits(resource, new Quantity(text));
        } catch (KubeQuantities.BadQuantity bad) {
            throw new MalformedTopologyException(bad.describe(where));
        } catch (RuntimeException e) {
            throw new MalformedTopologyException(where + " \"" + text + "\" is not a valid quantity");
        }
    }

    /** A value for a message: strings quoted, structures by kind. */
    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return "\"" + s + "\"";
        }
        if (value instanceof java.util.Map) {
            return "an object";
        }
        if (value instanceof java.util.List) {
            return "a list";
        }
        return String.valueOf(value);
    }
}
