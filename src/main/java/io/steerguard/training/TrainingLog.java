package io.steerguard.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code training-log.json}: the plan, the corpus counts and the loss curve (mean per 10 steps) of
 * a build, so a rerun can be compared with the committed model.
 */
final class TrainingLog {

    static final String FILE = "training-log.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int WINDOW = 10;

    private TrainingLog() {
    }

    static void write(Path dir, TrainingPlan plan, DemoModelBuilder.Result result) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.set("plan", JSON.valueToTree(plan));
        root.put("parameters", result.parameters());
        ObjectNode examples = root.putObject("trainingExamples");
        result.examples().forEach((category, n) -> examples.put(category.name(), n));
        root.put("skippedTooLong", result.skipped());
        root.put("finalLoss", tailMean(result.losses()));
        root.put("seconds", Math.round(result.seconds()));
        root.put("cpuCores", Runtime.getRuntime().availableProcessors());
        root.put("libtorchThreads", libtorchThreads());
        ArrayNode curve = root.putArray("lossPer10Steps");
        List<Double> losses = result.losses();
        for (int i = 0; i < losses.size(); i += WINDOW) {
            double sum = 0;
            int n = Math.min(WINDOW, losses.size() - i);
            for (int j = i; j < i + n; j++) {
                sum += losses.get(j);
            }
            curve.add(Math.round(sum / n * 1000) / 1000.0);
        }
        Files.writeString(dir.resolve(FILE), JSON.writeValueAsString(root) + "\n");
    }

    /** The intra-op thread setting the run was started with: DJL's property, else libtorch's default. */
    static String libtorchThreads() {
        String set = System.getProperty("ai.djl.pytorch.num_threads");
        return set != null ? set : "default";
    }

    /** Mean loss of the last 5% of steps (at least one), the "final loss" the card quotes. */
    static double tailMean(List<Double> losses) {
        int n = Math.max(1, losses.size() / 20);
        return losses.subList(losses.size() - n, losses.size()).stream().mapToDouble(Double::doubleValue)
                .average().orElse(Double.NaN);
    }
}
