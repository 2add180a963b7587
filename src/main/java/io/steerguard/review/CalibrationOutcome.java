package io.steerguard.review;

/** What became of a request to recalibrate or roll back. */
public sealed interface CalibrationOutcome {

    /** Written and in force. */
    record Changed(CalibrationVersion version) implements CalibrationOutcome {
    }

    /** Too few labelled answers with a learned score to fit on; nothing changed. */
    record TooFewLabels(long labels, long refusals, long compliant, int minLabels, int minPerClass)
            implements CalibrationOutcome {
    }

    /** The learned tier is not configured, so there is nothing to calibrate. */
    record NoLearnedTier() implements CalibrationOutcome {
    }

    /** A rollback named a version that does not exist. */
    record UnknownVersion(int version, int latest) implements CalibrationOutcome {
    }

    /** The calibration store cannot write (its folder is unusable, or the write failed); nothing changed. */
    record Unavailable(String message) implements CalibrationOutcome {
    }
}
