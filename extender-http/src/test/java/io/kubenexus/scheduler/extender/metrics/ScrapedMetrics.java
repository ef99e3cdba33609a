package io.kubenexus.scheduler.extender.metrics;

import java.util.LinkedHashMap;
import java.util.List;
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

    private static final Pattern TYPE = Pattern.compile("^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (\\S+)$");
    /** Sample-name suffixes a family's samples may carry, longest first. */
    private static final List<String> SAMPLE_SUFFIXES = List.of("_bucket", "_count", "_sum", "_created", "_total");

    private final String text;
    private final Map<String, Double> samples = new LinkedHashMap<>();
    private final Map<String, String> types = new LinkedHashMap<>();

    private ScrapedMetrics(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            Matcher type = TYPE.matcher(line.strip());
            if (type.matches()) {
                types.put(type.group(1), type.group(2));
            }
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

    /** Metric family names as the {@code # TYPE} lines give them, to their type. */
    Map<String, String> types() {
        return types;
    }

    /** The type of the family a sample name belongs to ({@code x_bucket} to {@code x}'s), or null. */
    String typeOfSample(String sampleName) {
        return types.get(familyOf(sampleName));
    }

    /** The family a sample name belongs to, as the {@code # TYPE} lines name it, or null if none does. */
    String familyOf(String sampleName) {
        if (types.containsKey(sampleName)) {
            return sampleName;
        }
        for (String suffix : SAMPLE_SUFFIXES) {
            if (sampleName.endsWith(suffix)) {
                String family = sampleName.substring(0, sampleName.length() - suffix.length());
                if (types.containsKey(family)) {
                    return family;
                }
            }
        }
        return null;
    }

    /** Label names used by any sample of family {@code family} (bucket samples' {@code le} included). */
    Set<String> familyLabelNames(String family) {
        Set<String> out = new TreeSet<>();
        for (String series : samples.keySet()) {
            String name = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
            if (family.equals(familyOf(name))) {
                Matcher m = LABEL.matcher(series);
                while (m.find()) {
                    out.add(m.group(1));
                }
            }
        }
        return out;
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
