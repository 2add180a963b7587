package io.steerguard.ops;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL for the ops tests: the metric names an expression reads, and Grafana's
 * variable substitution. Prometheus itself is the parser of record (the end-to-end test sends every
 * expression to it); this tokenizer only has to find names, so it skips what cannot be one: strings,
 * label matchers in braces, ranges in brackets, numbers, function and aggregation names, keywords,
 * and the label lists after {@code by}, {@code without}, {@code on}, {@code ignoring},
 * {@code group_left} and {@code group_right}.
 */
final class PromQl {

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan",
            "by", "without", "on", "ignoring", "group_left", "group_right", "atan2",
            // aggregation operators may be followed by "by (...)" instead of a parenthesis
            "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
            "quantile");
    private static final Set<String> LABEL_LISTS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
    /** Grafana's built-in variables, as they may appear in a Prometheus query. */
    static final Set<String> GRAFANA_BUILTINS = Set.of("__rate_interval", "__interval", "__range", "__interval_ms",
            "__range_s", "__range_ms");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?");
    private static final Pattern LABEL_VALUES = Pattern.compile(
            "^label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{[^}]*})?\\s*,\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)$");

    private PromQl() {
    }

    /** The metric names {@code expr} selects, in order of appearance. */
    static Set<String> metricNames(String expr) {
        Set<String> names = new LinkedHashSet<>();
        int i = 0;
        int n = expr.length();
        while (i < n) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(expr, i);
            } else if (c == '{') {
                i = skipTo(expr, i, '}');
            } else if (c == '[') {
                i = skipTo(expr, i, ']');
            } else if (c == '#') {
                i = skipTo(expr, i, '\n');
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(expr.charAt(i + 1)))) {
                while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.')) {
                    i++; // 0.05, 1e3, 5m
                }
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_' || expr.charAt(i) == ':')) {
                    i++;
                }
                String word = expr.substring(start, i);
                int next = skipSpace(expr, i);
                boolean call = next < n && expr.charAt(next) == '(';
                if (LABEL_LISTS.contains(word.toLowerCase()) && call) {
                    i = skipTo(expr, next, ')');
                } else if (!call && !KEYWORDS.contains(word.toLowerCase())) {
                    names.add(word);
                }
            } else {
                i++;
            }
        }
        return names;
    }

    /** Replaces {@code $name} and {@code ${name}} by the given values; fails on a variable it has no value for. */
    static String substitute(String expr, Map<String, String> values) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("no value for variable $" + m.group(1) + " in " + expr);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The variables an expression uses, without the {@code $}. */
    static Set<String> variables(String expr) {
        Set<String> vars = new LinkedHashSet<>();
        Matcher m = VARIABLE.matcher(expr);
        while (m.find()) {
            vars.add(m.group(1));
        }
        return vars;
    }

    /** Grafana's {@code label_values(metric{matchers}, label)}: the series selector and the label. */
    record LabelValues(String selector, String metric, String label) {
    }

    static LabelValues labelValues(String query) {
        Matcher m = LABEL_VALUES.matcher(query.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not label_values(metric, label): " + query);
        }
        return new LabelValues(m.group(1) + (m.group(2) == null ? "" : m.group(2)), m.group(1), m.group(3));
    }

    private static int skipString(String s, int i) {
        char quote = s.charAt(i);
        i++;
        while (i < s.length() && s.charAt(i) != quote) {
            i += s.charAt(i) == '\\' && quote != '`' ? 2 : 1;
        }
        return i + 1;
    }

    /** Skips to just after the matching {@code close}, stepping over strings (label values may hold braces). */
    private static int skipTo(String s, int i, char close) {
        i++;
        while (i < s.length() && s.charAt(i) != close) {
            char c = s.charAt(i);
            i = c == '"' || c == '\'' || c == '`' ? skipString(s, i) : i + 1;
        }
        return i + 1;
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
