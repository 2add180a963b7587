package io.steerguard.training.evaluation;

import java.util.Locale;

import io.steerguard.stats.Estimate;

/** Number formats of the report: rates with three decimals, their 95% interval and counts. */
final class Fmt {

    static final double CONFIDENCE = 0.95;

    private Fmt() {
    }

    /** {@code 0.917 [0.862, 0.951] (110/120)}, or {@code – (0/0)} with no data. */
    static String rate(Count c) {
        Estimate e = c.estimate(CONFIDENCE);
        if (!e.hasData()) {
            return "– (0/0)";
        }
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f] (%d/%d)", e.value(), e.interval().lower(),
                e.interval().upper(), c.k(), c.n());
    }

    /** An estimate without counts (margins, differences): {@code +0.012 [-0.020, +0.044]}. */
    static String signed(Estimate e) {
        if (!e.hasData()) {
            return "–";
        }
        return String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f]", e.value(), e.interval().lower(), e.interval().upper());
    }

    /** An estimate without counts: {@code 0.012 [0.002, 0.044]}. */
    static String plain(Estimate e) {
        if (!e.hasData()) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", e.value(), e.interval().lower(), e.interval().upper());
    }

    static String num(double x) {
        return String.format(Locale.ROOT, "%.3f", x);
    }

    /** A coefficient as written on the command line: 0, 0.5, 8. */
    static String coefficient(double c) {
        return c == Math.rint(c) ? String.valueOf((long) c) : String.valueOf(c);
    }

    /** Text for a markdown table cell or quote: one line, pipes escaped, long answers cut. */
    static String cell(String text, int max) {
        if (text == null) {
            return "(not run: longer than the context)";
        }
        String t = text.replace("\r", " ").replace("\n", " ⏎ ").replaceAll("\\p{Cc}", " ").replace("|", "\\|")
                .replace("`", "'").strip();
        return t.length() > max ? t.substring(0, max) + " …" : t;
    }
}
