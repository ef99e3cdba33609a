package io.kubenexus.scheduler.kube.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The two merge patches the API server applies, where the mock server gets them wrong (it appends
 * arrays under JSON merge patch and answers strategic merge patch with 415):
 * <ul>
 *   <li>JSON merge patch ({@code application/merge-patch+json}, RFC 7386): objects merge
 *       recursively, {@code null} deletes a field, anything else (arrays included) replaces.</li>
 *   <li>Strategic merge patch ({@code application/strategic-merge-patch+json}), which
 *       {@code kubectl apply} sends for built-in kinds: as JSON merge patch, except that lists with
 *       a merge key ({@link #MERGE_KEYS}: containers by name, conditions by type, ...) merge element
 *       by element, {@code $patch: delete|replace} directives apply, and
 *       {@code $deleteFromPrimitiveList/<field>} removes values. Ordering directives
 *       ({@code $setElementOrder/<field>}) and {@code $retainKeys} are dropped: the order of the
 *       merged list is the stored order with new elements appended.</li>
 * </ul>
 * The merge keys are the API's {@code patchMergeKey}s for the fields of the kinds the embedded API
 * serves, by field name; that is exact for pods and nodes, whose lists are the ones kubectl patches.
 * Stateless.
 */
final class ObjectPatches {
    /** Field name to the key its list elements merge on under strategic merge patch. */
    static final Map<String, String> MERGE_KEYS = Map.ofEntries(
            Map.entry("containers", "name"),
            Map.entry("initContainers", "name"),
            Map.entry("ephemeralContainers", "name"),
            Map.entry("env", "name"),
            Map.entry("volumes", "name"),
            Map.entry("volumeMounts", "mountPath"),
            Map.entry("volumeDevices", "devicePath"),
            Map.entry("imagePullSecrets", "name"),
            Map.entry("conditions", "type"),
            Map.entry("ownerReferences", "uid"),
            Map.entry("hostAliases", "ip"),
            Map.entry("topologySpreadConstraints", "topologyKey"),
            Map.entry("taints", "key"),
            Map.entry("addresses", "type"),
            Map.entry("resourceClaims", "name"),
            Map.entry("schedulingGates", "name"));
    private static final String DIRECTIVE = "$patch";
    private static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";

    private ObjectPatches() {
    }

    /** RFC 7386: the result of applying {@code patch} to {@code target} (neither is modified). */
    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> fields = patch.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
            }
        }
        return result;
    }

    /** The result of applying a strategic merge patch to {@code target} (neither is modified). */
    static JsonNode strategicMergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        String directive = patch.path(DIRECTIVE).asText("");
        if ("replace".equals(directive)) {
            ObjectNode replaced = ((ObjectNode) patch).deepCopy();
            replaced.remove(DIRECTIVE);
            return replaced;
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> fields = patch.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
                String list = name.substring(DELETE_FROM_PRIMITIVE_LIST.length());
                if (result.get(list) instanceof ArrayNode existing) {
                    ArrayNode kept = JsonNodeFactory.instance.arrayNode();
                    existing.forEach(e -> {
                        if (!contains(value, e)) {
                            kept.add(e);
                        }
                    });
                    result.set(list, kept);
                }
                continue;
            }
            if (name.startsWith("$")) {
                continue; // $setElementOrder/..., $retainKeys, $patch handled above
            }
            if (value.isNull()) {
                result.remove(name);
            } else if (value.isObject() && "delete".equals(value.path(DIRECTIVE).asText(""))) {
                result.remove(name);
            } else if (value.isArray() && MERGE_KEYS.containsKey(name) && result.get(name) instanceof ArrayNode existing) {
                result.set(name, mergeList(existing, (ArrayNode) value, MERGE_KEYS.get(name)));
            } else if (value.isObject()) {
                result.set(name, strategicMergePatch(result.get(name), value));
            } else {
                result.set(name, value.deepCopy());
            }
        }
        return result;
    }

    private static ArrayNode mergeList(ArrayNode existing, ArrayNode patch, String key) {
        ArrayNode merged = existing.deepCopy();
        for (JsonNode element : patch) {
            if (!element.isObject() || !element.has(key)) {
                if ("replace".equals(element.path(DIRECTIVE).asText(""))) {
                    ArrayNode replaced = JsonNodeFactory.instance.arrayNode();
                    patch.forEach(e -> {
                        if (!e.has(DIRECTIVE)) {
                            replaced.add(e.deepCopy());
                        }
                    });
                    return replaced;
                }
                merged.add(element.deepCopy());
                continue;
            }
            int index = indexOf(merged, key, element.get(key));
            boolean delete = "delete".equals(element.path(DIRECTIVE).asText(""));
            if (delete) {
                if (index >= 0) {
                    merged.remove(index);
                }
            } else if (index >= 0) {
                merged.set(index, strategicMergePatch(merged.get(index), element));
            } else {
                merged.add(strategicMergePatch(null, element));
            }
        }
        return merged;
    }

    private static int indexOf(ArrayNode list, String key, JsonNode value) {
        for (int i = 0; i < list.size(); i++) {
            if (value.equals(list.get(i).get(key))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean contains(JsonNode list, JsonNode value) {
        if (!list.isArray()) {
            return false;
        }
        for (JsonNode element : list) {
            if (element.equals(value)) {
                return true;
            }
        }
        return false;
    }
}
