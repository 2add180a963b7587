package io.steerguard.classifier.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The labelled refusal dataset as JSONL (one object per line: prompt, response, label, kind,
 * split), its content hash, and the deterministic train/test split.
 */
public final class RefusalDataset {

    /** Classpath location of the committed dataset. */
    public static final String RESOURCE = "classifier/refusal-dataset.jsonl";
    /** Percentage of rows in the held-out split. */
    public static final int TEST_PERCENT = 20;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RefusalDataset() {
    }

    /** {@code test} for about {@value #TEST_PERCENT}% of rows, chosen by SHA-256 of prompt and response. */
    public static String splitFor(String prompt, String response) {
        byte[] digest = sha256((prompt + "\u0000" + response).getBytes(StandardCharsets.UTF_8));
        int bucket = Math.floorMod(((digest[0] & 0xff) << 8) | (digest[1] & 0xff), 100);
        return bucket < TEST_PERCENT ? LabelledExample.TEST : LabelledExample.TRAIN;
    }

    public static String toJsonl(List<LabelledExample> rows) {
        StringBuilder out = new StringBuilder();
        for (LabelledExample row : rows) {
            ObjectNode node = MAPPER.createObjectNode();
            node.put("prompt", row.prompt());
            node.put("response", row.response());
            node.put("label", row.refused());
            node.put("kind", row.kind());
            node.put("split", row.split());
            out.append(node).append('\n');
        }
        return out.toString();
    }

    public static List<LabelledExample> parse(String jsonl) {
        List<LabelledExample> rows = new ArrayList<>();
        int lineNo = 0;
        for (String line : jsonl.split("\n")) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode node = MAPPER.readTree(line);
                rows.add(new LabelledExample(node.path("prompt").asText(""), node.path("response").asText(),
                        node.path("label").asBoolean(), node.path("kind").asText("unknown"),
                        node.path("split").asText(LabelledExample.TRAIN)));
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("dataset line " + lineNo + ": " + e.getMessage(), e);
            }
        }
        return rows;
    }

    /** The committed dataset from the classpath. */
    public static String readResourceText() {
        try (InputStream in = RefusalDataset.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Hex SHA-256 of the dataset file's bytes; the head file records it to detect a stale head. */
    public static String hash(String jsonlText) {
        return HexFormat.of().formatHex(sha256(jsonlText.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
