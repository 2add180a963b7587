package io.steerguard.training.evaluation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What the report says about the model: config.json's shape, weight size and training-log.json's scalars. */
public final class ModelFacts {

    private static final List<String> CONFIG_KEYS = List.of("architectures", "hidden_size", "intermediate_size",
            "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "vocab_size", "max_position_embeddings");

    private ModelFacts() {
    }

    /** Scalar fields as "prefix key: value"; objects down to {@code depth} more levels; arrays (curves) left out. */
    private static void scalars(JsonNode node, String prefix, List<String> out, int depth) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getValue().isValueNode()) {
                out.add(prefix + f.getKey() + ": " + f.getValue().asText());
            } else if (f.getValue().isObject() && depth > 0) {
                scalars(f.getValue(), prefix + f.getKey() + ".", out, depth - 1);
            }
        }
    }

    public static List<String> read(Path modelDir) {
        List<String> out = new ArrayList<>();
        ObjectMapper mapper = new ObjectMapper();
        try {
            JsonNode config = mapper.readTree(modelDir.resolve("config.json").toFile());
            for (String key : CONFIG_KEYS) {
                if (config.has(key)) {
                    out.add(key + ": " + config.get(key).toString().replace("\"", ""));
                }
            }
        } catch (IOException e) {
            out.add("config.json: unreadable (" + e.getMessage() + ")");
        }
        Path weights = modelDir.resolve("model.safetensors");
        if (Files.isRegularFile(weights)) {
            try {
                out.add(String.format(Locale.ROOT, "model.safetensors: %.2f MB", Files.size(weights) / 1e6));
            } catch (IOException e) {
                // the size is a nicety; the model loaded or the evaluation would have failed
            }
        }
        Path log = modelDir.resolve("training-log.json");
        if (Files.isRegularFile(log)) {
            try {
                scalars(mapper.readTree(log.toFile()), "training-log.json ", out, 1);
            } catch (IOException e) {
                out.add("training-log.json: unreadable (" + e.getMessage() + ")");
            }
        } else {
            out.add("training-log.json: not present");
        }
        return out;
    }
}
