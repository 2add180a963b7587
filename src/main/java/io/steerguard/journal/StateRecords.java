package io.steerguard.journal;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * One record of the state files: a line of JSON, a tab, and the CRC-32 of the JSON's UTF-8 bytes
 * as 8 hex digits. JSON never holds a raw tab (Jackson escapes control characters in strings), so
 * the last tab splits the line. A damaged byte anywhere in the line fails the check. Lines without
 * a tab are records of the file format before checksums; they are accepted as long as they parse.
 * The review labels and the classifier calibration use the same records ({@code io.steerguard.review}).
 */
public final class StateRecords {

    private static final Pattern PROFILE = Pattern.compile("\"profile\"\\s*:\\s*\"([^\"\\\\]{1,200})\"");

    private StateRecords() {
    }

    /** The line for {@code json}, newline included. */
    public static byte[] encode(String json) {
        return (json + "\t" + crc(json.getBytes(StandardCharsets.UTF_8)) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The JSON of a line (without its newline).
     *
     * @throws IllegalArgumentException when the checksum does not match
     */
    public static String decode(String line) {
        int tab = line.lastIndexOf('\t');
        if (tab < 0) {
            return line;
        }
        String json = line.substring(0, tab);
        String expected = line.substring(tab + 1);
        String actual = crc(json.getBytes(StandardCharsets.UTF_8));
        if (!actual.equals(expected)) {
            throw new IllegalArgumentException("checksum mismatch (record says " + abbreviate(expected)
                    + ", content gives " + actual + "): the record is damaged");
        }
        return json;
    }

    /** The profile a damaged line names, when that part of it is still readable. */
    public static Optional<String> profileOf(String damagedLine) {
        Matcher m = PROFILE.matcher(damagedLine);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static String crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return HexFormat.of().toHexDigits((int) crc.getValue());
    }

    private static String abbreviate(String s) {
        return s.length() > 16 ? s.substring(0, 16) + "..." : s;
    }
}
