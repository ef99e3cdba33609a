package io.kubenexus.scheduler.extender.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decodes kube-scheduler's extender requests with Jackson's streaming parser.
 *
 * <p>The outer types ({@code ExtenderArgs}, {@code ExtenderBindingArgs}, {@code
 * ExtenderPreemptionArgs}, {@code Victims}, {@code MetaVictims}, {@code MetaPod}) have no json tags,
 * so their keys are Go field names; like Go's decoder this matches them case-insensitively, lets the
 * last of duplicate keys win, ignores unknown keys and treats {@code null} as absent. The embedded
 * Kubernetes objects use their json tags: the pod is decoded into a fabric8 {@link Pod} (one small
 * object), while nodes and victim pods are only streamed over for the one field that is needed
 * ({@code metadata.name}, {@code metadata.uid}), skipping the rest without building a tree.
 *
 * <p>Stricter than Go where Go would hand the server a useless value: a missing pod, missing node
 * names, both node modes at once, a node without a name, or trailing bytes after the object are
 * rejected. Every rejection is a {@link BadExtenderRequestException} naming the field.
 *
 * <p>Thread-safe; one instance may serve every request.
 */
public final class ExtenderRequestDecoder {
    private final ObjectMapper mapper;
    /**
     * The last {@code NodeNames} array decoded, as its exact JSON text and what it decoded to.
     * kube-scheduler with {@code nodeCacheCapable} sends the same names to every filter and
     * prioritize; an array byte-for-byte equal to the last one decodes to the same names, so it is
     * skipped (scanned, not decoded into strings) and the same immutable candidates are answered,
     * map by name included. Shared by the event loops: one immutable pair, swapped whole.
     */
    private final AtomicReference<DecodedNames> lastNames = new AtomicReference<>();

    private record DecodedNames(byte[] text, CandidateNodes nodes) {
    }

    public ExtenderRequestDecoder() {
        this(new ObjectMapper());
    }

