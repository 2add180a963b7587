package io.steerguard.shadow;

import java.util.ArrayList;
import java.util.List;

/**
 * One CSV record with the line it starts on. RFC 4180: quoted fields may hold commas, doubled
 * quotes and line breaks, so a record can span lines and the line number of its start is what
 * a message must quote.
 */
record CsvRow(int line, List<String> fields) {

    CsvRow {
        fields = List.copyOf(fields);
    }

    static List<CsvRow> parse(String source, String text) {
        List<CsvRow> rows = new ArrayList<>();
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
                rows.add(new CsvRow(start, fields));
                fields = new ArrayList<>();
                field.setLength(0);
                wasQuoted = false;
                any = false;
                line++;
                start = line;
            } else if (wasQuoted) {
                throw new ProbeFileException(source, line, "unexpected character '" + c
                        + "' after a closing quote; write a quote inside a quoted field as \"\"");
            } else {
                field.append(c);
                any = true;
            }
        }
        if (quoted) {
            throw new ProbeFileException(source, quoteLine, "quoted field is never closed");
        }
        if (any || field.length() > 0) {
            fields.add(field.toString());
            rows.add(new CsvRow(start, fields));
        }
        return rows;
    }
}
