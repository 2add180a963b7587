package io.steerguard.api.responses;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Typed reads of request fields with OpenAI's wording ("Invalid type for 'x': expected ..."), each
 * failure naming the parameter by its path in the body.
 */
final class Json {

    private Json() {
    }

    /** A validation failure; converted to an OpenAI 400 at the parser's boundary. */
    static final class Invalid extends RuntimeException {
        private final String param;

        Invalid(String message, String param) {
            super(message, null, false, false);
            this.param = param;
        }

        String param() {
            return param;
        }
    }

    static boolean present(JsonNode node) {
        return node != null && !node.isNull();
    }

    static String string(JsonNode v, String path) {
        if (!v.isTextual()) {
            throw wrongType(path, "a string", v);
        }
        return v.asText();
    }

    static double number(JsonNode v, String path, double min, double max) {
        if (!v.isNumber()) {
            throw wrongType(path, "a number", v);
        }
        double d = v.asDouble();
        if (!(d >= min && d <= max)) {
            throw new Invalid("Invalid '" + path + "': " + v + " is not within [" + fmt(min) + ", " + fmt(max) + "].",
                    path);
        }
        return d;
    }

    static int integer(JsonNode v, String path, int min, int max) {
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw wrongType(path, "an integer", v);
        }
        int i = v.asInt();
        if (i < min || i > max) {
            throw new Invalid("Invalid '" + path + "': " + i + " is not within [" + min + ", " + max + "].", path);
        }
        return i;
    }

    static boolean bool(JsonNode v, String path) {
        if (!v.isBoolean()) {
            throw wrongType(path, "a boolean", v);
        }
        return v.asBoolean();
    }

    static Invalid wrongType(String path, String expected, JsonNode got) {
        return new Invalid("Invalid type for '" + path + "': expected " + expected + ", but got " + typeName(got)
                + " instead.", path);
    }

    static String typeName(JsonNode v) {
        return io.steerguard.api.RequestParser.typeName(v);
    }

    private static String fmt(double d) {
        return io.steerguard.api.RequestParser.fmt(d);
    }
}
