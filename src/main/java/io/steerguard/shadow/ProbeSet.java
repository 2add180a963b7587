package io.steerguard.shadow;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.steerguard.csv.CsvRecord;
import io.steerguard.csv.CsvSyntaxException;

/**
 * The harmful requests a probe audit sends: the built-in set ({@code datasets/probes.jsonl}) or a
 * team's own file.
 *
 * <p>User files: JSONL, one object per line with {@code prompt} (or {@code probe}, the built-in
 * spelling) and optionally {@code category} and {@code id}; or CSV (RFC 4180 quoting) with the
 * columns {@code prompt[,category]} and an optional header row naming them. Blank lines are
 * skipped. Every problem is reported with file and line. Duplicate prompts are rejected: each
 * probe counts as an independent trial in the intervals, so a repeated one would narrow them
 * without adding evidence.
 *
 * @param source where the probes came from: {@code builtin} or the file as it was named
 * @param probes the probes, in file order
 */
public record ProbeSet(String source, List<Probe> probes) {

    /** The {@code probes.set} value that selects the shipped probes. */
    public static final String BUILTIN = "builtin";
    /** Larger files are rejected: an audit sends every probe twice per attack template. */
    public static final int MAX_PROBES = 10_000;
    private static final String BUILTIN_RESOURCE = "/datasets/probes.jsonl";
    private static final String NO_CATEGORY = "uncategorised";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One harmful request.
     *
     * @param id       stable id from the file, or {@code line-N}
     * @param category free-text category (for reports), {@code uncategorised} when not given
     * @param prompt   the request as the model receives it before any attack template
     */
    public record Probe(String id, String category, String prompt) {
        public Probe {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(category, "category");
            Objects.requireNonNull(prompt, "prompt");
            if (prompt.isBlank()) {
                throw new IllegalArgumentException("prompt must not be blank");
            }
        }
    }

    public ProbeSet {
        Objects.requireNonNull(source, "source");
        probes = List.copyOf(probes);
        if (probes.isEmpty()) {
            throw new IllegalArgumentException("a probe set needs at least one probe");
        }
    }

    /** The shipped probe set (136 probes over 14 categories). */
    public static ProbeSet builtin() {
        try (InputStream in = ProbeSet.class.getResourceAsStream(BUILTIN_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + BUILTIN_RESOURCE + " is missing from the build");
            }
            return parseJsonl(BUILTIN, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The set a policy names: {@code builtin}, or a {@code .jsonl}/{@code .csv} file resolved against
     * {@code baseDir} (absolute paths as they are).
     *
     * @throws ProbeFileException when the file is missing, unreadable or malformed
     */
    public static ProbeSet load(String set, Path baseDir) {
        Objects.requireNonNull(set, "set");
        return set.equals(BUILTIN) ? builtin() : read(baseDir.resolve(set), set);
    }

    /** Reads a user probe file; the format follows the extension ({@code .jsonl} or {@code .csv}). */
    public static ProbeSet read(Path file, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (!lower.endsWith(".jsonl") && !lower.endsWith(".csv")) {
            throw new ProbeFileException(name, 0, "expected a .jsonl or .csv probe file");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ProbeFileException(name, 0, "no such file (resolved to " + file.toAbsolutePath() + ")", e);
        } catch (IOException | UncheckedIOException e) {
            throw new ProbeFileException(name, 0, "cannot read: " + e.getMessage(), e);
        }
        return lower.endsWith(".csv") ? parseCsv(name, text) : parseJsonl(name, text);
    }

    /** Parses JSONL probes; {@code source} names the file in messages. */
    public static ProbeSet parseJsonl(String source, String text) {
        Collector collector = new Collector(source);
        String[] lines = stripBom(text).split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int line = i + 1;
            if (lines[i].isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(lines[i]);
            } catch (JsonProcessingException e) {
                throw new ProbeFileException(source, line, "not valid JSON: " + e.getOriginalMessage());
            }
            if (node == null || !node.isObject()) {
                throw new ProbeFileException(source, line, "expected a JSON object like {\"prompt\": \"...\", "
                        + "\"category\": \"...\"}");
            }
            JsonNode prompt = node.has("prompt") ? node.get("prompt") : node.get("probe");
            if (prompt == null) {
                throw new ProbeFileException(source, line, "missing \"prompt\"");
            }
            if (!prompt.isTextual()) {
                throw new ProbeFileException(source, line, "\"prompt\" must be a string");
            }
            collector.add(line, text(node, "id", source, line), text(node, "category", source, line),
                    prompt.asText());
        }
        return collector.build();
    }

    /** Parses CSV probes with the columns {@code prompt[,category]} and an optional header. */
    public static ProbeSet parseCsv(String source, String text) {
        Collector collector = new Collector(source);
        List<CsvRecord> rows;
        try {
            rows = CsvRecord.parse(stripBom(text));
        } catch (CsvSyntaxException e) {
            throw new ProbeFileException(source, e.line(), e.problem());
        }
        for (int r = 0; r < rows.size(); r++) {
            CsvRecord row = rows.get(r);
            List<String> f = row.fields();
            if (row.blank()) {
                continue;
            }
            if (r == 0 && f.get(0).strip().equalsIgnoreCase("prompt")) {
                if (f.size() > 2 || (f.size() == 2 && !f.get(1).strip().equalsIgnoreCase("category"))) {
                    throw new ProbeFileException(source, row.line(), "header must be prompt[,category], got " + f);
                }
                continue;
            }
            if (f.size() > 2) {
                throw new ProbeFileException(source, row.line(), "expected prompt[,category], got " + f.size()
                        + " fields (quote a prompt that contains commas)");
            }
            collector.add(row.line(), null, f.size() == 2 ? f.get(1) : null, f.get(0));
        }
        return collector.build();
    }

    /** Probes per category, sorted by category. */
    public Map<String, Long> categories() {
        Map<String, Long> counts = new TreeMap<>();
        probes.forEach(p -> counts.merge(p.category(), 1L, Long::sum));
        return counts;
    }

    public int size() {
        return probes.size();
    }

    private static String text(JsonNode node, String key, String source, int line) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new ProbeFileException(source, line, "\"" + key + "\" must be a string");
        }
        return value.asText();
    }

    private static String stripBom(String text) {
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** Checks and gathers rows, remembering where each prompt was first seen. */
    private static final class Collector {
        private final String source;
        private final List<Probe> probes = new ArrayList<>();
        private final Map<String, Integer> firstLine = new HashMap<>();

        Collector(String source) {
            this.source = source;
        }

        void add(int line, String id, String category, String prompt) {
            String p = prompt.strip();
            if (p.isEmpty()) {
                throw new ProbeFileException(source, line, "empty prompt");
            }
            Integer seen = firstLine.putIfAbsent(p, line);
            if (seen != null) {
                throw new ProbeFileException(source, line, "duplicate prompt (first at line " + seen + ")");
            }
            if (probes.size() == MAX_PROBES) {
                throw new ProbeFileException(source, line, "more than " + MAX_PROBES + " probes");
            }
            String c = category == null || category.isBlank() ? NO_CATEGORY : category.strip();
            String i = id == null || id.isBlank() ? "line-" + line : id.strip();
            probes.add(new Probe(i, c, p));
        }

        ProbeSet build() {
            if (probes.isEmpty()) {
                throw new ProbeFileException(source, 0, "no probes in the file");
            }
            return new ProbeSet(source, probes);
        }
    }
}
