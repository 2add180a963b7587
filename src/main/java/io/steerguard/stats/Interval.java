package io.steerguard.stats;

/**
 * A closed confidence interval {@code [lower, upper]}.
 */
public record Interval(double lower, double upper) {

    public Interval {
        if (Double.isNaN(lower) || Double.isNaN(upper) || lower > upper) {
            throw new IllegalArgumentException("interval needs lower <= upper, got [" + lower + ", " + upper + "]");
        }
    }

    public boolean contains(double x) {
        return lower <= x && x <= upper;
    }

    public double width() {
        return upper - lower;
    }
}
