package io.kubenexus.scheduler.core.plugins;

import io.kubenexus.scheduler.core.framework.ScorePlugin;
import java.util.Arrays;

/**
 * kube-scheduler's DefaultNormalizeScore for raw scores that are small counts (taints, sums of term
 * weights): each distinct raw value is normalized once into a reusable table, so normalizing
 * thousands of nodes costs one division per distinct value instead of one per node. Scratch of one
 * plugin instance, used on the loop thread only.
 */
final class NormalizedScores {
    private long[] table = new long[16];

    /**
     * Scales raw scores (all >= 0) to {@code MAX * raw / max}; when {@code reverse},
     * {@code MAX - MAX * raw / max}. With every raw score 0, reversed scores are all MAX and plain
     * ones stay 0, as in kube-scheduler.
     */
    void normalize(long[] scores, int count, boolean reverse) {
        long max = 0;
        for (int i = 0; i < count; i++) {
            max = Math.max(max, scores[i]);
        }
        if (max == 0) {
            if (reverse) {
                Arrays.fill(scores, 0, count, ScorePlugin.MAX_NODE_SCORE);
            }
            return;
        }
        if (max >= Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("raw score too large to normalize by table: " + max);
        }
        if (table.length <= max) {
            table = new long[(int) Math.max(max + 1, table.length * 2L)];
        }
        for (int raw = 0; raw <= max; raw++) {
            long scaled = ScorePlugin.MAX_NODE_SCORE * raw / max;
            table[raw] = reverse ? ScorePlugin.MAX_NODE_SCORE - scaled : scaled;
        }
        for (int i = 0; i < count; i++) {
            scores[i] = table[(int) scores[i]];
        }
    }
}
