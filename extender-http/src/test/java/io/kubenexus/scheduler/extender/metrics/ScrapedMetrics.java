package io.kubenexus.scheduler.extender.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Prometheus text scrape, parsed into series: {@code get("name{label=\"v\"}")} reads a sample
 * as written, labels in the order Micrometer writes them (sorted by key).
 */
final class ScrapedMetrics {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String text;
    private final Map<String, Double> samples = new LinkedHashMap<>();

    private ScrapedMetrics(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("not a sample line: " + line);
            }
            samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
        }
    }

    static ScrapedMetrics parse(String text) {
        return new ScrapedMetrics(text);
    }

    String text() {
        return text;
    }

    /** The sample's value; fails when the series is absent. */
    double get(String series) {
        Double value = samples.get(series);
        if (value == null) {
            throw new AssertionError("no series " + series + " in scrape:\n" + text);
        }
        return value;
    }

    boolean has(String series) {
        return samples.containsKey(series);
    }

    /** Every series (name plus labels), for counting. */
    Set<String> series() {
        return samples.keySet();
    }

    /** Sample names starting with {@code prefix}. */
    Set<String> names(String prefix) {
        Set<String> out = new TreeSet<>();
        for (String series : samples.keySet()) {
            String name = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
            if (name.startsWith(prefix)) {
                out.add(name);
            }
        }
        return out;
    }

    /** Label names used by any series of metric {@code name} (samples named exactly so). */
    Set<String> labelNames(String name) {
        Set<String> out = new TreeSet<>();
        forLabels(name, (key, value) -> out.add(key));
        return out;
    }

    /** Values of {@code label} across the series named exactly {@code name}. */
    Set<String> labelValues(String name, String label) {
        Set<String> out = new TreeSet<>();
        forLabels(name, (key, value) -> {
            if (key.equals(label)) {
                out.add(value);
            }
        });
        return out;
    }

    /** Every label value in the scrape, of any metric. */
    Set<String> allLabelValues() {
        Set<String> out = new TreeSet<>();
        for (String series : samples.keySet()) {
            Matcher m = LABEL.matcher(series);
            while (m.find()) {
                out.add(m.group(2));
            }
        }
        return out;
    }

    private void forLabels(String name, java.util.function.BiConsumer<String, String> action) {
        for (String series : samples.keySet()) {
            if (!series.equals(name) && !series.startsWith(name + "{")) {
                continue;
            }
            Matcher m = LABEL.matcher(series);
            while (m.find()) {
                action.accept(m.group(1), m.group(2));
            }
        }
    }
}
