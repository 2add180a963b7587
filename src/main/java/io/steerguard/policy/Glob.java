package io.steerguard.policy;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A name pattern: {@code *} matches any run of characters (also none), {@code ?} exactly one;
 * everything else matches itself. {@code json-*} matches {@code json-format}, {@code *} anything.
 */
public record Glob(String pattern, Pattern regex) {

    public Glob {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(regex, "regex");
    }

    public static Glob of(String pattern) {
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                re.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            re.append(Pattern.quote(literal.toString()));
        }
        return new Glob(pattern, Pattern.compile(re.toString(), Pattern.DOTALL));
    }

    /** Whether the pattern is a plain name (no wildcard). */
    public boolean isLiteral() {
        return pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0;
    }

    public boolean matches(String name) {
        return regex.matcher(name).matches();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
