package io.steerguard.gateway;

import java.time.Duration;

import io.quarkus.runtime.Startup;
import io.steerguard.classifier.ClassifierConfig;
import io.steerguard.classifier.RefusalClassifier;
import io.steerguard.shadow.ActivationProbe;
import io.steerguard.shadow.ShadowConfig;
import io.steerguard.review.ReviewConfig;
import io.steerguard.review.ReviewService;
import io.steerguard.shadow.ShadowMirror;
import io.steerguard.shadow.ShadowSampler;
import io.steerguard.telemetry.ShadowMetrics;
import io.steerguard.tenant.RateLimits;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** CDI producers for the plain-Java parts the gateway wires together. */
public class GatewayBeans {

    @Produces
    @Singleton
    RateLimits rateLimits() {
        return new RateLimits();
    }

    /** Which embedded runtimes the activation tier reads; filled as runtimes start. */
    @Produces
    @Singleton
    ActivationProbe activationProbe(ClassifierConfig classifiers) {
        return new ActivationProbe(classifiers.activation().enabled());
    }

    /** The shadow path; its paired samples feed the governor's statistics, its classified pairs the review queue. */
    @Produces
    @Singleton
    @Startup
    ShadowMirror shadowMirror(ShadowConfig config, RefusalClassifier classifier, ActivationProbe activation,
                              ShadowMetrics metrics, SafetyGovernor governor, ReviewConfig reviewConfig,
                              ReviewService review) {
        return new ShadowMirror(config, classifier, activation, metrics, governor::record, Duration.ofMinutes(2),
                ShadowSampler.secure(), ReviewBeans.tap(reviewConfig, review));
    }

    void closeShadow(@Disposes ShadowMirror mirror) {
        mirror.close();
    }
}
