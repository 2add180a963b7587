package io.steerguard.runtime.embedded;

/**
 * Applies jinja2's whitespace rules to a template's source before Jinjava parses it, with the
 * settings Hugging Face uses ({@code trim_blocks=True, lstrip_blocks=True}). Jinjava gets these
 * wrong in ways chat templates notice: it ignores the dash on expressions ({@code {{- x -}}}) and
 * its {@code lstrip_blocks} also strips spaces before a tag in the middle of a line. So the source
 * is rewritten with the whitespace already removed and no dashes left, and Jinjava runs with both
 * options off.
 *
 * <ul>
 *   <li>{@code -} next to a delimiter strips all whitespace, newlines included, on that side.</li>
 *   <li>lstrip_blocks: spaces and tabs between the start of a line and a statement or comment
 *       tag are removed, unless the tag opens with {@code +}.</li>
 *   <li>trim_blocks: the first newline after a statement or comment tag is removed, unless the
 *       tag closes with {@code +}.</li>
 * </ul>
 * Quoted strings inside delimiters and the body of {@code {% raw %}} blocks are copied untouched.
 */
final class JinjaWhitespace {

    private JinjaWhitespace() {
    }

    /** What the text after a delimiter loses at its start. */
    private enum Pending { NOTHING, ONE_NEWLINE, ALL_WHITESPACE }

    static String apply(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int n = source.length();
        int i = 0;
        Pending pending = Pending.NOTHING;
        while (i < n) {
            int open = nextOpening(source, i);
            if (open < 0) {
                appendText(out, source.substring(i), pending);
                break;
            }
            char kind = source.charAt(open + 1);
            boolean statementLike = kind == '%' || kind == '#';
            int close = closing(source, open + 2, kind);
            if (close < 0) {
                // Unterminated delimiter: keep the rest as is and let the parser report it.
                appendText(out, source.substring(i), pending);
                break;
            }
            char left = modifier(source.charAt(open + 2), statementLike);
            char right = close - 1 > open + 2 ? modifier(source.charAt(close - 1), statementLike) : 0;
            int textEnd = statementLike && left == 0 ? indentStart(source, i, open) : open;
            appendText(out, source.substring(i, textEnd), pending);
            if (left == '-') {
                trimTrailingWhitespace(out);
            }
            int innerStart = open + 2 + (left != 0 ? 1 : 0);
            int innerEnd = Math.max(innerStart, close - (right != 0 ? 1 : 0));
            String inner = source.substring(innerStart, innerEnd);
            out.append('{').append(kind).append(inner).append(kind == '{' ? '}' : kind).append('}');
            pending = right == '-' ? Pending.ALL_WHITESPACE
                    : statementLike && right != '+' ? Pending.ONE_NEWLINE : Pending.NOTHING;
            i = close + 2;
            if (kind == '%' && inner.strip().equals("raw")) {
                int endRaw = startOfEndRaw(source, i);
                appendText(out, source.substring(i, endRaw), pending);
                pending = Pending.NOTHING;
                i = endRaw;
            }
        }
        return out.toString();
    }

    private static char modifier(char c, boolean statementLike) {
        return c == '-' || (statementLike && c == '+') ? c : 0;
    }

    private static int nextOpening(String s, int from) {
        for (int i = s.indexOf('{', from); i >= 0 && i + 1 < s.length(); i = s.indexOf('{', i + 1)) {
            char c = s.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') {
                return i;
            }
        }
        return -1;
    }

    /** Index of the closing delimiter's first character, skipping quoted strings in code. */
    private static int closing(String s, int from, char kind) {
        char closeChar = kind == '{' ? '}' : kind;
        char quote = 0;
        for (int i = from; i + 1 < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (kind != '#' && (c == '\'' || c == '"')) {
                quote = c;
            } else if (c == closeChar && s.charAt(i + 1) == '}') {
                return i;
            }
        }
        return -1;
    }

    /** Where the {@code endraw} tag starts, or the end of the source. */
    private static int startOfEndRaw(String s, int from) {
        for (int i = s.indexOf("{%", from); i >= 0; i = s.indexOf("{%", i + 2)) {
            int close = s.indexOf("%}", i + 2);
            if (close < 0) {
                break;
            }
            String body = s.substring(i + 2, close).replace("-", "").replace("+", "").strip();
            if (body.equals("endraw")) {
                return i;
            }
        }
        return s.length();
    }

    private static void appendText(StringBuilder out, String text, Pending pending) {
        switch (pending) {
            case ALL_WHITESPACE -> out.append(text.stripLeading());
            case ONE_NEWLINE -> out.append(text.startsWith("\r\n") ? text.substring(2)
                    : text.startsWith("\n") || text.startsWith("\r") ? text.substring(1) : text);
            case NOTHING -> out.append(text);
        }
    }

    private static void trimTrailingWhitespace(StringBuilder out) {
        int end = out.length();
        while (end > 0 && Character.isWhitespace(out.charAt(end - 1))) {
            end--;
        }
        out.setLength(end);
    }

    /**
     * lstrip_blocks: where the spaces and tabs before a tag begin, when only they stand between
     * the start of the tag's line in the source and the tag; otherwise the tag's position.
     */
    private static int indentStart(String source, int textStart, int tag) {
        int start = tag;
        while (start > textStart && (source.charAt(start - 1) == ' ' || source.charAt(start - 1) == '\t')) {
            start--;
        }
        boolean lineStart = start == 0 || source.charAt(start - 1) == '\n' || source.charAt(start - 1) == '\r';
        return lineStart ? start : tag;
    }
}
