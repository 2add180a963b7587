package io.steerguard.runtime.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The safetensors weights of a Hugging Face model folder: {@code model.safetensors}, or the shards
 * listed in {@code model.safetensors.index.json}. Tensors are mapped and converted one at a time.
 */
public final class ModelWeightFiles {

    private final Path modelDir;
    private final Map<String, SafetensorsFile> byTensor;

    private ModelWeightFiles(Path modelDir, Map<String, SafetensorsFile> byTensor) {
        this.modelDir = modelDir;
        this.byTensor = byTensor;
    }

    /** Opens the weight files' headers; throws {@link ModelLoadException} naming the folder and file. */
    public static ModelWeightFiles open(Path modelDir) {
        Path index = modelDir.resolve(Safetensors.INDEX_FILE);
        Path single = modelDir.resolve("model.safetensors");
        Map<String, SafetensorsFile> byTensor = new HashMap<>();
        if (Files.isRegularFile(index)) {
            JsonNode weightMap;
            try {
                weightMap = new ObjectMapper().readTree(index.toFile()).get("weight_map");
            } catch (IOException e) {
                throw new ModelLoadException(modelDir, Safetensors.INDEX_FILE + " is not valid JSON: " + e.getMessage(), e);
            }
            if (weightMap == null || !weightMap.isObject()) {
                throw new ModelLoadException(modelDir, Safetensors.INDEX_FILE + " has no weight_map object");
            }
            Map<String, SafetensorsFile> shards = new HashMap<>();
            var fields = weightMap.fields();
            while (fields.hasNext()) {
                var f = fields.next();
                String shard = f.getValue().asText();
                SafetensorsFile file = shards.computeIfAbsent(shard, s -> openFile(modelDir, modelDir.resolve(s)));
                if (file.entry(f.getKey()) == null) {
                    throw new ModelLoadException(modelDir, Safetensors.INDEX_FILE + " puts tensor '" + f.getKey()
                            + "' in " + shard + ", which does not contain it");
                }
                byTensor.put(f.getKey(), file);
            }
        } else if (Files.isRegularFile(single)) {
            SafetensorsFile file = openFile(modelDir, single);
            for (String name : file.names()) {
                byTensor.put(name, file);
            }
        } else {
            throw new ModelLoadException(modelDir, "no model.safetensors or " + Safetensors.INDEX_FILE
                    + " (only safetensors weights are supported)");
        }
        return new ModelWeightFiles(modelDir, byTensor);
    }

    private static SafetensorsFile openFile(Path modelDir, Path file) {
        try {
            return SafetensorsFile.open(file);
        } catch (IOException e) {
            throw new ModelLoadException(modelDir, "cannot read " + modelDir.relativize(file) + ": " + e.getMessage(), e);
        }
    }

    public boolean contains(String name) {
        return byTensor.containsKey(name);
    }

    /**
     * Loads one tensor and checks its shape.
     *
     * @throws ModelLoadException when the tensor is missing, has another shape or cannot be read
     */
    public Tensor load(String name, long... expectedShape) {
        SafetensorsFile file = byTensor.get(name);
        if (file == null) {
            throw new ModelLoadException(modelDir, "missing tensor '" + name + "'");
        }
        long[] shape = file.entry(name).shape();
        if (!Arrays.equals(shape, expectedShape)) {
            throw new ModelLoadException(modelDir, "tensor '" + name + "' has shape " + Arrays.toString(shape)
                    + ", expected " + Arrays.toString(expectedShape));
        }
        try {
            return file.tensor(name);
        } catch (IOException e) {
            throw new ModelLoadException(modelDir, "cannot read tensor '" + name + "': " + e.getMessage(), e);
        }
    }
}
