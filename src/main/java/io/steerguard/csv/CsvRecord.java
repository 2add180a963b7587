package io.steerguard.csv;

import java.util.ArrayList;
import java.util.List;

/**
 * One CSV record with the line it starts on. RFC 4180: quoted fields may hold commas, doubled
 * quotes and line breaks, so a record can span lines and the line number of its start is what
 * a message must quote. The one CSV reader of the project (probe sets, labelled classifier input).
 *
 * @param line   the 1-based line the record starts on
 * @param fields the fields, unquoted
 */
public record CsvRecord(int line, List<String> fields) {

    public CsvRecord {
        if (line < 1) {
            throw new IllegalArgumentException("line must be at least 1, was " + line);
        }
        fields = List.copyOf(fields);
    }

    /**
     * The records of {@code text}. A line break ends a record (so a blank line is a record of one
     * empty field; callers skip those); a final record needs no line break.
     *
     * @throws CsvSyntaxException when a quoted field is never closed or text follows a closing quote
     */
    public static List<CsvRecord> parse(String text) {
        List<CsvRecord> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int start = 1;
        int quoteLine = 0;
        boolean quoted = false;
        boolean wasQuoted = false;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
                continue;
            }
            if (c == '"' && field.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
                quoteLine = line;
                any = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
                any = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                fields.add(field.toString());
                rows.add(new CsvRecord(start, fields));
                fields = new ArrayList<>();
                field.setLength(0);
                wasQuoted = false;
                any = false;
                line++;
                start = line;
            } else if (wasQuoted) {
                throw new CsvSyntaxException(line, "unexpected character '" + c
                        + "' after a closing quote; write a quote inside a quoted field as \"\"");
            } else {
                field.append(c);
                any = true;
            }
        }
        if (quoted) {
            throw new CsvSyntaxException(quoteLine, "quoted field is never closed");
        }
        if (any || field.length() > 0) {
            fields.add(field.toString());
            rows.add(new CsvRecord(start, fields));
        }
        return rows;
    }

    /** Whether the record is a blank line. */
    public boolean blank() {
        return fields.size() == 1 && fields.get(0).isBlank();
    }
}
