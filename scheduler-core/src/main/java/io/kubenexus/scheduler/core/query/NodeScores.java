package io.kubenexus.scheduler.core.query;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The extender's prioritize answer: one score per named node, in the order of the request, each in
 * 0..{@link #MAX_SCORE} (kube-scheduler's {@code MaxExtenderPriority}; it multiplies them by the
 * extender's weight).
 *
 * <p>Mapping: the feasible named nodes are scored with the profile's weighted score plugins exactly
 * as a decision over those nodes scores them (the same totals, uniform parts included); each total is
 * then scaled by the best total among them, {@code round_half_up(10 * total / best)}, so the node a
 * decision would pick gets 10. When every total is 0, every node gets 0. Infeasible and unknown nodes
 * get 0.
 */
public record NodeScores(Map<String, Integer> scores) {
    public static final int MAX_SCORE = 10;

    public NodeScores {
        scores = Collections.unmodifiableMap(new LinkedHashMap<>(scores));
    }
}
