package io.steerguard.runtime.embedded;

import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Resolves the Python {@code str} methods that Hugging Face chat templates call
 * ({@code strip}, {@code startswith}, {@code upper}, ...) on Java strings, which Jinjava would
 * otherwise look up as Java methods and fail on. Anything else is left unresolved so the next
 * resolver in the chain handles it.
 */
final class PythonStringMethods extends ELResolver {

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (!(base instanceof String s) || method == null) {
            return null;
        }
        Object[] args = params == null ? new Object[0] : params;
        Object result = apply(s, method.toString(), args);
        if (result != NOT_HANDLED) {
            context.setPropertyResolved(true);
            return result;
        }
        return null;
    }

    private static final Object NOT_HANDLED = new Object();

    private static Object apply(String s, String method, Object[] args) {
        return switch (method) {
            case "strip" -> args.length == 0 ? s.strip() : stripChars(s, chars(args), true, true);
            case "lstrip" -> args.length == 0 ? s.stripLeading() : stripChars(s, chars(args), true, false);
            case "rstrip" -> args.length == 0 ? s.stripTrailing() : stripChars(s, chars(args), false, true);
            case "startswith" -> anyAffix(s, args, true);
            case "endswith" -> anyAffix(s, args, false);
            case "upper" -> s.toUpperCase(Locale.ROOT);
            case "lower" -> s.toLowerCase(Locale.ROOT);
            case "capitalize" -> s.isEmpty() ? s
                    : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
            case "title" -> title(s);
            case "split" -> split(s, args);
            default -> NOT_HANDLED;
        };
    }

    private static String chars(Object[] args) {
        return args[0] == null ? null : args[0].toString();
    }

    private static String stripChars(String s, String chars, boolean leading, boolean trailing) {
        if (chars == null) {
            return leading && trailing ? s.strip() : leading ? s.stripLeading() : s.stripTrailing();
        }
        int start = 0;
        int end = s.length();
        while (leading && start < end && chars.indexOf(s.charAt(start)) >= 0) {
            start++;
        }
        while (trailing && end > start && chars.indexOf(s.charAt(end - 1)) >= 0) {
            end--;
        }
        return s.substring(start, end);
    }

    /** Python accepts a single affix or a tuple of them; Jinja tuples and lists arrive as collections. */
    private static boolean anyAffix(String s, Object[] args, boolean prefix) {
        if (args.length == 0 || args[0] == null) {
            return false;
        }
        Collection<?> affixes = args[0] instanceof Collection<?> c ? c : List.of(args[0]);
        for (Object affix : affixes) {
            String a = String.valueOf(affix);
            if (prefix ? s.startsWith(a) : s.endsWith(a)) {
                return true;
            }
        }
        return false;
    }

    private static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean previousCased = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(previousCased ? Character.toLowerCase(c) : Character.toUpperCase(c));
            previousCased = Character.isLetter(c);
        }
        return out.toString();
    }

    /** {@code split()} splits on runs of whitespace; {@code split(sep)} on a literal separator. */
    private static List<String> split(String s, Object[] args) {
        List<String> parts = new ArrayList<>();
        if (args.length == 0 || args[0] == null) {
            for (String part : s.strip().split("\\s+")) {
                if (!part.isEmpty()) {
                    parts.add(part);
                }
            }
            return parts;
        }
        String sep = args[0].toString();
        if (sep.isEmpty()) {
            throw new IllegalArgumentException("empty separator");
        }
        int from = 0;
        int at;
        while ((at = s.indexOf(sep, from)) >= 0) {
            parts.add(s.substring(from, at));
            from = at + sep.length();
        }
        parts.add(s.substring(from));
        return parts;
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        // never resolves properties; the next resolver decides
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
