package io.kubenexus.scheduler.core.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Seeded, mutational fuzzing for parsers of outside input (quantities, labels, annotations, CRD
 * specs, config files): start from valid examples, mutate them the way people and tools get them
 * wrong (a character dropped, doubled, swapped for a sign, a unit, a quote, a huge number, the
 * text cut short), and check a property of the parser's answer for each case.
 *
 * <p>Why not a property-testing library: the one that fits JUnit 5 best asks not to be used by
 * automated agents, and the others are unmaintained; what parsers need is small: reproducible
 * inputs, many of them, and a failure that names the seed and the input. A failing case prints
 * both, and {@code -Dfuzz.seed=N} replays a run.
 *
 * <p>Fast by default ({@value #DEFAULT_CASES} cases per check); {@code -Dfuzz.cases=N} runs more.
 */
public final class Fuzz {
    /**
     * The time one parse of one input may take: far above any honest parse (microseconds), so that a
     * loaded machine's GC pause or descheduling does not fail a run, yet a blow-up (an exponent
     * expanded digit by digit, backtracking) that takes seconds or minutes still does.
     */
    public static final long BLOW_UP_NANOS = 2_000_000_000L;

    public static final int DEFAULT_CASES = 2_000;

    /** Characters that break parsers: signs, units, separators, quotes, unicode, control characters. */
    private static final String INTERESTING = "-+.,=:;/ \t\n\"'{}[]()eEiKMGTPkmnu0123456789*%$#@!~`\\\u00e9\u0000\u2028";
    private static final String[] TOKENS = {"", " ", "-", "--", "0", "-1", "1e9", "1e400", "9223372036854775807",
            "9223372036854775808", "-9223372036854775808", "NaN", "Infinity", "0x1F", "1.5", ".5", "5.", "Ki", "Mi",
            "Gi", "Ti", "Pi", "Ei", "m", "k", "M", "G", "E", "null", "true", "{}", "[]", "\"\"", "=", ",", ",,",
            "a=b", "a=", "=b", "/", "..", "\u00e9", "\u0000", "x".repeat(300)};

    private final long seed;
    private final int cases;

    private Fuzz(long seed, int cases) {
        this.seed = seed;
        this.cases = cases;
    }

    /** A fuzzer seeded from {@code -Dfuzz.seed} or, by default, from {@code name} (stable across runs). */
    public static Fuzz named(String name) {
        String fixed = System.getProperty("fuzz.seed");
        long seed = fixed != null ? Long.parseLong(fixed) : name.hashCode() * 0x9E3779B97F4A7C15L;
        return new Fuzz(seed, Integer.getInteger("fuzz.cases", DEFAULT_CASES));
    }

    /** The same fuzzer with another number of cases. */
    public Fuzz cases(int count) {
        return new Fuzz(seed, count);
    }

    /**
     * Checks {@code property} on the valid {@code examples} themselves and on mutations of them.
     * The property throws (an AssertionError, or the parser's own escaping exception) to fail;
     * the failure names the seed, the case number and the input.
     */
    public void strings(List<String> examples, Consumer<String> property) {
        check(examples, Fuzz::mutate, property);
    }

    /**
     * Checks {@code property} on inputs made by {@code generator} from a seeded random source, e.g.
     * an object assembled from fuzzed fields.
     */
    public <T> void generated(Function<Random, T> generator, Consumer<T> property) {
        Random random = new Random(seed);
        for (int i = 0; i < cases; i++) {
            T input = generator.apply(random);
            run(i, input, property);
        }
    }

    /** One mutation of a random example: for generators that fuzz one field of a larger object. */
    public static String mutation(Random random, List<String> examples) {
        return mutate(random, examples.get(random.nextInt(examples.size())));
    }

    private <T> void check(List<T> examples, java.util.function.BiFunction<Random, T, T> mutator, Consumer<T> property) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("need at least one example");
        }
        for (int i = 0; i < examples.size(); i++) {
            run(-1 - i, examples.get(i), property);
        }
        Random random = new Random(seed);
        for (int i = 0; i < cases; i++) {
            T input = mutator.apply(random, examples.get(random.nextInt(examples.size())));
            run(i, input, property);
        }
    }

    private <T> void run(int caseNumber, T input, Consumer<T> property) {
        try {
            property.accept(input);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("fuzz case " + caseNumber + " (seed " + seed + ", replay with -Dfuzz.seed="
                    + seed + ") failed for input " + show(input) + ": " + e, e);
        }
    }

    private static String mutate(Random random, String example) {
        StringBuilder text = new StringBuilder(example);
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int at = text.length() == 0 ? 0 : random.nextInt(text.length() + 1);
            switch (random.nextInt(8)) {
                case 0 -> text.insert(at, INTERESTING.charAt(random.nextInt(INTERESTING.length())));
                case 1 -> {
                    if (at < text.length()) {
                        text.deleteCharAt(at);
                    }
                }
                case 2 -> {
                    if (at < text.length()) {
                        text.setCharAt(at, INTERESTING.charAt(random.nextInt(INTERESTING.length())));
                    }
                }
                case 3 -> text.insert(at, TOKENS[random.nextInt(TOKENS.length)]);
                case 4 -> text.setLength(at); // cut short
                case 5 -> {
                    if (at < text.length()) {
                        text.insert(at, text.charAt(at)); // a doubled character
                    }
                }
                case 6 -> text.replace(0, text.length(), TOKENS[random.nextInt(TOKENS.length)]);
                default -> {
                    // digits blown up: a number far beyond any range
                    text.insert(at, "9".repeat(1 + random.nextInt(40)));
                }
            }
        }
        return text.toString();
    }

    private static String show(Object input) {
        String text = String.valueOf(input);
        StringBuilder shown = new StringBuilder("\"");
        for (char c : (text.length() > 400 ? text.substring(0, 400) + "..." : text).toCharArray()) {
            shown.append(c < 0x20 || c == 0x2028 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return shown.append('"').toString();
    }

    /** Several lists as one, for examples gathered from several sources. */
    @SafeVarargs
    public static List<String> examples(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> list : lists) {
            all.addAll(list);
        }
        return all;
    }
}
