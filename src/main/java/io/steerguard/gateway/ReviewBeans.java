package io.steerguard.gateway;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;
import io.steerguard.classifier.ClassifierConfig;
import io.steerguard.classifier.LearnedCalibration;
import io.steerguard.classifier.LexicalRefusalClassifier;
import io.steerguard.config.ServingModeConfig;
import io.steerguard.policy.PolicyConfig;
import io.steerguard.review.CalibrationStore;
import io.steerguard.review.LabelStore;
import io.steerguard.review.ReviewConfig;
import io.steerguard.review.ReviewQueue;
import io.steerguard.review.ReviewService;
import io.steerguard.review.ReviewSettings;
import io.steerguard.review.ReviewTap;
import io.steerguard.telemetry.ReviewMetrics;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The review queue, the label log and the learned tier's calibration versions, opened from
 * {@code steerguard.policy.data-dir} at start-up. A log that is damaged or cannot be opened never
 * stops the gateway: the shipped calibration stays in force, the reason is logged at ERROR and shown
 * by {@code GET /admin/review/calibration}.
 */
public class ReviewBeans {

    private static final Logger LOG = Logger.getLogger(ReviewBeans.class);
    /** Largest queue {@code steerguard.review.capacity} may ask for (each item holds up to two texts). */
    static final int MAX_CAPACITY = 100_000;

    @Produces
    @Singleton
    @Startup
    ReviewService reviewService(ReviewConfig config, PolicyConfig policy, ClassifierConfig classifiers,
                                ServingModeConfig mode, LearnedCalibration calibration, ReviewMetrics metrics) {
        if (config.capacity() < 1 || config.capacity() > MAX_CAPACITY) {
            throw new IllegalArgumentException("steerguard.review.capacity must be within [1, " + MAX_CAPACITY
                    + "], was " + config.capacity());
        }
        ReviewSettings settings = new ReviewSettings(config.nearThresholdBand(), config.maxTextChars(),
                config.recalibration().minLabels(), config.recalibration().minPerClass());
        boolean learned = classifiers.tiers().stream().anyMatch(t -> t.strip().equals("learned"));
        Path dir = policy.dataDir();
        if (mode.runtimeMode()) {
            // runtime mode mirrors nothing and has no admin API: no files, no meters
            return new ReviewService(settings, new ReviewQueue(config.capacity()), null, null, null,
                    new LexicalRefusalClassifier(), Clock.systemUTC());
        }
        LabelStore labels = null;
        try {
            labels = LabelStore.open(dir, config.maxLabelled());
            labels.damage().ifPresent(d -> LOG.errorf("review labels: %s", d));
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "review labels cannot be opened in %s; labels are refused until this is fixed and the "
                    + "gateway restarted", dir);
        }
        CalibrationStore calibrations = null;
        try {
            calibrations = CalibrationStore.open(dir, calibration.shipped());
            calibrations.damage().ifPresent(d -> LOG.errorf("classifier calibration: %s", d));
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "classifier calibration cannot be opened in %s; the shipped calibration is in force and "
                    + "recalibration is refused until this is fixed and the gateway restarted", dir);
        }
        ReviewService review = new ReviewService(settings, new ReviewQueue(config.capacity()), labels, calibrations,
                learned ? calibration : null, new LexicalRefusalClassifier(), Clock.systemUTC());
        if (learned && calibrations != null && calibrations.current().version() > 0) {
            LOG.infof("learned tier calibration version %d in force (a = %.4f, b = %.4f, %s by %s)",
                    calibrations.current().version(), calibrations.current().platt().a(),
                    calibrations.current().platt().b(), calibrations.current().action().id(),
                    calibrations.current().actor());
        }
        metrics.bind(review, classifiers.tiers());
        return review;
    }

    void close(@Disposes ReviewService review) {
        review.close();
    }

    /** What the shadow path offers pairs to: the review service, or nothing when review is off. */
    static ReviewTap tap(ReviewConfig config, ReviewService review) {
        return config.enabled() ? review : ReviewTap.NONE;
    }
}
