package io.steerguard.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.steerguard.classifier.ClassifierConfig;
import io.steerguard.runtime.embedded.EmbeddedRuntime;
import io.steerguard.runtime.embedded.ModelConfig;
import io.steerguard.shadow.ActivationSetup;
import io.steerguard.steering.RefusalDirection;
import io.steerguard.steering.SafetensorsVectors;
import io.steerguard.steering.VectorFileException;

/**
 * Builds an embedded model's {@link ActivationSetup} from {@code <model>/vectors/refusal-direction.safetensors}
 * and the configured refusal token ids. Blocking file I/O: runs when the runtime starts, on the
 * configuration thread.
 *
 * <p><b>Which layer.</b> A refusal-direction file may hold every layer. The tier uses the layer in
 * the file's metadata key {@value #LAYER_KEY} when present; otherwise the file's layer nearest the
 * middle of the model ({@code numLayers / 2}, the lower one on a tie), where Arditi et al. find
 * the refusal direction most separable for chat models.
 */
final class ActivationSetups {

    /** Metadata key naming the layer the activation tier projects on. */
    static final String LAYER_KEY = "layer";

    private ActivationSetups() {
    }

    /**
     * The setup for {@code runtime}, or empty when the model has neither a refusal direction nor
     * refusal token ids.
     *
     * @throws VectorFileException      when the refusal-direction file is unreadable or does not fit the model
     * @throws IllegalArgumentException when a configured token id lies outside the vocabulary
     */
    static Optional<ActivationSetup> load(EmbeddedRuntime runtime, Path modelDir, ClassifierConfig.Activation config) {
        ModelConfig model = runtime.modelConfig();
        Path file = modelDir.resolve("vectors").resolve(RefusalDirection.FILE_NAME);
        int layer = -1;
        float[] unit = null;
        Set<Integer> ids = new TreeSet<>();
        String idsSource = "steerguard.classifier.activation.refusal-token-ids";
        if (Files.isRegularFile(file)) {
            RefusalDirection direction = RefusalDirection.read(file);
            layer = chooseLayer(direction.directions().layers(), metadataLayer(file), model.numLayers(), file.toString());
            unit = direction.unit(layer);
            if (unit.length != model.hiddenSize()) {
                throw new VectorFileException(file.toString(), "layers." + layer, "has " + unit.length
                        + " values; the model's hidden size is " + model.hiddenSize());
            }
            ids.addAll(direction.refusalTokenIds());
            idsSource = file + ": metadata refusal_token_ids";
        }
        if (ids.isEmpty()) {
            ids.addAll(config.refusalTokenIds().orElse(List.of()));
            idsSource = "steerguard.classifier.activation.refusal-token-ids";
        }
        for (int id : ids) {
            if (id < 0 || id >= model.vocabSize()) {
                throw new IllegalArgumentException(idsSource + ": token id " + id + " is outside the vocabulary [0, "
                        + model.vocabSize() + ") of " + modelDir);
            }
        }
        if (unit == null && ids.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ActivationSetup(layer, unit, ids.stream().mapToInt(Integer::intValue).toArray(),
                config.threshold()));
    }

    /** The named layer if any, else the file's layer nearest {@code numLayers / 2}. */
    static int chooseLayer(List<Integer> fileLayers, String named, int numLayers, String file) {
        if (named != null) {
            int layer;
            try {
                layer = Integer.parseInt(named.strip());
            } catch (NumberFormatException e) {
                throw new VectorFileException(file, "metadata " + LAYER_KEY, "'" + named + "' is not a layer number");
            }
            if (!fileLayers.contains(layer)) {
                throw new VectorFileException(file, "metadata " + LAYER_KEY, "names layer " + layer
                        + ", which the file has no direction for (it has " + fileLayers + ")");
            }
            return checkInModel(layer, numLayers, file);
        }
        int middle = numLayers / 2;
        int best = fileLayers.get(0);
        for (int layer : fileLayers) {
            if (Math.abs(layer - middle) < Math.abs(best - middle)) {
                best = layer;
            }
        }
        return checkInModel(best, numLayers, file);
    }

    private static int checkInModel(int layer, int numLayers, String file) {
        if (layer >= numLayers) {
            throw new VectorFileException(file, "layers." + layer, "the model has layers 0.." + (numLayers - 1));
        }
        return layer;
    }

    private static String metadataLayer(Path file) {
        try {
            return SafetensorsVectors.metadata(Files.readAllBytes(file), file.toString()).get(LAYER_KEY);
        } catch (IOException e) {
            throw new VectorFileException(file.toString(), "file", "cannot be read: " + e, e);
        }
    }
}
