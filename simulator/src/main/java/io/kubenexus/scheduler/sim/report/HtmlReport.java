package io.kubenexus.scheduler.sim.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The report as one self-contained HTML file (inline SVG and CSS, no script, nothing fetched):
 * unallocated GPUs per policy as bars, GPU allocation as the replay went on as lines (one per
 * policy), each policy's allocation per resource, the figures in a table, failed tasks by reason;
 * the what-if beside its base.
 */
public final class HtmlReport {
    private static final String[] COLOURS = {"#1b6ac9", "#d1495b", "#2e933c", "#edae49", "#7b2cbf", "#00798c",
        "#6c757d", "#e07a5f"};
    private static final int WIDTH = 640;
    private static final int HEIGHT = 300;
    private static final int LEFT = 56;
    private static final int RIGHT = 16;
    private static final int TOP = 28;
    private static final int BOTTOM = 44;
    /** The bar chart's names slant below it. */
    private static final int BAR_BOTTOM = 70;

    private HtmlReport() {
    }

    public static String render(SimulationReport report) {
        boolean inflate = "inflate".equals(report.mode());
        StringBuilder out = new StringBuilder(64 * 1024);
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>kubenexus-scheduler simulate: ").append(esc(report.workload())).append("</title>")
                .append("<style>body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1340px;color:#222}")
                .append("h1{font-size:20px}h2{font-size:16px;margin-top:28px}table{border-collapse:collapse;margin:8px 0}")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}")
                .append("td:first-child,th:first-child{text-align:left}.charts{display:flex;flex-wrap:wrap;gap:16px}")
                .append(".note{color:#555;font-size:13px}svg text{font:12px system-ui,sans-serif}</style></head><body>\n");
        out.append("<h1>Simulation: ").append(esc(report.mode())).append(" replay</h1>\n<p class=\"note\">")
                .append("Cluster <b>").append(esc(report.cluster())).append("</b>: ")
                .append(fmt("%,d nodes, %,d GPUs", report.clusterNodes(), report.clusterGpus()))
                .append(". Workload <b>").append(esc(report.workload())).append("</b>: ")
                .append(fmt("%,d tasks, of which %,d share a GPU and were rounded up to one whole GPU; %,d arrivals",
                        report.workloadTasks(), report.sharedGpuTasks(), report.arrivals()));
        if (inflate) {
            out.append(fmt(" (tasks drawn with seed %d until arrived GPU demand reached %.0f%% of the cluster's GPUs; "
                    + "nothing departs)", report.seed(), 100 * report.load()));
        }
        out.append(fmt(". Wall time %.2f s on %s.</p>\n", report.wallSeconds(), report.machine()));

        out.append("<h2>Unallocated GPUs").append(inflate ? " at 100% arrived demand" : "").append("</h2>\n<div class=\"charts\">");
        Map<String, Double> bars = new LinkedHashMap<>();
        report.policies().forEach((name, r) -> bars.put(name, r.unallocatedGpuShare()));
        if (report.whatIf() != null) {
            report.whatIfPolicies().forEach((name, r) -> bars.put(name + " (what-if)", r.unallocatedGpuShare()));
        }
        out.append(barChart("Unallocated GPU share (lower is better)", bars));
        // Inflate: every policy allocates nearly all that arrives, so the lines would lie on top of each
        // other; what tells them apart is the arrived demand that found no room.
        Map<String, List<double[]>> gpuLines = new LinkedHashMap<>();
        report.policies().forEach((name, r) -> gpuLines.put(name, inflate ? unplaced(r) : points(r, 0)));
        if (report.whatIf() != null) {
            report.whatIfPolicies().forEach((name, r) -> gpuLines.put(name + " (what-if)",
                    inflate ? unplaced(r) : points(r, 0)));
        }
        out.append(inflate
                ? lineChart("GPU demand that found no room (share of the cluster's GPUs)",
                        "arrived GPU demand / cluster GPUs", gpuLines, true, maxY(gpuLines))
                : lineChart("GPU allocation", "seconds from the start", gpuLines, false, 1));
        out.append("</div>\n");

        out.append("<h2>Figures</h2>\n");
        table(out, report.policies(), inflate);
        if (report.whatIf() != null) {
            out.append("<h2>What-if: ").append(esc(report.whatIf())).append("</h2>\n<p class=\"note\">")
                    .append(fmt("%,d nodes, %,d GPUs (base: %,d nodes, %,d GPUs); the same arrivals.",
                            report.whatIfNodes(), report.whatIfGpus(), report.clusterNodes(), report.clusterGpus()))
                    .append("</p>\n");
            table(out, report.whatIfPolicies(), inflate);
        }

