package io.steerguard.runtime.embedded;

/**
 * Conversions between F32 and the two 16-bit float formats in safetensors files. Java 17 has no
 * {@code Float.float16ToFloat}, so the bit layouts are handled here:
 * <ul>
 *   <li>F32: sign(1) exponent(8, bias 127) mantissa(23);</li>
 *   <li>F16 (IEEE binary16): sign(1) exponent(5, bias 15) mantissa(10); exponent 0 encodes zero
 *       and subnormals {@code mantissa * 2^-24}, exponent 31 infinity and NaN;</li>
 *   <li>BF16: the upper 16 bits of an F32 (same exponent, mantissa cut to 7 bits).</li>
 * </ul>
 * Narrowing rounds to nearest, ties to even, like PyTorch's {@code .half()} and {@code .bfloat16()}.
 */
public final class HalfFloats {

    private HalfFloats() {
    }

    public static float f16ToFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        if (exp == 0) {
            // zero or subnormal: mant * 2^-24, exact in F32
            float magnitude = mant * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        if (exp == 0x1F) {
            // infinity (mant == 0) or NaN; keep the payload's top bits
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        // normal: re-bias the exponent from 15 to 127 and widen the mantissa from 10 to 23 bits
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    public static short floatToF16(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xFF;
        int mant = bits & 0x7FFFFF;
        if (exp == 0xFF) {
            return (short) (sign | 0x7C00 | (mant != 0 ? 0x200 : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1F) {
            return (short) (sign | 0x7C00); // too large: infinity
        }
        if (e <= 0) {
            // result is subnormal (or zero): shift the mantissa with its implicit leading 1
            if (e < -10) {
                return (short) sign;
            }
            int full = mant | 0x800000;
            int shift = 14 - e;
            return (short) (sign | roundShift(full, shift));
        }
        // normal: drop 13 mantissa bits with round-to-nearest-even; a carry may bump the exponent
        // (up to infinity), which is the correct rounding
        return (short) (sign | ((e << 10) + roundShift(mant, 13)));
    }

    public static float bf16ToFloat(short bf16) {
        return Float.intBitsToFloat((bf16 & 0xFFFF) << 16);
    }

    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40); // keep it a (quiet) NaN after truncation
        }
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }

    /** {@code value >> shift} rounded to nearest, ties to even. */
    private static int roundShift(int value, int shift) {
        int kept = value >>> shift;
        int rest = value & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        if (rest > half || (rest == half && (kept & 1) != 0)) {
            kept++;
        }
        return kept;
    }
}
