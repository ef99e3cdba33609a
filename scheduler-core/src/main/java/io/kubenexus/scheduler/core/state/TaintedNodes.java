package io.kubenexus.scheduler.core.state;

import io.kubenexus.scheduler.core.model.Taint;
import java.util.BitSet;

/** One distinct taint and the nodes that carry it. The bitset belongs to the snapshot: read only. */
public record TaintedNodes(Taint taint, BitSet nodes) {
}
