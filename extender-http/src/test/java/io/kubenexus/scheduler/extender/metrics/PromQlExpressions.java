package io.kubenexus.scheduler.extender.metrics;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which metric names and label names PromQL expressions use, so that documentation, dashboards and
 * alert rules can be checked against what the registry really exports.
 *
 * <p>{@link #uses(List)} takes expressions as written (a dashboard's or a rule file's);
 * {@link #fromMarkdown(String)} picks the expressions out of a Markdown page: every fenced block
 * whose info string is {@code promql}, and every inline code span that looks like PromQL (it reads
 * as PromQL tokens, calls no unknown function, and names a metric: one followed by a selector or
 * range, inside a call, or with at least two underscores, so that {@code already_bound} or
 * {@code cpu} in prose do not count).
 *
 * <p>Metric names are the selectors' names, with a histogram's {@code _bucket}, {@code _count} and
 * {@code _sum} suffix removed (resolved to the family). Labels are those in selectors
 * ({@code {a="b"}}), in an aggregation's {@code by (x)} or {@code without (y)} (attributed to every
 * metric the aggregation covers) and in {@code on (z)} or {@code ignoring (z)} (attributed to every
 * metric of the enclosing parentheses, both operands). {@code group_left}/{@code group_right}
 * labels, functions' string arguments, keywords and aggregation operators are not counted.
 *
 * <p>Not a full PromQL parser: it reads well-formed expressions of the kind dashboards use; an
 * expression it cannot read is rejected with {@link IllegalArgumentException}.
 */
final class PromQlExpressions {
    private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
            "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");
    private static final Set<String> FUNCTIONS = Set.of("abs", "absent", "absent_over_time", "ceil", "changes",
            "clamp", "clamp_max", "clamp_min", "day_of_month", "day_of_week", "day_of_year", "days_in_month",
            "delta", "deriv", "exp", "floor", "histogram_avg", "histogram_count", "histogram_fraction",
            "histogram_quantile", "histogram_stddev", "histogram_stdvar", "histogram_sum", "holt_winters",
            "double_exponential_smoothing", "hour", "idelta", "increase", "irate", "label_join", "label_replace",
            "ln", "log2", "log10", "minute", "month", "predict_linear", "rate", "resets", "round", "scalar", "sgn",
            "sort", "sort_desc", "sort_by_label", "sort_by_label_desc", "sqrt", "time", "timestamp", "vector",
            "year", "avg_over_time", "min_over_time", "max_over_time", "sum_over_time", "count_over_time",
            "quantile_over_time", "stddev_over_time", "stdvar_over_time", "last_over_time", "present_over_time",
            "mad_over_time", "acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "sin", "sinh", "tan",
            "tanh", "deg", "rad", "pi");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan", "atan2");
    private static final List<String> HISTOGRAM_SUFFIXES = List.of("_bucket", "_count", "_sum");

    private static final Pattern TOKEN = Pattern.compile(
            "\\s*(?:(?<string>\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`)"
                    + "|(?<number>(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?(?:ms|[smhdwy])?(?:\\d+(?:ms|[smhdwy]))*)"
                    + "|(?<ident>[a-zA-Z_:][a-zA-Z0-9_:]*)"
                    + "|(?<punct>=~|!~|!=|==|<=|>=|[-+*/%^<>=(){}\\[\\],@]))");
    private static final Pattern FENCED = Pattern.compile("(?ms)^\\s*```promql\\s*\\n(.*?)^\\s*```");
    private static final Pattern ANY_FENCE = Pattern.compile("(?ms)^\\s*```.*?^\\s*```");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`\\n]+)`");

    private PromQlExpressions() {
    }

    /** The PromQL expressions of a Markdown page: {@code promql} fenced blocks and code spans that look like PromQL. */
    static List<String> fromMarkdown(String markdown) {
        List<String> out = new ArrayList<>();
        Matcher fenced = FENCED.matcher(markdown);
        while (fenced.find()) {
            out.add(fenced.group(1).strip());
        }
        String prose = ANY_FENCE.matcher(markdown).replaceAll("");
        Matcher span = CODE_SPAN.matcher(prose);
        while (span.find()) {
            if (looksLikePromQl(span.group(1))) {
                out.add(span.group(1).strip());
            }
        }
        return out;
    }

    /** Metric family to the label names the expressions use on it, over all {@code expressions}. */
    static Map<String, Set<String>> uses(List<String> expressions) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (String expression : expressions) {
            uses(expression).forEach((metric, labels) -> out.computeIfAbsent(metric, m -> new TreeSet<>()).addAll(labels));
        }
        return out;
    }

    /** Metric family to the label names {@code expression} uses on it. */
    static Map<String, Set<String>> uses(String expression) {
        return new Reader(tokens(expression), false).read();
    }

    static boolean looksLikePromQl(String text) {
        try {
            return !new Reader(tokens(text), true).read().isEmpty();
        } catch (IllegalArgumentException notPromQl) {
            return false;
        }
    }

    /** A metric name as its family: {@code x_bucket}, {@code x_count} and {@code x_sum} are {@code x}. */
    static String family(String metric) {
        for (String suffix : HISTOGRAM_SUFFIXES) {
            if (metric.endsWith(suffix) && metric.length() > suffix.length()) {
                return metric.substring(0, metric.length() - suffix.length());
            }
        }
        return metric;
    }

    private record Token(String kind, String text) {
        boolean is(String punct) {
            return kind.equals("punct") && text.equals(punct);
        }
    }

    private static List<Token> tokens(String expression) {
        List<Token> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(expression);
        int at = 0;
        while (at < expression.length()) {
            if (expression.substring(at).isBlank()) {
                break;
            }
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("not PromQL at " + at + ": " + expression);
            }
            for (String kind : new String[] {"string", "number", "ident", "punct"}) {
                if (m.group(kind) != null) {
                    out.add(new Token(kind, m.group(kind)));
                }
            }
            at = m.end();
        }
        return out;
    }

    /** One pass over the tokens with a stack of parenthesised groups and the metrics each covers. */
    private static final class Reader {
        private final List<Token> tokens;
        private final boolean strict;
        private final Map<String, Set<String>> uses = new LinkedHashMap<>();
        private final Deque<Group> groups = new ArrayDeque<>();
        private int i;

        /** The metrics inside one pair of parentheses, and labels to give all of them when it closes. */
        private static final class Group {
            final Set<String> metrics = new LinkedHashSet<>();
            final Set<String> labels = new LinkedHashSet<>();
            final boolean call;

            Group(boolean call) {
                this.call = call;
            }
        }

        /** @param strict a bare name counts as a metric only when it looks like one (see the class comment) */
        Reader(List<Token> tokens, boolean strict) {
            this.tokens = tokens;
            this.strict = strict;
        }

        Map<String, Set<String>> read() {
            groups.push(new Group(false));
            Group lastClosed = null;
            boolean lastClosedIsAggregation = false;
            boolean nextGroupIsAggregation = false;
            Set<String> pendingGrouping = null;
            while (i < tokens.size()) {
                Token t = tokens.get(i);
                if (t.kind().equals("ident")) {
                    String word = t.text();
                    String lower = word.toLowerCase(java.util.Locale.ROOT);
                    if ((lower.equals("by") || lower.equals("without")) && peek(1, "(")) {
                        i++;
                        Set<String> labels = labelList();
                        if (lastClosedIsAggregation && lastClosed != null) {
                            giveAll(lastClosed.metrics, labels); // sum (x) by (l)
                            lastClosedIsAggregation = false;
                        } else {
                            pendingGrouping = labels; // sum by (l) (x)
                        }
                        continue;
                    }
                    if ((lower.equals("on") || lower.equals("ignoring")) && peek(1, "(")) {
                        i++;
                        groups.peek().labels.addAll(labelList());
                        continue;
                    }
                    if ((lower.equals("group_left") || lower.equals("group_right")) && peek(1, "(")) {
                        i++;
                        labelList();
                        continue;
                    }
                    if (AGGREGATIONS.contains(lower) && (peek(1, "(") || peekIdent(1, "by") || peekIdent(1, "without"))) {
                        nextGroupIsAggregation = true;
                        i++;
                        continue;
                    }
                    if (FUNCTIONS.contains(lower) && peek(1, "(")) {
                        i++;
                        continue;
                    }
                    if (KEYWORDS.contains(lower)) {
                        i++;
                        continue;
                    }
                    if (peek(1, "(")) {
                        throw new IllegalArgumentException("unknown function " + word);
                    }
                    selector(word);
                    continue;
                }
                if (t.is("{")) {
                    selector(null); // {__name__="x"} or a bare label matcher
                    continue;
                }
                if (t.is("[")) {
                    skipPast("]");
                    continue;
                }
                if (t.is("(")) {
                    Group group = new Group(nextGroupIsAggregation);
                    if (pendingGrouping != null) {
                        group.labels.addAll(pendingGrouping);
                        pendingGrouping = null;
                    }
                    groups.push(group);
                    nextGroupIsAggregation = false;
                    i++;
                    continue;
                }
                if (t.is(")")) {
                    if (groups.size() < 2) {
                        throw new IllegalArgumentException("unbalanced )");
                    }
                    Group closed = groups.pop();
                    giveAll(closed.metrics, closed.labels);
                    groups.peek().metrics.addAll(closed.metrics);
                    lastClosed = closed;
                    lastClosedIsAggregation = closed.call;
                    i++;
                    continue;
                }
                if (t.is("}") || t.is("]")) {
                    throw new IllegalArgumentException("unbalanced " + t.text());
                }
                lastClosedIsAggregation = false;
                i++;
            }
            if (groups.size() != 1) {
                throw new IllegalArgumentException("unbalanced (");
            }
            Group root = groups.pop();
            giveAll(root.metrics, root.labels);
            return uses;
        }

        /** At a metric name (or a bare {@code {...}}): records it and the labels its matchers name. */
        private void selector(String name) {
            if (name != null) {
                i++;
            }
            boolean hasBraces = i < tokens.size() && tokens.get(i).is("{");
            boolean hasRange = i < tokens.size() && tokens.get(i).is("[");
            Set<String> labels = new LinkedHashSet<>();
            if (hasBraces) {
                i++;
                while (i < tokens.size() && !tokens.get(i).is("}")) {
                    Token label = tokens.get(i);
                    if (label.kind().equals("ident") && i + 1 < tokens.size() && isMatcher(tokens.get(i + 1))) {
                        if (label.text().equals("__name__") && i + 2 < tokens.size()
                                && tokens.get(i + 2).kind().equals("string")) {
                            String quoted = tokens.get(i + 2).text();
                            name = quoted.substring(1, quoted.length() - 1);
                        } else {
                            labels.add(label.text());
                        }
                        i += 2;
                    }
                    i++;
                }
                if (i >= tokens.size()) {
                    throw new IllegalArgumentException("unbalanced {");
                }
                i++;
            }
            if (name == null) {
                return;
            }
            boolean inCall = groups.size() > 1;
            if (strict && !hasBraces && !hasRange && !inCall && name.chars().filter(c -> c == '_').count() < 2) {
                return; // a word in prose, not a metric
            }
            String family = family(name);
            uses.computeIfAbsent(family, f -> new LinkedHashSet<>()).addAll(labels);
            groups.peek().metrics.add(family);
        }

        private static boolean isMatcher(Token token) {
            return token.is("=") || token.is("!=") || token.is("=~") || token.is("!~");
        }

        /** At {@code (}: the identifiers up to {@code )}. */
        private Set<String> labelList() {
            Set<String> labels = new LinkedHashSet<>();
            i++;
            while (i < tokens.size() && !tokens.get(i).is(")")) {
                if (tokens.get(i).kind().equals("ident")) {
                    labels.add(tokens.get(i).text());
                }
                i++;
            }
            if (i >= tokens.size()) {
                throw new IllegalArgumentException("unbalanced ( in a label list");
            }
            i++;
            return labels;
        }

        private void skipPast(String close) {
            while (i < tokens.size() && !tokens.get(i).is(close)) {
                i++;
            }
            if (i >= tokens.size()) {
                throw new IllegalArgumentException("missing " + close);
            }
            i++;
        }

        private void giveAll(Set<String> metrics, Set<String> labels) {
            if (labels.isEmpty()) {
                return;
            }
            for (String metric : metrics) {
                uses.computeIfAbsent(metric, m -> new LinkedHashSet<>()).addAll(labels);
            }
        }

        private boolean peek(int ahead, String punct) {
            return i + ahead < tokens.size() && tokens.get(i + ahead).is(punct);
        }

        private boolean peekIdent(int ahead, String word) {
            return i + ahead < tokens.size() && tokens.get(i + ahead).kind().equals("ident")
                    && tokens.get(i + ahead).text().equalsIgnoreCase(word);
        }
    }
}
