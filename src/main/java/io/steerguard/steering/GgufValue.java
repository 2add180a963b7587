package io.steerguard.steering;

import java.util.List;
import java.util.Objects;

/**
 * One typed GGUF metadata value.
 *
 * <p>Java representation by type: integers as {@link Long} (uint64 values above
 * {@code Long.MAX_VALUE} wrap, as Java has no unsigned long), FLOAT32/FLOAT64 as {@link Double},
 * BOOL as {@link Boolean}, STRING as {@link String}, ARRAY as a {@link List} of the element
 * representation.
 *
 * @param type        the value's type
 * @param elementType for {@link GgufType#ARRAY}: the type of every element; {@code null} otherwise
 * @param value       the value, represented as above
 */
public record GgufValue(GgufType type, GgufType elementType, Object value) {

    public GgufValue {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        if ((type == GgufType.ARRAY) != (elementType != null)) {
            throw new IllegalArgumentException("elementType is required for arrays and only for arrays");
        }
        if (elementType == GgufType.ARRAY) {
            throw new IllegalArgumentException("nested arrays are not supported");
        }
        if (type == GgufType.ARRAY) {
            value = List.copyOf((List<?>) value);
        }
    }

    public static GgufValue string(String s) {
        return new GgufValue(GgufType.STRING, null, s);
    }

    public static GgufValue uint32(long v) {
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("uint32 value out of range: " + v);
        }
        return new GgufValue(GgufType.UINT32, null, v);
    }

    public static GgufValue int32(int v) {
        return new GgufValue(GgufType.INT32, null, (long) v);
    }

    public static GgufValue array(GgufType elementType, List<?> elements) {
        return new GgufValue(GgufType.ARRAY, elementType, elements);
    }

    /** The integer value; fails for non-integer types. */
    public long asLong() {
        if (!type.isInteger()) {
            throw new IllegalStateException("value of type " + type + " is not an integer");
        }
        return (Long) value;
    }

    /** The string value; fails for other types. */
    public String asString() {
        if (type != GgufType.STRING) {
            throw new IllegalStateException("value of type " + type + " is not a string");
        }
        return (String) value;
    }

    /** The array's elements; fails for other types. */
    public List<?> asList() {
        if (type != GgufType.ARRAY) {
            throw new IllegalStateException("value of type " + type + " is not an array");
        }
        return (List<?>) value;
    }
}
