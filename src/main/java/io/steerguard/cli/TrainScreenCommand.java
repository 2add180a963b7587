package io.steerguard.cli;

import java.nio.file.Path;

import io.steerguard.training.classifier.TrainRefusalScreen;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Trains the cascade's cheap screen against the shipped learned tier (see docs/classifier-cascade.md). */
@Command(name = "train-screen", description = "Train the classifier cascade's screen and choose its cut-offs on the "
        + "validation fifth; writes the screen file and docs/classifier-cascade.md. Run train-classifier first when "
        + "the learned tier changed (its feature cache is reused).")
final class TrainScreenCommand extends ToolCommand {

    @Option(names = "--data", defaultValue = "datasets/refusal", paramLabel = "DIR", description = "Labelled answers "
            + "(default: ${DEFAULT-VALUE}).")
    Path data;
    @Option(names = "--seed", defaultValue = "20261202", paramLabel = "N", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        TrainRefusalScreen.run(data, seed);
        return Exit.OK;
    }
}
