package io.steerguard.training.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's reversible map between bytes and printable code points, the alphabet of a byte-level
 * BPE's tokens. Printable Latin-1 bytes ({@code !..~}, {@code ¡..¬}, {@code ®..ÿ}) stand for
 * themselves; the other 68 bytes (controls, space, soft hyphen, ...) take code points 256, 257,
 * ... in byte order, so a space is written {@code Ġ} and a newline {@code Ċ}.
 */
public final class ByteLevel {

    private static final int[] BYTE_TO_CHAR = new int[256];
    private static final int[] CHAR_TO_BYTE = new int[256 + 68];

    static {
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            BYTE_TO_CHAR[b] = printable ? b : next++;
        }
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        for (int b = 0; b < 256; b++) {
            CHAR_TO_BYTE[BYTE_TO_CHAR[b]] = b;
        }
    }

    private ByteLevel() {
    }

    /** The printable code point that stands for {@code b} (0..255). */
    public static char charOf(int b) {
        return (char) BYTE_TO_CHAR[b & 0xFF];
    }

    /** Bytes written in the byte-level alphabet. */
    public static String encode(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            out.append(charOf(b));
        }
        return out.toString();
    }

    /** UTF-8 bytes of {@code text} written in the byte-level alphabet. */
    public static String encode(String text) {
        return encode(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The bytes a byte-level token stands for.
     *
     * @throws IllegalArgumentException when {@code token} holds a character outside the alphabet
     */
    public static byte[] decode(String token) {
        byte[] out = new byte[token.length()];
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            int b = c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
            if (b < 0) {
                throw new IllegalArgumentException("token \"" + token + "\" holds '" + c
                        + "', which is not in the byte-level alphabet");
            }
            out[i] = (byte) b;
        }
        return out;
    }
}
