package io.steerguard.classifier.training;

import io.steerguard.classifier.Exchange;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.steerguard.csv.CsvRecord;

/**
 * Operator-supplied rows to classify, with an optional label: JSONL objects
 * ({@code {"prompt": ..., "response": ..., "label": true}}) or CSV with a header row naming
 * {@code prompt}, {@code response} and optionally {@code label} (RFC 4180 quoting: fields with
 * commas, quotes or line breaks in double quotes, quotes doubled). Labels accept
 * true/false, 1/0, yes/no, refused/complied.
 *
 * @param prompt   the request
 * @param response the answer
 * @param label    whether it is a refusal, when known
 */
public record LabelledInput(String prompt, String response, Optional<Boolean> label) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public Exchange exchange() {
        return new Exchange(prompt, response);
    }

    /** Parses JSONL; throws {@link IllegalArgumentException} naming the line on bad input. */
    public static List<LabelledInput> parseJsonl(String text) {
        List<LabelledInput> rows = new ArrayList<>();
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = MAPPER.readTree(lines[i]);
            } catch (IOException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": not JSON");
            }
            if (node == null || !node.isObject() || !node.path("response").isTextual()) {
                throw new IllegalArgumentException("line " + (i + 1) + ": expected an object with a string \"response\"");
            }
            JsonNode label = node.has("label") ? node.get("label") : node.get("refused");
            rows.add(new LabelledInput(node.path("prompt").asText(""), node.get("response").textValue(),
                    label == null || label.isNull() ? Optional.empty() : Optional.of(parseLabel(label.asText(), i + 1))));
        }
        return rows;
    }

    /** Parses CSV with a header row. */
    public static List<LabelledInput> parseCsv(String text) {
        List<CsvRecord> records = CsvRecord.parse(text);
        if (records.isEmpty()) {
            return List.of();
        }
        List<String> header = records.get(0).fields().stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
        int prompt = header.indexOf("prompt");
        int response = header.indexOf("response");
        int label = header.indexOf("label");
        if (response < 0) {
            throw new IllegalArgumentException("line 1: CSV header must name a 'response' column, was " + header);
        }
        List<LabelledInput> rows = new ArrayList<>();
        for (CsvRecord record : records.subList(1, records.size())) {
            if (record.blank()) {
                continue;
            }
            List<String> rec = record.fields();
            if (rec.size() != header.size()) {
                throw new IllegalArgumentException("line " + record.line() + ": CSV record has " + rec.size()
                        + " fields, header has " + header.size());
            }
            String l = label >= 0 ? rec.get(label).strip() : "";
            rows.add(new LabelledInput(prompt >= 0 ? rec.get(prompt) : "", rec.get(response),
                    l.isEmpty() ? Optional.empty() : Optional.of(parseLabel(l, record.line()))));
        }
        return rows;
    }

    static boolean parseLabel(String value, int line) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "refused", "refusal" -> true;
            case "false", "0", "no", "complied", "compliance", "compliant" -> false;
            default -> throw new IllegalArgumentException("line " + line + ": label must be true/false, was " + value);
        };
    }
}