        out.append("<h2>Allocation per resource</h2>\n<div class=\"charts\">");
        Map<String, PolicyResult> all = new LinkedHashMap<>(report.policies());
        report.whatIfPolicies().forEach((name, r) -> all.put(name + " (what-if)", r));
        all.forEach((name, r) -> {
            Map<String, List<double[]>> lines = new LinkedHashMap<>();
            lines.put("GPU", points(r, 0));
            lines.put("CPU", points(r, 1));
            lines.put("memory", points(r, 2));
            out.append(lineChart(name, inflate ? "arrived GPU demand / cluster GPUs" : "seconds from the start", lines,
                    inflate, 1));
        });
        out.append("</div>\n");

        out.append("<h2>Failed tasks by reason</h2>\n");
        reasons(out, all);
        out.append("<p class=\"note\">Replayed in virtual time through kubenexus-scheduler's own scheduling loop, "
                + "plugins, gang planner and NUMA model (docs/simulation.md). Baselines use the same loop with only "
                + "the scoring changed.</p>\n</body></html>\n");
        return out.toString();
    }

    private static void table(StringBuilder out, Map<String, PolicyResult> policies, boolean inflate) {
        out.append("<table><tr><th>policy</th><th>unallocated GPUs</th><th>unallocated share</th><th>tasks</th>")
                .append("<th>failed tasks</th><th>first failure ").append(inflate ? "(demand)" : "(s)")
                .append("</th><th>GPUs free at first failure</th><th>gangs (complete / partial)</th>")
                .append("<th>mean gang wait (s)</th><th>NUMA pods aligned / bound</th><th>decisions</th>")
                .append("<th>decisions/s</th><th>wall (s)</th></tr>\n");
        for (PolicyResult r : policies.values()) {
            String first = r.firstFailureAtDemand() == null ? "none" : inflate
                    ? fmt("%.2f%%", 100 * r.firstFailureAtDemand()) : fmt("%.0f", r.firstFailureAtDemand());
            out.append("<tr><td>").append(esc(r.policy())).append("</td><td>").append(r.unallocatedGpus())
                    .append("</td><td>").append(fmt("%.2f%%", 100 * r.unallocatedGpuShare())).append("</td><td>")
                    .append(r.tasks()).append("</td><td>").append(r.failedTasks()).append("</td><td>").append(first)
                    .append("</td><td>").append(r.unallocatedGpusAtFirstFailure() == null ? "-" : r.unallocatedGpusAtFirstFailure())
                    .append("</td><td>").append(r.gangs().gangs() == 0 ? "-" : r.gangs().complete() + " / " + r.gangs().partial())
                    .append("</td><td>").append(r.gangs().placedWaits() == 0 ? "-" : fmt("%.1f", r.gangs().meanWaitSeconds()))
                    .append("</td><td>").append(r.numa().pods() == 0 ? "-" : r.numa().aligned() + " / " + r.numa().bound())
                    .append("</td><td>").append(r.decisions()).append("</td><td>")
                    .append(fmt("%,.0f", r.decisionsPerSecond())).append("</td><td>")
                    .append(fmt("%.2f", r.wallSeconds())).append("</td></tr>\n");
        }
        out.append("</table>\n");
    }

    private static void reasons(StringBuilder out, Map<String, PolicyResult> policies) {
        TreeSet<String> all = new TreeSet<>();
        policies.values().forEach(r -> all.addAll(r.failedByReason().keySet()));
        if (all.isEmpty()) {
            out.append("<p>No task failed.</p>\n");
            return;
        }
        out.append("<table><tr><th>reason</th>");
        policies.keySet().forEach(name -> out.append("<th>").append(esc(name)).append("</th>"));
        out.append("</tr>\n");
        for (String reason : all) {
            out.append("<tr><td>").append(esc(reason)).append("</td>");
            policies.values().forEach(r -> out.append("<td>").append(r.failedByReason().getOrDefault(reason, 0))
                    .append("</td>"));
            out.append("</tr>\n");
        }
        out.append("</table>\n");
    }

    private static List<double[]> points(PolicyResult r, int resource) {
        List<double[]> out = new ArrayList<>();
        for (PolicyResult.Sample s : r.samples()) {
            out.add(new double[] {s.x(), resource == 0 ? s.gpu() : resource == 1 ? s.cpu() : s.memory()});
        }
        return out;
    }

    static String barChart(String title, Map<String, Double> values) {
        double max = 0;
        for (double v : values.values()) {
            max = Math.max(max, v);
        }
        max = niceMax(max);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BAR_BOTTOM;
        StringBuilder svg = svgStart(title);
        axisY(svg, max, plotH, true);
        int n = values.size();
        double slot = (double) plotW / Math.max(1, n);
        int i = 0;
        for (Map.Entry<String, Double> bar : values.entrySet()) {
            double h = max == 0 ? 0 : plotH * bar.getValue() / max;
            double x = LEFT + i * slot + slot * 0.15;
            double y = TOP + plotH - h;
            svg.append(fmt("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s: %.2f%%</title></rect>",
                    x, y, slot * 0.7, h, COLOURS[i % COLOURS.length], esc(bar.getKey()), 100 * bar.getValue()));
            svg.append(fmt("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%.2f%%</text>", x + slot * 0.35, y - 4,
                    100 * bar.getValue()));
            // Names slant so that long ones ("LeastAllocated (what-if)") do not run into each other.
            svg.append(fmt("<text transform=\"translate(%.1f,%d) rotate(-20)\" text-anchor=\"end\">%s</text>",
                    x + slot * 0.5, TOP + plotH + 14, esc(bar.getKey())));
            i++;
        }
        return svg.append("</svg>").toString();
    }

    /** Arrived demand minus allocation, both as shares of the cluster's GPUs: demand that fit nowhere. */
    private static List<double[]> unplaced(PolicyResult r) {
        List<double[]> out = new ArrayList<>();
        for (PolicyResult.Sample s : r.samples()) {
            out.add(new double[] {s.x(), Math.max(0, s.x() - s.gpu())});
        }
        return out;
    }

    private static double maxY(Map<String, List<double[]>> series) {
        double max = 0;
        for (List<double[]> points : series.values()) {
            for (double[] p : points) {
                max = Math.max(max, p[1]);
            }
        }
        return niceMax(max);
    }

    static String lineChart(String title, String xLabel, Map<String, List<double[]>> series, boolean shareX, double yMax) {
        double xMax = 0;
        for (List<double[]> points : series.values()) {
            for (double[] p : points) {
                xMax = Math.max(xMax, p[0]);
            }
        }
        xMax = shareX ? Math.max(1, niceMax(xMax)) : niceMax(xMax);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = svgStart(title);
        axisY(svg, yMax, plotH, true);
        for (int t = 0; t <= 4; t++) {
            double value = xMax * t / 4;
            double x = LEFT + plotW * t / 4.0;
            svg.append(fmt("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", x, TOP + plotH + 16,
                    shareX ? fmt("%.0f%%", 100 * value) : fmt("%,.0f", value)));
        }
        svg.append(fmt("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>", LEFT + plotW / 2, HEIGHT - 6,
                esc(xLabel)));
        int i = 0;
        for (Map.Entry<String, List<double[]>> line : series.entrySet()) {
            StringBuilder path = new StringBuilder();
            for (double[] p : line.getValue()) {
                double x = LEFT + (xMax == 0 ? 0 : plotW * p[0] / xMax);
                double y = TOP + plotH - plotH * Math.min(1, p[1] / yMax);
                path.append(path.length() == 0 ? "" : " ").append(fmt("%.1f,%.1f", x, y));
            }
            String colour = COLOURS[i % COLOURS.length];
            svg.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(colour).append("\" points=\"")
                    .append(path).append("\"><title>").append(esc(line.getKey())).append("</title></polyline>");
            svg.append(fmt("<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>", LEFT + 8,
                    TOP + 6 + 16 * i, colour));
            svg.append(fmt("<text x=\"%d\" y=\"%d\">%s</text>", LEFT + 22, TOP + 15 + 16 * i, esc(line.getKey())));
            i++;
        }
        return svg.append("</svg>").toString();
    }

    private static StringBuilder svgStart(String title) {
        StringBuilder svg = new StringBuilder();
        svg.append(fmt("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "role=\"img\"><title>%s</title>", WIDTH, HEIGHT, WIDTH, HEIGHT, esc(title)));
        svg.append(fmt("<text x=\"%d\" y=\"16\" font-weight=\"bold\">%s</text>", LEFT, esc(title)));
        return svg;
    }

    private static void axisY(StringBuilder svg, double max, int plotH, boolean percent) {
        int plotW = WIDTH - LEFT - RIGHT;
        for (int t = 0; t <= 4; t++) {
            double value = max * t / 4;
            double y = TOP + plotH - plotH * t / 4.0;
            svg.append(fmt("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>", LEFT, y, LEFT + plotW, y));
            svg.append(fmt("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", LEFT - 6, y + 4,
                    percent ? fmt("%.1f%%", 100 * value) : fmt("%.0f", value)));
        }
    }

    private static double niceMax(double max) {
        if (max <= 0) {
            return 0.01;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(max)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= max) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    static String esc(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
