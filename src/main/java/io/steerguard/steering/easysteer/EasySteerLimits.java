package io.steerguard.steering.easysteer;

/**
 * Bounds runtime mode puts on one request's {@code steering}, so a client cannot ask for arbitrary
 * compute or memory: a larger request is a 400 naming the field.
 *
 * @param maxScale   the largest {@code |scale|} accepted
 * @param maxVectors the most vectors in one request
 * @param maxLayers  the most (vector, layer) pairs in one request, counted after layers a file decides
 */
public record EasySteerLimits(double maxScale, int maxVectors, int maxLayers) {

    public EasySteerLimits {
        if (!(maxScale > 0) || Double.isInfinite(maxScale)) {
            throw new IllegalArgumentException("maxScale must be a positive finite number");
        }
        if (maxVectors < 1 || maxLayers < 1) {
            throw new IllegalArgumentException("maxVectors and maxLayers must be at least 1");
        }
    }

    /** Generous limits for tests and tools that need none. */
    public static EasySteerLimits lenient() {
        return new EasySteerLimits(1e6, 1024, 1 << 16);
    }
}
