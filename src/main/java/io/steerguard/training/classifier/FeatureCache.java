package io.steerguard.training.classifier;

import io.steerguard.classifier.LearnedRefusalClassifier;
import io.steerguard.classifier.RefusalFeatures;

import dev.langchain4j.model.embedding.EmbeddingModel;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
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
 * Embeddings of (opening, whole answer) pairs kept in a local file between training runs, keyed by
 * the SHA-256 of both texts: re-running the trainer after a change to the head or the report does
 * not re-embed ten thousand answers. Shared by {@code steerguard train-classifier} and
 * {@code steerguard train-screen}. A cache only; deleting it changes nothing but the time taken.
 */
public final class FeatureCache {

    private final Path file;
    private final Map<String, float[][]> entries = new HashMap<>();
    private final List<String> added = new ArrayList<>();

    public FeatureCache(Path file) throws IOException {
        this.file = file;
        if (Files.exists(file)) {
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
    }

    /** Embeddings for every view, computing the missing ones in batches of 64. */
    public float[][][] embed(EmbeddingModel encoder, List<RefusalFeatures.View> views) throws IOException {
        float[][][] out = new float[views.size()][][];
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < views.size(); i++) {
            float[][] hit = entries.get(key(views.get(i)));
            if (hit != null) {
                out[i] = hit;
            } else {
                missing.add(i);
            }
        }
        long start = System.nanoTime();
        for (int from = 0; from < missing.size(); from += 64) {
            List<Integer> chunk = missing.subList(from, Math.min(missing.size(), from + 64));
            List<RefusalFeatures.View> batch = chunk.stream().map(views::get).toList();
            float[][][] e = LearnedRefusalClassifier.embed(encoder, batch);
            for (int k = 0; k < chunk.size(); k++) {
                out[chunk.get(k)] = e[k];
                String key = key(batch.get(k));
                if (entries.put(key, e[k]) == null) {
                    added.add(key);
                }
            }
            if ((from / 64) % 20 == 0) {
                System.err.printf("embedded %d/%d new answers (%.0f s)%n", from + chunk.size(), missing.size(),
                        (System.nanoTime() - start) / 1e9);
            }
        }
        save();
        return out;
    }

    private void save() throws IOException {
        if (added.isEmpty()) {
            return;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)))) {
            for (String key : added) {
                float[][] v = entries.get(key);
                out.writeUTF(key);
                out.writeInt(v[0].length);
                for (float[] part : v) {
                    for (float x : part) {
                        out.writeFloat(x);
                    }
                }
            }
        }
        added.clear();
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
