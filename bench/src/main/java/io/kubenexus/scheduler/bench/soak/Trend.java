package io.kubenexus.scheduler.bench.soak;

import java.util.List;

/**
 * How a sampled quantity moves over a run: the least-squares slope over the second half (the first
 * half is warm-up: caches fill, the population of running pods builds up) and whether it keeps
 * growing. A quantity is bounded when the mean of the last quarter of the samples exceeds the mean
 * of the second quarter by at most {@value #ALLOWED_GROWTH} of it plus {@value #ALLOWED_SLACK}: a
 * population that has reached its steady state wobbles around it, one that leaks keeps climbing.
 *
 * @param slopePerMinute least-squares slope over the second half, units per minute (0 with fewer than 2 samples)
 * @param secondQuarterMean mean of the samples in the second quarter of the run
 * @param lastQuarterMean   mean of the samples in the last quarter
 * @param max               the largest sample
 * @param last              the last sample
 */
public record Trend(double slopePerMinute, double secondQuarterMean, double lastQuarterMean, double max, double last) {
    static final double ALLOWED_GROWTH = 0.2;
    static final double ALLOWED_SLACK = 50;

    /** A sample: seconds since the start, value. */
    public record Point(double seconds, double value) {
    }

    public static Trend of(List<Point> points) {
        if (points.isEmpty()) {
            return new Trend(0, 0, 0, 0, 0);
        }
        double end = points.get(points.size() - 1).seconds();
        double max = Double.NEGATIVE_INFINITY;
        for (Point p : points) {
            max = Math.max(max, p.value());
        }
        List<Point> secondHalf = points.stream().filter(p -> p.seconds() >= end / 2).toList();
        return new Trend(slopePerMinute(secondHalf), mean(points, end / 4, end / 2), mean(points, 3 * end / 4, end + 1),
                max, points.get(points.size() - 1).value());
    }

    /** Least-squares slope of value over time, per minute. */
    public static double slopePerMinute(List<Point> points) {
        int n = points.size();
        if (n < 2) {
            return 0;
        }
        double meanT = 0;
        double meanV = 0;
        for (Point p : points) {
            meanT += p.seconds() / 60;
            meanV += p.value();
        }
        meanT /= n;
        meanV /= n;
        double covariance = 0;
        double variance = 0;
        for (Point p : points) {
            double dt = p.seconds() / 60 - meanT;
            covariance += dt * (p.value() - meanV);
            variance += dt * dt;
        }
        return variance == 0 ? 0 : covariance / variance;
    }

    /** Whether it stopped growing (see the class comment). */
    public boolean bounded() {
        return bounded(ALLOWED_SLACK);
    }

    /** The same with another absolute slack, for quantities that wander by more (a queue of events). */
    public boolean bounded(double slack) {
        return lastQuarterMean <= secondQuarterMean * (1 + ALLOWED_GROWTH) + slack;
    }

    private static double mean(List<Point> points, double from, double to) {
        double sum = 0;
        int n = 0;
        for (Point p : points) {
            if (p.seconds() >= from && p.seconds() < to) {
                sum += p.value();
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }
}
