package io.steerguard.shadow;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Random;

/**
 * Decides which steered requests are mirrored: an independent Bernoulli draw per request from a
 * source the client can neither see nor steer.
 *
 * <p><b>Why a CSPRNG and not the request id.</b> A hash of anything the client sends (its
 * {@code X-Request-Id}, its prompt, its timing) lets the client choose: repeat an id that is never
 * mirrored and stay out of the statistics, or repeat one that always is and fill the shadow queue.
 * Here the draw depends on nothing in the request, so the share mirrored is the configured rate
 * conditioned on anything a client controls: per tenant, per profile, per id, per prompt, per
 * moment. A keyed hash with a per-deployment secret would give the same unpredictability, but a
 * client that repeats an id would still be mirrored every time or never; fresh randomness per
 * request does not have that failure mode.
 *
 * <p><b>Why Bernoulli and not a low-discrepancy accumulator.</b> A per-(tenant, profile)
 * accumulator with a random phase holds the rate to within one request, but after its phase leaks
 * (one request recognised as mirrored through a timing side channel is enough at rate 1/k) every
 * later decision of that tenant is known, since only that tenant's own traffic advances it. Bernoulli
 * decisions are independent, so nothing learnt about one tells anything about the next; the price
 * is binomial noise, {@code sqrt(n·p·(1−p))} requests over {@code n}, which the paired statistics'
 * intervals already carry.
 *
 * <p>The production source is a {@link SecureRandom} (DRBG when the JDK has it) seeded once at
 * construction, so no draw on the event loop waits for entropy. Tests inject a seeded
 * {@link Random} with {@link #seeded(long)} to make runs repeatable; never in production.
 * Thread-safe: both sources are.
 */
public final class ShadowSampler {

    private final Random source;

    private ShadowSampler(Random source) {
        this.source = source;
    }

    /** The production sampler: a self-seeded CSPRNG. */
    public static ShadowSampler secure() {
        SecureRandom random;
        try {
            random = SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            random = new SecureRandom();
        }
        random.nextLong(); // seeds now, at start-up, rather than on the first request's event loop
        return new ShadowSampler(random);
    }

    /** A repeatable sampler for tests: the same seed gives the same decisions in the same order. */
    public static ShadowSampler seeded(long seed) {
        return new ShadowSampler(new Random(seed));
    }

    /** Whether the next request is mirrored at {@code rate} (0 = never, 1 = always). Cheap; never blocks. */
    public boolean sample(double rate) {
        if (rate <= 0) {
            return false;
        }
        return rate >= 1 || source.nextDouble() < rate;
    }
}
