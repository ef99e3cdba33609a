package io.kubenexus.scheduler.extender.protocol;

import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import io.kubenexus.scheduler.core.query.NodeVictims;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encodes the extender answers exactly as Go's {@code encoding/json} encodes the
 * {@code k8s.io/kube-scheduler/extender/v1} result types: fields in struct order, Go field names as
 * keys, nil pointers as {@code null}, map keys sorted, Go's string escaping (see
 * {@link GoJsonWriter}).
 *
 * <p>Checks what the backend returned against the request: naming a node that was not a
 * candidate, a victim that was not proposed, or a score outside 0..10 is a backend bug and throws
 * {@link IllegalStateException} (answered as a 500), rather than sending kube-scheduler an answer it
 * would reject or misread.
 *
 * <p>Stateless and thread-safe.
 */
public final class ExtenderResponseEncoder {
    /** kube-scheduler's {@code MinExtenderPriority} and {@code MaxExtenderPriority}. */
    public static final int MIN_SCORE = 0;
    public static final int MAX_SCORE = 10;

    /**
     * {@code ExtenderFilterResult}. Feasible nodes are answered in the request's order. With whole
     * node objects the feasible ones are the request's own bytes in
     * {@code {"Nodes":{"metadata":{},"items":[..]},"NodeNames":null,..}}; with names,
     * {@code {"Nodes":null,"NodeNames":[..],..}}.
     */
    public Buffer filterResult(CandidateNodes candidates, FilterVerdicts verdicts) {
        boolean[] pass = new boolean[candidates.size()];
        for (String name : verdicts.feasible()) {
            pass[candidateIndex(candidates, name, "feasible")] = true;
        }
        verdicts.failed().keySet().forEach(name -> candidateIndex(candidates, name, "failed"));
        verdicts.failedAndUnresolvable().keySet().forEach(name -> candidateIndex(candidates, name, "failedAndUnresolvable"));

        // Sized up front: growing a multi-MB answer copies it several times over.
        long size = 128 + 96L * (verdicts.failed().size() + verdicts.failedAndUnresolvable().size());
        for (int i = 0; i < pass.length; i++) {
            if (pass[i]) {
                size += 1 + (candidates.fullObjects() ? candidates.rawObjectLength(i) : candidates.names().get(i).length() + 2);
            }
        }
        Buffer out = Buffer.buffer((int) Math.min(Integer.MAX_VALUE - 16, size));
        GoJsonWriter json = new GoJsonWriter(out);
        if (candidates.fullObjects()) {
            json.raw("{\"Nodes\":{\"metadata\":{},\"items\":[");
            boolean first = true;
            for (int i = 0; i < pass.length; i++) {
                if (pass[i]) {
                    if (!first) {
                        json.raw(",");
                    }
                    candidates.appendRawObject(i, out);
                    first = false;
                }
            }
            json.raw("]},\"NodeNames\":null");
        } else {
            json.raw("{\"Nodes\":null,\"NodeNames\":[");
            boolean first = true;
            for (int i = 0; i < pass.length; i++) {
                if (pass[i]) {
                    if (!first) {
                        json.raw(",");
                    }
                    json.string(candidates.names().get(i));
                    first = false;
                }
            }
            json.raw("]");
        }
        json.raw(",\"FailedNodes\":");
        stringMap(json, verdicts.failed());
        json.raw(",\"FailedAndUnresolvableNodes\":");
        stringMap(json, verdicts.failedAndUnresolvable());
        json.raw(",\"Error\":\"\"}");
        return out;
    }

    /** {@code HostPriorityList}: {@code [{"Host":"n1","Score":7},..]} in the request's node order. */
    public Buffer hostPriorities(CandidateNodes candidates, Map<String, Integer> scores) {
        Integer[] byIndex = new Integer[candidates.size()];
        scores.forEach((host, score) -> {
            if (score == null || score < MIN_SCORE || score > MAX_SCORE) {
                throw new IllegalStateException("backend scored node " + host + " " + score
                        + ", outside " + MIN_SCORE + ".." + MAX_SCORE);
            }
            byIndex[candidateIndex(candidates, host, "prioritize")] = score;
        });
        Buffer out = Buffer.buffer(32 + 32 * scores.size());
        GoJsonWriter json = new GoJsonWriter(out);
        json.raw("[");
        boolean first = true;
        for (int i = 0; i < byIndex.length; i++) {
            if (byIndex[i] != null) {
                json.raw(first ? "{\"Host\":" : ",{\"Host\":").string(candidates.names().get(i))
                        .raw(",\"Score\":").number(byIndex[i]).raw("}");
                first = false;
            }
        }
        return out.appendString("]");
    }

    /** {@code ExtenderBindingResult}: {@code {"Error":""}} when bound, the reason otherwise. */
    public Buffer bindingResult(BindVerdict verdict) {
        Buffer out = Buffer.buffer(16 + verdict.error().length());
        new GoJsonWriter(out).raw("{\"Error\":").string(verdict.error()).raw("}");
        return out;
    }

    /**
     * {@code ExtenderPreemptionResult}: the accepted nodes (each one kube-scheduler proposed) with the
     * victims the backend chose there and their budget violations.
     */
    public Buffer preemptionResult(PreemptionArgs request, Map<String, NodeVictims> accepted) {
        TreeMap<String, NodeVictims> sorted = new TreeMap<>();
        accepted.forEach((node, victims) -> {
            if (!request.victimsByNode().containsKey(node)) {
                throw new IllegalStateException("backend accepted preemption on node " + node
                        + ", which was not a candidate");
            }
            sorted.put(node, victims);
        });
        Buffer out = Buffer.buffer(64 + 64 * sorted.size());
        GoJsonWriter json = new GoJsonWriter(out);
        json.raw("{\"NodeNameToMetaVictims\":{");
        boolean firstNode = true;
        for (Map.Entry<String, NodeVictims> entry : sorted.entrySet()) {
            json.raw(firstNode ? "" : ",").string(entry.getKey()).raw(":{\"Pods\":[");
            boolean firstPod = true;
            for (String uid : entry.getValue().podUids()) {
                json.raw(firstPod ? "{\"UID\":" : ",{\"UID\":").string(uid).raw("}");
                firstPod = false;
            }
            json.raw("],\"NumPDBViolations\":").number(entry.getValue().pdbViolations()).raw("}");
            firstNode = false;
        }
        return out.appendString("}}");
    }

    private static int candidateIndex(CandidateNodes candidates, String name, String verdict) {
        int index = name == null ? -1 : candidates.indexOf(name);
        if (index < 0) {
            throw new IllegalStateException("backend's " + verdict + " answer names node " + name
                    + ", which was not a candidate");
        }
        return index;
    }

    /** A Go {@code map[string]string}: keys sorted as Go sorts them (same order for DNS names), {@code {}} when empty. */
    private static void stringMap(GoJsonWriter json, Map<String, String> map) {
        json.raw("{");
        // String's natural order, as a TreeMap of the map sorted them; the keys of a map are
        // distinct, so the order is total. An array sort: no tree node per key, and linear on
        // keys that come already sorted.
        String[] keys = map.keySet().toArray(new String[0]);
        Arrays.sort(keys);
        boolean first = true;
        for (String key : keys) {
            json.raw(first ? "" : ",").string(key).raw(":").string(map.get(key));
            first = false;
        }
        json.raw("}");
    }
}
