package io.kubenexus.scheduler.core.state;

import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.model.HostPort;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.core.model.Taint;
import io.kubenexus.scheduler.core.model.TaintEffect;
import io.kubenexus.scheduler.core.topology.PodTopologyCounts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scheduler's mutable picture of the cluster: nodes with dense indices (reused through a free
 * list), per-resource columns of primitive arrays indexed by node, bitset indexes of labels,
 * taints and cordons, every pod that holds resources (bound by anyone, or assumed by us), and
 * aggregate free capacity kept incrementally.
 *
 * <p>Single writer: only the scheduling loop thread calls this class, and plugins read it through
 * {@link ClusterSnapshot} during a cycle. Other threads read a {@link ClusterView} from
 * {@link #publish()}, which costs O(nodes changed since the previous publish).
 *
 * <p>Pods that name a node not (yet) known are kept and charged when the node appears, so an
 * informer delivering pods before nodes cannot make a node look emptier than it is.
 */
public final class ClusterState implements ClusterSnapshot {
    private static final BitSet EMPTY_BITS = new BitSet();

    private final ResourceColumns columns = new ResourceColumns();

    // Node table, indexed by dense node index.
    private NodeInfo[] nodes = new NodeInfo[64];
    private long[][] allocatable = new long[4][64];
    private long[][] requested = new long[4][64];
    // Derived per-node columns for the decision's per-node loops (kept in step with the two above):
    // one read per resource in the fit filter, a multiplication instead of a division in scoring.
    private long[][] unrequested = new long[4][64];
    private long[][] allocatableInverse = new long[4][64];
    private long[] nonZeroCpu = new long[64];
    private long[] nonZeroMemory = new long[64];
    private int[] podCount = new int[64];
    private long[] generation = new long[64];
    @SuppressWarnings("unchecked")
    private List<HostPort>[] hostPorts = new List[64];
    private int[] freeIndices = new int[16];
    private int freeIndexCount;
    private int indexBound;
    private int nodeCount;
    private final Map<String, Integer> indexByName = new HashMap<>();
    private final BitSet live = new BitSet();
    private final BitSet unschedulable = new BitSet();

    // Bitset indexes over node indices.
    private final Map<String, Map<String, BitSet>> labelIndex = new HashMap<>();
    private final Map<String, BitSet> labelKeyIndex = new HashMap<>();
    private final Map<Taint, BitSet> taintIndex = new LinkedHashMap<>();
    private List<TaintedNodes> hardTaints = List.of();
    private List<TaintedNodes> preferTaints = List.of();
    private boolean taintListsStale;

    // Pods holding resources, and where.
    private final Map<PodKey, AccountedPod> pods = new HashMap<>();
    private final Map<String, Set<PodKey>> podsByNodeName = new HashMap<>();

    // Capacity held by reservation stand-ins ({@link PodInfo#isStandIn}), by node index then column;
    // only nodes holding some have an entry (reservations are few and short-lived). Included in requested.
    private final Map<Integer, long[]> reservedByNode = new HashMap<>();

    private long[] freeTotal = new long[4];
    private long stateGeneration;
    /** Changes whenever a node is added or removed: a name's live index can only change with it. */
    private long nodeSetVersion;

    // Publishing.
    private final BitSet dirty = new BitSet();
    private PersistentArray<NodeView> published = PersistentArray.empty();
    private final Map<String, Integer> sharedIndexByName = new ConcurrentHashMap<>();
    private volatile ClusterView lastView = new ClusterView(0, published, 0, 0, List.of(), sharedIndexByName);

    // Namespace labels, for namespace selectors of inter-pod affinity terms; loop thread only.
    private final Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
    private long namespaceGeneration;

    // Modules' per-node data kept in step with this state (e.g. NUMA zones).
    private StateExtension[] extensions = new StateExtension[0];
    /** How many what-if questions are open (the extensions hear of the outermost only). */
    private int whatIfDepth;

    /**
     * An empty state with the core's own extension registered: the pod counts per node and topology
     * domain that inter-pod affinity and topology spread read ({@link PodTopologyCounts}).
     */
    public ClusterState() {
        addExtension(new PodTopologyCounts(this));
    }

    /**
     * Registers an extension; it is told about every node and pod charge from now on, and about the
     * nodes and charged pods already present right away.
     *
     * @throws IllegalArgumentException if an extension of the same class is registered already
     */
    public void addExtension(StateExtension extension) {
        for (StateExtension existing : extensions) {
            if (existing.getClass() == extension.getClass()) {
                throw new IllegalArgumentException("an extension of " + extension.getClass().getName()
                        + " is registered already");
            }
        }
        extensions = Arrays.copyOf(extensions, extensions.length + 1);
        extensions[extensions.length - 1] = extension;
        for (int index = live.nextSetBit(0); index >= 0; index = live.nextSetBit(index + 1)) {
            extension.nodeChanged(index, null, nodes[index]);
        }
        for (AccountedPod pod : pods.values()) {
            if (pod.node() >= 0) {
                extension.podCharged(pod.node(), pod.pod(), pod.assumed());
            }
        }
    }

    @Override
    public <T> T extension(Class<T> type) {
        for (StateExtension extension : extensions) {
            if (type.isInstance(extension)) {
                return type.cast(extension);
            }
        }
        return null;
    }

    /** What the extensions chose for a charged pod beyond its node (zones, devices), or null. */
    public String describePlacement(PodKey key) {
        String description = null;
        for (StateExtension extension : extensions) {
            String part = extension.describePlacement(key);
            if (part != null && !part.isEmpty()) {
                description = description == null ? part : description + "; " + part;
            }
        }
        return description;
    }

    /** A pod charged to the cluster: its resolved request vector and node (-1 while its node is unknown). */
    private record AccountedPod(PodInfo pod, int node, int[] columns, long[] amounts, long nonZeroCpu,
                                long nonZeroMemory, boolean assumed) {
    }

    // ---------------------------------------------------------------- nodes

    /** Adds or replaces a node; returns what changed (empty when nothing the scheduler reads did). */
    public Set<NodeChange> upsertNode(NodeInfo node) {
        Integer existing = indexByName.get(node.name());
        if (existing == null) {
            addNode(node);
            return EnumSet.of(NodeChange.ADDED);
        }
        int index = existing;
        NodeInfo old = nodes[index];
        EnumSet<NodeChange> changes = EnumSet.noneOf(NodeChange.class);
        if (!old.allocatable().equals(node.allocatable())) {
            changes.add(NodeChange.ALLOCATABLE);
        }
        if (!old.labels().equals(node.labels())) {
            changes.add(NodeChange.LABELS);
        }
        if (!old.taints().equals(node.taints())) {
            changes.add(NodeChange.TAINTS);
        }
        if (old.unschedulable() != node.unschedulable()) {
            changes.add(NodeChange.SCHEDULABILITY);
        }
        if (changes.isEmpty() && !old.equals(node)) {
            changes.add(NodeChange.OTHER);
        }
        if (changes.isEmpty()) {
            return changes;
        }
        if (changes.contains(NodeChange.LABELS)) {
            unindexLabels(index, old);
            indexLabels(index, node);
        }
        if (changes.contains(NodeChange.TAINTS)) {
            unindexTaints(index, old);
            indexTaints(index, node);
        }
        unschedulable.set(index, node.unschedulable());
        nodes[index] = node;
        if (changes.contains(NodeChange.ALLOCATABLE)) {
            setAllocatable(index, node.allocatable());
        }
        for (StateExtension extension : extensions) {
            extension.nodeChanged(index, old, node);
        }
        touch(index);
        return changes;
    }

    /** Removes a node. Its pods stay accounted by name and are charged again if it comes back. */
    public boolean removeNode(String name) {
        Integer existing = indexByName.remove(name);
        if (existing == null) {
            return false;
        }
        int index = existing;
        NodeInfo node = nodes[index];
        unindexLabels(index, node);
        unindexTaints(index, node);
        for (int c = 0; c < columns.count(); c++) {
            freeTotal[c] -= free(c, index);
            allocatable[c][index] = 0;
            requested[c][index] = 0;
            unrequested[c][index] = 0;
            allocatableInverse[c][index] = 0;
        }
        Set<PodKey> onNode = podsByNodeName.get(name);
        if (onNode != null) {
            for (PodKey key : onNode) {
                AccountedPod accounted = pods.get(key);
                pods.put(key, withNode(accounted, -1));
            }
        }
        for (StateExtension extension : extensions) {
            extension.nodeChanged(index, node, null);
        }
        reservedByNode.remove(index);
        nonZeroCpu[index] = 0;
        nonZeroMemory[index] = 0;
        podCount[index] = 0;
        hostPorts[index] = null;
        nodes[index] = null;
        live.clear(index);
        nodeSetVersion++;
        unschedulable.clear(index);
        nodeCount--;
        releaseIndex(index);
        touch(index);
        // Older views may still show this node: its name stays mapped (views check the name at the
        // index) until stale names pile up under node churn.
        if (sharedIndexByName.size() > 2 * nodeCount + 1024) {
            sharedIndexByName.keySet().removeIf(stale -> !indexByName.containsKey(stale));
        }
        return true;
    }

    private void addNode(NodeInfo node) {
        int index = claimIndex();
        nodes[index] = node;
        indexByName.put(node.name(), index);
        sharedIndexByName.put(node.name(), index);
        live.set(index);
        nodeSetVersion++;
        nodeCount++;
        unschedulable.set(index, node.unschedulable());
        indexLabels(index, node);
        indexTaints(index, node);
        setAllocatable(index, node.allocatable());
        for (StateExtension extension : extensions) {
            extension.nodeChanged(index, null, node);
        }
        Set<PodKey> waiting = podsByNodeName.get(node.name());
        if (waiting != null) {
            for (PodKey key : waiting) {
                AccountedPod accounted = withNode(pods.get(key), index);
                pods.put(key, accounted);
                charge(accounted, index, 1);
            }
        }
        touch(index);
    }

    private void setAllocatable(int index, ResourceList amounts) {
        // Resources a node stops reporting drop to zero.
        for (int c = 0; c < columns.count(); c++) {
            setAllocatable(index, c, 0);
        }
        amounts.amounts().forEach((name, amount) -> setAllocatable(index, columns.register(name), amount));
        ensureColumns();
    }

    private void setAllocatable(int index, int column, long amount) {
        ensureColumns();
        freeTotal[column] -= free(column, index);
        allocatable[column][index] = amount;
        unrequested[column][index] = amount - requested[column][index];
        allocatableInverse[column][index] = amount <= 0 ? 0 : Long.MAX_VALUE / amount;
        freeTotal[column] += free(column, index);
    }

    private int claimIndex() {
        if (freeIndexCount > 0) {
            return freeIndices[--freeIndexCount];
        }
        if (indexBound == nodes.length) {
            growNodes(nodes.length * 2);
        }
        return indexBound++;
    }

    private void releaseIndex(int index) {
        if (freeIndexCount == freeIndices.length) {
            freeIndices = Arrays.copyOf(freeIndices, freeIndices.length * 2);
        }
        freeIndices[freeIndexCount++] = index;
    }

    private void growNodes(int size) {
        nodes = Arrays.copyOf(nodes, size);
        for (int c = 0; c < allocatable.length; c++) {
            allocatable[c] = Arrays.copyOf(allocatable[c], size);
            requested[c] = Arrays.copyOf(requested[c], size);
            unrequested[c] = Arrays.copyOf(unrequested[c], size);
            allocatableInverse[c] = Arrays.copyOf(allocatableInverse[c], size);
        }
        nonZeroCpu = Arrays.copyOf(nonZeroCpu, size);
        nonZeroMemory = Arrays.copyOf(nonZeroMemory, size);
        podCount = Arrays.copyOf(podCount, size);
        generation = Arrays.copyOf(generation, size);
        hostPorts = Arrays.copyOf(hostPorts, size);
    }

    private void ensureColumns() {
        int count = columns.count();
        if (count <= allocatable.length) {
            return;
        }
        int size = nodes.length;
        int old = allocatable.length;
        allocatable = Arrays.copyOf(allocatable, count);
        requested = Arrays.copyOf(requested, count);
        unrequested = Arrays.copyOf(unrequested, count);
        allocatableInverse = Arrays.copyOf(allocatableInverse, count);
        for (int c = old; c < count; c++) {
            allocatable[c] = new long[size];
            requested[c] = new long[size];
            unrequested[c] = new long[size];
            allocatableInverse[c] = new long[size];
        }
        freeTotal = Arrays.copyOf(freeTotal, count);
    }

    private void indexLabels(int index, NodeInfo node) {
        node.labels().forEach((key, value) -> {
            labelIndex.computeIfAbsent(key, k -> new HashMap<>()).computeIfAbsent(value, v -> new BitSet()).set(index);
            labelKeyIndex.computeIfAbsent(key, k -> new BitSet()).set(index);
        });
    }

    private void unindexLabels(int index, NodeInfo node) {
        node.labels().forEach((key, value) -> {
            Map<String, BitSet> values = labelIndex.get(key);
            BitSet bits = values.get(value);
            bits.clear(index);
            if (bits.isEmpty()) {
                values.remove(value);
                if (values.isEmpty()) {
                    labelIndex.remove(key);
                }
            }
            BitSet keyBits = labelKeyIndex.get(key);
            keyBits.clear(index);
            if (keyBits.isEmpty()) {
                labelKeyIndex.remove(key);
            }
        });
    }

    private void indexTaints(int index, NodeInfo node) {
        for (Taint taint : node.taints()) {
            BitSet bits = taintIndex.get(taint);
            if (bits == null) {
                bits = new BitSet();
                taintIndex.put(taint, bits);
                taintListsStale = true;
            }
            bits.set(index);
        }
    }

    private void unindexTaints(int index, NodeInfo node) {
        for (Taint taint : node.taints()) {
            BitSet bits = taintIndex.get(taint);
            if (bits != null) {
                bits.clear(index);
                if (bits.isEmpty()) {
                    taintIndex.remove(taint);
                    taintListsStale = true;
                }
            }
        }
    }

    private void rebuildTaintLists() {
        List<TaintedNodes> hard = new ArrayList<>();
        List<TaintedNodes> prefer = new ArrayList<>();
        taintIndex.forEach((taint, bits) -> {
            TaintedNodes entry = new TaintedNodes(taint, bits);
            (taint.effect() == TaintEffect.PREFER_NO_SCHEDULE ? prefer : hard).add(entry);
        });
        hardTaints = List.copyOf(hard);
        preferTaints = List.copyOf(prefer);
        taintListsStale = false;
    }

    // ---------------------------------------------------------------- namespaces

    /**
     * Applies a namespace's labels as the API reports them.
     *
     * @return true when they changed (namespace selectors may now choose differently)
     */
    public boolean upsertNamespace(String name, Map<String, String> labels) {
        Map<String, String> copy = labels == null ? Map.of() : Map.copyOf(labels);
        Map<String, String> previous = namespaceLabels.put(name, copy);
        if (copy.equals(previous == null ? Map.of() : previous)) {
            return false;
        }
        namespaceGeneration++;
        return true;
    }

    /** Forgets a deleted namespace; returns true when it was known with labels. */
    public boolean removeNamespace(String name) {
        Map<String, String> previous = namespaceLabels.remove(name);
        if (previous == null || previous.isEmpty()) {
            return false;
        }
        namespaceGeneration++;
        return true;
    }

    @Override
    public Map<String, String> namespaceLabels(String namespace) {
        return namespaceLabels.getOrDefault(namespace, Map.of());
    }

    @Override
    public long namespaceGeneration() {
        return namespaceGeneration;
    }

    // ---------------------------------------------------------------- pods

    /**
     * Applies a pod as the API reports it. Pods that hold resources (assigned and not finished)
     * are charged to their node; any other pod is removed from accounting. An assumed pod seen
     * bound to the same node becomes confirmed.
     *
     * @return true when the update freed capacity (a pod left a node or shrank)
     */
    public boolean upsertPod(PodInfo pod) {
        if (!pod.holdsResources()) {
            return removePod(pod.key());
        }
        AccountedPod existing = pods.get(pod.key());
        if (existing != null && existing.pod().nodeName().equals(pod.nodeName())
                && existing.pod().requests().equals(pod.requests())
                && existing.pod().nonZeroRequests().equals(pod.nonZeroRequests())
                && existing.pod().hostPorts().equals(pod.hostPorts())) {
            pods.put(pod.key(), new AccountedPod(pod, existing.node(), existing.columns(), existing.amounts(),
                    existing.nonZeroCpu(), existing.nonZeroMemory(), false));
            for (StateExtension extension : extensions) {
                extension.podUpdated(existing.node(), existing.pod(), pod);
            }
            return false;
        }
        boolean freed = existing != null && removePod(pod.key());
        account(pod, false);
        return freed;
    }

    /**
     * Charges a pod we chose a node for, before the bind call returns, so the next decision
     * already sees the capacity as taken. {@code pod.nodeName()} must name the chosen node.
     */
    public void assume(PodInfo pod) {
        if (pod.nodeName() == null) {
            throw new IllegalArgumentException("assumed pod " + pod.key() + " has no node");
        }
        removePod(pod.key());
        account(pod, true);
    }

    /**
     * Opens a what-if question: the edits until the matching {@link #endWhatIf} are hypothetical
     * and undone, newest first, before it ends (see {@link StateExtension#whatIfBegan}).
     */
    public void beginWhatIf() {
        if (whatIfDepth++ == 0) {
            for (StateExtension extension : extensions) {
                extension.whatIfBegan();
            }
        }
    }

    /** Closes the question {@link #beginWhatIf} opened, once its edits are undone. */
    public void endWhatIf() {
        if (whatIfDepth == 0) {
            throw new IllegalStateException("no what-if question is open");
        }
        if (--whatIfDepth == 0) {
            for (StateExtension extension : extensions) {
                extension.whatIfEnded();
            }
        }
    }

    /** Undoes {@link #assume} after a failed bind. Does nothing if the pod is not assumed. */
    public boolean forget(PodKey key) {
        AccountedPod accounted = pods.get(key);
        if (accounted == null || !accounted.assumed()) {
            return false;
        }
        return removePod(key);
    }

    /** Removes a pod from accounting; returns true if it held resources on a known node. */
    public boolean removePod(PodKey key) {
        AccountedPod accounted = pods.remove(key);
        if (accounted == null) {
            return false;
        }
        Set<PodKey> onNode = podsByNodeName.get(accounted.pod().nodeName());
        if (onNode != null) {
            onNode.remove(key);
            if (onNode.isEmpty()) {
                podsByNodeName.remove(accounted.pod().nodeName());
            }
        }
        if (accounted.node() >= 0) {
            charge(accounted, accounted.node(), -1);
            return true;
        }
        return false;
    }

    public boolean isAssumed(PodKey key) {
        AccountedPod accounted = pods.get(key);
        return accounted != null && accounted.assumed();
    }

    /** Calls {@code action} with every pod charged or kept for a node (bound or assumed), in no order. */
    public void forEachAccountedPod(java.util.function.Consumer<PodInfo> action) {
        for (AccountedPod accounted : pods.values()) {
            action.accept(accounted.pod());
        }
    }

    /** The pod as accounted (bound or assumed), or null. */
    public PodInfo accountedPod(PodKey key) {
        AccountedPod accounted = pods.get(key);
        return accounted == null ? null : accounted.pod();
    }

    public int accountedPodCount() {
        return pods.size();
    }

    /** Keys of the pods accounted on a node, by name (including pods of a node not known yet). */
    public Set<PodKey> podsOnNode(String nodeName) {
        Set<PodKey> keys = podsByNodeName.get(nodeName);
        return keys == null ? Set.of() : Collections.unmodifiableSet(keys);
    }

    private void account(PodInfo pod, boolean assumed) {
        ResourceList requests = pod.requests();
        int n = requests.size();
        int[] cols = new int[n + 1];
        long[] amounts = new long[n + 1];
        cols[0] = columns.register(ResourceNames.PODS);
        amounts[0] = 1;
        int i = 1;
        for (int r = 0; r < n; r++) {
            if (ResourceNames.PODS.equals(requests.name(r))) {
                continue;
            }
            cols[i] = columns.register(requests.name(r));
            amounts[i] = requests.amount(r);
            i++;
        }
        ensureColumns();
        if (i < cols.length) {
            cols = Arrays.copyOf(cols, i);
            amounts = Arrays.copyOf(amounts, i);
        }
        Integer node = indexByName.get(pod.nodeName());
        int index = node == null ? -1 : node;
        AccountedPod accounted = new AccountedPod(pod, index, cols, amounts,
                pod.nonZeroRequests().get(ResourceNames.CPU), pod.nonZeroRequests().get(ResourceNames.MEMORY), assumed);
        pods.put(pod.key(), accounted);
        podsByNodeName.computeIfAbsent(pod.nodeName(), k -> new LinkedHashSet<>()).add(pod.key());
        if (index >= 0) {
            charge(accounted, index, 1);
        }
    }

    private void charge(AccountedPod pod, int index, int sign) {
        int[] cols = pod.columns();
        long[] amounts = pod.amounts();
        for (int i = 0; i < cols.length; i++) {
            int c = cols[i];
            freeTotal[c] -= free(c, index);
            requested[c][index] += sign * amounts[i];
            unrequested[c][index] -= sign * amounts[i];
            freeTotal[c] += free(c, index);
        }
        if (pod.assumed() && pod.pod().isStandIn()) {
            chargeReserved(pod, index, sign);
        }
        for (StateExtension extension : extensions) {
            if (sign > 0) {
                extension.podCharged(index, pod.pod(), pod.assumed());
            } else {
                extension.podUncharged(index, pod.pod());
            }
        }
        nonZeroCpu[index] += sign * pod.nonZeroCpu();
        nonZeroMemory[index] += sign * pod.nonZeroMemory();
        podCount[index] += sign;
        List<HostPort> ports = pod.pod().hostPorts();
        if (!ports.isEmpty()) {
            if (sign > 0) {
                if (hostPorts[index] == null) {
                    hostPorts[index] = new ArrayList<>(4);
                }
                hostPorts[index].addAll(ports);
            } else if (hostPorts[index] != null) {
                for (HostPort port : ports) {
                    hostPorts[index].remove(port);
                }
            }
        }
        touch(index);
    }

    private void chargeReserved(AccountedPod pod, int index, int sign) {
        long[] reserved = reservedByNode.get(index);
        if (reserved == null || reserved.length < columns.count()) {
            reserved = reserved == null ? new long[columns.count()] : Arrays.copyOf(reserved, columns.count());
            reservedByNode.put(index, reserved);
        }
        boolean empty = true;
        for (int i = 0; i < pod.columns().length; i++) {
            reserved[pod.columns()[i]] += sign * pod.amounts()[i];
        }
        for (long amount : reserved) {
            empty &= amount == 0;
        }
        if (empty) {
            reservedByNode.remove(index);
        }
    }

    private static AccountedPod withNode(AccountedPod pod, int node) {
        return new AccountedPod(pod.pod(), node, pod.columns(), pod.amounts(), pod.nonZeroCpu(), pod.nonZeroMemory(),
                pod.assumed());
    }

    private long free(int column, int index) {
        if (!live.get(index)) {
            return 0;
        }
        long free = allocatable[column][index] - requested[column][index];
        return free > 0 ? free : 0;
    }

    private void touch(int index) {
        generation[index] = ++stateGeneration;
        dirty.set(index);
    }

    /**
     * The scheduling cycle's view of a pod: its requests resolved to columns (registering resources
     * no node has, so they show up as insufficient everywhere) with the implicit {@code pods: 1}.
     */
    public PodContext podContext(PodInfo pod) {
        ResourceList requests = pod.requests();
        int[] cols = new int[requests.size() + 1];
        long[] amounts = new long[cols.length];
        int i = 0;
        cols[i] = ResourceColumns.PODS;
        amounts[i++] = 1;
        for (int r = 0; r < requests.size(); r++) {
            if (ResourceNames.PODS.equals(requests.name(r))) {
                continue;
            }
            cols[i] = columns.register(requests.name(r));
            amounts[i++] = requests.amount(r);
        }
        ensureColumns();
        if (i < cols.length) {
            cols = Arrays.copyOf(cols, i);
            amounts = Arrays.copyOf(amounts, i);
        }
        return new PodContext(pod, cols, amounts, pod.nonZeroRequests().get(ResourceNames.CPU),
                pod.nonZeroRequests().get(ResourceNames.MEMORY));
    }

    // ---------------------------------------------------------------- publishing

    /** Monotonic counter bumped by every change of any node's accounting. */
    /**
     * A version of the set of nodes (names, indices, liveness), which changes whenever a node is
     * added or removed; equal versions mean {@link #nodeIndex} and {@link #liveNodes} answer alike.
     */
    public long nodeSetVersion() {
        return nodeSetVersion;
    }

    public long generation() {
        return stateGeneration;
    }

    /** The node's change counter, or -1 for an unknown index. */
    public long nodeGeneration(int index) {
        return live.get(index) ? generation[index] : -1;
    }

    /**
     * Publishes an immutable view for readers on other threads, copying only the nodes changed
     * since the previous publish. Returns the previous view when nothing changed.
     */
    public ClusterView publish() {
        if (dirty.isEmpty() && lastView.generation() == stateGeneration) {
            return lastView;
        }
        PersistentArray<NodeView> next = published;
        int c = columns.count();
        for (int index = dirty.nextSetBit(0); index >= 0; index = dirty.nextSetBit(index + 1)) {
            if (live.get(index)) {
                long[] alloc = new long[c];
                long[] req = new long[c];
                for (int col = 0; col < c; col++) {
                    alloc[col] = allocatable[col][index];
                    req[col] = requested[col][index];
                }
                long[] reserved = reservedByNode.get(index);
                next = next.with(index, new NodeView(index, nodes[index], generation[index], alloc, req, podCount[index],
                        reserved == null ? NodeView.NONE_RESERVED : reserved.clone()));
            } else {
                next = next.with(index, null);
            }
        }
        dirty.clear();
        published = next;
        List<String> names = new ArrayList<>(c);
        for (int col = 0; col < c; col++) {
            names.add(columns.name(col));
        }
        lastView = new ClusterView(stateGeneration, next, indexBound, nodeCount, List.copyOf(names), sharedIndexByName);
        return lastView;
    }

    /** The most recently published view; safe to call from any thread. */
    public ClusterView lastPublished() {
        return lastView;
    }

    // ---------------------------------------------------------------- ClusterSnapshot

    @Override
    public ResourceColumns columns() {
        return columns;
    }

    @Override
    public int nodeIndexBound() {
        return indexBound;
    }

    @Override
    public BitSet liveNodes() {
        return live;
    }

    @Override
    public int nodeCount() {
        return nodeCount;
    }

    @Override
    public NodeInfo node(int index) {
        return index >= 0 && index < indexBound ? nodes[index] : null;
    }

    @Override
    public int nodeIndex(String name) {
        Integer index = indexByName.get(name);
        return index == null ? -1 : index;
    }

    @Override
    public long allocatable(int column, int node) {
        return column < allocatable.length ? allocatable[column][node] : 0;
    }

    @Override
    public long requested(int column, int node) {
        return column < requested.length ? requested[column][node] : 0;
    }

    /** Capacity of the column held by reservation stand-ins on the node (included in {@link #requested}). */
    public long reserved(int column, int node) {
        long[] reserved = reservedByNode.get(node);
        return reserved == null || column >= reserved.length ? 0 : reserved[column];
    }

    @Override
    public long[] allocatableColumn(int column) {
        return column < allocatable.length ? allocatable[column] : null;
    }

    @Override
    public long[] unrequestedColumn(int column) {
        return column < unrequested.length ? unrequested[column] : null;
    }

    @Override
    public long[] allocatableInverseColumn(int column) {
        return column < allocatableInverse.length ? allocatableInverse[column] : null;
    }

    @Override
    public long[] scoredRequestedColumn(int column) {
        if (column == ResourceColumns.CPU) {
            return nonZeroCpu;
        }
        if (column == ResourceColumns.MEMORY) {
            return nonZeroMemory;
        }
        return column < requested.length ? requested[column] : null;
    }

    @Override
    public long nonZeroRequested(int column, int node) {
        if (column == ResourceColumns.CPU) {
            return nonZeroCpu[node];
        }
        if (column == ResourceColumns.MEMORY) {
            return nonZeroMemory[node];
        }
        throw new IllegalArgumentException("non-zero requests are kept for cpu and memory only, not column " + column);
    }

    @Override
    public BitSet nodesWithLabel(String key, String value) {
        Map<String, BitSet> values = labelIndex.get(key);
        if (values == null) {
            return EMPTY_BITS;
        }
        BitSet bits = values.get(value);
        return bits == null ? EMPTY_BITS : bits;
    }

    @Override
    public BitSet nodesWithLabelKey(String key) {
        BitSet bits = labelKeyIndex.get(key);
        return bits == null ? EMPTY_BITS : bits;
    }

    @Override
    public Collection<String> labelValues(String key) {
        Map<String, BitSet> values = labelIndex.get(key);
        return values == null ? List.of() : Collections.unmodifiableSet(values.keySet());
    }

    @Override
    public List<TaintedNodes> hardTaints() {
        if (taintListsStale) {
            rebuildTaintLists();
        }
        return hardTaints;
    }

    @Override
    public List<TaintedNodes> preferNoScheduleTaints() {
        if (taintListsStale) {
            rebuildTaintLists();
        }
        return preferTaints;
    }

    @Override
    public BitSet unschedulableNodes() {
        return unschedulable;
    }

    @Override
    public boolean hostPortConflict(int node, HostPort port) {
        List<HostPort> used = hostPorts[node];
        if (used == null) {
            return false;
        }
        for (int i = 0; i < used.size(); i++) {
            if (used.get(i).conflictsWith(port)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public long freeCapacity(int column) {
        return column < freeTotal.length ? freeTotal[column] : 0;
    }

    /** Pods accounted on a node, assumed ones included. */
    public int podCount(int node) {
        return podCount[node];
    }
}
