package io.steerguard.steering;

/**
 * The few vector operations steering needs, accumulated in double so that 4096-wide float vectors
 * keep their precision. Lengths must agree; callers validate shapes first.
 */
public final class VectorMath {

    private VectorMath() {
    }

    /** {@code <a, b>}. */
    public static double dot(float[] a, float[] b) {
        requireSameLength(a, b);
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** {@code |v|}, the Euclidean norm. */
    public static double norm(float[] v) {
        return Math.sqrt(dot(v, v));
    }

    /** {@code <a, b> / (|a| |b|)}; fails for a zero vector, whose direction is undefined. */
    public static double cosine(float[] a, float[] b) {
        double na = norm(a);
        double nb = norm(b);
        if (na == 0 || nb == 0) {
            throw new IllegalArgumentException("cosine is undefined for a zero vector");
        }
        return Math.max(-1, Math.min(1, dot(a, b) / (na * nb)));
    }

    /** {@code v / |v|}; fails for a zero vector. */
    public static float[] unit(float[] v) {
        double n = norm(v);
        if (n == 0) {
            throw new IllegalArgumentException("a zero vector has no direction");
        }
        float[] u = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            u[i] = (float) (v[i] / n);
        }
        return u;
    }

    /** {@code a - b}. */
    public static float[] subtract(float[] a, float[] b) {
        requireSameLength(a, b);
        float[] d = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    static void requireSameLength(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors differ in length: " + a.length + " vs " + b.length);
        }
    }
}
