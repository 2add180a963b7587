package io.steerguard.classifier;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The learned tier's Platt calibration in force, shared by the classifier and whoever recalibrates
 * it: the shipped one until a deployment refits it from its own labels. A change applies to the
 * next verdict; verdicts already computed keep the calibration they were computed with.
 */
public final class LearnedCalibration {

    private final Platt shipped;
    private final AtomicReference<Platt> current;

    public LearnedCalibration(Platt shipped) {
        this.shipped = Objects.requireNonNull(shipped, "shipped");
        this.current = new AtomicReference<>(shipped);
    }

    /** The shipped model's calibration. */
    public static LearnedCalibration of(LearnedHead head) {
        return new LearnedCalibration(Platt.shipped(head));
    }

    public Platt shipped() {
        return shipped;
    }

    public Platt current() {
        return current.get();
    }

    /** Puts {@code platt} in force for every verdict from now on. */
    public void use(Platt platt) {
        current.set(Objects.requireNonNull(platt, "platt"));
    }
}
