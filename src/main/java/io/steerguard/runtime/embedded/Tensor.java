package io.steerguard.runtime.embedded;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense row-major tensor held as F32 values, with the element type it has (or gets) on disk.
 *
 * @param type   storage type in a safetensors file; values are rounded to it when written
 * @param shape  dimensions, outermost first; may be empty for a scalar
 * @param values {@code product(shape)} elements in row-major order
 */
public record Tensor(TensorType type, long[] shape, float[] values) {

    public Tensor {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(values, "values");
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape must not have negative dimensions: " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n
                    + " values but got " + values.length);
        }
        shape = shape.clone();
    }

    /** An F32 tensor. */
    public static Tensor f32(float[] values, long... shape) {
        return new Tensor(TensorType.F32, shape, values);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public int size() {
        return values.length;
    }

    /** The same values stored as another type. */
    public Tensor as(TensorType newType) {
        return new Tensor(newType, shape, values);
    }
}
