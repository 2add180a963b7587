package io.steerguard.training;

import java.util.Locale;
import java.util.function.Consumer;

/** Turns step reports into a progress line every {@code every} steps and at the last step. */
final class ProgressLine {

    private final Consumer<String> out;
    private final int every;
    private double windowLoss;
    private int windowSteps;

    ProgressLine(Consumer<String> out, int every) {
        this.out = out;
        this.every = every;
    }

    void report(Trainer.StepReport r) {
        windowLoss += r.loss();
        windowSteps++;
        int done = r.step() + 1;
        if (done % every != 0 && done != r.steps()) {
            return;
        }
        double left = r.elapsedSeconds() / done * (r.steps() - done);
        out.accept(String.format(Locale.ROOT, "step %5d/%d  loss %.3f  lr %.2e  |g| %.2f  %.1fk tok/s  %s elapsed, ~%s left",
                done, r.steps(), windowLoss / windowSteps, r.learningRate(), r.gradientNorm(),
                r.tokensPerSecond() / 1000, clock(r.elapsedSeconds()), clock(left)));
        windowLoss = 0;
        windowSteps = 0;
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s" : s + "s";
    }
}