    /** Uses {@code mapper} for the pod; it must be able to read fabric8 models. */
    public ExtenderRequestDecoder(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A filter or prioritize request: {@code {"Pod":{..}, "Nodes":{"items":[..]}}} or {@code "NodeNames":[..]}. */
    public ExtenderArgs extenderArgs(byte[] body) throws BadExtenderRequestException {
        return parse(body, p -> {
            Pod pod = null;
            CandidateNodes nodeObjects = null;
            CandidateNodes nodeNames = null;
            while (nextField(p)) {
                String key = p.currentName();
                p.nextToken();
                if (key.equalsIgnoreCase("Pod")) {
                    pod = pod(p, "Pod");
                } else if (key.equalsIgnoreCase("Nodes")) {
                    nodeObjects = nodeList(p, body);
                } else if (key.equalsIgnoreCase("NodeNames")) {
                    nodeNames = nodeNames(p, body);
                } else {
                    p.skipChildren();
                }
            }
            if (pod == null) {
                throw bad("Pod is required");
            }
            if (nodeObjects != null && nodeNames != null) {
                throw bad("only one of Nodes and NodeNames may be set");
            }
            if (nodeObjects == null && nodeNames == null) {
                throw bad("one of Nodes and NodeNames is required");
            }
            return new ExtenderArgs(pod, nodeObjects != null ? nodeObjects : nodeNames);
        });
    }

    /** A bind request: {@code {"PodName":..,"PodNamespace":..,"PodUID":..,"Node":..}}. */
    public BindingArgs bindingArgs(byte[] body) throws BadExtenderRequestException {
        return parse(body, p -> {
            String name = null;
            String namespace = null;
            String uid = null;
            String node = null;
            while (nextField(p)) {
                String key = p.currentName();
                p.nextToken();
                if (key.equalsIgnoreCase("PodName")) {
                    name = string(p, "PodName");
                } else if (key.equalsIgnoreCase("PodNamespace")) {
                    namespace = string(p, "PodNamespace");
                } else if (key.equalsIgnoreCase("PodUID")) {
                    uid = string(p, "PodUID");
                } else if (key.equalsIgnoreCase("Node")) {
                    node = string(p, "Node");
                } else {
                    p.skipChildren();
                }
            }
            return new BindingArgs(required(name, "PodName"), required(namespace, "PodNamespace"),
                    uid == null ? "" : uid, required(node, "Node"));
        });
    }

    /**
     * A preempt request: the pod and either {@code NodeNameToVictims} (whole victim pods) or
     * {@code NodeNameToMetaVictims} (victim UIDs).
     */
    public PreemptionArgs preemptionArgs(byte[] body) throws BadExtenderRequestException {
        return parse(body, p -> {
            Pod pod = null;
            Map<String, MetaVictims> victims = null;
            Map<String, MetaVictims> metaVictims = null;
            while (nextField(p)) {
                String key = p.currentName();
                p.nextToken();
                if (key.equalsIgnoreCase("Pod")) {
                    pod = pod(p, "Pod");
                } else if (key.equalsIgnoreCase("NodeNameToVictims")) {
                    victims = victimsMap(p, "NodeNameToVictims", false);
                } else if (key.equalsIgnoreCase("NodeNameToMetaVictims")) {
                    metaVictims = victimsMap(p, "NodeNameToMetaVictims", true);
                } else {
                    p.skipChildren();
                }
            }
            if (pod == null) {
                throw bad("Pod is required");
            }
            if (victims != null && metaVictims != null) {
                throw bad("only one of NodeNameToVictims and NodeNameToMetaVictims may be set");
            }
            if (victims == null && metaVictims == null) {
                throw bad("one of NodeNameToVictims and NodeNameToMetaVictims is required");
            }
            return new PreemptionArgs(pod, victims != null ? victims : metaVictims);
        });
    }

    @FunctionalInterface
    private interface BodyReader<T> {
        T read(JsonParser parser) throws IOException, BadExtenderRequestException;
    }

    private <T> T parse(byte[] body, BodyReader<T> reader) throws BadExtenderRequestException {
        if (body.length == 0) {
            throw bad("request body is empty");
        }
        try (JsonParser p = mapper.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw bad("request body must be a JSON object");
            }
            T value = reader.read(p);
            if (p.nextToken() != null) {
                throw bad("unexpected data after the JSON object at byte " + p.currentTokenLocation().getByteOffset());
            }
            return value;
        } catch (InputCoercionException e) {
            throw bad("number out of range at byte " + e.getLocation().getByteOffset());
        } catch (JsonProcessingException e) {
            throw bad("malformed JSON at byte " + (e.getLocation() == null ? -1 : e.getLocation().getByteOffset())
                    + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("reading from a byte array", e);
        }
    }

    /** Advances to the next key of the current object; false at its end. */
    private static boolean nextField(JsonParser p) throws IOException {
        return p.nextToken() == JsonToken.FIELD_NAME;
    }

    private Pod pod(JsonParser p, String field) throws IOException, BadExtenderRequestException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw bad(field + " must be an object");
        }
        try {
            return mapper.readValue(p, Pod.class);
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof StreamReadException syntax) {
                throw syntax; // malformed JSON inside the pod, answered like any other
            }
            throw bad(field + " is not a valid Pod: " + e.getOriginalMessage() + at(e.getPathReference()));
        } catch (IllegalArgumentException e) {
            // a fabric8 model deserializer refusing a value
            throw bad(field + " is not a valid Pod: " + e.getMessage());
        }
    }

    private static String at(String pathReference) {
        return pathReference == null || pathReference.isEmpty() ? "" : " (at " + pathReference + ")";
    }

    /** {@code Nodes}: a NodeList; only {@code items[*].metadata.name} is read, each item's bytes are kept. */
    private static CandidateNodes nodeList(JsonParser p, byte[] body) throws IOException, BadExtenderRequestException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw bad("Nodes must be an object (a NodeList)");
        }
        List<String> names = new ArrayList<>();
        IntList starts = new IntList();
        IntList ends = new IntList();
        while (nextField(p)) {
            String key = p.currentName();
            p.nextToken();
            if (!key.equalsIgnoreCase("items")) {
                p.skipChildren();
                continue;
            }
            // Go's decoder resets a slice it decodes into: the last "items" wins.
            names.clear();
            starts.clear();
            ends.clear();
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                continue;
            }
            if (p.currentToken() != JsonToken.START_ARRAY) {
                throw bad("Nodes.items must be an array");
            }
            for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
                String item = "Nodes.items[" + i + "]";
                if (p.currentToken() != JsonToken.START_OBJECT) {
                    throw bad(item + " must be an object (a Node)");
                }
                starts.add(offset(p));
                String name = objectMetadataField(p, item, "name");
                ends.add(offset(p) + 1);
                if (name == null || name.isEmpty()) {
                    throw bad(item + ".metadata.name is required");
                }
                names.add(name);
            }
        }
        return CandidateNodes.ofNodeObjects(names, body, starts.toArray(), ends.toArray());
    }

    private static int offset(JsonParser p) throws BadExtenderRequestException {
        long offset = p.currentTokenLocation().getByteOffset();
        if (offset < 0 || offset > Integer.MAX_VALUE) {
            throw new IllegalStateException("the parser reports no byte offsets");
        }
        return (int) offset;
    }

    /**
     * Reads an object (positioned at its START_OBJECT) up to its END_OBJECT and returns its
     * {@code metadata.<wanted>} string, or null when absent; everything else is skipped unread.
     */
    private static String objectMetadataField(JsonParser p, String path, String wanted)
            throws IOException, BadExtenderRequestException {
        String value = null;
        while (nextField(p)) {
            String key = p.currentName();
            p.nextToken();
            if (!key.equalsIgnoreCase("metadata")) {
                p.skipChildren();
                continue;
            }
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                value = null;
                continue;
            }
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw bad(path + ".metadata must be an object");
            }
            value = null;
            while (nextField(p)) {
                String metaKey = p.currentName();
                p.nextToken();
                if (metaKey.equalsIgnoreCase(wanted)) {
                    value = string(p, path + ".metadata." + wanted);
                } else {
                    p.skipChildren();
                }
            }
        }
        return value;
    }

    private static Map<String, MetaVictims> victimsMap(JsonParser p, String field, boolean meta)
            throws IOException, BadExtenderRequestException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw bad(field + " must be an object keyed by node name");
        }
        Map<String, MetaVictims> byNode = new LinkedHashMap<>();
        while (nextField(p)) {
            String node = p.currentName();
            p.nextToken();
            String path = field + "." + node;
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw bad(path + " must be an object");
            }
            List<String> uids = new ArrayList<>();
            long pdbViolations = 0;
            while (nextField(p)) {
                String key = p.currentName();
                p.nextToken();
                if (key.equalsIgnoreCase("Pods")) {
                    uids = victimPods(p, path + ".Pods", meta);
                } else if (key.equalsIgnoreCase("NumPDBViolations")) {
                    if (p.currentToken() == JsonToken.VALUE_NULL) {
                        continue; // Go leaves the field as it was
                    }
                    if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                        throw bad(path + ".NumPDBViolations must be an integer");
                    }
                    pdbViolations = p.getLongValue();
                } else {
                    p.skipChildren();
                }
            }
            byNode.put(node, new MetaVictims(uids, pdbViolations));
        }
        return byNode;
    }

    /** Victim UIDs from {@code [{"metadata":{"uid":..},..}]} (whole pods) or {@code [{"UID":..}]} (MetaPod). */
    private static List<String> victimPods(JsonParser p, String path, boolean meta)
            throws IOException, BadExtenderRequestException {
        List<String> uids = new ArrayList<>();
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return uids;
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw bad(path + " must be an array");
        }
        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
            String item = path + "[" + i + "]";
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw bad(item + " must be an object");
            }
            String uid;
            String uidField;
            if (meta) {
                uid = null;
                uidField = item + ".UID";
                while (nextField(p)) {
                    String key = p.currentName();
                    p.nextToken();
                    if (key.equalsIgnoreCase("UID")) {
                        uid = string(p, uidField);
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                uidField = item + ".metadata.uid";
                uid = objectMetadataField(p, item, "uid");
            }
            uids.add(required(uid, uidField));
        }
        return uids;
    }

    /** {@code NodeNames}: null for JSON null; the last candidates again when the array's bytes are the last ones. */
    private CandidateNodes nodeNames(JsonParser p, byte[] body) throws IOException, BadExtenderRequestException {
        long start = p.currentTokenLocation().getByteOffset();
        boolean array = p.currentToken() == JsonToken.START_ARRAY && start >= 0 && start < body.length
                && body[(int) start] == '[';
        DecodedNames last = lastNames.get();
        if (array && last != null && Arrays.equals(body, (int) start, (int) Math.min(body.length, start + last.text().length),
                last.text(), 0, last.text().length)) {
            // The same text from '[' to its ']': the same tokens, so the parser ends where the text does.
            p.skipChildren();
            if (p.currentLocation().getByteOffset() != start + last.text().length) {
                throw new IllegalStateException("NodeNames array equal to the last one ended elsewhere");
            }
            return last.nodes();
        }
        List<String> names = stringArray(p, "NodeNames");
        if (names == null) {
            return null;
        }
        CandidateNodes nodes = CandidateNodes.ofNames(names);
        long end = p.currentLocation().getByteOffset();
        if (array && end > start && end <= body.length && body[(int) end - 1] == ']') {
            lastNames.set(new DecodedNames(Arrays.copyOfRange(body, (int) start, (int) end), nodes));
        }
        return nodes;
    }

    private static List<String> stringArray(JsonParser p, String field) throws IOException, BadExtenderRequestException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw bad(field + " must be an array of strings");
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
            // The element's label is built only for an error: 5,000 names built 10,000 labels.
            JsonToken token = p.currentToken();
            String value = token == JsonToken.VALUE_STRING ? p.getText() : string(p, field + "[" + i + "]");
            if (value == null || value.isEmpty()) {
                required(value, field + "[" + i + "]");
            }
            values.add(value);
        }
        return values;
    }

    /** The current string value; null for JSON null; anything else is a type error. */
    private static String string(JsonParser p, String field) throws IOException, BadExtenderRequestException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            throw bad(field + " must be a string");
        }
        return p.getText();
    }

    private static String required(String value, String field) throws BadExtenderRequestException {
        if (value == null || value.isEmpty()) {
            throw bad(field + " is required");
        }
        return value;
    }

    private static BadExtenderRequestException bad(String message) {
        return new BadExtenderRequestException(message);
    }

    /** A growable int array, so the byte ranges of a thousand nodes cost no boxing. */
    private static final class IntList {
        private int[] values = new int[64];
        private int size;

        void add(int value) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        void clear() {
            size = 0;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
