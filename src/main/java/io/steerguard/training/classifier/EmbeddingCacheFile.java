package io.steerguard.training.classifier;

import io.steerguard.classifier.LearnedRefusalClassifier;
import io.steerguard.classifier.RefusalFeatures;

import dev.langchain4j.model.embedding.EmbeddingModel;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Reads the embedding cache that {@code TrainRefusalModel} writes ({@code target/refusal-features.cache}:
 * per entry the SHA-256 of opening, NUL, whole answer as modified UTF-8, the dimension, then both
 * vectors as floats) and embeds whatever is missing. Read only: the trainer owns the file.
 */
final class EmbeddingCacheFile {

    private final Map<String, float[][]> entries = new HashMap<>();

    EmbeddingCacheFile(Path file) throws IOException {
        if (!Files.exists(file)) {
            System.err.println("no embedding cache at " + file + ": every answer is embedded now (run TrainRefusalModel first to share its cache)");
            return;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            while (true) {
                String key;
                try {
                    key = in.readUTF();
                } catch (EOFException e) {
                    break;
                }
                int d = in.readInt();
                float[][] v = new float[2][d];
                for (int k = 0; k < 2; k++) {
                    for (int j = 0; j < d; j++) {
                        v[k][j] = in.readFloat();
                    }
                }
                entries.put(key, v);
            }
        }
    }

    /** {@code result[i][0]} the opening's embedding, {@code result[i][1]} the whole answer's. */
    float[][][] embed(EmbeddingModel encoder, List<RefusalFeatures.View> views) {
        float[][][] out = new float[views.size()][][];
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < views.size(); i++) {
            out[i] = entries.get(key(views.get(i)));
            if (out[i] == null) {
                missing.add(i);
            }
        }
        for (int from = 0; from < missing.size(); from += 64) {
            List<Integer> chunk = missing.subList(from, Math.min(missing.size(), from + 64));
            float[][][] e = LearnedRefusalClassifier.embed(encoder, chunk.stream().map(views::get).toList());
            for (int k = 0; k < chunk.size(); k++) {
                out[chunk.get(k)] = e[k];
            }
        }
        if (!missing.isEmpty()) {
            System.err.printf("embedded %d answers missing from the cache%n", missing.size());
        }
        return out;
    }

    static String key(RefusalFeatures.View v) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(v.opening().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(v.whole().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
