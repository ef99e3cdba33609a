package io.kubenexus.scheduler.kube.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A field selector ({@code involvedObject.name=p,involvedObject.namespace=ns},
 * {@code spec.nodeName!=}) applied to listed objects, which the mock server ignores:
 * {@code kubectl describe pod} lists a pod's Events with one and would otherwise show every Event
 * of the namespace. Terms are {@code path=value}, {@code path==value} or {@code path!=value}; the
 * path is a dotted JSON path, a missing field reads as the empty string (as the API server's field
 * sets have every selectable field). Immutable.
 */
final class FieldSelector {
    private record Term(String[] path, String value, boolean equal) {
    }

    private final List<Term> terms;

    private FieldSelector(List<Term> terms) {
        this.terms = List.copyOf(terms);
    }

    /** The selector of a request path's query, or null when it has none. */
    static FieldSelector fromQuery(String fullPath) {
        int query = fullPath.indexOf('?');
        if (query < 0) {
            return null;
        }
        for (String parameter : fullPath.substring(query + 1).split("&")) {
            if (parameter.startsWith("fieldSelector=")) {
                String selector = URLDecoder.decode(parameter.substring("fieldSelector=".length()), StandardCharsets.UTF_8);
                return selector.isBlank() ? null : parse(selector);
            }
        }
        return null;
    }

    /** The request path without its fieldSelector parameter. */
    static String withoutSelector(String fullPath) {
        int query = fullPath.indexOf('?');
        if (query < 0) {
            return fullPath;
        }
        StringBuilder kept = new StringBuilder();
        for (String parameter : fullPath.substring(query + 1).split("&")) {
            if (!parameter.startsWith("fieldSelector=") && !parameter.isEmpty()) {
                kept.append(kept.length() == 0 ? "?" : "&").append(parameter);
            }
        }
        return fullPath.substring(0, query) + kept;
    }

    static FieldSelector parse(String selector) {
        List<Term> terms = new ArrayList<>();
        for (String term : selector.split(",")) {
            int notEqual = term.indexOf("!=");
            if (notEqual >= 0) {
                terms.add(new Term(term.substring(0, notEqual).trim().split("\\."), term.substring(notEqual + 2).trim(),
                        false));
                continue;
            }
            int equal = term.indexOf('=');
            if (equal < 0) {
                throw new IllegalArgumentException("invalid field selector term \"" + term + "\": expected a=b or a!=b");
            }
            int valueStart = term.startsWith("=", equal + 1) ? equal + 2 : equal + 1;
            terms.add(new Term(term.substring(0, equal).trim().split("\\."), term.substring(valueStart).trim(), true));
        }
        return new FieldSelector(terms);
    }

    boolean matches(JsonNode object) {
        for (Term term : terms) {
            JsonNode value = object;
            for (String step : term.path()) {
                value = value.path(step);
            }
            String actual = value.isValueNode() ? value.asText() : "";
            if (actual.equals(term.value()) != term.equal()) {
                return false;
            }
        }
        return true;
    }
}
