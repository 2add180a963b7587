package io.steerguard.training.tokenizer;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A trained byte-level BPE: its tokens in id order, its merges in rank order and its special
 * tokens. Ids 0..255 are the single bytes in byte order (written in the {@link ByteLevel}
 * alphabet), then the merge results in the order they were learned, then the special tokens.
 *
 * @param tokens        every token, the position is the id; byte-level alphabet except the specials
 * @param merges        merges in rank order (rank 0 is applied first)
 * @param specialTokens the special tokens, which are the last {@code specialTokens.size()} tokens
 */
public record BpeVocabulary(List<String> tokens, List<Merge> merges, List<String> specialTokens) {

    public BpeVocabulary {
        tokens = List.copyOf(Objects.requireNonNull(tokens, "tokens"));
        merges = List.copyOf(Objects.requireNonNull(merges, "merges"));
        specialTokens = List.copyOf(Objects.requireNonNull(specialTokens, "specialTokens"));
        int bpeSize = tokens.size() - specialTokens.size();
        if (bpeSize < 256) {
            throw new IllegalArgumentException("tokens must hold the 256 byte tokens and the "
                    + specialTokens.size() + " special tokens, but holds " + tokens.size());
        }
        for (int b = 0; b < 256; b++) {
            if (!tokens.get(b).equals(String.valueOf(ByteLevel.charOf(b)))) {
                throw new IllegalArgumentException("tokens: id " + b + " must be the byte-level character of byte " + b);
            }
        }
        if (!tokens.subList(bpeSize, tokens.size()).equals(specialTokens)) {
            throw new IllegalArgumentException("tokens must end with specialTokens in order");
        }
        Set<String> seen = new HashSet<>();
        for (String token : tokens) {
            if (!seen.add(token)) {
                throw new IllegalArgumentException("tokens holds \"" + token + "\" twice");
            }
        }
        Set<String> known = new HashSet<>(tokens.subList(0, 256));
        for (Merge merge : merges) {
            if (!known.contains(merge.left()) || !known.contains(merge.right())) {
                throw new IllegalArgumentException("merges: \"" + merge + "\" uses a token no earlier merge produced");
            }
            known.add(merge.result());
        }
        Set<String> produced = new HashSet<>(tokens.subList(0, bpeSize));
        if (!known.equals(produced)) {
            throw new IllegalArgumentException("tokens between the bytes and the specials must be exactly the merge results");
        }
    }

    /** Number of tokens, special tokens included: the model's vocabulary size. */
    public int size() {
        return tokens.size();
    }

    /**
     * The id of a token (a special token's text, or a token in the byte-level alphabet).
     *
     * @throws IllegalArgumentException when the vocabulary does not hold it
     */
    public int id(String token) {
        int id = tokens.indexOf(token);
        if (id < 0) {
            throw new IllegalArgumentException("token \"" + token + "\" is not in the vocabulary");
        }
        return id;
    }
}
