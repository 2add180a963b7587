package io.steerguard.gateway;

import io.quarkus.runtime.StartupEvent;
import io.steerguard.classifier.ClassifierConfig;
import io.steerguard.classifier.LearnedHead;
import io.steerguard.classifier.ScreenModel;
import io.steerguard.config.ServingModeConfig;
import io.steerguard.shadow.ClassifierError;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Tells the statistics how often the configured classifier errs, so that policies judge the
 * corrected externality and over-refusal intervals ({@code steerguard.classifier.correction}).
 */
@ApplicationScoped
public class ClassifierErrorWiring {

    private static final Logger LOG = Logger.getLogger(ClassifierErrorWiring.class);

    /** Runs after the other start-up observers, so the governor starts exactly as it would without this bean. */
    void onStart(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER + 1000) StartupEvent event, ClassifierConfig config, ServingModeConfig mode, SafetyGovernor governor) {
        // runtime mode classifies nothing (no shadow path): the statistics stay uncorrected there
        ClassifierError error = mode.runtimeMode() ? ClassifierError.NONE : measuredError(config);
        governor.statistics().useClassifierError(error);
        if (error.isNone()) {
            LOG.info("refusal statistics take classifier verdicts as truth (no measured error applies)");
        } else {
            LOG.infof("refusal statistics corrected for the learned tier's measured error: sensitivity %.3f (n=%d), "
                    + "specificity %.3f (n=%d)", error.sensitivity(), error.refusals(), error.specificity(), error.compliant());
        }
    }

    /**
     * The learned tier's measurement (the cascade's, when it runs as one) when that tier decides first and no judge stands in front of it;
     * {@link ClassifierError#NONE} otherwise (no other tier ships a measurement on real answers).
     */
    static ClassifierError measuredError(ClassifierConfig config) {
        List<String> tiers = config.tiers().stream().map(String::strip).toList();
        if (!"measured".equals(config.correction().strip()) || config.judge().enabled()
                || tiers.isEmpty() || !"learned".equals(tiers.get(0))) {
            if (!"measured".equals(config.correction().strip()) && !"none".equals(config.correction().strip())) {
                throw new IllegalArgumentException("steerguard.classifier.correction must be measured or none, was "
                        + config.correction());
            }
            return ClassifierError.NONE;
        }
        // the cascade errs differently from the learned tier alone: its own measurement on the same answers applies
        return (config.cascade() ? ScreenModel.loadResource().measuredConfusion() : LearnedHead.loadResource().measuredConfusion())
                .map(c -> new ClassifierError(c[0], c[1], c[2], c[3]))
                .orElse(ClassifierError.NONE);
    }
}
