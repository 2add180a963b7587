package io.steerguard.runtime.embedded;

import java.security.SecureRandom;

/** Ids for parsed tool calls, shaped like OpenAI's: {@code call_} and 24 letters and digits. */
final class ToolCallIds {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ToolCallIds() {
    }

    static String next() {
        StringBuilder id = new StringBuilder("call_");
        for (int i = 0; i < 24; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }
}
