package io.steerguard.steering;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A model's refusal direction per layer (Arditi et al. 2024): the difference of means between
 * residual activations of harmful and harmless instructions at a post-instruction position,
 * {@code r_L = mean(x_harmful) - mean(x_harmless)}, plus the token ids that start a refusal, whose
 * summed first-token probability {@code p_ref} gives the refusal score {@code log p_ref - log(1 - p_ref)}.
 *
 * <p>Stored raw (not unit) so its norm stays visible; geometry uses {@code r / |r|}. On disk it is a
 * safetensors vector file ({@code layers.L}, layer 0 allowed) whose metadata adds
 * {@code kind = refusal-direction} and {@code refusal_token_ids} (a JSON array as a string), by
 * convention {@code refusal-direction.safetensors} beside the model's other vectors.
 *
 * @param directions      the direction per layer, with the model hint
 * @param refusalTokenIds token ids that open a refusal (e.g. "I" and "Sorry" for Llama-3 chat)
 */
public record RefusalDirection(VectorSet directions, Set<Integer> refusalTokenIds) {

    /** Conventional file name next to a model's vectors. */
    public static final String FILE_NAME = "refusal-direction.safetensors";
    public static final String KIND = "refusal-direction";

    public RefusalDirection {
        Objects.requireNonNull(directions, "directions");
        refusalTokenIds = Set.copyOf(new TreeSet<>(refusalTokenIds));
    }

    /** The unit direction {@code r_L / |r_L|} at {@code layer}, or null when the layer has none. */
    public float[] unit(int layer) {
        return directions.directions().containsKey(layer) ? VectorMath.unit(directions.direction(layer)) : null;
    }

    /** Writes the direction and token ids as safetensors. */
    public void write(Path path) throws IOException {
        List<Integer> ids = new ArrayList<>(new TreeSet<>(refusalTokenIds));
        VectorFiles.writeBytes(SafetensorsVectors.write(directions, Map.of("kind", KIND,
                "refusal_token_ids", ids.toString())), path);
    }

    /** Reads a file written by {@link #write}. */
    public static RefusalDirection read(Path path) {
        String file = path.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new VectorFileException(file, "file", "cannot be read: " + e, e);
        }
        VectorSet set = SafetensorsVectors.read(bytes, file);
        SortedMap<String, String> meta = SafetensorsVectors.metadata(bytes, file);
        if (!KIND.equals(meta.get("kind"))) {
            throw new VectorFileException(file, "metadata kind", "is '" + meta.get("kind") + "', expected '" + KIND + "'");
        }
        Set<Integer> ids = new TreeSet<>();
        try {
            JsonNode array = new ObjectMapper().readTree(meta.getOrDefault("refusal_token_ids", "[]"));
            if (!array.isArray()) {
                throw new IOException("not an array");
            }
            for (JsonNode id : array) {
                if (!id.canConvertToInt() || id.asInt() < 0) {
                    throw new IOException("bad token id " + id);
                }
                ids.add(id.asInt());
            }
        } catch (IOException e) {
            throw new VectorFileException(file, "metadata refusal_token_ids", "must be a JSON array of token ids: "
                    + e.getMessage());
        }
        return new RefusalDirection(set, ids);
    }
}
