package io.kubenexus.scheduler.extender.protocol;

import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The candidate nodes of a filter or prioritize call, in the mode kube-scheduler sent them.
 *
 * <p>With {@code nodeCacheCapable: true} kube-scheduler sends names only ({@code NodeNames}) and
 * reads names back. With {@code false} it sends whole Node objects ({@code Nodes.items}) and reads
 * whole objects back from {@code Nodes.Items}; this class then keeps each item's byte range in the
 * request body so the filter answer can return the very bytes kube-scheduler sent, without ever
 * building a tree per node.
 */
public final class CandidateNodes {
    private final List<String> names;
    private final Map<String, Integer> indexByName;
    private final byte[] source;
    private final int[] starts;
    private final int[] ends;

    private CandidateNodes(List<String> names, byte[] source, int[] starts, int[] ends) {
        this.names = List.copyOf(names);
        this.indexByName = new HashMap<>(names.size() * 2);
        for (int i = names.size() - 1; i >= 0; i--) {
            indexByName.put(names.get(i), i); // the first of duplicate names wins
        }
        this.source = source;
        this.starts = starts;
        this.ends = ends;
    }

    /** Names-only mode ({@code NodeNames}). */
    public static CandidateNodes ofNames(List<String> names) {
        return new CandidateNodes(names, null, null, null);
    }

    /**
     * Full-object mode ({@code Nodes.items}): item {@code i} is named {@code names.get(i)} and spans
     * {@code source[starts[i], ends[i])}. The source array is kept, not copied, and must not change.
     */
    public static CandidateNodes ofNodeObjects(List<String> names, byte[] source, int[] starts, int[] ends) {
        if (starts.length != names.size() || ends.length != names.size()) {
            throw new IllegalArgumentException("one byte range per node expected");
        }
        return new CandidateNodes(names, source, starts.clone(), ends.clone());
    }

    /** True when kube-scheduler sent whole Node objects and expects them back. */
    public boolean fullObjects() {
        return source != null;
    }

    /** The candidates' names in kube-scheduler's order. */
    public List<String> names() {
        return names;
    }

    public int size() {
        return names.size();
    }

    /** Position of the first candidate with this name, or -1. */
    public int indexOf(String name) {
        Integer index = indexByName.get(name);
        return index == null ? -1 : index;
    }

    /** How many bytes {@link #appendRawObject} appends for candidate {@code index}. */
    int rawObjectLength(int index) {
        return ends[index] - starts[index];
    }

    /** Appends candidate {@code index}'s original JSON bytes; full-object mode only. */
    void appendRawObject(int index, Buffer out) {
        if (source == null) {
            throw new IllegalStateException("names-only candidates have no node objects");
        }
        out.appendBytes(source, starts[index], ends[index] - starts[index]);
    }
}
