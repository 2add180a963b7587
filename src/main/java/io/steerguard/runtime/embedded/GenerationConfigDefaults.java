package io.steerguard.runtime.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steerguard.runtime.SamplingDefaults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The decoding defaults of a model folder's {@code generation_config.json}, read as vLLM's OpenAI
 * server reads them: {@code temperature}, {@code top_p} and {@code top_k} become the defaults for
 * requests that omit them. {@code do_sample} is not consulted (vLLM does not either: a request
 * decides greedy or not through its temperature). {@code top_k} of 0 or less means no top-k, as in
 * both vLLM and transformers. {@code repetition_penalty} other than 1 is not supported by this
 * runtime's sampler; it is reported through {@code warn} and ignored rather than failing the model.
 * A missing file or field sets nothing; a field of the wrong type or out of OpenAI's range fails the
 * load with a {@link ModelLoadException} naming the file and field.
 */
final class GenerationConfigDefaults {

    private static final ObjectMapper JSON = new ObjectMapper();

    private GenerationConfigDefaults() {
    }

    static SamplingDefaults read(Path dir, Consumer<String> warn) {
        Path file = dir.resolve(TokenizerFolder.GENERATION);
        if (!Files.isRegularFile(file)) {
            return SamplingDefaults.NONE;
        }
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ModelLoadException(dir, TokenizerFolder.GENERATION + ": not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ModelLoadException(dir, TokenizerFolder.GENERATION + ": expected a JSON object");
        }
        Double temperature = number(dir, root, "temperature");
        if (temperature != null && !(temperature >= 0 && temperature <= 2)) {
            throw new ModelLoadException(dir, TokenizerFolder.GENERATION + ": temperature must be within [0, 2], got "
                    + temperature);
        }
        Double topP = number(dir, root, "top_p");
        if (topP != null && !(topP > 0 && topP <= 1)) {
            throw new ModelLoadException(dir, TokenizerFolder.GENERATION + ": top_p must be within (0, 1], got " + topP);
        }
        Double topK = number(dir, root, "top_k");
        if (topK != null && (topK != Math.rint(topK) || Math.abs(topK) > Integer.MAX_VALUE)) {
            throw new ModelLoadException(dir, TokenizerFolder.GENERATION + ": top_k must be an integer, got " + topK);
        }
        Double penalty = number(dir, root, "repetition_penalty");
        if (penalty != null && penalty != 1.0) {
            warn.accept(dir + "/" + TokenizerFolder.GENERATION + ": repetition_penalty " + penalty
                    + " is not supported by the embedded runtime and is ignored");
        }
        return new SamplingDefaults(temperature, topP, topK == null ? null : (int) Math.max(0, topK.longValue()));
    }

    private static Double number(Path dir, JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw new ModelLoadException(dir, TokenizerFolder.GENERATION + ": " + field + " must be a number, got " + v);
        }
        return v.doubleValue();
    }
}
