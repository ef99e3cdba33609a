package io.kubenexus.scheduler.kube.topology;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Set;

/**
 * Strict reading of our JSON node annotations: one JSON object, no duplicate keys, no unknown keys,
 * no trailing content. Each failure names the field path; the caller's {@code where} prefix names
 * the node and the annotation.
 */
final class AnnotationJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private AnnotationJson() {
    }

    static JsonNode parse(String value, String where) throws MalformedTopologyException {
        JsonNode root;
        try {
            root = MAPPER.readTree(value);
        } catch (JsonProcessingException e) {
            throw new MalformedTopologyException(where + "is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new MalformedTopologyException(where + "is empty");
        }
        return object(root, where, "the value");
    }

    /** Fails on the first key not in {@code allowed}. */
    static void onlyKeys(JsonNode object, Set<String> allowed, String where, String path)
            throws MalformedTopologyException {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new MalformedTopologyException(where + join(path, name) + ": unknown key, expected one of "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    static JsonNode object(JsonNode node, String where, String path) throws MalformedTopologyException {
        if (node == null || !node.isObject()) {
            throw new MalformedTopologyException(where + path + " is " + describe(node) + ", expected an object");
        }
        return node;
    }

    static JsonNode array(JsonNode node, String where, String path) throws MalformedTopologyException {
        if (node == null || !node.isArray()) {
            throw new MalformedTopologyException(where + path + " is " + describe(node) + ", expected a list");
        }
        return node;
    }

    /** Like {@link #array}, and at least one element. */
    static JsonNode nonEmptyArray(JsonNode node, String where, String path) throws MalformedTopologyException {
        JsonNode array = array(node, where, path);
        if (array.isEmpty()) {
            throw new MalformedTopologyException(where + path + " is empty");
        }
        return array;
    }

    static String text(JsonNode node, String where, String path) throws MalformedTopologyException {
        if (node == null || !node.isTextual()) {
            throw new MalformedTopologyException(where + path + " is " + describe(node) + ", expected a string");
        }
        return node.textValue();
    }

    static int integer(JsonNode node, String where, String path) throws MalformedTopologyException {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new MalformedTopologyException(where + path + " is " + describe(node) + ", expected an integer");
        }
        return node.intValue();
    }

    /** A quantity: a JSON string ("128Gi") or number (32). */
    static long quantity(String resource, JsonNode node, String where, String path) throws MalformedTopologyException {
        Object raw = node == null ? null : node.isTextual() ? node.textValue() : node.isNumber() ? node.numberValue() : node;
        if (raw instanceof Number number && node.isFloatingPointNumber()) {
            raw = node.decimalValue().toPlainString(); // keep 0.5 as written, not as a double's digits
        } else if (raw instanceof Number number) {
            raw = number.toString();
        }
        if (!(raw instanceof String)) {
            throw new MalformedTopologyException(where + path + " is " + describe(node) + ", expected a quantity");
        }
        return ZoneAmounts.toUnits(resource, raw, where + path);
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "missing";
        }
        if (node.isNull()) {
            return "null";
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "a list";
        }
        return node.toString(); // strings come out quoted
    }
}
